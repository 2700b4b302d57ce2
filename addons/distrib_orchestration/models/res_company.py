from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    distrib_orchestration_enabled = fields.Boolean(
        string="Order Event States",
        help="Sale orders of this company move through event states (entered, "
        "validated, allocated, picked, shipped, invoiced, collected...) driven by "
        "their deliveries and invoices, with an append-only event log and margins "
        "at order, shipment and invoice.",
    )
    distrib_invoice_on_shipment = fields.Boolean(
        string="Invoice on Shipment",
        help="When a delivery of this company is done, the invoice for the shipped "
        "quantities is created and posted automatically.",
    )
    distrib_credit_check = fields.Boolean(
        string="Credit Check at Confirmation",
        help="Confirming an order whose customer's exposure (open receivables and "
        "confirmed, uninvoiced orders of every company of the group, plus this "
        "order) exceeds the customer's credit limit puts it on hold.",
    )
    distrib_margin_check = fields.Boolean(
        string="Margin and Discount Check at Confirmation",
        help="Confirming an order whose margin, after the estimated freight and "
        "the customer's rebate, is below the minimum (customer, product category "
        "or company), or whose discount exceeds the limit, puts it on hold.",
    )
    distrib_freight_percent = fields.Float(
        string="Estimated Freight (%)",
        help="Freight cost estimated as a share of the untaxed sales amount.",
    )
    distrib_min_margin_percent = fields.Float(
        string="Minimum Margin (%)",
        help="Default minimum margin after freight and rebate; a product category "
        "or a customer can set its own.",
    )
    distrib_max_discount_percent = fields.Float(
        string="Maximum Discount (%)",
        help="Highest discount allowed on an order line without approval (0: no "
        "limit); a product category can set its own.",
    )

    @api.constrains(
        "distrib_freight_percent",
        "distrib_min_margin_percent",
        "distrib_max_discount_percent",
    )
    def _check_distrib_orchestration_percents(self):
        for company in self:
            for fname in (
                "distrib_freight_percent",
                "distrib_min_margin_percent",
                "distrib_max_discount_percent",
            ):
                if not 0.0 <= company[fname] <= 100.0:
                    raise ValidationError(
                        self.env._(
                            "%(field)s must be between 0 and 100, not %(value)s.",
                            field=self._fields[fname].string,
                            value=company[fname],
                        )
                    )

    def write(self, vals):
        opting_in = self.browse()
        if vals.get("distrib_orchestration_enabled"):
            opting_in = self.filtered(
                lambda company: not company.distrib_orchestration_enabled
            )
        result = super().write(vals)
        if opting_in:
            opting_in._distrib_start_order_states()
        return result

    def _distrib_start_order_states(self, batch_size=500):
        """Orders that exist when a company opts in get their state at once.

        Every order of the company that is not cancelled gets the state its
        documents give it, with one event ("event states enabled") that starts
        its timeline. Run as superuser: the administrator opting in may work in
        another company, and the state is the system's reading of the documents.
        """
        orders = (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("company_id", "in", self.ids),
                    ("state", "!=", "cancel"),
                    ("distrib_state", "=", False),
                ],
                order="id",
            )
        )
        reason = self.env._("Event states enabled: state read from the documents")
        for start in range(0, len(orders), batch_size):
            orders[start : start + batch_size]._distrib_compute_state(reason=reason)
