"""Bad input over JSON-RPC: a clear error naming the value, in valid JSON."""

import json

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger


def _strict_json(text):
    """Parse ``text`` as standard JSON: NaN and Infinity are not JSON."""

    def refuse(constant):
        raise ValueError(f"{constant} is not valid JSON")

    return json.loads(text, parse_constant=refuse)


@tagged("post_install", "-at_install")
class TestAtpRpc(HttpCase):
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

    def _call(self, model, method, args, kwargs=None):
        """``(result, error message)`` of ``model.method`` called over /jsonrpc."""
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": [
                    self.env.cr.dbname,
                    self.user.id,
                    self.user.login,
                    model,
                    method,
                    args,
                    kwargs or {},
                ],
            },
        }
        with mute_logger("odoo.http", "odoo.service.model"):
            response = self.url_open(
                "/jsonrpc",
                # Python's json writes NaN, Infinity and 400-digit integers as
                # a careless client would
                data=json.dumps(payload),
                headers={"Content-Type": "application/json"},
            )
        body = _strict_json(response.text)
        if "error" in body:
            return None, body["error"]["data"]["message"]
        return body["result"], None

    def assertRefused(self, model, method, args, kwargs, *fragments):
        result, error = self._call(model, method, args, kwargs)
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
        rows, error = self._call(
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
        data, error = self._call(line, method, [pid], {"quantity": 3})
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
        result, error = self._call(
            "stock.lot",
            "action_distrib_hold",
            [self.lot.ids],
            {"context": {"distrib_hold_reason": "Quality"}},
        )
        self.assertFalse(error)
        self.assertIs(result, True)
        self.lot.invalidate_recordset()
        self.assertEqual(self.lot.distrib_hold_reason, "Quality")
