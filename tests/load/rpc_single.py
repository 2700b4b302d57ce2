"""One JSON-RPC call at a time, on an idle server: get_availability as dicts
against the compact form (issue 18, item 6).

    python3 tests/load/rpc_single.py http://127.0.0.1:8118 DB [PRODUCTS] [RUNS]

Logs in as admin, takes PRODUCTS (default 200) storable products with stock and
every warehouse, and prints the median milliseconds (and bytes) of each form over
RUNS calls (default 11), measured by the client: the whole round trip, marshalling
included.
"""

# pylint: disable=print-used
import json
import statistics
import sys
import time

import requests


def main():
    url, db = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 11
    session = requests.Session()
    session.post(
        f"{url}/web/session/authenticate",
        json={"params": {"db": db, "login": "admin", "password": "admin"}},
        timeout=60,
    ).raise_for_status()

    def call(model, method, args, kwargs=None):
        response = session.post(
            f"{url}/web/dataset/call_kw/{model}/{method}",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "model": model,
                    "method": method,
                    "args": args,
                    "kwargs": kwargs or {},
                },
            },
            timeout=120,
        )
        body = response.json()
        if "error" in body:
            raise RuntimeError(body["error"]["data"]["message"])
        return body["result"], len(response.content)

    companies = call(
        "res.company", "search_read", [[]], {"fields": ["id"], "order": "id"}
    )[0]
    context = {"allowed_company_ids": [company["id"] for company in companies]}
    products = call(
        "stock.quant",
        "read_group",
        [[["location_id.usage", "=", "internal"]], ["quantity:sum"], ["product_id"]],
        {"orderby": "quantity desc", "limit": count, "lazy": True, "context": context},
    )[0]
    product_ids = [group["product_id"][0] for group in products]
    forms = [
        ("get_availability (dicts)", "get_availability", {}),
        (
            "get_availability_compact (skip empty)",
            "get_availability_compact",
            {},
        ),
        (
            "get_availability_compact (every pair)",
            "get_availability_compact",
            {"skip_empty": False},
        ),
        (
            "get_availability_compact (atp, free, next date)",
            "get_availability_compact",
            {"fields": ["atp", "free", "next_available_date"]},
        ),
    ]
    print(f"{len(product_ids)} products, every warehouse, {runs} calls each")
    print(f"{'form':<50}{'ms':>9}{'KiB':>9}{'rows':>7}")
    for label, method, kwargs in forms:
        times = []
        for _run in range(runs):
            start = time.perf_counter()
            result, size = call(
                "distrib.atp",
                method,
                [product_ids],
                {**kwargs, "context": context},
            )
            times.append((time.perf_counter() - start) * 1000.0)
        rows = len(result) if isinstance(result, list) else len(result["rows"])
        print(
            f"{label:<50}{statistics.median(times):>9.1f}{size / 1024:>9.1f}{rows:>7}"
        )
    print(json.dumps({"products": len(product_ids)}))


if __name__ == "__main__":
    main()
