from odoo import api, fields, models
from odoo.tools import float_is_zero


class StockQuant(models.Model):
    _name = "stock.quant"
    _inherit = ["stock.quant", "distrib.exception.source.mixin"]

    distrib_count_approval = fields.Selection(
        [("pending", "Waiting for Approval")],
        string="Count Approval",
        compute="_compute_distrib_count_approval",
        help="The count was applied but its variance waits for a finance "
        "approval: it posts once approved.",
    )

    @api.depends_context("uid")
    def _compute_distrib_count_approval(self):
        pending = set()
        if self.ids:
            pending = {
                res_id
                for (res_id,) in self.env["distrib.approval.request"]
                .sudo()
                ._read_group(
                    [
                        ("res_model", "=", "stock.quant"),
                        ("res_id", "in", self.ids),
                        ("state", "=", "pending"),
                    ],
                    groupby=["res_id"],
                )
            }
        for quant in self:
            quant.distrib_count_approval = "pending" if quant.id in pending else False

    def _distrib_count_variance_value(self):
        """Absolute value of the counted difference, at the product cost."""
        self.ensure_one()
        cost = self.product_id.with_company(self.company_id).standard_price
        return self.company_id.currency_id.round(
            abs(self.inventory_diff_quantity) * cost
        )

    def _distrib_counts_to_check(self):
        return self.filtered(
            lambda q: (
                q.company_id.distrib_cycle_count_approval
                and q.inventory_quantity_set
                and q.location_id.usage == "internal"
                and not float_is_zero(
                    q.inventory_diff_quantity,
                    precision_rounding=q.product_uom_id.rounding,
                )
            )
        )

    def action_apply_inventory(self):
        Policy = self.env["distrib.approval.policy"]
        requests = self.env["distrib.approval.request"]
        held = self.browse()
        for quant in self._distrib_counts_to_check():
            value = quant._distrib_count_variance_value()
            request = Policy._check_value(
                quant,
                "cycle_count_variance",
                value,
                resume_method="action_apply_inventory",
            )
            if request:
                requests |= request
                held |= quant
                quant._distrib_raise_count_variance(value, request)
        to_apply = self - held
        if held:
            if to_apply:
                to_apply._distrib_resolve_counts()
                super(StockQuant, to_apply).action_apply_inventory()
            # True, not a window nor a reload: the count list may still be
            # saving the line just typed; it reloads the line, which shows it
            # waits, and the user is told by a notification (as Odoo does)
            self.env.user._bus_send(
                "simple_notification",
                {
                    "type": "warning",
                    "title": self.env._("Waiting for approval"),
                    "message": self.env._(
                        "The count of %(products)s crosses the variance threshold: "
                        "it applies once %(requests)s is approved.",
                        products=", ".join(held.product_id.mapped("display_name")),
                        requests=", ".join(requests.mapped("name")),
                    ),
                },
            )
            return True
        self._distrib_resolve_counts()
        # Odoo answers None when nothing needs a wizard: XML-RPC cannot send it
        return super().action_apply_inventory() or True

    def _distrib_resolve_counts(self):
        checked = self.filtered(lambda q: q.company_id.distrib_cycle_count_approval)
        if checked:
            self.env["distrib.exception"]._resolve_for(
                checked,
                "cycle_count_variance",
                note=self.env._("The count was approved and applied."),
            )

    def _distrib_raise_count_variance(self, value, request):
        self.ensure_one()
        Exception_ = self.env["distrib.exception"]
        details = Exception_._format_table(
            [
                self.env._("Product"),
                self.env._("Location"),
                self.env._("On Hand"),
                self.env._("Counted"),
                self.env._("Value Variance"),
            ],
            [
                (
                    self.product_id.display_name,
                    self.location_id.display_name,
                    f"{self.quantity:g}",
                    f"{self.inventory_quantity:g}",
                    self.company_id.currency_id.format(value),
                )
            ],
            intro=self.env._(
                "The count waits for approval %(request)s before it posts.",
                request=request.name,
            ),
        )
        return Exception_._raise_for(
            self,
            "cycle_count_variance",
            summary=self.env._(
                "Count of %(product)s in %(location)s: %(value)s variance",
                product=self.product_id.display_name,
                location=self.location_id.display_name,
                value=self.company_id.currency_id.format(value),
            ),
            details=details,
            impact_amount=value,
        )
