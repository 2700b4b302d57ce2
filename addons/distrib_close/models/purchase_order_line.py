from odoo import api, fields, models, tools


class PurchaseOrderLine(models.Model):
    """What the GRNI report needs per line, stored and recomputed when a
    receipt is done (its valuation layers) or a bill is posted or reset, so
    that the report filters purchase order lines instead of aggregating the
    whole valuation and bill history on every read."""

    _inherit = "purchase.order.line"

    distrib_company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    distrib_received_value = fields.Monetary(
        string="Received Value",
        currency_field="distrib_company_currency_id",
        compute="_compute_distrib_received",
        store=True,
        help="The valuation layers of the done receipts (and returns), without "
        "landed costs, in the company's currency.",
    )
    distrib_date_received = fields.Date(
        string="Last Valued Receipt",
        compute="_compute_distrib_received",
        store=True,
        help="The date of the last done receipt (or return) with a valuation.",
    )
    distrib_qty_billed_posted = fields.Float(
        string="Qty Billed (posted)",
        digits="Product Unit of Measure",
        compute="_compute_distrib_qty_billed_posted",
        store=True,
        help="On posted bills less posted refunds, in the line's unit: unlike "
        "Odoo's billed quantity, a draft bill does not count.",
    )

    def init(self):
        result = super().init()
        # the GRNI report reads the open lines only (a few percent of the
        # history): a partial index on its own filter (issue 18)
        tools.create_index(
            self.env.cr,
            "purchase_order_line_distrib_grni_open_index",
            self._table,
            ["company_id"],
            where="distrib_date_received IS NOT NULL AND qty_received > 0 "
            "AND qty_received > distrib_qty_billed_posted",
        )
        return result

    @api.depends(
        "move_ids.state",
        "move_ids.date",
        "move_ids.stock_valuation_layer_ids.value",
        "move_ids.stock_valuation_layer_ids.stock_landed_cost_id",
    )
    def _compute_distrib_received(self):
        for line in self:
            value, date = 0.0, False
            for move in line.move_ids:
                if move.state != "done":
                    continue
                layers = move.stock_valuation_layer_ids.filtered(
                    lambda layer: not layer.stock_landed_cost_id
                )
                if not layers:
                    continue
                value += sum(layers.mapped("value"))
                move_date = move.date.date()
                date = max(date, move_date) if date else move_date
            line.distrib_received_value = value
            line.distrib_date_received = date

    @api.depends(
        "product_uom.factor",
        "invoice_lines.move_id.state",
        "invoice_lines.move_id.move_type",
        "invoice_lines.display_type",
        "invoice_lines.quantity",
        "invoice_lines.product_uom_id.factor",
    )
    def _compute_distrib_qty_billed_posted(self):
        for line in self:
            qty = 0.0
            for bill_line in line.invoice_lines:
                bill = bill_line.move_id
                if (
                    bill.state != "posted"
                    or bill.move_type not in ("in_invoice", "in_refund")
                    or bill_line.display_type != "product"
                    or not bill_line.product_uom_id
                    or not line.product_uom
                ):
                    continue
                sign = -1.0 if bill.move_type == "in_refund" else 1.0
                # not rounded: the report subtracts it from the received quantity
                qty += sign * bill_line.product_uom_id._compute_quantity(
                    bill_line.quantity, line.product_uom, round=False
                )
            line.distrib_qty_billed_posted = qty
