from odoo.tests import tagged

from .common import DistribIntercompanyCommon


@tagged("post_install", "-at_install")
class TestIntercompanyReturns(DistribIntercompanyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls._create_rule()
        cls.product.tracking = "lot"
        cls.lot = cls._stock_b(10, "LOT-R")

    def _shipped(self, quantity=5.0):
        order = self._customer_order(quantity=quantity)
        order.action_confirm()
        purchase = order.distrib_ic_purchase_ids
        sale = purchase.distrib_ic_sale_order_id
        picking = sale.picking_ids
        picking.action_assign()
        picking.move_ids.picked = True
        picking.with_context(skip_backorder=True).button_validate()
        self.assertEqual(purchase.picking_ids.state, "done")
        return order, purchase, sale

    def _return(self, picking, quantity):
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=picking.id, active_model="stock.picking")
            .create({"picking_id": picking.id})
        )
        wizard.product_return_moves.quantity = quantity
        returned = picking.browse(wizard.action_create_returns()["res_id"])
        returned.move_ids.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            {
                "move_id": returned.move_ids.id,
                "picking_id": returned.id,
                "product_id": self.product.id,
                "lot_id": self.env["stock.lot"]
                .search(
                    [
                        ("name", "=", "LOT-R"),
                        ("company_id", "=", returned.company_id.id),
                    ]
                )
                .id,
                "quantity": quantity,
                "location_id": returned.move_ids.location_id.id,
                "location_dest_id": returned.move_ids.location_dest_id.id,
            }
        )
        returned.move_ids.picked = True
        returned.with_context(skip_backorder=True).button_validate()
        return returned

    def test_buyer_return_is_taken_back_by_supplier(self):
        _order, purchase, sale = self._shipped(5.0)
        receipt = purchase.picking_ids
        self._return(receipt, 2.0)
        self.assertEqual(purchase.order_line.qty_received, 3.0)
        b_return = sale.picking_ids.filtered("distrib_ic_mirrored")
        self.assertEqual(b_return.state, "done")
        self.assertEqual(b_return.move_line_ids.lot_id.name, "LOT-R")
        self.assertEqual(b_return.move_line_ids.lot_id.company_id, self.company_b)
        self.assertEqual(b_return.move_ids.quantity, 2.0)
        self.assertEqual(sale.order_line.qty_delivered, 3.0)

    def test_supplier_return_is_returned_by_buyer(self):
        _order, purchase, sale = self._shipped(5.0)
        delivery = sale.picking_ids
        self._return(delivery, 1.0)
        self.assertEqual(sale.order_line.qty_delivered, 4.0)
        a_return = purchase.picking_ids.filtered("distrib_ic_mirrored")
        self.assertEqual(a_return.state, "done")
        self.assertEqual(a_return.move_line_ids.lot_id.company_id, self.company_a)
        self.assertEqual(purchase.order_line.qty_received, 4.0)
        # the mirrored return is not mirrored back
        self.assertEqual(len(sale.picking_ids), 2)
