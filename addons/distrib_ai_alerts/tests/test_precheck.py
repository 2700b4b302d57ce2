from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import DistribAiCommon


@tagged("post_install", "-at_install")
class TestPrecheck(DistribAiCommon):
    """Issue #16, item 3: customer invoices scored when they post, order lines
    when the order is confirmed; warn or hold per company; a finance user's
    override with a reason, audited."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._invoice([100.0, 101.0, 99.0, 100.0, 100.5, 99.5, 100.0, 101.0])
        cls.model = cls._model("price")
        cls.model._train()
        cls.finance_user = cls._distrib_user(
            "ai_finance", "base.group_user,finance", cls.company
        )

    def _draft(self, price, partner=None, company=None):
        return (
            self.env["account.move"]
            .with_company(company or self.company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": (partner or self.customer).id,
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
            )
        )

    def _messages(self, record):
        return " ".join(record.message_ids.mapped("body"))

    def test_off_by_default_posts_as_odoo_does(self):
        self.assertFalse(self.company.distrib_ai_precheck)
        invoice = self._draft(40.0)
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        # no alert before the detectors' cron scores it
        self.assertFalse(
            self.env["distrib.ai.alert"].search(
                [("res_id", "in", invoice.invoice_line_ids.ids)]
            )
        )

    def test_hold_keeps_the_invoice_draft_until_finance_overrides(self):
        self.company.distrib_ai_precheck = "hold"
        usual = self._draft(100.0)
        usual.action_post()
        self.assertEqual(usual.state, "posted", "a usual price posts")
        invoice = self._draft(40.0)
        invoice.action_post()
        self.assertEqual(invoice.state, "draft")
        self.assertTrue(invoice.distrib_ai_held)
        exception = self.env["distrib.exception"]._get_open_for(
            invoice, exception_types=["anomaly"]
        )
        self.assertEqual(len(exception), 1)
        self.assertTrue(exception.blocking)
        self.assertIn("Held before posting", exception.summary)
        self.assertIn("60% below", exception.summary)
        self.assertIn("60% below", self._messages(invoice))
        # posting again does not duplicate the exception
        invoice.action_post()
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(
            len(
                self.env["distrib.exception"]._get_open_for(
                    invoice, exception_types=["anomaly"]
                )
            ),
            1,
        )
        # a salesperson cannot override, nor can anyone without a reason
        with self.assertRaises(AccessError):
            invoice.with_user(self.sales_user).action_distrib_ai_override("ok")
        for reason in (None, "", "   ", 42):
            with self.assertRaises(UserError):
                invoice.with_user(self.finance_user).action_distrib_ai_override(reason)
        self.assertEqual(invoice.state, "draft")
        invoice.with_user(self.finance_user).action_distrib_ai_override(
            "Clearance price agreed with the customer"
        )
        self.assertEqual(invoice.state, "posted")
        override = invoice.distrib_ai_override_ids
        self.assertEqual(override.user_id, self.finance_user)
        self.assertEqual(override.reason, "Clearance price agreed with the customer")
        self.assertIn("60% below", override.explanation)
        self.assertEqual(exception.state, "resolved")
        # the case is still an alert for the detectors' review
        alert = self.env["distrib.ai.alert"].search(
            [("res_id", "in", invoice.invoice_line_ids.ids)]
        )
        self.assertEqual(len(alert), 1)
        # the override is an audit record nobody can change
        with self.assertRaises(UserError):
            override.write({"reason": "changed"})
        with self.assertRaises(UserError):
            override.unlink()
        with self.assertRaises(UserError):
            self.env["distrib.ai.post.override"].sudo().create(
                {"move_id": invoice.id, "user_id": self.env.uid, "reason": "x"}
            )
        # a client's context key does not open the door
        with self.assertRaises(UserError):
            self.env["distrib.ai.post.override"].sudo().with_context(
                distrib_ai_overriding=True
            ).create({"move_id": invoice.id, "user_id": self.env.uid, "reason": "x"})

    def test_override_of_an_invoice_not_held_is_refused(self):
        self.company.distrib_ai_precheck = "hold"
        invoice = self._draft(100.0)
        with self.assertRaisesRegex(UserError, "not held"):
            invoice.with_user(self.finance_user).action_distrib_ai_override("why")

    def test_warn_posts_with_a_message_and_an_alert(self):
        self.company.distrib_ai_precheck = "warn"
        invoice = self._draft(40.0)
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertIn("60% below", self._messages(invoice))
        alert = self.env["distrib.ai.alert"].search(
            [("res_id", "in", invoice.invoice_line_ids.ids), ("detector", "=", "price")]
        )
        self.assertEqual(len(alert), 1)
        self.assertEqual(alert.exception_id.exception_type, "anomaly")
        # the cron scoring it later refreshes the same alert
        self.model._score()
        self.assertEqual(
            self.env["distrib.ai.alert"].search_count(
                [("res_id", "in", invoice.invoice_line_ids.ids)]
            ),
            1,
        )

    def test_feedback_silences_the_precheck(self):
        """A case a person marked as expected is not held again."""
        self.company.distrib_ai_precheck = "warn"
        first = self._draft(40.0)
        first.action_post()
        alert = self.env["distrib.ai.alert"].search(
            [("res_id", "in", first.invoice_line_ids.ids)]
        )
        alert.action_mark_expected()
        self.company.distrib_ai_precheck = "hold"
        second = self._draft(40.0)
        second.action_post()
        self.assertEqual(second.state, "posted")

    def test_no_history_posts_without_error(self):
        self.company.distrib_ai_precheck = "hold"
        self.model.params = False
        invoice = self._draft(1.0)
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_other_company_not_checked_with_this_company_model(self):
        other = self._distrib_other_company("Other Co")
        other.write({"distrib_ai_price_check": True, "distrib_ai_precheck": "hold"})
        self.company.distrib_ai_precheck = "hold"
        invoice = self._draft(40.0, company=other)
        invoice.action_post()
        self.assertEqual(invoice.state, "posted", "the other company has no model")
        self.assertFalse(
            self.env["distrib.ai.model"]._precheck_model(other),
        )

    def test_order_confirmation_warns(self):
        self.company.distrib_ai_precheck = "hold"
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 5,
                            "price_unit": 40.0,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )
        usual = order.copy()
        usual.order_line.price_unit = 100.0
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        exception = self.env["distrib.exception"]._get_open_for(
            order, exception_types=["anomaly"]
        )
        self.assertEqual(len(exception), 1)
        self.assertIn("Price check at confirmation", exception.summary)
        self.assertIn("60% below", exception.summary)
        self.assertIn("60% below", self._messages(order))
        usual.action_confirm()
        self.assertFalse(
            self.env["distrib.exception"]._get_open_for(
                usual, exception_types=["anomaly"]
            )
        )
