from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DistribAiCommon


@tagged("post_install", "-at_install")
class TestDisputeCategories(DistribAiCommon):
    """Issue #16, item 6: a category and owning team suggested from the
    dispute's text and its order's facts, with the confidence; the person's
    confirmation or correction trains the next suggestion."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice([100.0]).move_id
        cls.Dispute = cls.env["distrib.order.dispute"]
        cls.team = cls.env["distrib.exception.team"].create(
            {"name": "Billing Desk", "company_id": cls.company.id}
        )
        cls.duplicate = cls.env.ref(
            "distrib_ai_alerts.dispute_category_duplicate_billing"
        )
        cls.duplicate.team_id = cls.team

    def _dispute(self, reason, invoice=None):
        return self.Dispute.create(
            {"invoice_id": (invoice or self.invoice).id, "reason": reason}
        )

    def test_suggestion_from_the_text(self):
        dispute = self._dispute("We were charged twice for this delivery")
        self.assertEqual(dispute.suggested_category_id, self.duplicate)
        self.assertEqual(dispute.suggested_team_id, self.team)
        self.assertGreater(dispute.suggestion_confidence, 20.0)
        self.assertIn("Duplicate Billing", dispute.suggestion_explanation)
        self.assertIn("“twice”", dispute.suggestion_explanation)
        self.assertFalse(dispute.category_id, "a person confirms it")
        damaged = self._dispute("Half of the boxes arrived broken and damaged")
        self.assertEqual(
            damaged.suggested_category_id,
            self.env.ref("distrib_ai_alerts.dispute_category_damaged"),
        )

    def test_suggestion_from_the_order_facts(self):
        """A vague text on an invoice with a price alert: pricing."""
        line = self.invoice.invoice_line_ids
        self.env["distrib.ai.alert"].sudo().create(
            {
                "company_id": self.company.id,
                "detector": "price",
                "res_model": "account.move.line",
                "res_id": line.id,
                "key": "x",
                "score": 80.0,
                "severity": "high",
                "explanation": "unit price 45% below",
            }
        )
        dispute = self._dispute("The customer disagrees with this invoice")
        self.assertEqual(
            dispute.suggested_category_id,
            self.env.ref("distrib_ai_alerts.dispute_category_pricing"),
        )
        self.assertIn("the order has a price alert", dispute.suggestion_explanation)

    def test_corrections_train_the_next_suggestion(self):
        packaging = self.env["distrib.dispute.category"].create(
            {"name": "Packaging", "team_id": self.team.id}
        )
        first = self._dispute("Pallet wrap missing, pallet collapsed")
        self.assertNotEqual(first.suggested_category_id, packaging)
        first.action_set_category(packaging.id)
        self.assertEqual(first.category_id, packaging)
        self.assertEqual(first.category_feedback, "corrected")
        self.assertEqual(first.category_decided_by_id, self.env.user)
        second = self._dispute("Pallet wrap missing again on this pallet")
        self.assertEqual(second.suggested_category_id, packaging)
        second.action_set_category()
        self.assertEqual(second.category_feedback, "accepted")
        # the form's correction wizard
        action = second.action_open_category_wizard()
        other = self.env.ref("distrib_ai_alerts.dispute_category_other")
        wizard = (
            self.env[action["res_model"]]
            .with_context(**action["context"])
            .create({"category_id": other.id})
        )
        wizard.action_confirm()
        self.assertEqual(second.category_id, other)
        self.assertEqual(second.category_feedback, "corrected")

    def test_company_isolation(self):
        """Another company's corrections do not train this one."""
        other = self._distrib_other_company("Other Co")
        packaging = self.env["distrib.dispute.category"].create({"name": "Packaging"})
        customer = self.env["res.partner"].create({"name": "Other Customer"})
        invoice = (
            self.env["account.move"]
            .with_company(other)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": customer.id,
                    "invoice_date": "2026-01-01",
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Service", "quantity": 1, "price_unit": 10.0}
                        )
                    ],
                }
            )
        )
        invoice.action_post()
        for _i in range(3):
            self.Dispute.with_company(other).create(
                {"invoice_id": invoice.id, "reason": "Pallet wrap missing"}
            ).action_set_category(packaging.id)
        here = self._dispute("Pallet wrap missing")
        self.assertNotEqual(here.suggested_category_id, packaging)

    def test_bad_input_and_client_writes(self):
        dispute = self._dispute("Invoiced twice")
        for bad in ("x", -3, 0, 10**9):
            with self.assertRaises(UserError):
                dispute.action_set_category(bad)
        self.assertFalse(dispute.category_id)
        # the suggestion and the decision are not written by clients
        with self.assertRaises(UserError):
            dispute.with_user(self.sales_user).write({"suggestion_confidence": 99.0})
