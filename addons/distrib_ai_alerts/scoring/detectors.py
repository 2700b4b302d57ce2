"""The detectors: fit on a company's history, score new rows.

Every detector takes columns (a dict of equal-length numpy arrays or lists),
``fit`` returns JSON-able parameters and ``score`` returns the alerts, each a
dict with ``row`` (position in the columns), ``id``, ``key`` (what feedback
matches on), ``value`` (the figure feedback compares), ``z`` (strength),
``score`` (0-100), ``severity``, ``impact`` (expected financial impact, company
currency) and ``reasons`` (the features that drove it, see each detector's
``*_REASONS``). Each detector is registered once, as a ``Detector`` spec, at
the end of this file (see ``registry.py``).
"""

import math

import numpy as np

from .registry import DETECTORS, REASONS, Detector, explain, format_reason, register
from .robust import (
    MAD_TO_SIGMA,
    GroupModel,
    _find,
    group_medians,
    pair_key,
    recent_mask,
    score_from_z,
    severity_from_score,
)

DEFAULT_THRESHOLD = 4.0
# version of the late-order risk's parameters: a model trained on an older
# version is retrained before it scores
LATE_RISK_VERSION = 2
PRICE_WINDOW = 12
# a warehouse's shipping capacity: this quantile of the outgoing moves it did on
# the days it shipped, and never less than the floor (moves a day)
CAPACITY_QUANTILE = 0.9
CAPACITY_FLOOR = 1.0


def _col(columns, name, dtype=float):
    return np.asarray(columns[name], dtype=dtype)


def _fmt(value, digits=2):
    return f"{value:,.{digits}f}"


def _slog(values):
    return np.sign(values) * np.log1p(np.abs(values))


def _unslog(values):
    return np.sign(values) * np.expm1(np.abs(values))


def _make_alert(row, ids, key, value, z, threshold, impact, reasons):
    score = float(score_from_z(z, threshold))
    return {
        "row": int(row),
        "id": int(ids[row]),
        "key": key,
        "value": float(value),
        "z": round(float(z), 3),
        "score": round(score, 1),
        "severity": severity_from_score(score),
        "impact": round(float(impact), 2),
        "reasons": reasons,
    }


# ----------------------------------------------------------------------
# customer prices, discounts and rebates
# ----------------------------------------------------------------------
PRICE_REASONS = {
    "price_vs_history": (
        "unit price %(pct)s%% %(direction)s this customer's last %(count)s invoices "
        "for this product (usually %(normal)s)"
    ),
    "price_vs_product": (
        "unit price %(pct)s%% %(direction)s the usual price of this product for "
        "other customers (%(normal)s; this customer has %(count)s earlier invoices)"
    ),
    "discount_vs_history": (
        "discount %(value)s%% (rebate included) against usually %(normal)s%% for "
        "this customer and product"
    ),
    "discount_vs_customer": (
        "discount %(value)s%% (rebate included) against usually %(normal)s%% for "
        "this customer"
    ),
    "contract_price": (
        "contract price %(contract)s: invoiced %(pct)s%% %(direction)s it"
    ),
    "no_contract": "no contract price",
    "contract_ok": "matches the contract price %(contract)s",
}


def fit_price(columns, *, window=PRICE_WINDOW):
    """Columns: ``partner``, ``product``, ``price`` (unit price before discount,
    company currency), ``discount`` (effective %, rebate included), ``date``
    (ordinal). The customer/product groups use their last ``window`` lines; the
    product groups every line."""
    partner = _col(columns, "partner", np.int64)
    product = _col(columns, "product", np.int64)
    price = _col(columns, "price")
    discount = _col(columns, "discount")
    valid = price > 0
    partner, product, price, discount = (
        partner[valid],
        product[valid],
        price[valid],
        discount[valid],
    )
    dates = _col(columns, "date")[valid]
    child = pair_key(partner, product)
    recent = recent_mask(child, dates, window)
    # product level on every line, customer level on the recent ones
    product_model = GroupModel.fit(
        product, product, np.log(price), prior=3.0, floor=math.log(1.03)
    )
    price_model = GroupModel.fit(
        child[recent],
        product[recent],
        np.log(price[recent]),
        prior=3.0,
        floor=math.log(1.03),
    )
    # keep the product-level centres from the full history
    price_model.parent_keys = product_model.parent_keys
    price_model.parent_centre = product_model.parent_centre
    price_model.parent_scale = product_model.parent_scale
    price_model.parent_count = product_model.parent_count
    # a discount is a customer's terms: its parent group is the customer
    discount_model = GroupModel.fit(
        child[recent], partner[recent], discount[recent], prior=3.0, floor=2.5
    )
    return {
        "version": 1,
        "window": window,
        "price": price_model.to_json(),
        "discount": discount_model.to_json(),
        "lines": len(price),
    }


def score_price(params, columns, *, threshold=DEFAULT_THRESHOLD):
    ids = _col(columns, "id", np.int64)
    partner = _col(columns, "partner", np.int64)
    product = _col(columns, "product", np.int64)
    price = _col(columns, "price")
    discount = _col(columns, "discount")
    qty = np.abs(_col(columns, "quantity"))
    contract = _col(columns, "contract_price") if "contract_price" in columns else None
    child = pair_key(partner, product)
    price_model = GroupModel.from_json(params["price"])
    discount_model = GroupModel.from_json(params["discount"])
    p_centre, p_scale, p_count, p_level = price_model.lookup(child, product)
    d_centre, d_scale, _d_count, d_level = discount_model.lookup(child, partner)
    log_price = np.log(np.maximum(price, 1e-9))
    known = p_level >= 1
    z_price = np.where(known, np.abs(log_price - p_centre) / p_scale, 0.0)
    # a higher discount than usual costs money; a lower one does not
    z_disc = np.where(d_level >= 1, np.maximum(discount - d_centre, 0.0) / d_scale, 0.0)
    net = price * (1 - discount / 100.0)
    z_contract = np.zeros(len(ids))
    has_contract = np.zeros(len(ids), dtype=bool)
    if contract is not None:
        has_contract = np.nan_to_num(contract, nan=0.0) > 0
        safe = np.where(has_contract, contract, 1.0)
        deviation = np.abs(np.log(np.maximum(net, 1e-9) / safe))
        z_contract = np.where(has_contract, deviation / math.log(1.03), 0.0)
        # a line at its contract price is explained by the contract
        at_contract = has_contract & (deviation <= math.log(1.02))
        z_price = np.where(at_contract, 0.0, z_price)
        z_disc = np.where(at_contract, 0.0, z_disc)
    strength = np.maximum(np.maximum(z_price, z_disc), z_contract)
    alerts = []
    for row in np.nonzero(strength >= threshold)[0]:
        reasons = []
        normal_price = math.exp(p_centre[row])
        if z_price[row] >= threshold:
            pct = abs(price[row] / normal_price - 1) * 100
            reasons.append(
                {
                    "code": "price_vs_history"
                    if p_level[row] == 2
                    else "price_vs_product",
                    "feature": "unit_price",
                    "z": round(float(z_price[row]), 2),
                    "params": {
                        "pct": _fmt(pct, 0),
                        "direction": "below" if price[row] < normal_price else "above",
                        "count": int(min(p_count[row], params["window"]))
                        if p_level[row] == 2
                        else 0,
                        "normal": _fmt(normal_price),
                    },
                }
            )
        if z_disc[row] >= threshold:
            reasons.append(
                {
                    "code": "discount_vs_history"
                    if d_level[row] == 2
                    else "discount_vs_customer",
                    "feature": "discount",
                    "z": round(float(z_disc[row]), 2),
                    "params": {
                        "value": _fmt(discount[row], 1),
                        "normal": _fmt(d_centre[row], 1),
                    },
                }
            )
        if has_contract[row]:
            pct = abs(net[row] / contract[row] - 1) * 100
            if z_contract[row] >= threshold:
                reasons.append(
                    {
                        "code": "contract_price",
                        "feature": "contract_price",
                        "z": round(float(z_contract[row]), 2),
                        "params": {
                            "contract": _fmt(contract[row]),
                            "pct": _fmt(pct, 0),
                            "direction": "below"
                            if net[row] < contract[row]
                            else "above",
                        },
                    }
                )
            expected_net = contract[row]
        else:
            reasons.append({"code": "no_contract", "feature": "contract", "params": {}})
            expected_net = normal_price * (1 - max(d_centre[row], 0.0) / 100.0)
        impact = abs(expected_net - net[row]) * qty[row]
        alerts.append(
            _make_alert(
                row,
                ids,
                f"{partner[row]}/{product[row]}",
                net[row],
                strength[row],
                threshold,
                impact,
                reasons,
            )
        )
    return alerts


# ----------------------------------------------------------------------
# inventory adjustments
# ----------------------------------------------------------------------
INVENTORY_REASONS = {
    "qty_vs_history": (
        "quantity %(value)s against usually %(normal)s for this product at this "
        "location (%(count)s earlier adjustments, %(zscore)s robust deviations)"
    ),
    "qty_vs_product": (
        "quantity %(value)s against usually %(normal)s for this product "
        "(%(count)s earlier adjustments, %(zscore)s robust deviations)"
    ),
    "qty_vs_company": (
        "quantity %(value)s against usually %(normal)s for this company's counts "
        "(none of this product before; %(count)s earlier adjustments, %(zscore)s "
        "robust deviations)"
    ),
    "odd_time": (
        "done at %(hour)s:00%(weekend)s, a time of %(pct)s%% of this company's "
        "adjustments"
    ),
}


# version of the inventory detector's parameters (2: the company's counts
# back a product never counted before)
INVENTORY_VERSION = 2
INVENTORY_LEVEL_REASONS = {
    2: "qty_vs_history",
    1: "qty_vs_product",
    0: "qty_vs_company",
}


def _time_bucket(hour, weekday):
    return np.asarray(hour, dtype=np.int64) + 24 * (np.asarray(weekday) >= 5)


def fit_inventory(columns):
    """Columns: ``product``, ``location``, ``quantity`` (signed), ``hour``
    (0-23, company time), ``weekday`` (0 = Monday)."""
    product = _col(columns, "product", np.int64)
    location = _col(columns, "location", np.int64)
    qty = _col(columns, "quantity")
    buckets = np.bincount(
        _time_bucket(_col(columns, "hour", np.int64), _col(columns, "weekday")),
        minlength=48,
    )
    model = GroupModel.fit(
        pair_key(product, location),
        product,
        qty,
        prior=3.0,
        floor=1.5,
        parent_floor=1.0,
        # a product never counted before is compared with the company's counts
        use_global=True,
    )
    return {
        "version": INVENTORY_VERSION,
        "quantity": model.to_json(),
        "time_buckets": buckets.tolist(),
        "lines": len(qty),
    }


def score_inventory(params, columns, *, threshold=5.0, rare_time=0.005):
    ids = _col(columns, "id", np.int64)
    product = _col(columns, "product", np.int64)
    location = _col(columns, "location", np.int64)
    qty = _col(columns, "quantity")
    cost = _col(columns, "unit_cost")
    hour = _col(columns, "hour", np.int64)
    weekday = _col(columns, "weekday", np.int64)
    model = GroupModel.from_json(params["quantity"])
    centre, scale, count, level = model.lookup(pair_key(product, location), product)
    # level 0: a product never counted, against the company's counts
    known = level >= 0
    z_qty = np.where(known, np.abs(qty - np.nan_to_num(centre)) / scale, 0.0)
    z_qty = np.nan_to_num(z_qty)
    buckets = np.asarray(params["time_buckets"], dtype=float)
    total = buckets.sum()
    z_time = np.zeros(len(ids))
    freq = np.ones(len(ids))
    if total >= 200:
        freq = (buckets[_time_bucket(hour, weekday)] + 0.5) / (total + 1.0)
        z_time = np.where(
            freq < rare_time,
            threshold * np.log(freq) / math.log(rare_time),
            0.0,
        )
    expected = np.where(known, np.nan_to_num(centre), 0.0)
    value = np.abs(qty) * cost
    # an odd hour alone matters when the quantity is also larger than usual
    z_time = np.where(z_qty >= 1.0, z_time, 0.0)
    strength = np.maximum(z_qty, z_time)
    alerts = []
    for row in np.nonzero(strength >= threshold)[0]:
        reasons = []
        if z_qty[row] >= threshold:
            reasons.append(
                {
                    "code": INVENTORY_LEVEL_REASONS[int(level[row])],
                    "feature": "quantity",
                    "z": round(float(z_qty[row]), 2),
                    "params": {
                        "value": _fmt(qty[row], 2),
                        "normal": _fmt(expected[row], 2),
                        "count": int(count[row])
                        if level[row] > 0
                        else int(model.global_stats[2]),
                        "zscore": _fmt(z_qty[row], 1),
                    },
                }
            )
        if z_time[row] >= threshold or (reasons and freq[row] < rare_time):
            reasons.append(
                {
                    "code": "odd_time",
                    "feature": "time",
                    "z": round(float(z_time[row]), 2),
                    "params": {
                        "hour": f"{int(hour[row]):02d}",
                        "weekend": " on a weekend" if weekday[row] >= 5 else "",
                        "pct": _fmt(freq[row] * 100, 2),
                    },
                }
            )
        impact = (
            abs(qty[row] - expected[row]) * cost[row]
            if z_qty[row] >= threshold
            else value[row]
        )
        alerts.append(
            _make_alert(
                row,
                ids,
                f"{product[row]}/{location[row]}",
                qty[row],
                strength[row],
                threshold,
                impact,
                reasons,
            )
        )
    return alerts


# ----------------------------------------------------------------------
# transfers between warehouses or companies
# ----------------------------------------------------------------------
TRANSFER_REASONS = {
    "transfer_qty": (
        "%(value)s units moved against usually %(normal)s on this route for this "
        "product (%(count)s earlier transfers, %(zscore)s robust deviations)"
    ),
    "transfer_qty_vs_moves": (
        "%(value)s units moved against usually %(normal)s a move for this product "
        "(%(count)s receipts and deliveries, %(zscore)s robust deviations)"
    ),
    "new_route": (
        "first transfer ever on this route (%(count)s earlier transfers in the "
        "history, none on it)"
    ),
    "rare_route": "a route used by %(pct)s%% of the earlier transfers",
    "cross_company": "between two companies",
}


# version of the transfer detector's parameters (2: the product's everyday
# moves give the usual size when its route has little transfer history)
TRANSFER_VERSION = 2
# transfers a product needs on a route before they alone say what is usual
TRANSFER_ROUTE_HISTORY = 5
# the spread of log quantities of one product when nothing else tells it
REFERENCE_SPREAD = 1.0
REFERENCE_FLOOR = 0.35


def fit_reference(product, quantity, *, prior=3.0, floor=REFERENCE_FLOOR):
    """The usual size of a product's moves: per product, the median of
    ``log1p(quantity)`` and a spread, its own MAD shrunk to the spread pooled
    over the company's products (those with 3 moves or more), widened when it
    rests on few moves. A warehouse's transfers are sparse (a few per product in
    a year); its receipts and deliveries are not, and say what quantity of the
    product is ordinary."""
    product = np.asarray(product, dtype=np.int64)
    values = np.log1p(np.abs(np.asarray(quantity, dtype=float)))
    if not len(values):
        return {"keys": [], "centre": [], "scale": [], "count": [], "pooled": None}
    keys, codes = np.unique(product, return_inverse=True)
    median, count = group_medians(codes, values, len(keys))
    residual = np.abs(values - median[codes])
    own, _count = group_medians(codes, residual, len(keys))
    own = own * MAD_TO_SIGMA
    steady = count[codes] >= 3
    pooled = (
        float(np.median(residual[steady])) * MAD_TO_SIGMA
        if steady.any()
        else REFERENCE_SPREAD
    )
    pooled = max(pooled, floor)
    weight = count / (count + prior)
    scale = np.sqrt(weight * np.nan_to_num(own) ** 2 + (1 - weight) * pooled**2)
    # a spread measured on few moves is unsure: widen it (less than
    # GroupModel does, the pooled spread already backs it)
    scale = np.maximum(scale, floor) * (1.0 + 0.5 / np.sqrt(np.maximum(count, 1)))
    return {
        "keys": keys.tolist(),
        "centre": [round(float(x), 6) for x in median],
        "scale": [round(float(x), 6) for x in scale],
        "count": count.tolist(),
        "pooled": round(pooled, 6),
    }


def lookup_reference(reference, product):
    """``(centre, scale, count, found)`` of each product in ``reference``."""
    product = np.asarray(product, dtype=np.int64)
    keys = np.asarray((reference or {}).get("keys") or [], dtype=np.int64)
    pos, found = _find(keys, product)
    if not len(keys):
        zero = np.zeros(len(product))
        return zero, np.ones(len(product)), zero.astype(np.int64), found
    centre = np.asarray(reference["centre"], dtype=float)[pos]
    scale = np.asarray(reference["scale"], dtype=float)[pos]
    count = np.asarray(reference["count"], dtype=np.int64)[pos]
    return centre, scale, np.where(found, count, 0), found


def _product_route_key(product, source, destination):
    # warehouse ids stay far below 2**15 in any real database
    return pair_key(product, np.asarray(source) * 65536 + np.asarray(destination))


def fit_transfer(columns):
    """Columns: ``product``, ``source`` and ``destination`` (warehouse ids),
    ``quantity`` (positive); optional ``reference``: columns ``product`` and
    ``quantity`` of the company's receipts and deliveries (see
    ``fit_reference``), what a product's transfer is compared with while its
    route has fewer than ``TRANSFER_ROUTE_HISTORY`` transfers."""
    product = _col(columns, "product", np.int64)
    source = _col(columns, "source", np.int64)
    destination = _col(columns, "destination", np.int64)
    route = pair_key(source, destination)
    qty = np.abs(_col(columns, "quantity"))
    routes, route_counts = np.unique(route, return_counts=True)
    model = GroupModel.fit(
        _product_route_key(product, source, destination),
        product,
        np.log1p(qty),
        prior=3.0,
        floor=0.35,
        use_global=False,
    )
    reference = columns.get("reference")
    return {
        "version": TRANSFER_VERSION,
        "quantity": model.to_json(),
        "reference": fit_reference(reference["product"], reference["quantity"])
        if reference is not None
        else None,
        "routes": [routes.tolist(), route_counts.tolist()],
        "lines": len(qty),
    }


def score_transfer(params, columns, *, threshold=DEFAULT_THRESHOLD, rare_route=0.002):
    ids = _col(columns, "id", np.int64)
    product = _col(columns, "product", np.int64)
    source = _col(columns, "source", np.int64)
    destination = _col(columns, "destination", np.int64)
    qty = np.abs(_col(columns, "quantity"))
    cost = _col(columns, "unit_cost")
    cross = (
        _col(columns, "cross_company", bool)
        if "cross_company" in columns
        else np.zeros(len(ids), dtype=bool)
    )
    route = pair_key(source, destination)
    model = GroupModel.from_json(params["quantity"])
    centre, scale, count, level = model.lookup(
        _product_route_key(product, source, destination), product
    )
    known = level >= 1
    z_qty = np.nan_to_num(
        np.where(known, np.abs(np.log1p(qty) - np.nan_to_num(centre)) / scale, 0.0)
    )
    expected = np.where(known, np.expm1(np.nan_to_num(centre)), 0.0)
    # few transfers of the product on this route: its receipts and deliveries
    # say what size is usual (a transfer smaller than them is not suspicious)
    r_centre, r_scale, r_count, r_found = lookup_reference(
        params.get("reference"), product
    )
    by_moves = r_found & ((level < 2) | (count < TRANSFER_ROUTE_HISTORY))
    z_moves = np.maximum(np.log1p(qty) - r_centre, 0.0) / r_scale
    z_qty = np.where(by_moves, z_moves, z_qty)
    expected = np.where(by_moves, np.expm1(r_centre), expected)
    count = np.where(by_moves, r_count, count)
    routes = np.asarray(params["routes"][0], dtype=np.int64)
    route_counts = np.asarray(params["routes"][1], dtype=float)
    total = route_counts.sum()
    seen = np.zeros(len(ids))
    if len(routes):
        pos = np.minimum(np.searchsorted(routes, route), len(routes) - 1)
        seen = np.where(routes[pos] == route, route_counts[pos], 0.0)
    z_route = np.zeros(len(ids))
    if total >= 50:
        share = (seen + 0.5) / (total + 1.0)
        z_route = np.where(
            share < rare_route, threshold * np.log(share) / math.log(rare_route), 0.0
        )
    strength = np.maximum(z_qty, z_route)
    alerts = []
    for row in np.nonzero(strength >= threshold)[0]:
        reasons = []
        if z_qty[row] >= threshold:
            reasons.append(
                {
                    "code": "transfer_qty_vs_moves"
                    if by_moves[row]
                    else "transfer_qty",
                    "feature": "quantity",
                    "z": round(float(z_qty[row]), 2),
                    "params": {
                        "value": _fmt(qty[row], 2),
                        "normal": _fmt(expected[row], 2),
                        "count": int(count[row]),
                        "zscore": _fmt(z_qty[row], 1),
                    },
                }
            )
        if z_route[row] >= threshold:
            if seen[row] == 0:
                reasons.append(
                    {
                        "code": "new_route",
                        "feature": "route",
                        "z": round(float(z_route[row]), 2),
                        "params": {"count": int(total)},
                    }
                )
            else:
                reasons.append(
                    {
                        "code": "rare_route",
                        "feature": "route",
                        "z": round(float(z_route[row]), 2),
                        "params": {"pct": _fmt(seen[row] / total * 100, 2)},
                    }
                )
        if cross[row]:
            reasons.append(
                {"code": "cross_company", "feature": "company", "params": {}}
            )
        impact = (
            abs(qty[row] - expected[row]) * cost[row]
            if z_qty[row] >= threshold
            else qty[row] * cost[row]
        )
        alerts.append(
            _make_alert(
                row,
                ids,
                f"{product[row]}/{source[row]}/{destination[row]}",
                qty[row],
                strength[row],
                threshold,
                impact,
                reasons,
            )
        )
    return alerts


# ----------------------------------------------------------------------
# late-order risk
# ----------------------------------------------------------------------
LATE_RISK_REASONS = {
    "short": "%(short)s of %(qty)s units not available in the warehouse",
    "waiting_receipt": (
        "waits on a receipt from %(supplier)s due in %(days)s days; this supplier "
        "delivers %(late)s days late at the 80th percentile (%(count)s receipts)"
    ),
    "no_supply": "no incoming receipt covers the shortfall",
    "backlog": (
        "%(ahead)s moves ahead of it in the warehouse (its own included), which "
        "ships up to %(rate)s a day: %(days)s days of work"
    ),
    "no_delivery": (
        "no delivery pending in the warehouse for the %(qty)s units still to deliver"
    ),
    "expected_late": (
        "expected ready in %(ready)s days, promised in %(promise)s days "
        "(%(late)s days late)"
    ),
    "overdue": (
        "promised %(days)s days ago and not delivered yet (%(late)s days late)"
    ),
}


def _lookup(mapping, keys, default=np.nan):
    """``mapping`` (JSON: ``{str(id): value}``) looked up for integer ``keys``,
    ``default`` where missing; one sort, no Python loop over the keys."""
    keys = np.asarray(keys, dtype=np.int64)
    if not mapping:
        return np.full(len(keys), default, dtype=float)
    known = np.array(sorted(int(k) for k in mapping), dtype=np.int64)
    values = np.array([mapping[str(k)] for k in known], dtype=float)
    pos, found = _find(known, keys)
    return np.where(found, values[pos], default)


def shipping_capacity(
    warehouse, done, *, quantile=CAPACITY_QUANTILE, floor=CAPACITY_FLOOR
):
    """Demonstrated capacity of each warehouse: the ``quantile`` of the
    outgoing moves it did per day, over the days it shipped (one value of
    ``done`` per warehouse and day; days without shipments are left out),
    never below ``floor``. A warehouse that ships one move a day because
    orders come at that pace can ship many more on the days they are due: its
    throughput (the average) is not its capacity.

    Returns ``(warehouses, capacity, days)``: sorted warehouse ids, their
    capacity (moves a day) and the number of shipping days it is based on."""
    warehouse = np.asarray(warehouse, dtype=np.int64)
    done = np.asarray(done, dtype=float)
    shipped = done > 0
    warehouse, done = warehouse[shipped], done[shipped]
    if not len(done):
        return np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0, dtype=np.int64)
    order = np.lexsort((done, warehouse))
    warehouse, done = warehouse[order], done[order]
    keys, starts, counts = np.unique(warehouse, return_index=True, return_counts=True)
    # the quantile of each sorted run, interpolated as numpy's default does
    position = starts + quantile * (counts - 1)
    low = np.floor(position).astype(np.int64)
    high = np.minimum(low + 1, starts + counts - 1)
    capacity = done[low] + (position - low) * (done[high] - done[low])
    return keys, np.maximum(capacity, floor), counts


def fit_late_risk(
    receipts, throughput, *, quantile=CAPACITY_QUANTILE, floor=CAPACITY_FLOOR
):
    """``receipts``: ``supplier`` and ``days_late`` (done date minus planned
    date, in days) of past receipts. ``throughput``: ``warehouse`` and ``done``
    (outgoing moves done per day, one row per warehouse and day): each
    warehouse's capacity is the ``quantile`` of its shipping days (see
    ``shipping_capacity``)."""
    supplier = _col(receipts, "supplier", np.int64)
    late = _col(receipts, "days_late")
    p80 = {}
    counts = {}
    population = float(np.quantile(late, 0.8)) if len(late) else 0.0
    if len(late):
        order = np.argsort(supplier, kind="stable")
        uniq, starts, cnt = np.unique(
            supplier[order], return_index=True, return_counts=True
        )
        for sup, start, n in zip(uniq, starts, cnt, strict=True):
            values = late[order][start : start + n]
            own = float(np.quantile(values, 0.8))
            weight = n / (n + 3.0)
            p80[str(int(sup))] = round(weight * own + (1 - weight) * population, 3)
            counts[str(int(sup))] = int(n)
    warehouses, capacity, days = shipping_capacity(
        _col(throughput, "warehouse", np.int64),
        _col(throughput, "done"),
        quantile=quantile,
        floor=floor,
    )
    return {
        "version": LATE_RISK_VERSION,
        "supplier_p80": p80,
        "supplier_count": counts,
        "population_p80": round(population, 3),
        "warehouse_capacity": {
            str(int(wh)): round(float(cap), 3)
            for wh, cap in zip(warehouses, capacity, strict=True)
        },
        "warehouse_days": {
            str(int(wh)): int(n) for wh, n in zip(warehouses, days, strict=True)
        },
        "capacity_quantile": quantile,
    }


def score_late_risk(
    params, columns, *, threshold=0.6, spread=1.5, handling_days=1.0, no_supply_days=30
):
    """Columns per open order line: ``id``, ``warehouse`` (the one that ships
    it), ``promise`` (days from today to the promised date, negative when it
    is past), ``quantity`` (still to deliver), ``short`` (not reserved nor in
    stock), ``supplier`` (-1 if none), ``receipt`` (days from today to the
    receipt covering the shortfall, NaN if none), ``ahead`` (the warehouse's
    pending outgoing moves scheduled on or before the line's own, its own
    included; NaN when no delivery of the line is pending), ``amount`` (value
    of the line still to deliver) and optionally ``supplier_name``.

    The line is expected ready when the warehouse has shipped the moves ahead
    of it at its capacity and, when it is short, the covering receipt has
    arrived (plus the supplier's usual lateness); the risk is a logistic
    function of that date against the promised one."""
    ids = _col(columns, "id", np.int64)
    warehouse = _col(columns, "warehouse", np.int64)
    promise = _col(columns, "promise")
    qty = _col(columns, "quantity")
    short = np.maximum(_col(columns, "short"), 0.0)
    supplier = _col(columns, "supplier", np.int64)
    receipt = _col(columns, "receipt")
    ahead = _col(columns, "ahead")
    amount = _col(columns, "amount")
    names = columns.get("supplier_name")
    # a warehouse without shipping history has no measurable queue; parameters
    # of an older version (no capacity) neither
    capacity = _lookup(params.get("warehouse_capacity"), warehouse)
    no_delivery = np.isnan(ahead)
    queued = ~no_delivery & ~np.isnan(capacity)
    queue_days = np.where(
        queued,
        np.nan_to_num(ahead) / np.maximum(np.nan_to_num(capacity), CAPACITY_FLOOR),
        0.0,
    )
    late = _lookup(params["supplier_p80"], supplier, params["population_p80"])
    ready = queue_days.copy()
    is_short = short > 1e-6
    has_receipt = is_short & ~np.isnan(receipt)
    supply_ready = np.where(
        has_receipt,
        np.nan_to_num(receipt) + np.maximum(late, 0.0) + handling_days,
        no_supply_days,
    )
    ready = np.where(is_short, np.maximum(ready, supply_ready), ready)
    margin = promise - ready
    probability = 1.0 / (1.0 + np.exp(np.clip(margin / spread, -50, 50)))
    alerts = []
    for row in np.nonzero(probability >= threshold)[0]:
        reasons = []
        if is_short[row]:
            reasons.append(
                {
                    "code": "short",
                    "feature": "availability",
                    "params": {"short": _fmt(short[row], 2), "qty": _fmt(qty[row], 2)},
                }
            )
            if has_receipt[row]:
                reasons.append(
                    {
                        "code": "waiting_receipt",
                        "feature": "supplier_lateness",
                        "params": {
                            "supplier": names[row]
                            if names is not None
                            else supplier[row],
                            "days": _fmt(receipt[row], 0),
                            "late": _fmt(late[row], 1),
                            "count": params["supplier_count"].get(
                                str(int(supplier[row])), 0
                            ),
                        },
                    }
                )
            else:
                reasons.append(
                    {"code": "no_supply", "feature": "supplier_lateness", "params": {}}
                )
        overdue = promise[row] < 0
        if no_delivery[row]:
            reasons.append(
                {
                    "code": "no_delivery",
                    "feature": "delivery",
                    "params": {"qty": _fmt(qty[row], 2)},
                }
            )
        elif queued[row] and (queue_days[row] >= 1.0 or not (reasons or overdue)):
            reasons.append(
                {
                    "code": "backlog",
                    "feature": "backlog",
                    "params": {
                        "ahead": int(ahead[row]),
                        "rate": _fmt(capacity[row], 1),
                        "days": _fmt(queue_days[row], 1),
                    },
                }
            )
        if overdue:
            reasons.append(
                {
                    "code": "overdue",
                    "feature": "margin",
                    "params": {
                        "days": _fmt(-promise[row], 1),
                        "late": _fmt(-margin[row], 1),
                    },
                }
            )
        else:
            reasons.append(
                {
                    "code": "expected_late",
                    "feature": "margin",
                    "params": {
                        "ready": _fmt(ready[row], 1),
                        "promise": _fmt(promise[row], 0),
                        "late": _fmt(-margin[row], 1),
                    },
                }
            )
        score = float(probability[row] * 100.0)
        days_late = -margin[row]
        severity = (
            "critical"
            if days_late >= 10
            else "high"
            if days_late >= 5
            else "medium"
            if days_late >= 2
            else "low"
        )
        alerts.append(
            {
                "row": int(row),
                "id": int(ids[row]),
                "key": str(int(ids[row])),
                "value": round(float(days_late), 2),
                "z": round(float(days_late), 2),
                "score": round(score, 1),
                "severity": severity,
                "impact": round(float(amount[row] * probability[row]), 2),
                "reasons": reasons,
            }
        )
    return alerts


def _fit_late_risk_history(history):
    receipts, throughput = history
    return fit_late_risk(receipts, throughput)


def _late_risk_history_size(history):
    receipts, _throughput = history
    return len(receipts["supplier"])


# ----------------------------------------------------------------------
# the registry: one spec per detector
# ----------------------------------------------------------------------
register(
    Detector(
        name="price",
        label="Customer Prices and Discounts",
        version=1,
        threshold=4.0,
        fit=fit_price,
        score=score_price,
        reasons=PRICE_REASONS,
        source_model="account.move.line",
    )
)
register(
    Detector(
        name="inventory",
        label="Inventory Adjustments",
        version=INVENTORY_VERSION,
        # counts are noisier
        threshold=5.0,
        fit=fit_inventory,
        score=score_inventory,
        reasons=INVENTORY_REASONS,
        source_model="stock.move",
    )
)
register(
    Detector(
        name="transfer",
        label="Transfers between Warehouses or Companies",
        version=TRANSFER_VERSION,
        threshold=4.0,
        fit=fit_transfer,
        score=score_transfer,
        reasons=TRANSFER_REASONS,
        source_model="stock.move",
    )
)
register(
    Detector(
        name="late_risk",
        label="Late-Order Risk",
        version=LATE_RISK_VERSION,
        # a probability of missing the promised date
        threshold=0.6,
        fit=_fit_late_risk_history,
        score=score_late_risk,
        reasons=LATE_RISK_REASONS,
        source_model="sale.order.line",
        exception_type="late_order_risk",
        rescore_open=True,
        max_threshold=0.95,
        size=_late_risk_history_size,
    )
)

__all__ = [
    "DETECTORS",
    "REASONS",
    "Detector",
    "explain",
    "format_reason",
    "register",
]
