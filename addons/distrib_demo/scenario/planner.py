"""Deterministic plan of the demo scenario (plain Python, no Odoo import).

Everything is expressed with indexes (company, warehouse, product, partner) and day
numbers counted from the opening day (day 0 = ``horizon`` days before today), so the
same seed always gives the same plan, whatever the date. ``distrib.scenario`` turns
the plan into records.
"""

import math

from .catalog import (
    CATALOG,
    COMPANIES,
    CUSTOMER_COUNTRIES,
    CUSTOMER_PLACES,
    CUSTOMER_SUFFIX,
    SEGMENTS,
    SUPPLIERS,
)

HORIZON = 182  # days of history: day 0 is the opening, day HORIZON is today
UOM_FACTOR = {"unit": 1, "dozen": 1, "kg": 1, "litre": 1}
# target stock level range per unit of measure (main warehouse)
TARGET_RANGE = {
    "unit": (30, 240),
    "dozen": (10, 60),
    "kg": (40, 300),
    "litre": (80, 500),
}
SALES_PER_WAREHOUSE = 50  # historic orders of a main warehouse (weight 1.0)
EUROPE_ACTIVITY = 0.75  # the European entity is smaller
PAYMENT_TERM_DAYS = {
    "account.account_payment_term_immediate": 0,
    "account.account_payment_term_15days": 15,
    "account.account_payment_term_30days": 30,
    "account.account_payment_term_45days": 45,
}


def warehouse_specs():
    """(company index, name, code, weight) of the 6 warehouses, in company order."""
    specs = []
    for company_index, company in enumerate(COMPANIES):
        for name, code, weight in company["warehouses"]:
            specs.append(
                {"company": company_index, "name": name, "code": code, "weight": weight}
            )
    return specs


def plan_products(rng):
    """One dict per product: name, code, category, units, tracking, cost, price."""
    products = []
    for block, entry in enumerate(CATALOG):
        parent, child, uom, po_uom, lot, (cost_min, cost_max), items, variants = entry
        supplier_ids = [
            index for index, supplier in enumerate(SUPPLIERS) if parent in supplier[6]
        ]
        for item_index, item in enumerate(items):
            supplier = supplier_ids[rng.randrange(len(supplier_ids))]
            for variant_index, variant in enumerate(variants):
                cost = round(rng.uniform(cost_min, cost_max), 2)
                products.append(
                    {
                        "name": f"{item}, {variant}",
                        "code": f"{parent[:3].upper()}-{block:02d}{item_index:02d}"
                        f"{variant_index:02d}",
                        "parent": parent,
                        "child": child,
                        "uom": uom,
                        "po_uom": po_uom,
                        "lot": lot,
                        "cost": cost,
                        "price": round(cost * rng.uniform(1.25, 1.65), 2),
                        "supplier": supplier,
                        # ABC popularity: a few products make most of the sales
                        "popularity": rng.paretovariate(1.6),
                    }
                )
    return products


def plan_suppliers():
    return [
        {
            "name": name,
            "country": country,
            "lead": lead,
            "on_time": on_time,
            "lateness": lateness,
            "short": short,
        }
        for name, country, lead, on_time, lateness, short, _categories in SUPPLIERS
    ]


def plan_customers(rng):
    """60 customers: segment, home company, limits, terms, rebates, contracts."""
    by_company = {0: [], 1: [], 2: []}
    index = 0
    for code, _name, count, term, limit, rebate_range, weight in SEGMENTS:
        for position in range(count):
            # 2 of every 5 customers in each USD entity, 1 in the European one
            company = (0, 0, 1, 1, 2)[index % 5]
            index += 1
            by_company[company].append(
                {
                    "segment": code,
                    "company": company,
                    "term": term,
                    "term_days": PAYMENT_TERM_DAYS[term],
                    "credit_limit": round(limit * rng.uniform(0.6, 1.4), -3),
                    "rebate": round(rng.uniform(*rebate_range), 1)
                    if rebate_range
                    else 0.0,
                    "contract": code == "KEY"
                    or (code == "CHAIN" and position % 2 == 0),
                    "weight": weight,
                    # payment behaviour: days paid after the due date (negative: early)
                    "pay_delay": (
                        rng.choice([5, 12, 25, 40])
                        if code in ("IND", "FOOD") and rng.random() < 0.4
                        else rng.choice([-3, 0, 0, 2, 5])
                    ),
                }
            )
    # European places are the last 12 names of the list
    us_places = CUSTOMER_PLACES[:48]
    eu_places = CUSTOMER_PLACES[48:]
    customers = []
    us_index = eu_index = 0
    for company in (0, 1, 2):
        for customer in by_company[company]:
            if company == 2:
                place = eu_places[eu_index % len(eu_places)]
                eu_index += 1
            else:
                place = us_places[us_index % len(us_places)]
                us_index += 1
            countries = CUSTOMER_COUNTRIES[company]
            customer["country"] = countries[len(customers) % len(countries)]
            customer["name"] = f"{place} {CUSTOMER_SUFFIX[customer['segment']]}"
            customer["companies"] = [company]
            if customer["segment"] == "KEY" and company < 2:
                # key accounts buy from both US entities (group-wide exposure)
                customer["companies"].append(1 - company)
            customers.append(customer)
    return customers


def _target(rng, product, weight):
    low, high = TARGET_RANGE[product["uom"]]
    return max(5, int(rng.randint(low, high) * weight))


def plan_history(rng, products, customers, suppliers, horizon=HORIZON):
    """Opening stock and 6 months of dated events (days counted from the opening)."""
    warehouses = warehouse_specs()
    plan = {
        "horizon": horizon,
        "opening": [],
        "status_stock": [],
        "sales": [],
        "purchases": [],
        "transfers": [],
        "counts": [],
    }
    target = {}
    assortment = {}
    for wh_index, warehouse in enumerate(warehouses):
        share = 0.7 if warehouse["weight"] >= 1.0 else 0.35
        if warehouse["company"] == 2:
            share *= 0.8
        items = [
            p for p in range(len(products)) if rng.random() < share
        ]  # ordered by product index
        assortment[wh_index] = items
        for product_index in items:
            product = products[product_index]
            qty = _target(rng, product, warehouse["weight"])
            target[wh_index, product_index] = qty
            if product["lot"] and product_index % 2:
                first = math.ceil(qty * 0.4)
                plan["opening"].append(
                    (wh_index, product_index, first, f"{product['code']}-OPEN-A")
                )
                plan["opening"].append(
                    (wh_index, product_index, qty - first, f"{product['code']}-OPEN-B")
                )
            elif product["lot"]:
                plan["opening"].append(
                    (wh_index, product_index, qty, f"{product['code']}-OPEN-A")
                )
            else:
                plan["opening"].append((wh_index, product_index, qty, None))
        untracked = [p for p in items if not products[p]["lot"]]
        for status in ("quarantine", "damaged", "returns"):
            for product_index in rng.sample(untracked, 3):
                plan["status_stock"].append(
                    (wh_index, status, product_index, rng.randint(1, 6))
                )
    projected = dict(target)  # on hand + incoming, as the planner sees it

    # sales: orders spread uniformly over the period, weighted customers/products
    events = []
    for wh_index, warehouse in enumerate(warehouses):
        company = warehouse["company"]
        activity = EUROPE_ACTIVITY if company == 2 else 1.0
        count = round(SALES_PER_WAREHOUSE * warehouse["weight"] * activity)
        buyers = [i for i, c in enumerate(customers) if company in c["companies"]]
        buyer_weights = [customers[i]["weight"] for i in buyers]
        items = assortment[wh_index]
        item_weights = [products[p]["popularity"] for p in items]
        for _order in range(count):
            day = rng.randint(2, horizon - 2)
            customer = rng.choices(buyers, weights=buyer_weights)[0]
            lines = []
            chosen = set()
            for _line in range(rng.randint(2, 4)):
                product_index = rng.choices(items, weights=item_weights)[0]
                if product_index in chosen:
                    continue
                chosen.add(product_index)
                base = target[wh_index, product_index]
                lines.append(
                    (product_index, max(1, round(base * rng.uniform(0.1, 0.35))))
                )
            promise = rng.randint(2, 5)
            ship_lag = rng.choice([1, 1, 2, 2, 2, 3, 3, 4, 5, 7])
            events.append(
                {
                    "day": day,
                    "warehouse": wh_index,
                    "company": company,
                    "customer": customer,
                    "lines": lines,
                    "promise_days": promise,
                    "ship_day": day + ship_lag,
                }
            )
    events.sort(key=lambda e: (e["day"], e["warehouse"], e["customer"]))
    plan["sales"] = events

    # replenishment: weekly review per warehouse, suppliers with the largest deficit
    sales_by_day = {}
    for sale in events:
        sales_by_day.setdefault(sale["ship_day"], []).append(sale)
    incoming = {}
    for day in range(1, horizon):
        for sale in sales_by_day.get(day, []):
            for product_index, qty in sale["lines"]:
                key = (sale["warehouse"], product_index)
                projected[key] = projected[key] - qty
        for key, qty in incoming.pop(day, {}).items():
            projected[key] = projected[key] + qty
        for wh_index, warehouse in enumerate(warehouses):
            if (day - 3 - wh_index) % 7:
                continue
            deficits = {}
            for product_index in assortment[wh_index]:
                level = projected[wh_index, product_index]
                goal = target[wh_index, product_index]
                if level < 0.9 * goal:
                    supplier = products[product_index]["supplier"]
                    deficits.setdefault(supplier, []).append(
                        (product_index, goal - level, level < 0.6 * goal)
                    )
            # a supplier is ordered from when one of its products is below 60 %;
            # the order tops up its other products below 90 % too
            ranked = sorted(
                (
                    (supplier, lines)
                    for supplier, lines in deficits.items()
                    if any(line[2] for line in lines)
                ),
                key=lambda item: (-len(item[1]), item[0]),
            )[: 3 if warehouse["weight"] >= 1.0 else 2]
            for supplier_index, lines in ranked:
                supplier = suppliers[supplier_index]
                lines = sorted(lines, key=lambda line: -line[1])[:6]
                late = 0
                if rng.random() >= supplier["on_time"]:
                    late = max(1, round(rng.expovariate(1 / supplier["lateness"])))
                short = (
                    rng.choice([0.5, 0.7, 0.8, 0.9])
                    if rng.random() < supplier["short"]
                    else 1.0
                )
                planned = day + supplier["lead"]
                receipt = planned + late
                po_lines = []
                for product_index, deficit, _urgent in lines:
                    qty = math.ceil(deficit)
                    key = (wh_index, product_index)
                    projected[key] += qty  # counted as incoming from now on
                    po_lines.append((product_index, qty))
                plan["purchases"].append(
                    {
                        "day": day,
                        "warehouse": wh_index,
                        "company": warehouse["company"],
                        "supplier": supplier_index,
                        "lines": po_lines,
                        "planned_day": planned,
                        "receipt_day": receipt,
                        "short": short,
                        "bill_lag": rng.randint(0, 3),
                        "pay_lag": rng.randint(25, 35),
                    }
                )
        # inter-warehouse transfers, every two weeks per entity
        for company_index in range(3):
            if (day - 5 - 2 * company_index) % 14:
                continue
            main, second = 2 * company_index, 2 * company_index + 1
            lines = []
            for product_index in assortment[second]:
                need = target[second, product_index] - projected[second, product_index]
                spare = projected.get((main, product_index), 0) - 0.6 * target.get(
                    (main, product_index), 0
                )
                if need > 0.3 * target[second, product_index] and spare >= 1:
                    qty = math.floor(min(need, spare))
                    if qty >= 1:
                        lines.append((product_index, qty))
            lines = lines[:6]
            for product_index, qty in lines:
                projected[main, product_index] -= qty
                projected[second, product_index] += qty
            if lines:
                plan["transfers"].append(
                    {
                        "day": day,
                        "company": company_index,
                        "source": main,
                        "destination": second,
                        "lines": lines,
                    }
                )
        # cycle counts: every 14 days per warehouse, small variances
        for wh_index in range(len(warehouses)):
            if (day - 4 - wh_index) % 14:
                continue
            counted = rng.sample(assortment[wh_index], 4)
            plan["counts"].append(
                {
                    "day": day,
                    "warehouse": wh_index,
                    "lines": [
                        (product_index, rng.choice([-2, -1, -1, 0, 0, 0, 1, 2]))
                        for product_index in sorted(counted)
                    ],
                }
            )
    plan["purchases"].sort(key=lambda e: (e["day"], e["warehouse"], e["supplier"]))
    plan["assortment"] = assortment
    return plan
