"""Synthetic company history with planted anomalies and late orders.

Deterministic for a seed; numpy only. Used by the evaluation harness
(``tests/bench/bench_ai_alerts.py``) and by the plain-Python tests. Each
``make_*`` returns ``(history, new, planted)``: columns to train on, columns to
score, and the ids of ``new`` that were planted as anomalies.
"""

import numpy as np


def _base(rng, n_products):
    return np.exp(rng.normal(3.0, 1.0, n_products))


def make_price(
    seed=42, history=100_000, new=100_000, customers=400, products=1000, rate=0.005
):
    rng = np.random.default_rng(seed)
    base = _base(rng, products)
    segment_factor = rng.choice([0.85, 0.9, 0.95, 1.0], customers)
    customer_factor = segment_factor * rng.uniform(0.98, 1.02, customers)
    customer_discount = rng.choice([0.0, 0.0, 0.0, 5.0, 10.0], customers)
    # each customer buys from a set of products
    product_pool = rng.integers(0, products, size=(customers, 40))

    def lines(n, start_id, start_day, days, plant_rate):
        cust = rng.integers(0, customers, n)
        prod = product_pool[cust, rng.integers(0, 40, n)]
        price = base[prod] * customer_factor[cust] * rng.normal(1.0, 0.01, n)
        discount = customer_discount[cust].copy()
        # promotions: a few points more, now and then
        promo = rng.random(n) < 0.03
        discount[promo] += rng.choice([2.0, 3.0], promo.sum())
        quantity = rng.integers(1, 50, n).astype(float)
        contract = np.full(n, np.nan)
        has_contract = (cust * 7 + prod) % 10 == 0
        contract[has_contract] = np.round(
            base[prod[has_contract]] * customer_factor[cust[has_contract]] * 0.97, 2
        )
        price[has_contract] = contract[has_contract] / (
            1 - discount[has_contract] / 100.0
        )
        planted = rng.random(n) < plant_rate
        kind = rng.integers(0, 3, n)
        cut = planted & (kind == 0)
        price[cut] *= rng.uniform(0.4, 0.7, cut.sum())
        rise = planted & (kind == 1)
        price[rise] *= rng.uniform(1.4, 2.0, rise.sum())
        disc = planted & (kind == 2)
        discount[disc] += rng.uniform(20.0, 40.0, disc.sum())
        ids = np.arange(start_id, start_id + n)
        cols = {
            "id": ids,
            "partner": cust + 1,
            "product": prod + 1,
            "price": np.round(price, 2),
            "discount": discount,
            "quantity": quantity,
            "contract_price": contract,
            "date": start_day + rng.integers(0, days, n),
        }
        return cols, set(ids[planted].tolist())

    hist, _hist_planted = lines(history, 1, 0, 700, rate)
    fresh, planted = lines(new, history + 1, 700, 30, rate)
    return hist, fresh, planted


def make_inventory(
    seed=43, history=100_000, new=100_000, products=2000, locations=4, rate=0.005
):
    rng = np.random.default_rng(seed)
    spread = rng.uniform(1.0, 8.0, products)
    cost = _base(rng, products)

    def lines(n, start_id, plant_rate):
        prod = rng.integers(0, products, n)
        loc = rng.integers(0, locations, n)
        qty = np.round(rng.normal(0.0, spread[prod]))
        zero = qty == 0
        qty[zero] = rng.choice([-1.0, 1.0], zero.sum())
        hour = rng.integers(7, 19, n)
        weekday = rng.integers(0, 5, n)
        planted = rng.random(n) < plant_rate
        kind = rng.integers(0, 2, n)
        big = planted & (kind == 0)
        qty[big] = np.round(
            spread[prod[big]] * rng.uniform(25, 60, big.sum())
        ) * rng.choice([-1, 1], big.sum())
        odd = planted & (kind == 1)
        hour[odd] = rng.integers(1, 5, odd.sum())
        weekday[odd] = rng.integers(5, 7, odd.sum())
        # an off-hours adjustment worth planting moves more than usual
        qty[odd] = np.round(spread[prod[odd]] * rng.uniform(2.0, 3.0, odd.sum()))
        ids = np.arange(start_id, start_id + n)
        cols = {
            "id": ids,
            "product": prod + 1,
            "location": loc + 1,
            "quantity": qty,
            "unit_cost": cost[prod],
            "hour": hour,
            "weekday": weekday,
        }
        return cols, set(ids[planted].tolist())

    hist, _hist_planted = lines(history, 1, rate / 5)
    fresh, planted = lines(new, history + 1, rate)
    return hist, fresh, planted


def make_transfer(seed=44, history=50_000, new=50_000, products=1500, rate=0.005):
    rng = np.random.default_rng(seed)
    warehouses = np.arange(1, 7)
    # every warehouse is fed by its hub (1 for 2-3, 4 for 5-6) and returns to it
    normal_routes = np.array([(1, 2), (1, 3), (2, 1), (4, 5), (4, 6), (5, 4), (1, 4)])
    unused = np.array(
        [
            (a, b)
            for a in warehouses
            for b in warehouses
            if a != b
            and not ((normal_routes[:, 0] == a) & (normal_routes[:, 1] == b)).any()
        ]
    )
    typical = np.exp(rng.uniform(1.0, 4.0, products))
    cost = _base(rng, products)

    def lines(n, start_id, plant_rate):
        prod = rng.integers(0, products, n)
        route = normal_routes[rng.integers(0, len(normal_routes), n)]
        qty = np.maximum(np.round(typical[prod] * rng.lognormal(0.0, 0.25, n)), 1.0)
        planted = rng.random(n) < plant_rate
        kind = rng.integers(0, 2, n)
        big = planted & (kind == 0)
        qty[big] = np.round(typical[prod[big]] * rng.uniform(15, 40, big.sum()))
        odd = planted & (kind == 1)
        route = route.copy()
        route[odd] = unused[rng.integers(0, len(unused), odd.sum())]
        ids = np.arange(start_id, start_id + n)
        cols = {
            "id": ids,
            "product": prod + 1,
            "source": route[:, 0],
            "destination": route[:, 1],
            "quantity": qty,
            "unit_cost": cost[prod],
            "cross_company": (route[:, 0] <= 3) != (route[:, 1] <= 3),
        }
        return cols, set(ids[planted].tolist())

    hist, _hist_planted = lines(history, 1, 0.0)
    fresh, planted = lines(new, history + 1, rate)
    return hist, fresh, planted


def make_late_risk(seed=45, receipts=20_000, orders=5_000, rate=0.1):
    """History of receipts (some suppliers chronically late) and of the
    outgoing moves each warehouse did per day (quiet days at the pace orders
    came, busy days up to its capacity, nothing on weekends); open order lines,
    each at a position in its warehouse's queue of pending deliveries, ``rate``
    of them planted to be late (no supply, a late supplier's receipt just before
    the promise, far behind in a queue the warehouse cannot clear in time, or
    already past the promise), the others with a clear margin: most of them are
    due within the days the whole queue takes at the warehouse's average pace."""
    rng = np.random.default_rng(seed)
    suppliers = 60
    chronic = rng.random(suppliers) < 0.2
    mean_late = np.where(
        chronic, rng.uniform(5, 12, suppliers), rng.uniform(-1, 1, suppliers)
    )
    sup = rng.integers(0, suppliers, receipts)
    late = np.round(rng.normal(mean_late[sup], 1.5))
    receipt_history = {"supplier": sup + 1, "days_late": late}
    warehouses = 6
    capacity = rng.uniform(30, 120, warehouses)
    days = 90
    wh = np.repeat(np.arange(warehouses), days)
    weekday = np.tile(np.arange(days) % 7, warehouses)
    busy = rng.random(len(wh)) < 0.2
    load = np.where(
        busy, rng.uniform(0.9, 1.0, len(wh)), rng.uniform(0.1, 0.5, len(wh))
    )
    done = np.where(weekday < 5, np.round(capacity[wh] * load), 0.0)
    throughput = {"warehouse": wh + 1, "done": done}
    # pending deliveries: one to four days of work at capacity
    queue = np.round(capacity * rng.uniform(1.0, 4.0, warehouses))

    n = orders
    w = rng.integers(0, warehouses, n)
    s = rng.integers(0, suppliers, n)
    qty = rng.integers(1, 100, n).astype(float)
    short = np.where(rng.random(n) < 0.4, np.round(qty * rng.uniform(0.1, 1.0, n)), 0.0)
    receipt = np.where(short > 0, rng.integers(1, 15, n).astype(float), np.nan)
    ahead = np.ceil(queue[w] * rng.random(n))
    ahead = np.maximum(ahead, 1.0)
    queue_days = ahead / capacity[w]
    p80_true = mean_late + 1.5 * 0.84
    worst = np.where(
        short > 0,
        np.maximum(queue_days, receipt + np.maximum(p80_true[s], 0) + 1),
        queue_days,
    )
    promise = np.ceil(worst + rng.uniform(2.5, 10.0, n))
    planted = rng.random(n) < rate
    # a few lines have no delivery pending (cancelled backorder), due later
    no_delivery = ~planted & (short == 0) & (rng.random(n) < 0.03)
    ahead[no_delivery] = np.nan
    kind = rng.integers(0, 4, n)
    # 0: short with no incoming supply
    k0 = planted & (kind == 0)
    short[k0] = np.maximum(np.round(qty[k0] * 0.5), 1.0)
    receipt[k0] = np.nan
    promise[k0] = rng.integers(3, 15, k0.sum())
    # 1: a chronically late supplier's receipt right before the promise
    k1 = planted & (kind == 1)
    s[k1] = rng.choice(np.nonzero(chronic)[0], k1.sum())
    short[k1] = np.maximum(np.round(qty[k1] * 0.5), 1.0)
    receipt[k1] = rng.integers(2, 10, k1.sum()).astype(float)
    promise[k1] = receipt[k1] + 1
    # 2: far behind in the queue (several days of work), promise in 1-2 days,
    # all in stock
    k2 = planted & (kind == 2)
    short[k2] = 0.0
    receipt[k2] = np.nan
    ahead[k2] = np.round(capacity[w[k2]] * rng.uniform(4.0, 8.0, k2.sum()))
    promise[k2] = rng.integers(1, 3, k2.sum()).astype(float)
    # 3: already past its promise, early in the queue or with no delivery
    # pending, all in stock
    k3 = planted & (kind == 3)
    short[k3] = 0.0
    receipt[k3] = np.nan
    ahead[k3] = np.where(
        rng.random(k3.sum()) < 0.2, np.nan, rng.integers(1, 10, k3.sum())
    )
    promise[k3] = -rng.uniform(1.0, 20.0, k3.sum())
    ids = np.arange(1, n + 1)
    lines = {
        "id": ids,
        "warehouse": w + 1,
        "promise": promise,
        "quantity": qty,
        "short": short,
        "supplier": np.where(short > 0, s + 1, -1),
        "receipt": receipt,
        "ahead": ahead,
        "amount": qty * 20.0,
    }
    return (receipt_history, throughput), lines, set(ids[planted].tolist())
