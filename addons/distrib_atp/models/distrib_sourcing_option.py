from odoo import api, fields, models
from odoo.exceptions import UserError

from ..rpc import distrib_rpc

# The kinds of sourcing options, in the order their options are gathered (a tie
# in the ranking keeps that order). A new kind is one ``selection_add`` on
# ``kind`` (and on ``sale.order.line.distrib_source_kind``, the source it
# records) plus two methods of ``sale.order.line``:
# ``_distrib_<kind>_options(context)`` (the options of a short line, as values)
# and ``_distrib_apply_<kind>_option(option)``; optionally
# ``_distrib_<kind>_summary()`` here for its one-line text. distrib_intercompany
# adds "company" (another company of the group) this way.
OPTION_KINDS = [
    ("warehouse", "Other warehouse"),
    ("substitute", "Substitute"),
    ("split", "Split and backorder"),
]


class DistribSourcingOption(models.TransientModel):
    """A way to source a short sales order line, ranked among the line's options.

    Computed on demand from the order (``sale.order.action_distrib_sourcing_options``)
    and applied in one click (``action_apply``).
    """

    _name = "distrib.sourcing.option"
    _description = "Sourcing Option"
    _order = "order_id, line_id, rank"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade")
    line_id = fields.Many2one("sale.order.line", required=True, ondelete="cascade")
    line_product_id = fields.Many2one(
        related="line_id.product_id", string="Ordered Product"
    )
    rank = fields.Integer()
    kind = fields.Selection(OPTION_KINDS, required=True)
    warehouse_id = fields.Many2one("stock.warehouse", string="From Warehouse")
    company_id = fields.Many2one("res.company", string="From Company")
    product_id = fields.Many2one("product.product")
    substitute_id = fields.Many2one("distrib.product.substitute")
    quantity = fields.Float(digits="Product Unit of Measure")
    backorder_qty = fields.Float(string="Backorder", digits="Product Unit of Measure")
    lead_days = fields.Integer(string="Lead Time (days)")
    promise_date = fields.Date()
    currency_id = fields.Many2one(related="order_id.company_id.currency_id")
    cost = fields.Monetary(help="Cost of the goods and their transport.")
    margin_impact = fields.Monetary(
        help="Change of the line's margin against shipping it from its own warehouse."
    )
    customer_accept_required = fields.Boolean(string="Customer Must Accept")
    summary = fields.Char(compute="_compute_summary")
    source_name = fields.Char(
        string="Source",
        compute="_compute_summary",
        help="Company and warehouse the option ships from.",
    )

    @api.depends("kind", "warehouse_id", "company_id", "product_id", "backorder_qty")
    def _compute_summary(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for option in self:
            # another company's warehouse is shown by its name only, as the
            # figures it shares: never read with the user's rights
            warehouse = option.warehouse_id.sudo()
            company = option.company_id.sudo()
            option.source_name = (
                f"{company.name} / {warehouse.name}" if warehouse else company.name
            )
            method = getattr(option, f"_distrib_{option.kind}_summary", None)
            option.summary = (
                method()
                if method
                else f"{labels.get(option.kind, option.kind)}: {option.source_name}"
            )

    def _distrib_warehouse_summary(self):
        return self.env._(
            "Ship from %(warehouse)s", warehouse=self.warehouse_id.sudo().name
        )

    def _distrib_substitute_summary(self):
        return self.env._(
            "Replace with %(product)s", product=self.product_id.display_name
        )

    def _distrib_split_summary(self):
        return self.env._(
            "Ship %(now)s now, backorder %(rest)s",
            now=self.quantity,
            rest=self.backorder_qty,
        )

    @distrib_rpc(singleton=True)
    def action_apply(self):
        """Apply the option to its line: ``_distrib_apply_<kind>_option``."""
        self.ensure_one()
        line = self.line_id
        line.check_access("write")
        line._distrib_check_editable()
        # the source and promise fields are the workflow's (readonly to clients):
        # the checks above passed, the option writes them on the private path
        method = getattr(line.sudo(), f"_distrib_apply_{self.kind}_option", None)
        if method is None:
            raise UserError(
                self.env._("Unknown sourcing option %(kind)s.", kind=self.kind)
            )
        method(self)
        order = line.order_id
        order._distrib_update_commitment_date()
        order.distrib_sourcing_option_ids.filtered(
            lambda option: option.line_id == line
        ).unlink()
        return True
