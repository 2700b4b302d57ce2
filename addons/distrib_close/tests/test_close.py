import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import DistribCloseCommon

OCT = datetime.date(2026, 10, 1)
OCT_END = datetime.date(2026, 10, 31)


@tagged("post_install", "-at_install")
class TestCloseCockpit(DistribCloseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.controller = cls._distrib_user(
            "close_controller", "base.group_user,finance", cls.company
        )

    def _period(self, start=OCT, **vals):
        return self.env["distrib.close.period"].create(
            {"company_id": self.company.id, "date_start": start, **vals}
        )

    def _item(self, period, code):
        return period.item_ids.filtered(lambda i: i.code == code)

    def _backdate(self, records, when="2026-10-20 10:00:00"):
        self.env.cr.execute(
            f"UPDATE {records._table} SET create_date = %s WHERE id IN %s",
            (when, tuple(records.ids)),
        )
        records.invalidate_recordset(["create_date"])

    def test_checklist_and_lock(self):
        with freeze_time("2026-10-15"):
            order = self._create_po(qty=10.0, price=10.0)
            self._receive(order)
        with freeze_time("2026-11-03"):
            period = self._period()
            self.assertEqual(
                len(period.item_ids.filtered(lambda i: i.kind == "auto")), 7
            )
            manual = self.env["distrib.close.item"].create(
                {
                    "period_id": period.id,
                    "name": "Bank reconciliation",
                    "owner_id": self.controller.id,
                    "due_day": 3,
                }
            )
            self.assertEqual(manual.due_date, datetime.date(2026, 11, 3))
            self.assertEqual(period.days_since_end, 3)
            result = period.with_user(self.controller).action_lock()
            self.assertEqual(result["tag"], "display_notification")
            message = result["params"]["message"]
            self.assertIn("Accruals posted", message)
            self.assertIn("Bank reconciliation", message)
            # refused, the period stays open with its checklist refreshed
            self.assertEqual(period.state, "open")
            self.assertTrue(period.last_refresh)
            self.assertEqual(self._item(period, "accruals").state, "blocked")
            period.with_user(self.controller).action_refresh()
            self.assertEqual(self._item(period, "accruals").state, "blocked")
            self.assertEqual(self._item(period, "valuation").state, "done")
            self.assertEqual(self._item(period, "intercompany").state, "done")
            self.assertFalse(self.company.fiscalyear_lock_date)
            period.with_user(self.controller).action_run_accruals()
            self.assertEqual(self._item(period, "accruals").state, "done")
            self.assertAlmostEqual(period.accrual_run_id.amount_purchase, 100.0)
            manual.with_user(self.controller).action_done()
            period.with_user(self.controller).action_lock()
        self.assertEqual(period.state, "closed")
        self.assertEqual(self.company.fiscalyear_lock_date, OCT_END)
        self.assertEqual(period.cycle_days, 3)
        # the next period starts with the same manual items
        with freeze_time("2026-11-03"):
            november = self._period(datetime.date(2026, 11, 1))
        self.assertIn(
            "Bank reconciliation",
            november.item_ids.filtered(lambda i: i.kind == "manual").mapped("name"),
        )
        with self.assertRaisesRegex(UserError, "is closed"):
            manual.with_user(self.controller).action_reopen()

    def test_blockers_from_the_data(self):
        with freeze_time("2026-10-15"):
            order = self._create_po(qty=10.0, price=10.0)
            receipt = self._receive(order)
            bill = self._carrier_bill(receipt, 9.0)
        exception = self.env["distrib.exception"].search(
            [("res_model", "=", "account.move"), ("res_id", "=", bill.id)]
        )
        self._backdate(exception)
        with freeze_time("2026-11-03"):
            period = self._period()
            self.env["distrib.accrual.run"]._run_for(self.company, OCT_END)
            message = period.action_lock()["params"]["message"]
            self.assertIn(exception.name, message)
            period.action_refresh()
            self.assertEqual(self._item(period, "landed_costs").state, "blocked")
            self.assertEqual(self._item(period, "exceptions").state, "blocked")
            self.env["distrib.exception"]._resolve_for(
                bill, note="Carrier surcharge for the October storm."
            )
            # a hand-made entry on the stock account breaks the valuation tie-out
            self.env["account.move"].create(
                {
                    "move_type": "entry",
                    "date": "2026-10-30",
                    "journal_id": self.accounts["journal"].id,
                    "line_ids": [
                        (
                            0,
                            0,
                            {"account_id": self.accounts["valuation"].id, "debit": 7.0},
                        ),
                        (0, 0, {"account_id": self.accounts["cogs"].id, "credit": 7.0}),
                    ],
                }
            ).action_post()
            message = period.action_lock()["params"]["message"]
            self.assertIn("Stock valuation equals the inventory accounts", message)
            self.assertNotIn(exception.name, message)
            self.assertEqual(period.state, "open")

    def test_bad_input(self):
        with freeze_time("2026-11-03"):
            period = self._period()
            with self.assertRaisesRegex(ValidationError, "needs an owner"):
                self.env["distrib.close.item"].create(
                    {"period_id": period.id, "name": "No owner", "due_day": 2}
                )
            with self.assertRaisesRegex(ValidationError, "from 1 to 31"):
                self.env["distrib.close.item"].create(
                    {
                        "period_id": period.id,
                        "name": "Bad day",
                        "owner_id": self.controller.id,
                        "due_day": 40,
                    }
                )
            auto = self._item(period, "valuation")
            with self.assertRaisesRegex(UserError, "checked from the data"):
                auto.with_user(self.controller).action_done()
            with self.assertRaisesRegex(UserError, "fixed"):
                period.with_user(self.controller).write({"state": "closed"})
            with self.assertRaisesRegex(UserError, "Only finance"):
                period.with_user(self.buyer).action_lock()
            self.company.distrib_close_enabled = False
            with self.assertRaisesRegex(UserError, "does not use the period close"):
                self._period(datetime.date(2026, 9, 1))

    def test_dashboard_close_figures(self):
        with freeze_time("2026-11-03"):
            self._period(datetime.date(2026, 9, 1))
            kpis = self.env["distrib.kpi.dashboard"].get_kpis()
        tiles = {tile["key"]: tile for tile in kpis["tiles"]}
        self.assertEqual(tiles["delayed_close"]["value"], 1)
        self.assertIn(self.company.name, tiles["delayed_close"]["note"])
        self.assertIn("close_cycle_time", tiles)
        self.assertIn("grni_balance", tiles)
        self.assertIn("delayed_close", kpis["actions"])
        self.assertIn("erosion_by_cause", {p["key"] for p in kpis["panels"]})
