from odoo import api, fields, models


class DistribExceptionTeam(models.Model):
    _name = "distrib.exception.team"
    _description = "Exception Team"
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    leader_id = fields.Many2one(
        "res.users",
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
        help="Receives the exceptions of the team that have no owner, and the "
        "escalations when the rule names the team as escalation target.",
    )
    member_ids = fields.Many2many(
        "res.users",
        "distrib_exception_team_users_rel",
        "team_id",
        "user_id",
        string="Members",
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    open_exception_count = fields.Integer(compute="_compute_open_exception_count")

    @api.depends_context("company")
    def _compute_open_exception_count(self):
        counts = dict(
            self.env["distrib.exception"]._read_group(
                [
                    ("team_id", "in", self.ids),
                    ("state", "in", self.env["distrib.exception"]._open_states()),
                ],
                groupby=["team_id"],
                aggregates=["__count"],
            )
        )
        for team in self:
            team.open_exception_count = counts.get(team, 0)

    def _get_default_assignee(self):
        """The user an exception of this team goes to when nobody owns it."""
        self.ensure_one()
        return self.leader_id or self.member_ids[:1]
