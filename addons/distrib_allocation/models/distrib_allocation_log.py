from odoo import api, fields, models
from odoo.exceptions import UserError

from ..priorities import PRIORITIES

EVENTS = [
    ("priority_override", "Priority Override"),
    ("auto_sourced", "Sourced Automatically"),
    ("shortage_raised", "Shortage Raised"),
    ("shortage_resolved", "Shortage Resolved"),
    ("reallocated_in", "Units Re-allocated To"),
    ("reallocated_out", "Units Re-allocated From"),
    ("promise_moved", "Promise Moved by a Higher Priority"),
]
RESOLUTIONS = [
    ("auto", "Automatically (policy)"),
    ("person", "By a person"),
    ("stock", "Stock arrived"),
    ("changed", "Line changed"),
]


class DistribAllocationLog(models.Model):
    """What the allocation did, one row per event: the audit of the priority
    overrides, the automatic sourcing, the shortages and the re-allocations,
    and the source of their KPIs. Rows are appended by the workflow and can
    never be edited or deleted."""

    _name = "distrib.allocation.log"
    _description = "Allocation Log"
    _order = "id desc"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    order_id = fields.Many2one(
        "sale.order", readonly=True, index=True, ondelete="restrict", check_company=True
    )
    line_id = fields.Many2one("sale.order.line", readonly=True, ondelete="set null")
    partner_id = fields.Many2one("res.partner", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    event = fields.Selection(EVENTS, required=True, readonly=True, index=True)
    priority = fields.Selection(PRIORITIES, readonly=True)
    priority_before = fields.Selection(PRIORITIES, readonly=True)
    resolution = fields.Selection(RESOLUTIONS, readonly=True, index=True)
    option_kind = fields.Char(readonly=True)
    quantity = fields.Float(readonly=True, digits="Product Unit of Measure")
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(
        readonly=True, help="Value at stake (company currency): cost or impact."
    )
    hours = fields.Float(
        string="Hours to Resolution", readonly=True, aggregator="avg", digits=(16, 2)
    )
    reallocation_id = fields.Many2one("distrib.reallocation", readonly=True)
    user_id = fields.Many2one(
        "res.users", readonly=True, default=lambda self: self.env.user
    )
    note = fields.Char(readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise UserError(
                self.env._("The allocation log is written by the workflow only.")
            )
        return super().create(vals_list)

    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(self.env._("The allocation log cannot be changed."))

    def unlink(self):  # pylint: disable=method-required-super
        raise UserError(self.env._("The allocation log cannot be deleted."))

    @api.model
    def _distrib_order_vals(self, order):
        return {
            "company_id": order.company_id.id,
            "order_id": order.id,
            "partner_id": order.partner_id.commercial_partner_id.id,
            "priority": order.distrib_allocation_priority,
            "user_id": self.env.uid,
        }

    @api.model
    def _distrib_log(self, order, event, **vals):
        """Append one event of ``order``."""
        return self._distrib_log_many([(order, event, vals)])

    @api.model
    def _distrib_log_many(self, events):
        """Append events in one create: ``[(order, event, vals)]``, where
        ``vals`` may give records as ``product``, ``line``, ``reallocation``."""
        vals_list = []
        for order, event, vals in events:
            vals = dict(vals)
            for key in ("product", "line", "reallocation"):
                if key in vals:
                    record = vals.pop(key)
                    vals[f"{key}_id"] = record.id
            vals_list.append(
                {**self._distrib_order_vals(order), "event": event, **vals}
            )
        return self.sudo().create(vals_list)

    @api.model
    def _distrib_log_options(self, options):
        """Append the options the policy applied (one row per line)."""
        return self.sudo().create(
            [
                {
                    **self._distrib_order_vals(option.order_id),
                    "event": "auto_sourced",
                    "resolution": "auto",
                    "hours": 0.0,
                    "line_id": option.line_id.id,
                    "product_id": option.line_id.product_id.id,
                    "option_kind": option.kind,
                    "quantity": option.quantity,
                    "amount": -option.margin_impact,
                }
                for option in options
            ]
        )
