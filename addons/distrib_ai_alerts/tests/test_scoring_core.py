from odoo.tests import BaseCase, tagged

from ..scoring import detectors, explain, synthetic


@tagged("post_install", "-at_install")
class TestScoringCore(BaseCase):
    """The scoring core on generated history: it finds the planted cases and
    stays quiet on clean data (the full figures: tests/bench/bench_ai_alerts.py)."""

    def _quality(self, alerts, planted):
        found = {alert["id"] for alert in alerts}
        hits = len(found & planted)
        return hits / max(len(found), 1), hits / max(len(planted), 1)

    def test_planted_cases_found_clean_data_quiet(self):
        makers = {
            "price": (synthetic.make_price, {"customers": 40, "products": 200}),
            "inventory": (synthetic.make_inventory, {"products": 300}),
            "transfer": (synthetic.make_transfer, {"products": 400}),
        }
        for name, (maker, kwargs) in makers.items():
            with self.subTest(detector=name):
                history, new, planted = maker(
                    seed=11, history=10_000, new=10_000, **kwargs
                )
                params = detectors.DETECTORS[name].fit(history)
                alerts = detectors.DETECTORS[name].score(params, new)
                precision, recall = self._quality(alerts, planted)
                self.assertGreaterEqual(precision, 0.9)
                self.assertGreaterEqual(recall, 0.8)
                self.assertTrue(all(explain(a["reasons"]) for a in alerts))
                history, clean, _planted = maker(
                    seed=12, history=10_000, new=10_000, rate=0.0, **kwargs
                )
                quiet = detectors.DETECTORS[name].score(
                    detectors.DETECTORS[name].fit(history), clean
                )
                self.assertLessEqual(len(quiet), 10)

    def test_late_risk_planted(self):
        (receipts, throughput), lines, planted = synthetic.make_late_risk(
            seed=5, orders=1000
        )
        params = detectors.fit_late_risk(receipts, throughput)
        alerts = detectors.score_late_risk(params, lines)
        precision, recall = self._quality(alerts, planted)
        self.assertGreaterEqual(precision, 0.9)
        self.assertGreaterEqual(recall, 0.8)
