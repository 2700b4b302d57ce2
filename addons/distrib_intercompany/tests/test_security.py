from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import DistribIntercompanyCommon


@tagged("post_install", "-at_install")
class TestIntercompanySecurity(DistribIntercompanyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls._create_rule()
        cls.order = cls._customer_order(cls, user=cls.sales_a)
        cls.order.action_confirm()
        cls.order = cls.order.with_env(cls.env)
        cls.purchase = cls.order.sudo().distrib_ic_purchase_ids
        cls.sale_b = cls.purchase.distrib_ic_sale_order_id

    def _as(self, user, records):
        env = self.env(
            user=user,
            context=dict(self.env.context, allowed_company_ids=user.company_id.ids),
        )
        return records.with_env(env)

    def test_seller_never_sees_supplier_documents(self):
        self.assertEqual(self.order.state, "sale")
        order = self._as(self.sales_a, self.order)
        self.assertEqual(
            order.order_line.distrib_ic_supplier_company_id, self.company_b
        )
        # B's sale and its delivery stay out of reach of A's salesperson
        with self.assertRaises(AccessError):
            self._as(self.sales_a, self.sale_b).read(["name"])
        with self.assertRaises(AccessError):
            self._as(self.sales_a, self.sale_b.picking_ids).read(["name"])
        self.assertFalse(
            self._as(self.sales_a, self.env["sale.order"]).search(
                [("id", "=", self.sale_b.id)]
            )
        )
        # even allowed in both companies, A's purchaser only gets A's documents
        # listed from the customer's order
        self.assertEqual(self.order.distrib_ic_purchase_ids.company_id, self.company_a)

    def test_supplier_never_sees_seller_documents(self):
        with self.assertRaises(AccessError):
            self._as(self.warehouse_user_b, self.purchase).read(["name"])
        with self.assertRaises(AccessError):
            self._as(self.warehouse_user_b, self.order).read(["name"])
        with self.assertRaises(AccessError):
            self._as(self.warehouse_user_b, self.purchase.picking_ids).read(["name"])

    def test_rules_visible_to_their_companies_only(self):
        company_c = self.env["res.company"].create({"name": "Company C"})
        manager_c = self.env["res.users"].create(
            {
                "name": "Manager C",
                "login": "manager_c",
                "company_id": company_c.id,
                "company_ids": [(6, 0, company_c.ids)],
                "groups_id": [
                    (6, 0, self.env.ref("distrib_atp.group_distrib_manager").ids)
                ],
            }
        )
        rules = self._as(manager_c, self.env["distrib.intercompany.rule"]).search([])
        self.assertNotIn(self.rule, rules)

    def test_documents_need_the_callers_rights(self):
        """The intercompany paths act as intercompany users: the caller must be
        allowed to change the document that triggers them."""
        draft = self._customer_order(user=self.sales_a)
        with self.assertRaises(AccessError):
            self._as(self.warehouse_user_b, draft)._distrib_ic_create_documents()
        self.assertFalse(draft.order_line.distrib_ic_purchase_line_id)
        with self.assertRaises(AccessError):
            self._as(self.sales_a, self.sale_b.picking_ids)._distrib_ic_sync_receipts()
        # a user of A cannot have B's invoice mirrored (nor read it)
        self.sale_b.order_line.qty_delivered = 5.0
        invoice = self.sale_b._create_invoices()
        with self.assertRaises(AccessError):
            self._as(self.sales_a, invoice)._distrib_ic_create_bills()
        # nor have B credit goods B took back
        with self.assertRaises(AccessError):
            self._as(self.sales_a, self.sale_b.picking_ids)._distrib_ic_credit_returns()
        # quantities of B's line cannot be synced by A's salesperson
        with self.assertRaises(AccessError):
            self._as(self.sales_a, self.sale_b.order_line)._distrib_ic_sync_quantity()
