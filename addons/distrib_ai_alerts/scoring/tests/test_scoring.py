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
        params = detectors.FIT[name](history)
        alerts = detectors.SCORE[name](params, new)
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
        alerts = detectors.SCORE[name](detectors.FIT[name](history), clean)
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


if __name__ == "__main__":
    unittest.main()
