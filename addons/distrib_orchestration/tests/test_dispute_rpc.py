from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.distrib_atp.tests.common import JsonRpcMixin


@tagged("post_install", "-at_install")
class TestDisputeRpc(JsonRpcMixin, HttpCase):
    def test_non_text_reason_is_refused_clearly(self):
        user = new_test_user(
            self.env,
            login="dispute_rpc_sales",
            groups="base.group_user,distrib_atp.group_distrib_sales",
            company_ids=[Command.set(self.env.company.ids)],
        )
        error = self._jsonrpc_error(
            user, "distrib.order.dispute", "create", {"invoice_id": 1, "reason": 42}
        )
        self.assertIn("must be a text, not 42", error)
