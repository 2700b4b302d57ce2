from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        res = super()._action_done()
        self._distrib_invoice_on_shipment()
        self._distrib_update_returns()
        return res

    def _distrib_invoice_on_shipment(self):
        """Invoice what the done deliveries shipped, once per order (a batch of
        pickings of one order gives one invoice; nothing left to invoice gives
        nothing, so a replay creates no duplicate)."""
        deliveries = self.filtered(
            lambda p: (
                p.state == "done"
                and p.picking_type_code == "outgoing"
                and p.company_id.distrib_invoice_on_shipment
            )
        )
        if not deliveries:
            return self.env["account.move"]
        orders = deliveries.sudo().move_ids.sale_line_id.order_id
        invoices = self.env["account.move"]
        for order in orders:
            source = deliveries.filtered(
                lambda p, order=order: order in p.sudo().move_ids.sale_line_id.order_id
            )[:1]
            invoices |= order._distrib_invoice_shipped(source=source)
        return invoices

    def _distrib_update_returns(self):
        """Move the return authorizations whose receipt is now done."""
        returns = (
            self.env["distrib.return.authorization"]
            .sudo()
            .search([("picking_ids", "in", self.ids), ("state", "=", "authorized")])
        )
        returns._distrib_check_received()
