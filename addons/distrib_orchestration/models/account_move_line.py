from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _distrib_reconciled_invoices(self):
        lines = self.sudo()
        counterparts = (
            lines.matched_debit_ids.debit_move_id
            | lines.matched_credit_ids.credit_move_id
        )
        return (lines | counterparts).move_id.filtered(lambda m: m.is_sale_document())

    def reconcile(self):
        res = super().reconcile()
        self.move_id.filtered(lambda m: m.is_sale_document())._distrib_notify_orders(
            reason=self.env._("Payment matched")
        )
        return res

    def remove_move_reconcile(self):
        invoices = self._distrib_reconciled_invoices()
        res = super().remove_move_reconcile()
        invoices._distrib_notify_orders(reason=self.env._("Payment unmatched"))
        return res
