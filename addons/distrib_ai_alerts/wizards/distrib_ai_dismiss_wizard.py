from odoo import api, fields, models

from odoo.addons.distrib_atp.rpc import check_vals, distrib_rpc


class DistribAiDismissWizard(models.TransientModel):
    """Dismiss a stockout risk or a customer of the collections list, with the
    reason the next scoring run learns from."""

    _name = "distrib.ai.dismiss.wizard"
    _description = "Dismiss a Suggestion"

    stockout_risk_ids = fields.Many2many(
        "distrib.stockout.risk", string="Stockout Risks", readonly=True
    )
    collection_ids = fields.Many2many(
        "distrib.collection.priority", string="Customers to Collect", readonly=True
    )
    reason = fields.Text(required=True)

    @api.model_create_multi
    def create(self, vals_list):
        # the risks or customers may have been refreshed away since the list
        # was opened: words, not a foreign key error (see check_vals)
        check_vals(self, vals_list)
        return super().create(vals_list)

    @distrib_rpc(singleton=True)
    def action_confirm(self):
        if self.stockout_risk_ids:
            self.stockout_risk_ids.action_dismiss(self.reason)
        if self.collection_ids:
            self.collection_ids.action_dismiss(self.reason)
        return {"type": "ir.actions.act_window_close"}
