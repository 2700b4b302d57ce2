"""Bad input over JSON-RPC: a clear error naming the value, in valid JSON."""

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import JsonRpcMixin


@tagged("post_install", "-at_install")
class TestAtpRpc(JsonRpcMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.user = new_test_user(
            cls.env,
            login="atp_rpc_user",
            groups="distrib_atp.group_distrib_sales,distrib_atp.group_distrib_warehouse",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        cls.product = cls.env["product.product"].create(
            {"name": "ATP RPC product", "is_storable": True, "tracking": "lot"}
        )
        cls.lot = cls.env["stock.lot"].create(
            {"name": "ATP-RPC-LOT", "product_id": cls.product.id}
        )

    def assertRefused(self, model, method, args, kwargs, *fragments):
        result, error = self._jsonrpc_call(self.user, model, method, args, kwargs)
        self.assertIsNone(result, f"{method}{args}{kwargs} was accepted")
        self.assertNotIn("Traceback", error)
        for fragment in fragments:
            self.assertIn(fragment, error)

    def test_get_availability_refuses_bad_input(self):
        pid = self.product.id
        atp = "distrib.atp"
        big = 10**20
        self.assertRefused(atp, "get_availability", [[big]], {}, str(big), "ids")
        self.assertRefused(
            atp, "get_availability", [[pid]], {"warehouse_ids": [big]}, str(big)
        )
        self.assertRefused(atp, "get_availability", [[True]], {}, "True")
        self.assertRefused(
            atp,
            "get_availability",
            [[pid]],
            {"quantity": 10**400},
            "finite number",
            "401 characters",
        )
        self.assertRefused(
            atp, "get_availability", [[pid]], {"quantity": float("nan")}, "nan"
        )
        self.assertRefused(
            atp, "get_availability", [[pid]], {"quantity": float("inf")}, "inf"
        )
        self.assertRefused(
            atp,
            "get_availability",
            [[pid]],
            {"quantity": {str(pid): float("-inf")}},
            "-inf",
        )
        self.assertRefused(
            atp,
            "get_availability",
            [[pid]],
            {"date": "2024-01-01garbage"},
            "'2024-01-01garbage' is not a valid date",
        )
        self.assertRefused(
            atp, "get_availability", [[pid]], {"date": ["2024-01-01"]}, "not a valid"
        )
        # good input still answers, in valid JSON
        rows, error = self._jsonrpc_call(
            self.user,
            atp,
            "get_availability",
            [[pid]],
            {"date": "2024-01-01", "quantity": 2},
        )
        self.assertFalse(error)
        self.assertTrue(rows)
        self.assertEqual({row["product_id"] for row in rows}, {pid})

    def test_breakdown_refuses_bad_input(self):
        pid = self.product.id
        line = "sale.order.line"
        method = "distrib_get_availability_breakdown"
        self.assertRefused(line, method, [True], {}, "True")
        self.assertRefused(line, method, [10**20], {}, str(10**20))
        self.assertRefused(line, method, [pid], {"quantity": float("nan")}, "nan")
        self.assertRefused(line, method, [pid], {"uom_id": 10**20}, str(10**20))
        kg = self.env.ref("uom.product_uom_kgm")
        self.assertRefused(line, method, [pid], {"uom_id": kg.id}, kg.name)
        self.assertRefused(line, method, [pid], {"warehouse_id": "x"}, "'x'")
        self.assertRefused(line, method, [pid], {"date": "2024-01-01x"}, "valid date")
        data, error = self._jsonrpc_call(
            self.user, line, method, [pid], {"quantity": 3}
        )
        self.assertFalse(error)
        self.assertEqual(data["quantity"], 3)

    def test_hold_reason_must_be_text(self):
        self.assertRefused(
            "stock.lot",
            "action_distrib_hold",
            [self.lot.ids],
            {"context": {"distrib_hold_reason": ["Quality"]}},
            "must be a text",
            "['Quality']",
        )
        self.assertFalse(self.lot.distrib_hold)
        result, error = self._jsonrpc_call(
            self.user,
            "stock.lot",
            "action_distrib_hold",
            [self.lot.ids],
            {"context": {"distrib_hold_reason": "Quality"}},
        )
        self.assertFalse(error)
        self.assertIs(result, True)
        self.lot.invalidate_recordset()
        self.assertEqual(self.lot.distrib_hold_reason, "Quality")
