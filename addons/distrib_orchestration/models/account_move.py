from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _distrib_notify_orders(self, reason=None):
        invoices = self.sudo().filtered(lambda m: m.is_sale_document())
        orders = invoices.line_ids.sale_line_ids.order_id._distrib_filter_enabled()
        if not orders:
            return
        sources = orders._distrib_sources_from_records(
            invoices, lambda move: move.line_ids.sale_line_ids.order_id
        )
        orders._distrib_compute_state(reason=reason, sources=sources)

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._distrib_notify_orders()
        return posted

    def button_draft(self):
        res = super().button_draft()
        self._distrib_notify_orders(reason=self.env._("Invoice reset to draft"))
        return res

    def button_cancel(self):
        res = super().button_cancel()
        self._distrib_notify_orders(reason=self.env._("Invoice cancelled"))
        return res
