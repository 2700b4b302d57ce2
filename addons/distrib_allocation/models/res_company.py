from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    distrib_allocation_enabled = fields.Boolean(
        string="Allocation by Priority",
        help="Reservations and promises serve the orders of higher-priority "
        "customers first (then the earlier requested date, then the earlier "
        "order); planners can re-allocate reserved units to a higher-priority "
        "order. Off: first come, first served, as in Odoo.",
    )
    distrib_auto_sourcing = fields.Boolean(
        string="Resolve Shortages at Confirmation",
        help="At confirmation, a line that cannot be promised in time takes the "
        "best sourcing option the sourcing policy allows, recorded in the order's "
        "timeline. What the policy cannot resolve holds the order and raises one "
        "shortage exception for the planners, with the ranked options.",
    )
    distrib_sourcing_policy_ids = fields.One2many(
        "distrib.sourcing.policy", "company_id", string="Sourcing Policy"
    )
    distrib_auto_margin_floor = fields.Float(
        string="Margin Floor (%)",
        digits=(16, 2),
        help="An option is applied without a person only when the line's margin "
        "after it stays at or above this percentage (0: no floor).",
    )
    distrib_shortage_team_id = fields.Many2one(
        "distrib.exception.team",
        string="Shortage Team",
        check_company=True,
        help="Planner team that receives the shortage exceptions.",
    )
    distrib_shortage_sla_strategic = fields.Integer(
        string="Shortage SLA, Strategic (hours)", default=4
    )
    distrib_shortage_sla_key = fields.Integer(
        string="Shortage SLA, Key (hours)", default=24
    )
    distrib_shortage_sla_standard = fields.Integer(
        string="Shortage SLA, Standard (hours)", default=72
    )
    distrib_expedite_cost = fields.Monetary(
        string="Expedite Cost",
        currency_field="currency_id",
        help="Cost of shipping one line from another warehouse by the express "
        "carrier. Empty: no expedite option is offered.",
    )
    distrib_expedite_days = fields.Integer(
        string="Expedite Transfer Days",
        default=0,
        help="Days an expedited transfer between two warehouses takes.",
    )

    def _distrib_shortage_sla_hours(self, priority):
        """SLA of a shortage exception, in hours, for a customer's priority
        (extension point for a priority added by another addon)."""
        self.ensure_one()
        field = f"distrib_shortage_sla_{priority}"
        return self[field] if field in self._fields else 0
