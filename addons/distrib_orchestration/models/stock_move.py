from odoo import models

from odoo.addons.distrib_atp.server_flags import NO_NOTIFY


class StockMove(models.Model):
    _inherit = "stock.move"

    def _distrib_orders(self):
        return (self.sale_line_id.order_id | self.group_id.sale_id).filtered(
            lambda o: o.company_id.distrib_orchestration_enabled
        )

    def _distrib_is_shipment(self):
        """Whether the move hands the goods over: to a customer, to the
        inter-company transit location (a sale to another company of the group),
        or to any location outside the warehouse from a delivery."""
        self.ensure_one()
        destination = self.location_dest_id
        return destination._is_outgoing() or (
            self.picking_code == "outgoing" and destination.usage != "internal"
        )

    def _distrib_notify_orders(self, reason=None, margins=False):
        """Recompute the event state of the orders these moves serve."""
        if NO_NOTIFY.is_on(self.env):
            return
        orders = self.sudo()._distrib_orders()
        if not orders:
            return
        sources = orders._distrib_sources_from_records(
            self.sudo().picking_id,
            lambda picking: picking.sale_id | picking.move_ids.sale_line_id.order_id,
        )
        orders._distrib_compute_state(reason=reason, sources=sources, margins=margins)

    def _action_assign(self, force_qty=False):
        res = super()._action_assign(force_qty=force_qty)
        self._distrib_notify_orders()
        return res

    def _do_unreserve(self):
        res = super()._do_unreserve()
        self._distrib_notify_orders(reason=self.env._("Reservation released"))
        return res

    def _action_cancel(self):
        res = super()._action_cancel()
        self._distrib_notify_orders(margins=True)
        return res

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        (self | moves).exists()._distrib_notify_orders(margins=True)
        return moves

    def write(self, vals):
        res = super().write(vals)
        if "picked" in vals:
            self.filtered(lambda m: m._distrib_is_shipment())._distrib_notify_orders()
        return res
