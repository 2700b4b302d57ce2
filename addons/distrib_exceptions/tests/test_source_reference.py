from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import DistribControlPointCommon


@tagged("post_install", "-at_install")
class TestSourceReference(DistribControlPointCommon):
    """Exceptions, approval requests, alerts and order events point at their
    source document the same way: its name as the user may see it, and an
    action that opens it only for who may read it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sales_user = new_test_user(
            cls.env,
            login="src_sales",
            groups="base.group_user,distrib_atp.group_distrib_sales",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.order = cls._create_po()
        cls.exception = cls.env["distrib.exception"]._raise_for(
            cls.order, "delayed_receipt", summary="Late vendor"
        )

    def test_source_seen_by_a_reader(self):
        exception = self.exception.with_user(self.buyer)
        self.assertEqual(exception.source_display_name, self.order.display_name)
        action = exception.action_open_source()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("purchase.order", self.order.id)
        )

    def test_source_hidden_from_who_cannot_read_it(self):
        self.assertFalse(
            self.env["purchase.order"].with_user(self.sales_user).has_access("read")
        )
        exception = self.exception.with_user(self.sales_user)
        self.assertEqual(
            exception.source_display_name, f"Purchase Order #{self.order.id}"
        )
        with self.assertRaises(AccessError):
            exception.action_open_source()

    def test_deleted_source(self):
        partner = self.env["res.partner"].create({"name": "Gone Soon"})
        exception = self.env["distrib.exception"]._raise_for(partner, "unmatched_bill")
        partner.unlink()
        self.assertFalse(exception.source_display_name)
        with self.assertRaisesRegex(UserError, "no longer exists"):
            exception.action_open_source()
