from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import DistribAiCommon


@tagged("post_install", "-at_install")
class TestCollections(DistribAiCommon):
    """Issue #16, item 5: customers ranked by expected loss on their overdue
    invoices, from their own payment history, with the reason in words; the
    morning cron gives the top cases an activity; the dashboard shows it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.distrib_ai_collections_check = True
        cls.today = fields.Date.context_today(cls.env.user)
        cls.late_payer = cls.env["res.partner"].create({"name": "Slow Payer"})
        cls.good_payer = cls.env["res.partner"].create({"name": "Prompt Payer"})
        cls.collector = cls._distrib_user(
            "ai_collector", "base.group_user,finance", cls.company
        )
        for days_late, partner in ((45, cls.late_payer), (0, cls.good_payer)):
            for index in range(6):
                due = cls.today - timedelta(days=300 - 30 * index)
                invoice = cls._open_invoice(partner, 500.0, due)
                cls._pay(invoice, due + timedelta(days=days_late))
        for partner, amount, overdue_days in (
            (cls.late_payer, 1000.0, 90),
            (cls.late_payer, 1000.0, 60),
            (cls.good_payer, 1000.0, 5),
        ):
            cls._open_invoice(partner, amount, cls.today - timedelta(days=overdue_days))
        cls.Rows = cls.env["distrib.collection.priority"]

    @classmethod
    def _open_invoice(cls, partner, amount, due):
        invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": due - timedelta(days=30),
                "invoice_date_due": due,
                "invoice_payment_term_id": False,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        return invoice

    @classmethod
    def _pay(cls, invoice, date):
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": date})._create_payments()

    def test_ranked_by_expected_loss_with_reasons(self):
        self.Rows.action_refresh(self.company.id)
        rows = self.Rows.search([("company_id", "=", self.company.id)])
        self.assertEqual(rows.partner_id, self.late_payer | self.good_payer)
        first, second = rows
        self.assertEqual(first.partner_id, self.late_payer, "the late payer first")
        self.assertEqual((first.rank, second.rank), (1, 2))
        self.assertAlmostEqual(first.overdue_amount, 2000.0)
        self.assertEqual(first.invoice_count, 2)
        self.assertEqual(first.oldest_days, 90)
        self.assertGreater(first.probability, 60.0)
        # shrunk to the company (half of its invoices were paid late)
        self.assertLess(second.probability, 30.0)
        self.assertGreater(first.expected_loss, 5 * second.expected_loss)
        self.assertIn("2,000.00 overdue on 2 invoice(s)", first.explanation)
        self.assertIn("more than 30 days late", first.explanation)
        self.assertIn("45 days late on average", first.explanation)
        self.assertIn("(6 paid invoices)", first.explanation)

    def test_morning_cron_creates_activities_once(self):
        self.company.write(
            {
                "distrib_ai_collector_id": self.collector.id,
                "distrib_ai_collections_top": 1,
            }
        )
        self.Rows._cron_refresh()
        self.Rows._cron_refresh()
        rows = self.Rows.search([("company_id", "=", self.company.id)])
        top = rows.filtered(lambda r: r.rank == 1)
        self.assertEqual(len(top.activity_ids), 1, "one activity, not one a day")
        self.assertEqual(top.activity_ids.user_id, self.collector)
        self.assertIn("Slow Payer", top.activity_ids.summary)
        self.assertFalse((rows - top).activity_ids)

    def test_paid_customer_leaves_the_list(self):
        self.Rows.action_refresh(self.company.id)
        overdue = self.env["account.move"].search(
            [
                ("partner_id", "=", self.good_payer.id),
                ("payment_state", "=", "not_paid"),
            ]
        )
        self._pay(overdue, self.today)
        self.Rows.action_refresh(self.company.id)
        rows = self.Rows.search([("company_id", "=", self.company.id)])
        self.assertEqual(rows.partner_id, self.late_payer)

    def test_customer_without_history(self):
        newcomer = self.env["res.partner"].create({"name": "Newcomer"})
        self._open_invoice(newcomer, 300.0, self.today - timedelta(days=10))
        self.Rows.action_refresh(self.company.id)
        row = self.Rows.search([("partner_id", "=", newcomer.id)])
        self.assertIn("no paid invoice yet", row.explanation)
        self.assertGreater(row.expected_loss, 0.0)

    def test_dashboard_tile(self):
        self.Rows.action_refresh(self.company.id)
        result = {"tiles": [], "panels": [], "actions": {}, "counts": {}, "dso": 33.0}
        self.env["distrib.kpi.dashboard"]._kpi_extend(
            result,
            self.company,
            self.company.currency_id,
            self.today,
            self.today - timedelta(days=30),
        )
        tile = next(
            t for t in result["tiles"] if t["key"] == "collections_expected_loss"
        )
        rows = self.Rows.search([("company_id", "=", self.company.id)])
        self.assertAlmostEqual(tile["value"], sum(rows.mapped("expected_loss")))
        self.assertIn("DSO 33.0 days", tile["note"])
        self.assertEqual(result["counts"]["collections_expected_loss"], 2)

    def test_rights_bad_input_and_company_isolation(self):
        with self.assertRaises(AccessError):
            self.Rows.with_user(self.sales_user).action_refresh(self.company.id)
        for bad in ("x", -1, 10**9, [1]):
            with self.assertRaises(AccessError):
                self.Rows.action_refresh(bad)
        # an extra argument (as an RPC client may send) is a user error
        with self.assertRaisesRegex(UserError, "argument"):
            self.Rows.action_refresh(self.company.id, "extra")
        other = self._distrib_other_company("Other Co")
        other.distrib_ai_collections_check = True
        self.Rows.action_refresh(other.id)
        self.assertFalse(self.Rows.search([("company_id", "=", other.id)]))
        self.Rows.action_refresh(self.company.id)
        # a user of the other company only sees nothing of this one
        outsider = self._distrib_user("ai_outsider", "base.group_user,finance", other)
        self.assertFalse(
            self.Rows.with_user(outsider).search([("company_id", "=", self.company.id)])
        )

    def test_collectors_choices_change_the_next_ranking(self):
        """Issue #16, item 9: a dismissal or a corrected priority is learned
        from: the customer's ranking weight moves, with the reason in words."""
        self.Rows.action_refresh(self.company.id)
        slow = self.Rows.search([("partner_id", "=", self.late_payer.id)])
        prompt = self.Rows.search([("partner_id", "=", self.good_payer.id)])
        self.assertEqual((slow.rank, prompt.rank), (1, 2))
        self.assertEqual((slow.weight, prompt.weight), (1.0, 1.0))
        loss = slow.expected_loss
        # rights and bad input: nothing recorded
        Choice = self.env["distrib.ai.choice"]
        with self.assertRaises(AccessError):
            slow.with_user(self.sales_user).action_dismiss("Payment plan")
        for bad in (None, "", "  ", 5):
            with self.assertRaises(UserError):
                slow.with_user(self.collector).action_dismiss(bad)
        for bad in (None, "up", 1):
            with self.assertRaises(UserError):
                prompt.with_user(self.collector).action_correct_priority(bad)
        self.assertFalse(Choice.search([("company_id", "=", self.company.id)]))
        # the collector dismisses the slow payer twice (a payment plan) and
        # raises the prompt payer three times
        slow.with_user(self.collector).action_dismiss("Payment plan agreed")
        # the second through the form's Dismiss button and its dialog
        wizard = Form(
            self.env["distrib.ai.dismiss.wizard"]
            .with_user(self.collector)
            .with_context(default_collection_ids=slow.ids)
        )
        wizard.reason = "Paid a first instalment"
        wizard.save().action_confirm()
        for _i in range(3):
            prompt.with_user(self.collector).action_raise_priority()
        choices = Choice.search([("company_id", "=", self.company.id)])
        self.assertEqual(len(choices), 5)
        self.assertEqual(set(choices.mapped("user_id")), {self.collector})
        self.Rows.action_refresh(self.company.id)
        self.assertEqual((prompt.rank, slow.rank), (1, 2), "the ranking changed")
        self.assertEqual((slow.weight, prompt.weight), (0.25, 8.0))
        self.assertAlmostEqual(slow.expected_loss, loss, msg="the loss is unchanged")
        self.assertAlmostEqual(slow.weighted_loss, loss * 0.25, places=1)
        self.assertIn(
            "dismissed 2 time(s) by a collector in the last 90 days: ranked at "
            "0.250 x its expected loss",
            slow.explanation,
        )
        self.assertIn(
            "a collector raised its priority 3 time(s) in the last 90 days",
            prompt.explanation,
        )
        rows = self.Rows.search([("company_id", "=", self.company.id)])
        self.assertEqual(rows[0], prompt, "the list is ordered by the weighted loss")
        # choices older than 90 days are forgotten
        self.env.cr.execute(
            "UPDATE distrib_ai_choice SET date = now() - interval '91 days' "
            "WHERE id = ANY(%s)",
            [choices.ids],
        )
        self.env["distrib.ai.choice"].invalidate_model(["date"])
        self.Rows.action_refresh(self.company.id)
        self.assertEqual((slow.rank, slow.weight), (1, 1.0))
        self.assertNotIn("dismissed", slow.explanation)
        # a collector of another company cannot act on this list
        other = self._distrib_other_company("Other Co")
        outsider = self._distrib_user("ai_outsider2", "base.group_user,finance", other)
        with self.assertRaises(AccessError):
            slow.with_user(outsider).action_correct_priority("lower")
