import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DistribCloseCommon

OCT_END = datetime.date(2026, 10, 31)


@tagged("post_install", "-at_install")
class TestAccruals(DistribCloseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_eur_company()

    def _grni_at(self, account, date, company=None):
        return sum(
            self.env["account.move.line"]
            .search(
                [
                    ("account_id", "=", account.id),
                    ("parent_state", "=", "posted"),
                    ("date", "<=", date),
                    ("company_id", "=", (company or self.company).id),
                ]
            )
            .mapped("balance")
        )

    def _grni_report(self, company=None):
        return sum(
            self.env["distrib.grni.report"]
            .search([("company_id", "=", (company or self.company).id)])
            .mapped("value")
        )

    def test_received_not_billed_accrued_and_reversed_once(self):
        with freeze_time("2026-10-15"):
            order = self._create_po(qty=10.0, price=10.0)
            self._receive(order)
            bill = self._create_bill(order, qty=4.0)
            bill.invoice_date = "2026-10-20"
            bill.action_post()
        self.assertAlmostEqual(self._grni_report(), 60.0)
        report = self.env["distrib.grni.report"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertEqual(report.partner_id, self.vendor)
        self.assertEqual(report.qty_to_bill, 6.0)
        Run = self.env["distrib.accrual.run"]
        with freeze_time("2026-11-03"):
            with self.assertRaisesRegex(UserError, "has not ended yet"):
                Run._run_for(self.company, datetime.date(2026, 11, 30))
            with self.assertRaisesRegex(UserError, "month end"):
                Run._run_for(self.company, datetime.date(2026, 10, 15))
            run = Run._run_for(self.company, OCT_END)
            moves_before = self.env["account.move"].search_count([])
            replay = Run._run_for(self.company, OCT_END)
            self.assertEqual(replay, run)
            self.assertEqual(self.env["account.move"].search_count([]), moves_before)
        self.assertEqual(run.state, "posted")
        self.assertAlmostEqual(run.amount_purchase, 60.0)
        self.assertEqual(run.move_id.date, OCT_END)
        self.assertEqual(run.reversal_move_id.date, datetime.date(2026, 11, 1))
        self.assertEqual(run.reversal_move_id.state, "posted")
        # at the period end the GRNI account holds what was received, not billed
        self.assertAlmostEqual(self._grni_at(self.accounts["grni"], OCT_END), -60.0)
        self.assertAlmostEqual(self._grni_at(self.accounts["interim_in"], OCT_END), 0.0)
        # and after the reversal the interim account holds it again
        self.assertAlmostEqual(self._balance(self.accounts["grni"]), 0.0)
        self.assertAlmostEqual(
            self._balance(self.accounts["interim_in"]), -self._grni_report()
        )
        # the valuation account ties out with the layers
        self.assertAlmostEqual(
            self._balance(self.accounts["valuation"]),
            self._layers_value(self.product),
        )
        # a run is a record: it cannot be changed or deleted by a user
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            run.with_user(self.finance_user).write({"amount_purchase": 1.0})
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            run.unlink()

    def test_nothing_to_accrue_is_recorded_too(self):
        with freeze_time("2026-11-03"):
            run = self.env["distrib.accrual.run"]._run_for(self.company, OCT_END)
        self.assertEqual(run.state, "nothing")
        self.assertFalse(run.move_id)

    def test_only_finance_runs_accruals(self):
        buyer = self.buyer
        with freeze_time("2026-11-03"):
            with self.assertRaisesRegex(UserError, "Only finance"):
                self.env["distrib.accrual.run"].with_user(buyer)._run_for(
                    self.company, OCT_END
                )

    def test_eur_company_accrues_usd_purchase(self):
        with freeze_time("2026-10-15"):
            self._eur_purchase(qty=10.0, price=10.0)
        with freeze_time("2026-11-03"):
            run = self.env["distrib.accrual.run"]._run_for(self.eur_company, OCT_END)
        received = self._grni_report(self.eur_company)
        self.assertTrue(received)
        self.assertAlmostEqual(run.amount_purchase, received)
        self.assertEqual(run.move_id.currency_id, self.eur)
        self.assertAlmostEqual(
            self._grni_at(self.eur_accounts["grni"], OCT_END, self.eur_company),
            -received,
        )
