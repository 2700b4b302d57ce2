from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestAtpUi(HttpCase):
    def test_popover_shows_the_breakdown(self):
        company = self.env.ref("base.main_company")
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", company.id)], limit=1
        )
        second = self.env["stock.warehouse"].create(
            {"name": "ATP Tour Second", "code": "ATPT"}
        )
        product = self.env["product.product"].create(
            {"name": "ATP tour product", "is_storable": True}
        )
        Quant = self.env["stock.quant"]
        Quant._update_available_quantity(product, warehouse.lot_stock_id, 2)
        Quant._update_available_quantity(product, second.lot_stock_id, 9)
        partner = self.env["res.partner"].create({"name": "ATP tour customer"})
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "warehouse_id": warehouse.id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": 5})
                ],
            }
        )
        self.start_tour(
            f"/odoo/action-sale.action_orders/{order.id}",
            "distrib_atp_popover_tour",
            login="admin",
        )
