import json

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestDisputeRpc(HttpCase):
    def test_non_text_reason_is_refused_clearly(self):
        user = new_test_user(
            self.env,
            login="dispute_rpc_sales",
            groups="base.group_user,distrib_atp.group_distrib_sales",
            company_ids=[Command.set(self.env.company.ids)],
        )
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": [
                    self.env.cr.dbname,
                    user.id,
                    user.login,
                    "distrib.order.dispute",
                    "create",
                    [{"invoice_id": 1, "reason": 42}],
                ],
            },
        }
        with mute_logger("odoo.http", "odoo.service.model"):
            body = self.url_open(
                "/jsonrpc",
                data=json.dumps(payload),
                headers={"Content-Type": "application/json"},
            ).json()
        self.assertIn("error", body)
        self.assertIn(
            "must be a text, not 42", body["error"]["data"]["message"], body["error"]
        )
