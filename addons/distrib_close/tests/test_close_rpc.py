import datetime

from odoo.tests import HttpCase, tagged

from odoo.addons.distrib_atp.tests.common import JsonRpcMixin

from .common import DistribCloseCommon

SEPT = datetime.date(2026, 9, 1)


@tagged("post_install", "-at_install")
class TestCloseRpc(JsonRpcMixin, DistribCloseCommon, HttpCase):
    """The close's public methods called over JSON-RPC with what a careless or
    curious client sends: wrong types, another company's ids, missing records.
    Each gets a clear error and nothing is written."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls._distrib_other_company("Other Close Co")
        cls._setup_close_company(cls.other_company)
        Period = cls.env["distrib.close.period"]
        cls.period = Period.create({"company_id": cls.company.id, "date_start": SEPT})
        cls.other_period = Period.create(
            {"company_id": cls.other_company.id, "date_start": SEPT}
        )
        cls.other_item = cls.env["distrib.close.item"].create(
            {
                "period_id": cls.other_period.id,
                "name": "Bank reconciliation",
                "owner_id": cls.env.user.id,
                "due_day": 3,
            }
        )

    def _assert_nothing_written(self):
        self.env.invalidate_all()
        self.assertEqual(self.period.state, "open")
        self.assertEqual(self.other_period.state, "open")
        self.assertFalse(self.other_period.last_refresh)
        self.assertFalse(self.company.fiscalyear_lock_date)
        self.assertFalse(self.other_company.fiscalyear_lock_date)
        self.assertFalse(
            self.env["distrib.accrual.run"].search(
                [("company_id", "in", (self.company | self.other_company).ids)]
            )
        )
        self.assertEqual(self.other_item.state, "todo")

    def test_wrong_types_are_refused(self):
        user = self.finance_user
        for ids in (["abc"], [True], [2**40], [-3]):
            error = self._jsonrpc_error(
                user, "distrib.close.period", "action_lock", ids
            )
            self.assertIn("must be given by their ids", error)
        error = self._jsonrpc_error(
            user, "distrib.close.period", "action_run_accruals", ["x"]
        )
        self.assertIn("must be given by their ids", error)
        error = self._jsonrpc_error(
            user, "distrib.close.item", "action_done", [{"id": 1}]
        )
        self.assertIn("must be given by their ids", error)
        self._assert_nothing_written()

    def test_missing_records_are_refused(self):
        user = self.finance_user
        missing = self.env["distrib.close.period"].search([], order="id desc")[0].id
        for method in ("action_lock", "action_refresh", "action_run_accruals"):
            error = self._jsonrpc_error(
                user, "distrib.close.period", method, [missing + 1000]
            )
            self.assertTrue(error)
            self.assertIn(str(missing + 1000), error)
        # one period at a time: running the accruals of two periods at once
        error = self._jsonrpc_error(
            user,
            "distrib.close.period",
            "action_run_accruals",
            [self.period.id, self.period.id + 1000],
        )
        self.assertTrue(error)
        self._assert_nothing_written()

    def test_other_company_ids_are_refused(self):
        user = self.finance_user
        self.assertNotIn(self.other_company, user.company_ids)
        for method in ("action_lock", "action_refresh", "action_run_accruals"):
            error = self._jsonrpc_error(
                user, "distrib.close.period", method, self.other_period.ids
            )
            self.assertTrue(error)
        for method in ("action_done", "action_reopen"):
            error = self._jsonrpc_error(
                user, "distrib.close.item", method, self.other_item.ids
            )
            self.assertTrue(error)
        # nor can a checklist item be added to the other company's close
        error = self._jsonrpc_error(
            user,
            "distrib.close.item",
            "create",
            {
                "period_id": self.other_period.id,
                "name": "Sneaky item",
                "owner_id": user.id,
                "due_day": 2,
            },
        )
        self.assertTrue(error)
        self.assertEqual(len(self.other_period.item_ids), 8)
        self._assert_nothing_written()

    def test_bad_values_are_refused(self):
        user = self.finance_user
        Term = "distrib.landed.cost.term"
        base = {
            "name": "Freight RPC",
            "company_id": self.company.id,
            "basis": "percent",
            "product_id": self.freight.id,
        }
        terms_before = self.env[Term].search_count([])
        error = self._jsonrpc_error(user, Term, "create", {**base, "rate": "five"})
        self.assertIn("Rate", error)
        error = self._jsonrpc_error(user, Term, "create", {**base, "rate": -2.0})
        self.assertIn("cannot be negative", error)
        error = self._jsonrpc_error(
            user, Term, "create", {**base, "basis": False, "rate": 2.0}
        )
        self.assertIn("needs a basis", error)
        self.assertEqual(self.env[Term].search_count([]), terms_before)
        # the lock fields of a period are set by its close, not by a client
        error = self._jsonrpc_error(
            user,
            "distrib.close.period",
            "write",
            self.period.ids,
            {"state": "closed", "date_locked": "2026-10-01"},
        )
        self.assertIn("fixed", error)
        error = self._jsonrpc_error(
            user,
            "res.company",
            "write",
            self.company.ids,
            {"distrib_lc_variance_tolerance": 150.0},
        )
        self.assertTrue(error)
        self.assertEqual(self.company.distrib_lc_variance_tolerance, 10.0)
        self._assert_nothing_written()
