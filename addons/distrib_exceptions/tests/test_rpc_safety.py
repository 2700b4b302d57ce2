import xmlrpc.client

from odoo import Command
from odoo.tests import HOST, HttpCase, new_test_user, tagged
from odoo.tools import config, mute_logger

from odoo.addons.distrib_atp.tests.common import JsonRpcMixin


@tagged("post_install", "-at_install")
class TestExceptionRpcSafety(JsonRpcMixin, HttpCase):
    """What a client of the RPC API can and cannot do with exceptions and
    approvals: workflow fields are written by the actions only, sources must be
    readable, bad arguments get a clear error and public methods answer values
    XML-RPC can marshal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.other_company = cls.env["res.company"].create({"name": "RPC Other Co"})
        cls.sales = new_test_user(
            cls.env,
            login="rpc_sales",
            groups="base.group_user,sales_team.group_sale_salesman,"
            "distrib_atp.group_distrib_sales",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.finance = new_test_user(
            cls.env,
            login="rpc_finance",
            groups="base.group_user,distrib_atp.group_distrib_finance",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.manager = new_test_user(
            cls.env,
            login="rpc_manager",
            groups="base.group_user,distrib_atp.group_distrib_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.partners = cls.env["res.partner"].create(
            [
                {"name": f"RPC partner {i}", "company_id": cls.company.id}
                for i in range(3)
            ]
        )
        cls.exception = cls.env["distrib.exception"]._raise_for(
            cls.partners[0], "shortage", summary="RPC shortage"
        )
        cls.foreign_order = cls.env["sale.order"].create(
            {
                "partner_id": cls.env["res.partner"]
                .create({"name": "RPC foreign customer"})
                .id,
                "company_id": cls.other_company.id,
            }
        )
        Policy = cls.env["distrib.approval.policy"]
        Policy.search(
            [
                ("company_id", "=", cls.company.id),
                ("metric", "in", ("discount_percent", "margin_percent")),
            ]
        ).active = False
        cls.discount_policy = Policy.create(
            {
                "name": "RPC discount",
                "company_id": cls.company.id,
                "metric": "discount_percent",
                "threshold": 10.0,
                "approver_user_id": cls.finance.id,
            }
        )
        cls.margin_policy = Policy.create(
            {
                "name": "RPC margin",
                "company_id": cls.company.id,
                "metric": "margin_percent",
                "direction": "below",
                "threshold": 20.0,
                "approver_user_id": cls.manager.id,
            }
        )
        # r_mine: finance decides it; r_other: the manager's; r_own: finance
        # asked for it, so someone else decides
        cls.r_mine = Policy.with_user(cls.sales)._check_value(
            cls.partners[0], "discount_percent", 25.0, resume_method="action_unarchive"
        )
        cls.r_other = Policy.with_user(cls.sales)._check_value(
            cls.partners[0], "margin_percent", 5.0, resume_method="action_unarchive"
        )
        cls.r_own = Policy.with_user(cls.finance)._check_value(
            cls.partners[1], "discount_percent", 30.0, resume_method="action_unarchive"
        )

    # ------------------------------------------------------------------
    def _xmlrpc(self, user, model, method, *args):
        proxy = xmlrpc.client.ServerProxy(
            f"http://{HOST}:{config['http_port']}/xmlrpc/2/object"
        )
        with mute_logger("odoo.http", "odoo.service.model"):
            return proxy.execute_kw(
                self.env.cr.dbname, user.id, user.login, model, method, list(args)
            )

    def _assert_refused(self, user, model, method, args, kwargs=None, says=None):
        result, error = self._jsonrpc_call(user, model, method, args, kwargs)
        self.assertIsNone(result, f"{method}{args} should be refused")
        self.assertTrue(error)
        if says:
            self.assertIn(says, error)
        return error

    # ------------------------------------------------------------------
    # 1. workflow, computed and audit fields are read-only to clients
    # ------------------------------------------------------------------
    def test_client_cannot_write_workflow_fields(self):
        exception = self.exception
        for vals in (
            {"state": "resolved"},
            {"priority_rank": 99},
            {"occurrence_count": 0},
            {"date_raised": "2020-01-01 00:00:00"},
            {"res_model": "res.partner", "res_id": self.partners[2].id},
            {"blocking": True},
            {"sla_deadline": "2099-01-01 00:00:00"},
        ):
            self._assert_refused(
                self.sales,
                "distrib.exception",
                "write",
                [exception.ids, vals],
                says="cannot be written directly",
            )
        exception.invalidate_recordset()
        self.assertEqual(exception.state, "new")
        self.assertEqual(exception.occurrence_count, 1)
        self.assertEqual(exception.res_id, self.partners[0].id)
        self.assertFalse(exception.blocking)
        # the actions still move it, and check what they must
        self.assertEqual(
            self._jsonrpc_call(
                self.sales, "distrib.exception", "action_start", [exception.ids]
            ),
            (True, None),
        )
        self._assert_refused(
            self.sales,
            "distrib.exception",
            "action_resolve",
            [exception.ids],
            says="resolution note",
        )
        self.assertEqual(
            self._jsonrpc_call(
                self.sales,
                "distrib.exception",
                "write",
                [exception.ids, {"resolution_note": "Restocked"}],
            ),
            (True, None),
        )
        self.assertEqual(
            self._jsonrpc_call(
                self.sales, "distrib.exception", "action_resolve", [exception.ids]
            ),
            (True, None),
        )
        exception.invalidate_recordset()
        self.assertEqual(exception.state, "resolved")
        self.assertTrue(exception.date_resolved)

    def test_client_cannot_write_approval_trail(self):
        # a context key sent by the client switches nothing off
        deciding = {"context": {"distrib_approval_deciding": True}}
        self._assert_refused(
            self.manager,
            "distrib.approval.request",
            "write",
            [self.r_mine.ids, {"state": "approved", "value": 1.0}],
            deciding,
        )
        self._assert_refused(
            self.manager,
            "distrib.approval.decision",
            "create",
            [
                {
                    "request_id": self.r_mine.id,
                    "level": 1,
                    "user_id": self.finance.id,
                    "decision": "approved",
                }
            ],
            deciding,
        )
        self.r_mine.invalidate_recordset()
        self.assertEqual(self.r_mine.state, "pending")
        self.assertEqual(self.r_mine.value, 25.0)
        self.assertFalse(self.r_mine.decision_ids)

    # ------------------------------------------------------------------
    # 2. an exception points at a document its creator can read
    # ------------------------------------------------------------------
    def test_create_refuses_unreadable_or_missing_source(self):
        base = {"summary": "Hand-made", "exception_type": "order_hold"}
        error = self._assert_refused(
            self.sales,
            "distrib.exception",
            "create",
            [dict(base, res_model="sale.order", res_id=self.foreign_order.id)],
            says="does not exist or you cannot read it",
        )
        self.assertNotIn(self.foreign_order.name, error)
        self._assert_refused(
            self.sales,
            "distrib.exception",
            "create",
            [dict(base, res_model="no.such.model", res_id=1)],
            says="no.such.model",
        )
        self._assert_refused(
            self.sales,
            "distrib.exception",
            "create",
            [dict(base, res_model="res.partner", res_id=987654321)],
            says="987654321",
        )
        self._assert_refused(
            self.sales,
            "distrib.exception",
            "create",
            [
                dict(
                    base,
                    res_model="res.partner",
                    res_id=self.partners[2].id,
                    state="resolved",
                )
            ],
            says="set by its workflow",
        )
        self.assertFalse(
            self.env["distrib.exception"].search([("summary", "=", "Hand-made")]),
        )
        # a readable document is fine, and names itself
        new_id, error = self._jsonrpc_call(
            self.sales,
            "distrib.exception",
            "create",
            [dict(base, res_model="res.partner", res_id=self.partners[2].id)],
        )
        self.assertFalse(error)
        created = self.env["distrib.exception"].browse(new_id)
        self.assertEqual(created.source_name, self.partners[2].display_name)
        self.assertEqual(created.company_id, self.company)

    # ------------------------------------------------------------------
    # 3. public methods answer something XML-RPC can marshal
    # ------------------------------------------------------------------
    def test_public_methods_over_xmlrpc(self):
        exception = self.exception
        model = "distrib.exception"
        self.assertIs(
            self._xmlrpc(self.sales, model, "action_take", exception.ids), True
        )
        exception.invalidate_recordset()
        self.assertEqual(exception.owner_id, self.sales)
        self.assertEqual(exception.state, "assigned")
        self.assertIs(
            self._xmlrpc(self.sales, model, "action_start", exception.ids), True
        )
        self.assertIs(
            self._xmlrpc(self.sales, model, "action_cancel", exception.ids), True
        )
        self.assertIs(
            self._xmlrpc(self.sales, model, "action_reopen", exception.ids), True
        )
        exception.invalidate_recordset()
        self.assertEqual(exception.state, "assigned")
        self.assertIs(
            self._xmlrpc(
                self.finance,
                "distrib.approval.request",
                "action_approve",
                self.r_mine.ids,
                "Fine",
            ),
            True,
        )
        self.r_mine.invalidate_recordset()
        self.assertEqual(self.r_mine.state, "approved")
        # a sales user cannot evaluate the rules (it writes them)
        with self.assertRaises(xmlrpc.client.Fault):
            self._xmlrpc(self.sales, "distrib.exception.rule", "action_evaluate", [])

    # ------------------------------------------------------------------
    # 4. bad arguments get a clear error naming them
    # ------------------------------------------------------------------
    def test_bad_arguments_over_jsonrpc(self):
        request = "distrib.approval.request"
        self._assert_refused(
            self.finance, request, "action_approve", [[]], says="none was given"
        )
        self._assert_refused(
            self.finance,
            request,
            "action_reject",
            [[]],
            {"reason": "No"},
            says="none was given",
        )
        self._assert_refused(
            self.finance,
            request,
            "action_reject",
            [self.r_mine.ids, 42],
            says="not 42",
        )
        self._assert_refused(
            self.finance,
            request,
            "action_approve",
            [self.r_mine.ids, {"a": 1}],
            says="must be a text",
        )
        self.r_mine.invalidate_recordset()
        self.assertEqual(self.r_mine.state, "pending")
        self._assert_refused(
            self.manager,
            "distrib.ai.model",
            "action_run_company",
            ["Atlas"],
            says="'Atlas' is not a company",
        )
        self.exception.owner_id = self.manager
        self._assert_refused(
            self.sales,
            "distrib.exception",
            "write",
            [self.exception.ids, {"owner_id": "abc"}],
            says="'abc'",
        )
        self.exception.invalidate_recordset()
        self.assertEqual(self.exception.owner_id, self.manager)
        # can_decide is searchable
        ids = (self.r_mine | self.r_other | self.r_own).ids
        decidable, error = self._jsonrpc_call(
            self.finance,
            request,
            "search",
            [[("id", "in", ids), ("can_decide", "=", True)]],
        )
        self.assertFalse(error)
        self.assertEqual(decidable, self.r_mine.ids)
        not_decidable, error = self._jsonrpc_call(
            self.finance,
            request,
            "search",
            [[("id", "in", ids), ("can_decide", "=", False)]],
        )
        self.assertEqual(sorted(not_decidable), sorted((self.r_other | self.r_own).ids))
        decidable, error = self._jsonrpc_call(
            self.manager,
            request,
            "search",
            [[("id", "in", ids), ("can_decide", "=", True)]],
        )
        self.assertEqual(decidable, self.r_other.ids)
