from odoo import fields, models

from ..allocation_flags import APPLYING_OPTION, DEMAND_AFTER, LINE_WRITES

# the line values whose change may resolve (or re-create) a shortage
SHORTAGE_FIELDS = {
    "product_id",
    "product_uom_qty",
    "product_uom",
    "route_id",
    "distrib_source_kind",
    "distrib_promised_date",
}


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    distrib_source_kind = fields.Selection(
        selection_add=[("expedite", "Expedited transfer"), ("substitute",)],
        ondelete={"expedite": "set null"},
    )
    distrib_expedite_cost = fields.Monetary(
        string="Expedite Cost",
        currency_field="company_currency_id",
        copy=False,
        readonly=True,
        help="Cost of the express carrier this line ships with (company currency).",
    )
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )

    def _distrib_workflow_fields(self):
        return super()._distrib_workflow_fields() | {"distrib_expedite_cost"}

    def write(self, vals):
        captured = LINE_WRITES.get(self.env)
        if captured is not None:
            captured.append((self.ids, dict(vals)))
        result = super().write(vals)
        if SHORTAGE_FIELDS.intersection(vals) and not APPLYING_OPTION.is_on(self.env):
            orders = self.order_id.filtered("distrib_shortage_open")
            if orders:
                orders._distrib_shortage_recheck(
                    "changed",
                    self.env._(
                        "The order lines were changed by %(user)s: no line is "
                        "short any more.",
                        user=self.env.user.name,
                    ),
                )
        return result

    # ------------------------------------------------------------------
    # the engine counts the demand of higher priorities first
    # ------------------------------------------------------------------
    def _distrib_with_demand_after(self):
        """``self`` with the lower-priority demand flagged, or None."""
        if DEMAND_AFTER.get(self.env) is not None:
            return None
        orders = self.order_id.order_line._distrib_atp_lines().order_id
        after = orders._distrib_demand_after_ids(self.product_id)
        return DEMAND_AFTER.set_on(self, after) if after else None

    def _distrib_atp_check(self, projections=None):
        if projections is None:
            flagged = self._distrib_with_demand_after()
            if flagged is not None:
                return super(SaleOrderLine, flagged)._distrib_atp_check(projections)
        return super()._distrib_atp_check(projections)

    def _distrib_sourcing_options(self):
        flagged = self._distrib_with_demand_after()
        if flagged is not None:
            return super(SaleOrderLine, flagged)._distrib_sourcing_options()
        return super()._distrib_sourcing_options()

    # ------------------------------------------------------------------
    # the expedite option: another warehouse, by the express carrier
    # ------------------------------------------------------------------
    def _distrib_expedite_options(self, context):
        """Ship from another warehouse of the company by the express carrier,
        where the company sets an expedite cost and the express transfer is
        faster than the usual one."""
        self.ensure_one()
        company = self.company_id
        cost = company.distrib_expedite_cost
        days = company.distrib_expedite_days
        if not cost or days >= company.distrib_transfer_days:
            return []
        need = self._distrib_need()
        unit_cost = self._distrib_unit_cost()
        source = self._distrib_promise_warehouse()
        date = self._distrib_option_date(days, context["today"])
        options = []
        for warehouse in context["warehouses"]:
            if warehouse in (self.warehouse_id, source) or (
                warehouse.company_id != company
            ):
                continue
            projection = context["projections"][self.product_id.id, warehouse.id]
            if projection.promisable(date) < need:
                continue
            extra = need * unit_cost * company.distrib_transfer_cost_percent / 100.0
            options.append(
                {
                    "kind": "expedite",
                    "warehouse_id": warehouse.id,
                    "company_id": company.id,
                    "product_id": self.product_id.id,
                    "quantity": self.product_uom_qty,
                    "lead_days": days,
                    "promise_date": date,
                    "cost": need * unit_cost + extra + cost,
                    "margin_impact": -(extra + cost),
                }
            )
        return options

    def _distrib_apply_expedite_option(self, option):
        self.ensure_one()
        route = option.warehouse_id._distrib_get_ship_from_route()
        self.write(
            {
                "route_id": route.id,
                "distrib_source_kind": "expedite",
                "distrib_source_warehouse_id": option.warehouse_id.id,
                "distrib_promised_date": option.promise_date,
                "distrib_expedite_cost": self.company_id.distrib_expedite_cost,
            }
        )
