from odoo import api, fields, models

from odoo.addons.distrib_atp.rpc import check_vals


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    distrib_lc_picking_id = fields.Many2one(
        "stock.picking",
        string="Landed Cost For",
        check_company=True,
        index="btree_not_null",
        domain="[('picking_type_code', '=', 'incoming'), ('state', '=', 'done')]",
        help="The receipt this landed-cost line of a carrier or customs bill "
        "belongs to: posting the bill trues up the receipt's expected landed "
        "cost with the difference.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        check_vals(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_vals(self, [vals])
        return super().write(vals)
