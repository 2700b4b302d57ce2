from odoo import api, fields, models

from odoo.addons.distrib_atp.rpc import check_vals

DISPOSITIONS = [
    ("sellable", "Back to Sellable Stock"),
    ("scrap", "Scrap"),
    ("vendor", "Return to Vendor"),
]


class DistribReturnAuthorizationLine(models.Model):
    _name = "distrib.return.authorization.line"
    _description = "Return Authorization Line"
    _inherit = ["distrib.workflow.mixin"]
    _check_company_auto = True

    return_id = fields.Many2one(
        "distrib.return.authorization",
        string="Return Authorization",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="return_id.company_id", store=True)
    order_id = fields.Many2one(related="return_id.order_id")
    sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Order Line",
        required=True,
        check_company=True,
        domain="[('order_id', '=', order_id), ('display_type', '=', False)]",
    )
    product_id = fields.Many2one(related="sale_line_id.product_id", store=True)
    product_uom = fields.Many2one(related="sale_line_id.product_uom")
    qty_delivered = fields.Float(
        related="sale_line_id.qty_delivered", string="Delivered"
    )
    quantity = fields.Float(
        string="Quantity to Return",
        digits="Product Unit of Measure",
        required=True,
        default=1.0,
    )
    disposition = fields.Selection(
        DISPOSITIONS,
        compute="_compute_disposition",
        store=True,
        readonly=False,
        help="What happens to the goods once inspected.",
    )
    disposition_move_id = fields.Many2one("stock.move", readonly=True, copy=False)
    scrap_id = fields.Many2one("stock.scrap", readonly=True, copy=False)

    @api.model
    def _distrib_workflow_fields(self):
        """The disposition's stock move or scrap is made by the disposition."""
        return super()._distrib_workflow_fields() | {"disposition_move_id", "scrap_id"}

    @api.model_create_multi
    def create(self, vals_list):
        check_vals(self, vals_list)
        returns = self.env["distrib.return.authorization"].browse(
            {
                vals["return_id"]
                for vals in vals_list
                if isinstance(vals.get("return_id"), int)
            }
        )
        returns._distrib_check_lines_editable()
        return super().create(vals_list)

    def write(self, vals):
        check_vals(self, vals)
        if {"return_id", "sale_line_id", "quantity"} & set(vals):
            self.return_id._distrib_check_lines_editable()
            if isinstance(vals.get("return_id"), int):
                self.return_id.browse(vals["return_id"])._distrib_check_lines_editable()
        elif "disposition" in vals:
            self.return_id._distrib_check_lines_editable(
                ("draft", "authorized", "received")
            )
        return super().write(vals)

    def unlink(self):
        self.return_id._distrib_check_lines_editable()
        return super().unlink()

    @api.depends("return_id.reason_id")
    def _compute_disposition(self):
        for line in self:
            if not line.disposition:
                line.disposition = (
                    line.return_id.reason_id.default_disposition or "sellable"
                )
