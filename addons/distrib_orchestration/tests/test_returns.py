from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import DistribOrchestrationCommon


@tagged("post_install", "-at_install")
class TestReturns(DistribOrchestrationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reason = cls.env["distrib.return.reason"].create(
            {"name": "Wrong colour", "default_disposition": "sellable"}
        )

    def _shipped_invoiced_order(self, quantity=10):
        order = self._create_order(quantity=quantity)
        order.action_confirm()
        self._deliver(order.picking_ids)
        self._invoice(order)
        return order

    def _rma(self, order, quantity, **values):
        return self.env["distrib.return.authorization"].create(
            {
                "order_id": order.id,
                "reason_id": self.reason.id,
                "line_ids": [
                    Command.create(
                        {"sale_line_id": order.order_line.id, "quantity": quantity}
                    )
                ],
                **values,
            }
        )

    def _qty(self, location):
        return self.product.with_context(location=location.id).qty_available

    def test_return_to_resolution(self):
        order = self._shipped_invoiced_order()
        self.assertEqual(order.distrib_state, "invoiced")
        rma = self._rma(order, 3)
        self.assertEqual(rma.line_ids.disposition, "sellable")
        rma.action_authorize()
        self.assertEqual(order.distrib_state, "return_authorized")
        receipt = rma.picking_ids
        self.assertEqual(len(receipt), 1)
        returns_location = self.warehouse.distrib_returns_location_id
        self.assertTrue(returns_location)
        self.assertEqual(receipt.location_dest_id, returns_location)
        self.assertEqual(receipt.move_ids.product_uom_qty, 3)
        self.assertTrue(receipt.move_ids.to_refund)
        self._deliver(receipt)
        self.assertEqual(rma.state, "received")
        self.assertEqual(order.distrib_state, "return_received")
        self.assertEqual(self._qty(returns_location), 3)
        stock_before = self._qty(self.warehouse.lot_stock_id)
        rma.action_apply_disposition()
        self.assertEqual(order.distrib_state, "return_disposed")
        self.assertEqual(self._qty(returns_location), 0)
        self.assertEqual(self._qty(self.warehouse.lot_stock_id), stock_before + 3)
        rma.action_create_credit_note()
        credit_note = rma.credit_note_ids
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.state, "posted")
        self.assertEqual(credit_note.amount_untaxed, 300)
        self.assertEqual(rma.state, "credited")
        self.assertEqual(order.distrib_state, "invoiced")
        self.assertEqual(
            [to for _from, to in self._states(order)][-4:],
            ["return_authorized", "return_received", "return_disposed", "invoiced"],
        )
        self.assertEqual(
            self._last_event(order, 1).res_model, "distrib.return.authorization"
        )

    def test_scrap_disposition(self):
        order = self._shipped_invoiced_order(quantity=5)
        rma = self._rma(order, 2)
        rma.line_ids.disposition = "scrap"
        rma.action_authorize()
        self._deliver(rma.picking_ids)
        rma.action_apply_disposition()
        scrap = rma.line_ids.scrap_id
        self.assertEqual(scrap.state, "done")
        self.assertEqual(scrap.scrap_qty, 2)
        self.assertEqual(self._qty(self.warehouse.distrib_returns_location_id), 0)

    def test_cannot_return_more_than_delivered(self):
        order = self._shipped_invoiced_order(quantity=5)
        self._rma(order, 4).action_authorize()
        with self.assertRaisesRegex(ValidationError, "only 1.0 were delivered"):
            self._rma(order, 2).action_authorize()
