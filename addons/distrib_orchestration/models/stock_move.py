from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _distrib_orders(self):
        return (self.sale_line_id.order_id | self.group_id.sale_id).filtered(
            lambda o: o.company_id.distrib_orchestration_enabled
        )

    def _distrib_notify_orders(self, reason=None, margins=False):
        """Recompute the event state of the orders these moves serve."""
        if self.env.context.get("distrib_no_notify"):
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
            self.filtered(
                lambda m: m.location_dest_id.usage == "customer"
            )._distrib_notify_orders()
        return res
