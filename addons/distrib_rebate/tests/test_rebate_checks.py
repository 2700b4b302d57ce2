from odoo import Command
from odoo.tests import tagged

from .common import DistribRebateCommon


@tagged("post_install", "-at_install")
class TestRebateChecks(DistribRebateCommon):
    """The agreements feed the margin check, the price alerts and the
    dashboard."""

    def _order(self, price, quantity=1.0):
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "date_order": "2026-03-01 10:00:00",
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.tool.id,
                            "product_uom_qty": quantity,
                            "price_unit": price,
                            "tax_id": [Command.clear()],
                        }
                    ),
                    Command.create(
                        {
                            "product_id": self.part.id,
                            "product_uom_qty": quantity,
                            "price_unit": 10.0,
                            "tax_id": [Command.clear()],
                        }
                    ),
                ],
            }
        )

    # ------------------------------------------------------------------
    # 5a. margin check
    # ------------------------------------------------------------------
    def test_margin_check_uses_the_agreement_rate(self):
        self.customer.with_company(self.company).distrib_rebate_percent = 1.0
        self.company.write(
            {"distrib_margin_check": True, "distrib_min_margin_percent": 30.0}
        )
        self._agreement(
            scope="product",
            product_ids=[Command.set(self.tool.ids)],
            tiers=((0.0, 5.0), (100000.0, 12.0)),
        )
        order = self._order(price=1000.0)
        tool_line, part_line = order.order_line
        # the agreement's current tier for the tool, the flat rebate elsewhere
        self.assertEqual(order._distrib_line_rebate_percent(tool_line), 5.0)
        self.assertEqual(order._distrib_line_rebate_percent(part_line), 1.0)
        # 1000 - 50 rebate - 600 cost = 35 %: passes
        self.assertIsNone(order._distrib_check_margin())
        # the customer crosses 100,000: 12 % of rebate leaves 28 %
        self._invoice(120000.0, date="2026-02-01")
        self.assertEqual(order._distrib_line_rebate_percent(tool_line), 12.0)
        failure = order._distrib_check_margin()
        self.assertIn("RB Drill 28.0%", failure["message"])
        # not opted in: the flat percent again
        self.company.distrib_rebate_enabled = False
        self.assertEqual(order._distrib_line_rebate_percent(tool_line), 1.0)

    def test_margin_check_queries_do_not_grow_with_lines(self):
        self._agreement()
        self.company.write(
            {"distrib_margin_check": True, "distrib_min_margin_percent": 1.0}
        )
        small = self._order(price=1000.0)
        big = self._order(price=1000.0)
        big.order_line = [
            Command.create(
                {"product_id": self.part.id, "product_uom_qty": 1.0, "price_unit": 10.0}
            )
            for _i in range(10)
        ]
        self.env.invalidate_all()
        with _Counter(self) as small_count:
            small._distrib_line_rebate_percent(small.order_line[0])
            small._distrib_rebate_line_rates()
        self.env.invalidate_all()
        with _Counter(self) as big_count:
            big._distrib_line_rebate_percent(big.order_line[0])
            big._distrib_rebate_line_rates()
        self.assertLessEqual(big_count.count, small_count.count + 2)

    # ------------------------------------------------------------------
    # 5b. price alerts
    # ------------------------------------------------------------------
    def test_price_alert_flags_a_departure_from_the_agreement(self):
        self.company.distrib_ai_price_check = True
        agreement = self._agreement(discount_tolerance=5.0)
        for _i in range(8):
            self._invoice(10000.0, date="2026-01-15")
        model = self.env["distrib.ai.model"]._get_model(self.company, "price")
        model._train()
        # the detector reads the agreement's rate as the invoice's rebate
        line = self._invoice(10000.0, date="2026-02-01", discount=3.0).invoice_line_ids
        rows = [(line.id, self.customer.id)]
        self.assertEqual(model._price_rebate_rates(rows), {line.id: 2.0})
        self.assertFalse(model._score().filtered(lambda a: a.res_id == line.id))
        # an invoice discount of 15 % on top of the 2 % rebate: flagged
        line = self._invoice(10000.0, date="2026-02-02", discount=15.0).invoice_line_ids
        alerts = model._score().filtered(lambda a: a.res_id == line.id)
        self.assertEqual(len(alerts), 1)
        self.assertIn(
            "effective rebate 16.7% (an invoice discount of 15.0% on top of the "
            "rebate) departs from the 2.0% of agreement RB Agreement",
            alerts.explanation,
        )
        self.assertEqual(alerts.exception_id.exception_type, "anomaly")
        # customers without agreement keep the flat percent
        other = self.env["res.partner"].create({"name": "Flat", "is_company": True})
        other.with_company(self.company).distrib_rebate_percent = 4.0
        flat = self._invoice(1000.0, partner=other).invoice_line_ids
        self.assertEqual(
            model._price_rebate_rates([(flat.id, other.id)]), {flat.id: 4.0}
        )
        self.assertTrue(agreement)

    # ------------------------------------------------------------------
    # 6. dashboard
    # ------------------------------------------------------------------
    def test_dashboard_tile_opens_the_accrued_rebates(self):
        self._agreement()
        self._invoice(10000.0)
        kpis = self.env["distrib.kpi.dashboard"].get_kpis()
        [tile] = [t for t in kpis["tiles"] if t["key"] == "rebate_accrual"]
        self.assertEqual(tile["label"], "Rebate accrual")
        self.assertGreaterEqual(tile["value"], 200.0)
        action = kpis["actions"]["rebate_accrual"]
        self.assertEqual(action["res_model"], "distrib.rebate.accrual")
        self.assertEqual(action["views"][0][1], "pivot")
        self.company.distrib_rebate_enabled = False
        kpis = self.env["distrib.kpi.dashboard"].get_kpis()
        self.assertFalse([t for t in kpis["tiles"] if t["key"] == "rebate_accrual"])


class _Counter:
    """Count the SQL queries of a block."""

    def __init__(self, case):
        self.cr = case.env.cr
        self.count = 0

    def __enter__(self):
        self.start = self.cr.sql_log_count
        return self

    def __exit__(self, *exc):
        self.count = self.cr.sql_log_count - self.start
