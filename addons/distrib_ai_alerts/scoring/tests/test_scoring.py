"""Plain-Python tests of the scoring core (no database):
``python3 -m pytest addons/distrib_ai_alerts/scoring/tests``."""

import os
import sys
import unittest

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))

from scoring import detectors, explain, synthetic
from scoring.robust import GroupModel, group_medians, recent_mask


def _quality(alerts, planted):
    found = {alert["id"] for alert in alerts}
    hits = len(found & planted)
    return hits / max(len(found), 1), hits / max(len(planted), 1)


class TestRobust(unittest.TestCase):
    def test_group_medians(self):
        medians, counts = group_medians([0, 0, 0, 1, 1], [3.0, 1.0, 2.0, 5.0, 7.0], 3)
        self.assertEqual(medians[:2].tolist(), [2.0, 6.0])
        self.assertTrue(np.isnan(medians[2]))
        self.assertEqual(counts.tolist(), [3, 2, 0])

    def test_recent_mask_keeps_last_per_key(self):
        mask = recent_mask([1, 1, 1, 2], [10, 30, 20, 5], 2)
        self.assertEqual(mask.tolist(), [False, True, True, True])

    def test_small_group_shrinks_to_parent(self):
        # product 1: nine customers at 100, one customer with a single line at 50
        child = [10 + i for i in range(9) for _ in range(5)] + [99]
        values = [100.0] * 45 + [50.0]
        model = GroupModel.fit(child, [1] * 46, values, prior=3.0, floor=1.0)
        centre, _scale, _count, level = model.lookup([99, 12345], [1, 1])
        self.assertEqual(level.tolist(), [2, 1])
        self.assertGreaterEqual(centre[0], 74.9)  # pulled back towards 100
        self.assertEqual(centre[1], 100.0)
        restored = GroupModel.from_json(model.to_json())
        self.assertAlmostEqual(restored.lookup([99], [1])[0][0], centre[0], places=5)


class TestDetectors(unittest.TestCase):
    def _check(self, name, maker, **kwargs):
        history, new, planted = maker(seed=7, history=20_000, new=20_000, **kwargs)
        params = detectors.DETECTORS[name].fit(history)
        alerts = detectors.DETECTORS[name].score(params, new)
        precision, recall = _quality(alerts, planted)
        self.assertGreaterEqual(precision, 0.9, name)
        self.assertGreaterEqual(recall, 0.8, name)
        for alert in alerts:
            self.assertTrue(alert["reasons"])
            self.assertIn(alert["severity"], ("low", "medium", "high", "critical"))
        # clean data: no planted case, (almost) no alert
        history, clean, planted = maker(
            seed=8, history=20_000, new=20_000, rate=0.0, **kwargs
        )
        self.assertFalse(planted)
        alerts = detectors.DETECTORS[name].score(
            detectors.DETECTORS[name].fit(history), clean
        )
        self.assertLess(len(alerts), 20_000 * 0.001, name)

    def test_price(self):
        self._check("price", synthetic.make_price, customers=100, products=300)

    def test_inventory(self):
        self._check("inventory", synthetic.make_inventory, products=500)

    def test_transfer(self):
        self._check("transfer", synthetic.make_transfer, products=400)

    def test_price_explanation(self):
        history = {
            "id": np.arange(1, 13),
            "partner": [1] * 12,
            "product": [2] * 12,
            "price": [100.0] * 12,
            "discount": [0.0] * 12,
            "date": np.arange(12),
        }
        params = detectors.fit_price(history)
        new = {
            "id": [20, 21],
            "partner": [1, 1],
            "product": [2, 2],
            "price": [59.0, 101.0],
            "discount": [0.0, 0.0],
            "quantity": [10.0, 10.0],
            "contract_price": [np.nan, np.nan],
        }
        alerts = detectors.score_price(params, new)
        self.assertEqual([a["id"] for a in alerts], [20])
        text = explain(alerts[0]["reasons"])
        self.assertIn(
            "unit price 41% below this customer's last 12 invoices for this product",
            text,
        )
        self.assertIn("no contract price", text)
        self.assertAlmostEqual(alerts[0]["impact"], 410.0, delta=1.0)

    def test_late_risk(self):
        (receipts, throughput), lines, planted = synthetic.make_late_risk(
            seed=3, orders=2000
        )
        params = detectors.fit_late_risk(receipts, throughput)
        alerts = detectors.score_late_risk(params, lines)
        precision, recall = _quality(alerts, planted)
        self.assertGreaterEqual(precision, 0.9)
        self.assertGreaterEqual(recall, 0.8)
        (receipts, throughput), lines, planted = synthetic.make_late_risk(
            seed=3, orders=2000, rate=0.0
        )
        self.assertFalse(detectors.score_late_risk(params, lines))


class TestLateRisk(unittest.TestCase):
    """The warehouse's capacity and a line's place in its queue."""

    def _params(self, capacity=8.0):
        throughput = {
            # warehouse 1: quiet days at the pace orders came, two busy days,
            # weekends without shipments
            "warehouse": [1] * 12,
            "done": [1, 2, 1, 1, 2, 0, 0, 1, 2, capacity, capacity, 1],
        }
        receipts = {"supplier": [7] * 10, "days_late": [6.0] * 10}
        return detectors.fit_late_risk(receipts, throughput)

    def _lines(self, rows):
        names = ("id", "promise", "ahead", "short", "supplier", "receipt")
        columns = {name: [row[i] for row in rows] for i, name in enumerate(names)}
        size = len(rows)
        columns.update(
            warehouse=[1] * size, quantity=[10.0] * size, amount=[100.0] * size
        )
        return columns

    def test_capacity_from_daily_counts(self):
        warehouse = [1] * 12 + [2] * 2 + [3] * 2
        done = [1, 2, 1, 1, 2, 0, 0, 1, 2, 8, 9, 1, 1, 1, 0, 0]
        keys, capacity, days = detectors.shipping_capacity(warehouse, done)
        # warehouse 3 never shipped: no capacity; 2 ships one a day (the floor)
        self.assertEqual(keys.tolist(), [1, 2])
        self.assertEqual(days.tolist(), [10, 2])
        busy = np.array([1, 2, 1, 1, 2, 1, 2, 8, 9, 1], dtype=float)
        self.assertAlmostEqual(capacity[0], np.quantile(busy, 0.9))
        self.assertGreater(capacity[0], 8.0)
        self.assertEqual(capacity[1], 1.0)
        # the capacity, not the throughput (28 moves in 12 days, 2.3 a day)
        params = self._params()
        self.assertEqual(params["version"], detectors.DETECTORS["late_risk"].version)
        self.assertAlmostEqual(params["warehouse_capacity"]["1"], 8.0, delta=0.01)
        self.assertEqual(params["warehouse_days"]["1"], 10)
        floor = detectors.shipping_capacity([5, 5], [0.4, 0.2], floor=1.0)[1]
        self.assertEqual(floor.tolist(), [1.0])

    def test_queue_position_not_whole_backlog(self):
        nan = np.nan
        lines = self._lines(
            [
                # id, promise, ahead, short, supplier, receipt
                (1, 1.0, 3, 0.0, -1, nan),  # early in the queue: ready today
                (2, 2.0, 12, 0.0, -1, nan),  # 1.5 days of work, due in 2
                (3, 2.0, 40, 0.0, -1, nan),  # far behind: 5 days of work
                (4, -3.0, 2, 0.0, -1, nan),  # past its promise
                (5, 5.0, nan, 0.0, -1, nan),  # no delivery pending, due later
                (6, -10.0, nan, 0.0, -1, nan),  # idem, long overdue
                (7, 4.0, 5, 4.0, 7, 2.0),  # waits on a late supplier
            ]
        )
        alerts = detectors.score_late_risk(self._params(), lines)
        by_id = {alert["id"]: alert for alert in alerts}
        self.assertEqual(sorted(by_id), [3, 4, 6, 7])
        far = explain(by_id[3]["reasons"])
        self.assertIn(
            "40 moves ahead of it in the warehouse (its own included), which ships "
            "up to 8.0 a day: 5.0 days of work",
            far,
        )
        self.assertIn("expected ready in 5.0 days, promised in 2 days", far)
        self.assertAlmostEqual(by_id[3]["value"], 3.0)
        self.assertEqual(by_id[3]["severity"], "medium")
        # the real lateness of an overdue line: its days past the promise plus
        # the queue before it
        self.assertAlmostEqual(by_id[4]["value"], 3.25)
        self.assertEqual(
            explain(by_id[4]["reasons"]),
            "promised 3.0 days ago and not delivered yet (3.2 days late)",
        )
        self.assertEqual(
            explain(by_id[6]["reasons"]),
            "no delivery pending in the warehouse for the 10.00 units still to "
            "deliver; promised 10.0 days ago and not delivered yet (10.0 days late)",
        )
        self.assertEqual(by_id[6]["severity"], "critical")
        supplier = explain(by_id[7]["reasons"])
        self.assertIn("waits on a receipt from 7 due in 2 days", supplier)
        self.assertNotIn("moves ahead", supplier)

    def test_parameters_without_capacity(self):
        # a model trained before capacities (version 1) or a warehouse that
        # never shipped: the queue is not measured, the promise still counts
        params = self._params()
        params.pop("warehouse_capacity")
        lines = self._lines([(1, 1.0, 400, 0.0, -1, np.nan), (2, -2.0, 1, 0, -1, 0)])
        alerts = detectors.score_late_risk(params, lines)
        self.assertEqual([alert["id"] for alert in alerts], [2])
        self.assertAlmostEqual(alerts[0]["value"], 2.0)


if __name__ == "__main__":
    unittest.main()


class TestIssue16Cores(unittest.TestCase):
    """Issue #16: the transfer reference and the collections risk."""

    def test_transfer_reference_for_sparse_routes(self):
        reference = {
            "product": [1] * 9 + [2] * 4,
            "quantity": [20, 18, 25, 22, 19, 30, 21, 24, 23, 5, 6, 5, 4],
        }
        history = {
            "id": [1],
            "product": [1],
            "source": [1],
            "destination": [2],
            "quantity": [20.0],
            "reference": reference,
        }
        params = detectors.fit_transfer(history)
        self.assertEqual(params["version"], detectors.TRANSFER_VERSION)
        new = {
            "id": [10, 11, 12, 13],
            "product": [1, 1, 1, 3],
            "source": [1, 1, 2, 1],
            "destination": [2, 2, 1, 2],
            "quantity": [40.0, 450.0, 2.0, 1000.0],
            "unit_cost": [1.0] * 4,
        }
        alerts = detectors.score_transfer(params, new)
        self.assertEqual([a["id"] for a in alerts], [11])
        self.assertIn("a move for this product", explain(alerts[0]["reasons"]))

    def test_transfer_without_reference_nor_history(self):
        empty = {k: [] for k in ("id", "product", "source", "destination")}
        params = detectors.fit_transfer(
            dict(empty, quantity=[], reference={"product": [], "quantity": []})
        )
        new = dict(
            {k: [1] for k in ("id", "product", "source", "destination")},
            quantity=[0.0],
            unit_cost=[0.0],
        )
        self.assertEqual(detectors.score_transfer(params, new), [])

    def test_collections_risk(self):
        from scoring.collection import (
            explain_collection,
            fit_collections,
            score_collections,
        )

        params = fit_collections(
            {
                "partner": [1] * 6 + [2] * 6,
                "days_late": [45] * 6 + [0] * 6,
                "payments": [1] * 12,
            }
        )
        found = score_collections(
            params,
            {
                "partner": [2, 1, 3, 4],
                "overdue": [1000.0, 2000.0, 300.0, 0.0],
                "count": [1, 2, 1, 0],
                "oldest": [5, 90, 10, 0],
                "disputes": [0, 0, 1, 0],
            },
        )
        self.assertEqual([f["partner"] for f in found], [1, 2, 3])
        self.assertGreater(found[0]["probability"], 0.8)
        text = explain_collection(found[0]["reasons"])
        self.assertIn("paid 100% of its invoices more than 30 days late", text)
        self.assertIn("no paid invoice yet", explain_collection(found[2]["reasons"]))
        # no history at all: the company prior, no error
        empty = fit_collections({"partner": [], "days_late": [], "payments": []})
        self.assertEqual(
            len(
                score_collections(
                    empty,
                    {
                        "partner": [1],
                        "overdue": [10.0],
                        "count": [1],
                        "oldest": [3],
                        "disputes": [0],
                    },
                )
            ),
            1,
        )


class TestStockoutCore(unittest.TestCase):
    def test_probability_and_proposals(self):
        from scoring.stockout import (
            explain_stockout,
            score_stockout,
            stockout_probability,
        )

        self.assertLess(stockout_probability(10, 2, 3), 0.1)
        self.assertGreater(stockout_probability(10, 2, 10), 0.9)
        self.assertEqual(stockout_probability(5, 0, 10), 0.0)
        self.assertEqual(stockout_probability(-1, 1, 10), 1.0)
        self.assertEqual(stockout_probability(10**6, 1, 10), 0.0)
        base = {
            "available": 5.0,
            "rate": 2.0,
            "receipt_days": None,
            "lead": 7,
            "late": 2,
            "supplier": "ACME",
            "orderpoint": None,
        }
        rows = [
            dict(base, key="donor", excess=[("North", 500.0)]),
            dict(base, key="buy", excess=[("North", 3.0)]),
            dict(base, key="rule", excess=[], orderpoint=(1.0, 2.0)),
            dict(base, key="fine", available=500.0, excess=[]),
            dict(base, key="idle", rate=0.0, excess=[]),
        ]
        found = {f["key"]: f for f in score_stockout(rows)}
        self.assertEqual(set(found), {"donor", "buy", "rule"})
        self.assertEqual(found["donor"]["proposal"]["kind"], "transfer")
        self.assertEqual(found["buy"]["proposal"]["kind"], "purchase")
        self.assertEqual(found["rule"]["proposal"]["kind"], "minmax")
        reasons, proposal = explain_stockout(found["donor"])
        self.assertIn("2.5 days of cover", reasons)
        self.assertIn("transfer", proposal)
        self.assertIn("North", proposal)

    def test_options_ranked_by_cost_and_by_choices(self):
        from scoring.stockout import explain_stockout, raised_threshold, score_stockout

        row = {
            "key": "k",
            "available": 5.0,
            "rate": 2.0,
            "receipt_days": None,
            "lead": 7,
            "late": 0,
            "supplier": "ACME",
            "orderpoint": (1.0, 2.0),
            "excess": [("North", 500.0)],
            "group": [("Atlas West", "West", 500.0), ("Atlas EU", "EU", 1.0)],
            "intercompany": True,
        }
        (item,) = score_stockout([row])
        self.assertEqual(
            [o["kind"] for o in item["options"]],
            ["transfer", "group", "minmax", "purchase"],
        )
        group = item["options"][1]
        self.assertEqual((group["company"], group["source"]), ("Atlas West", "West"))
        # the kind chosen last time first, said in words
        (item,) = score_stockout([dict(row, preferred="purchase")])
        self.assertEqual(item["proposal"]["kind"], "purchase")
        reasons, _proposal = explain_stockout(item)
        self.assertIn("a purchase ranked first", reasons)
        # a preferred kind that is not possible changes nothing
        (item,) = score_stockout([dict(row, excess=[], preferred="transfer")])
        self.assertEqual(item["proposal"]["kind"], "group")
        _reasons, proposal = explain_stockout(item)
        self.assertIn("at the intercompany price", proposal)
        (item,) = score_stockout([dict(row, excess=[], intercompany=False)])
        self.assertIn("Intercompany is not installed", explain_stockout(item)[1])
        # dismissals raise the pair's threshold
        self.assertEqual(raised_threshold(0.5, 0), 0.5)
        self.assertEqual(raised_threshold(0.5, 1), 0.75)
        self.assertEqual(raised_threshold(0.5, 2), 0.875)
        twelve = dict(row, available=12.0)  # 64% over 7 days
        self.assertEqual(len(score_stockout([twelve])), 1)
        self.assertEqual(score_stockout([dict(twelve, dismissed=1)]), [])

    def test_bad_input(self):
        from scoring.stockout import score_stockout

        base = {
            "receipt_days": None,
            "lead": 0,
            "late": None,
            "supplier": None,
            "orderpoint": None,
            "excess": [],
        }
        rows = [
            # zero quantities: no demand, no stock, an empty receipt
            dict(base, key="zero", available=0.0, rate=0.0, receipt_qty=0.0),
            # one data point: one delivery of 60 units over 60 days, no stock,
            # no supplier (a day of horizon at least)
            dict(base, key="one", available=0.0, rate=1.0),
            # more promised than in stock
            dict(base, key="negative", available=-3.0, rate=0.5),
            # a receipt already overdue
            dict(base, key="overdue", available=0.0, rate=1.0, receipt_days=-4.0),
        ]
        found = {f["key"]: f for f in score_stockout(rows)}
        self.assertEqual(set(found), {"one", "negative", "overdue"})
        self.assertEqual(found["one"]["proposal"]["kind"], "purchase")
        self.assertEqual(
            found["one"]["proposal"]["params"]["supplier"], "the usual supplier"
        )
        self.assertEqual(found["negative"]["probability"], 1.0)
        self.assertEqual(found["negative"]["cover"], 0.0)
