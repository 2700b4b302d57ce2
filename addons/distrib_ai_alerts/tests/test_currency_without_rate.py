from odoo import Command
from odoo.tests import tagged

from .common import DistribAiCommon


@tagged("post_install", "-at_install")
class TestCurrencyWithoutRate(DistribAiCommon):
    """Issue #16, bad input: an invoice or an order in a currency that has no
    rate in the company. Odoo converts it at 1 (its rule for a currency
    without rate); every detector that converts amounts works on that figure,
    without error, and still tells a gross case from a usual one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.no_rate = cls.env["res.currency"].create(
            {"name": "ZZN", "symbol": "Z", "rounding": 0.01}
        )
        cls.pricelist = cls.env["product.pricelist"].create(
            {"name": "ZZN prices", "currency_id": cls.no_rate.id}
        )
        cls._invoice([100.0, 101.0, 99.0, 100.0, 100.5, 99.5, 100.0, 101.0])
        cls.model = cls._model("price")
        cls.model._train()

    def test_the_currency_has_no_rate(self):
        self.assertFalse(
            self.env["res.currency.rate"].search(
                [("currency_id", "=", self.no_rate.id)]
            )
        )

    def _foreign_invoices(self, prices):
        invoices = self.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "currency_id": self.no_rate.id,
                    "invoice_date": "2026-02-01",
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "quantity": 10,
                                "price_unit": price,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
                for price in prices
            ]
        )
        invoices.action_post()
        return invoices

    def _foreign_order(self, price):
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "pricelist_id": self.pricelist.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 10,
                            "price_unit": price,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )

    def test_price_detector_on_posted_invoices(self):
        usual, gross = self._foreign_invoices([100.0, 59.0])
        self.assertEqual(usual.amount_total_signed, 1000.0, "converted at 1")
        alerts = self.model._score()
        self.assertEqual(alerts.mapped("res_id"), gross.invoice_line_ids.ids)
        self.assertIn("41% below", alerts.explanation)

    def test_price_check_before_posting_and_at_confirmation(self):
        self.company.distrib_ai_precheck = "hold"
        usual = self._foreign_order(100.0)
        gross = self._foreign_order(40.0)
        self.assertEqual(gross.currency_rate, 1.0)
        (usual | gross).action_confirm()
        self.assertEqual((usual.state, gross.state), ("sale", "sale"))
        Exception = self.env["distrib.exception"]
        self.assertFalse(Exception._get_open_for(usual, exception_types=["anomaly"]))
        exception = Exception._get_open_for(gross, exception_types=["anomaly"])
        self.assertEqual(len(exception), 1)
        self.assertIn("60% below", exception.summary)
        # an invoice held before it posts, in the same currency
        draft = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "currency_id": self.no_rate.id,
                "invoice_date": "2026-02-01",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "quantity": 10,
                            "price_unit": 50.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        draft.action_post()
        self.assertEqual(draft.state, "draft", "held: 50% below the usual price")
        self.assertEqual(
            len(Exception._get_open_for(draft, exception_types=["anomaly"])), 1
        )

    def test_approval_impact_in_the_company_currency(self):
        finance = self.env.ref("distrib_atp.group_distrib_finance")
        self.env["distrib.approval.policy"].create(
            {
                "name": "margin",
                "company_id": self.company.id,
                "metric": "margin_percent",
                "direction": "below",
                "threshold": 10.0,
                "approver_group_id": finance.id,
            }
        )
        order = self._foreign_order(1000.0)
        request = self.env["distrib.approval.policy"]._check_value(
            order, "margin_percent", 4.0, resume_method="action_confirm"
        )
        # 6% below the floor on 10,000 ZZN counted as 10,000
        self.assertAlmostEqual(request.distrib_predicted_impact, 600.0)
        self.assertIn("of margin at risk", request.distrib_impact_explanation)
