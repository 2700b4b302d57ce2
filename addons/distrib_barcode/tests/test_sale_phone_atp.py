from lxml import etree

from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.distrib_atp.tests.common import DistribTestMixin


@tagged("post_install", "-at_install")
class TestSalePhoneAtp(DistribTestMixin, HttpCase):
    """On a phone a quotation's lines are cards (the form's kanban): a
    salesperson sees the ATP indicator of each line there too (issue 13,
    item 10)."""

    browser_size = "375x667"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")
        cls.salesperson = cls._distrib_user(
            "bc_phone_sales", "base.group_user,sales", cls.company
        )
        cls.product = cls._distrib_product(
            "BC Phone Widget", standard_price=10.0, list_price=20.0
        )
        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls._distrib_stock(cls.product, warehouse.lot_stock_id, 50.0)
        cls.customer = cls.env["res.partner"].create({"name": "BC Phone Customer"})
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "warehouse_id": warehouse.id,
                "user_id": cls.salesperson.id,
                "order_line": [
                    Command.create({"product_id": cls.product.id, "product_uom_qty": 5})
                ],
            }
        )

    def test_the_lines_kanban_carries_the_indicator(self):
        views = (
            self.env["sale.order"]
            .with_user(self.salesperson)
            .get_views([(False, "form")])
        )
        arch = etree.fromstring(views["views"]["form"]["arch"])
        kanban = arch.xpath("//field[@name='order_line']/kanban")
        self.assertEqual(len(kanban), 1, "the lines have a phone (kanban) view")
        fields = kanban[0].xpath(".//field[@name='distrib_atp_state']")
        self.assertEqual(len(fields), 1)
        self.assertEqual(fields[0].get("widget"), "distrib_atp_popover")
        self.assertIn("distrib_atp_state", views["models"]["sale.order.line"]["fields"])
        self.assertTrue(self.order.order_line.distrib_atp_state)

    def test_a_phone_shows_the_indicator_on_the_line_cards(self):
        self.start_tour(
            f"/odoo/action-sale.action_quotations_with_onboarding/{self.order.id}",
            "distrib_barcode_sale_phone_atp_tour",
            login="bc_phone_sales",
            timeout=120,
        )
