from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import formatLang

from odoo.addons.distrib_atp.rpc import distrib_rpc
from odoo.addons.distrib_atp.server_flags import APPROVAL_RESUMED

# The metrics of this addon's control points; the addons above add theirs.
APPROVAL_METRICS = [
    ("valuation_impact", "Valuation Impact Amount"),
    ("receipt_variance_percent", "Receipt Variance %"),
    ("cycle_count_variance", "Cycle-Count Variance Value"),
]
PERCENT_METRICS = ("receipt_variance_percent",)


def remove_approval_metric(policies):
    """``ondelete`` policy of an approval metric added by another addon: when
    that addon is uninstalled, its policies go, or are archived when requests
    (the audit trail) refer to them."""
    policies._distrib_remove_approval_metric()


class DistribApprovalPolicy(models.Model):
    _name = "distrib.approval.policy"
    _description = "Approval Policy"
    _order = "company_id, metric, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    metric = fields.Selection(
        APPROVAL_METRICS,
        required=True,
        help="What the policy approves. An addon adds a metric with selection_add "
        "(ondelete remove_approval_metric) and, for a percentage, extends "
        "_percent_metrics().",
    )
    is_percent = fields.Boolean(compute="_compute_is_percent")
    direction = fields.Selection(
        [("above", "Above the threshold"), ("below", "Below the threshold")],
        required=True,
        default="above",
        help="Above: values greater than the threshold need an approval (e.g. a "
        "discount). Below: values lower than the threshold do (e.g. a margin).",
    )
    threshold = fields.Float(required=True, digits=(16, 4))
    approver_group_id = fields.Many2one("res.groups")
    approver_user_id = fields.Many2one(
        "res.users",
        string="Approver",
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    level2_threshold = fields.Float(
        string="Level 2 Threshold",
        digits=(16, 4),
        help="Values beyond this second threshold need a second approval.",
    )
    use_level2 = fields.Boolean(string="Second Level")
    level2_group_id = fields.Many2one("res.groups", string="Level 2 Approver Group")
    level2_user_id = fields.Many2one(
        "res.users",
        string="Level 2 Approver",
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    request_count = fields.Integer(compute="_compute_request_count")

    _sql_constraints = [
        (
            "metric_company_uniq",
            "EXCLUDE (company_id WITH =, metric WITH =) WHERE (active)",
            "Only one active policy per metric and company.",
        )
    ]

    @api.depends("metric")
    def _compute_is_percent(self):
        for policy in self:
            policy.is_percent = policy.metric in self._percent_metrics()

    def _compute_request_count(self):
        counts = dict(
            self.env["distrib.approval.request"]._read_group(
                [("policy_id", "in", self.ids)],
                groupby=["policy_id"],
                aggregates=["__count"],
            )
        )
        for policy in self:
            policy.request_count = counts.get(policy, 0)

    def _format_value(self, value, currency=None):
        """``value`` of the policy's metric as people read it: ``12.50 %`` for
        a percent metric, an amount in ``currency`` (default: the company's)
        for the others."""
        self.ensure_one()
        if self.metric in self._percent_metrics():
            return f"{formatLang(self.env, value, digits=2)} %"
        return formatLang(
            self.env, value, currency_obj=currency or self.company_id.currency_id
        )

    def _format_difference(self, difference, currency=None):
        """A signed difference of the policy's metric (``+35.00 %``)."""
        self.ensure_one()
        sign = "+" if difference > 0 else ""
        return sign + self._format_value(difference, currency)

    @api.model
    def _percent_metrics(self):
        """Metrics expressed in percent (extension point)."""
        return PERCENT_METRICS

    @api.constrains(
        "metric",
        "threshold",
        "direction",
        "use_level2",
        "level2_threshold",
        "approver_group_id",
        "approver_user_id",
        "level2_group_id",
        "level2_user_id",
    )
    def _check_thresholds(self):
        for policy in self:
            thresholds = [policy.threshold]
            if policy.use_level2:
                thresholds.append(policy.level2_threshold)
            for threshold in thresholds:
                if policy.metric in self._percent_metrics() and not (
                    0.0 <= threshold <= 100.0
                ):
                    raise ValidationError(
                        self.env._(
                            "Policy %(policy)s: %(value)s is not a percentage "
                            "between 0 and 100.",
                            policy=policy.name,
                            value=threshold,
                        )
                    )
                if policy.metric not in self._percent_metrics() and threshold < 0:
                    raise ValidationError(
                        self.env._(
                            "Policy %(policy)s: the threshold %(value)s cannot be "
                            "negative.",
                            policy=policy.name,
                            value=threshold,
                        )
                    )
            if not policy.approver_group_id and not policy.approver_user_id:
                raise ValidationError(
                    self.env._(
                        "Policy %(policy)s needs an approver (a user or a group).",
                        policy=policy.name,
                    )
                )
            if policy.use_level2:
                beyond = (
                    policy.level2_threshold > policy.threshold
                    if policy.direction == "above"
                    else policy.level2_threshold < policy.threshold
                )
                if not beyond:
                    raise ValidationError(
                        self.env._(
                            "Policy %(policy)s: the level 2 threshold "
                            "(%(level2)s) must be %(direction)s the level 1 "
                            "threshold (%(level1)s).",
                            policy=policy.name,
                            level2=policy.level2_threshold,
                            level1=policy.threshold,
                            direction=self.env._("above")
                            if policy.direction == "above"
                            else self.env._("below"),
                        )
                    )
                if not policy.level2_group_id and not policy.level2_user_id:
                    raise ValidationError(
                        self.env._(
                            "Policy %(policy)s needs a level 2 approver (a user or "
                            "a group).",
                            policy=policy.name,
                        )
                    )

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    def _crosses(self, value, threshold):
        self.ensure_one()
        if self.direction == "above":
            return value > threshold
        return value < threshold

    def _covers(self, approved_value, value):
        """Whether approving ``approved_value`` also covers ``value``."""
        self.ensure_one()
        margin = 1e-6 * max(1.0, abs(approved_value))
        if self.direction == "above":
            return value <= approved_value + margin
        return value >= approved_value - margin

    def _required_level(self, value):
        """0 when no approval is needed, else 1 or 2."""
        self.ensure_one()
        if not self._crosses(value, self.threshold):
            return 0
        if self.use_level2 and self._crosses(value, self.level2_threshold):
            return 2
        return 1

    def _get_threshold(self, level):
        self.ensure_one()
        return self.level2_threshold if level == 2 else self.threshold

    def _get_approvers(self, level):
        """(user, group) allowed to decide at ``level``."""
        self.ensure_one()
        if level == 2:
            return self.level2_user_id, self.level2_group_id
        return self.approver_user_id, self.approver_group_id

    @api.model
    def _get_policy(self, company, metric):
        return self.sudo().search(
            [("company_id", "=", company.id), ("metric", "=", metric)], limit=1
        )

    @api.model
    def _check_value(
        self,
        record,
        metric,
        value,
        *,
        resume_method,
        resume_args=None,
        resume_context=None,
    ):
        """Ask for an approval when ``value`` of ``metric`` crosses the policy
        threshold of the record's company.

        Returns None when no approval is needed (no policy, value within the
        threshold, or the action is being resumed by its approval); else the
        pending ``distrib.approval.request`` (created, or the one already
        pending): the caller must hold its action. Approving the request calls
        ``record.<resume_method>(*resume_args)`` with ``resume_context``.
        """
        record.ensure_one()
        if metric not in dict(self._fields["metric"].selection):
            raise UserError(
                self.env._("Unknown approval metric %(metric)s.", metric=metric)
            )
        if (
            not resume_method
            or resume_method.startswith("_")
            or not hasattr(record, resume_method)
        ):
            raise UserError(
                self.env._(
                    "%(model)s has no public method %(method)s to resume.",
                    model=record._name,
                    method=resume_method,
                )
            )
        Request = self.env["distrib.approval.request"].sudo()
        resumed = self._approved_requests(record, metric)
        if any(
            approved.policy_id._covers(approved.value, value) for approved in resumed
        ):
            # the approved action resumes, unless its value got worse since the
            # approval (e.g. the count was changed): that needs a new approval
            return None
        company = (
            record.company_id
            if "company_id" in record._fields and record.company_id
            else self.env.company
        )
        policy = self._get_policy(company, metric)
        if not policy:
            return None
        level = policy._required_level(value)
        if not level:
            return None
        record.check_access("read")
        pending = Request.search(
            [
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("policy_id", "=", policy.id),
                ("state", "=", "pending"),
            ],
            limit=1,
        )
        if pending:
            if pending.value != value:
                # the approver decides on the current value, and the chatter keeps
                # the one first asked for
                pending.message_post(
                    body=self.env._(
                        "The value to approve changed from %(old)s to %(new)s.",
                        old=policy._format_value(pending.value, pending.currency_id),
                        new=policy._format_value(value, pending.currency_id),
                    )
                )
                # a value that now needs a second level gets it (an approval
                # counts only for the value it approved)
                pending.with_context(distrib_approval_deciding=True).write(
                    {"value": value, "max_level": max(pending.max_level, level)}
                )
            return self.env["distrib.approval.request"].browse(pending.id)
        request = Request.create(
            {
                "company_id": company.id,
                "policy_id": policy.id,
                "metric": metric,
                "res_model": record._name,
                "res_id": record.id,
                "value": value,
                "threshold": policy.threshold,
                "level": 1,
                "max_level": level,
                "requested_by_id": self.env.user.id,
                "resume_method": resume_method,
                "resume_args": list(resume_args or []),
                "resume_context": dict(resume_context or {}),
            }
        )
        request._notify_approvers()
        for approved in resumed:
            # the value got worse since it was approved: the new request says by
            # how much
            request.message_post(
                body=self.env._(
                    "%(approved)s approved %(old)s; the value is now %(new)s "
                    "(%(difference)s): it needs this new approval.",
                    approved=approved.name,
                    old=policy._format_value(approved.value, approved.currency_id),
                    new=policy._format_value(value, approved.currency_id),
                    difference=policy._format_difference(
                        value - approved.value, approved.currency_id
                    ),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return self.env["distrib.approval.request"].browse(request.id)

    @api.model
    def _approved_requests(self, record, metric):
        """The approved requests of ``record`` and ``metric`` whose approval is
        resuming the held action (``distrib.approval.request._resume`` says
        which, through a server flag: no context a client sends counts)."""
        request_ids = [
            request_id
            for request_id in APPROVAL_RESUMED.get(self.env) or ()
            if isinstance(request_id, int)
        ]
        Request = self.env["distrib.approval.request"].sudo()
        if not request_ids or not record.id:
            return Request
        return Request.search(
            [
                ("id", "in", request_ids),
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("metric", "=", metric),
                ("state", "=", "approved"),
            ]
        )

    @api.model
    def _is_approved(self, record, metric, value):
        """Whether the approval resuming the held action on ``record`` approved
        ``metric`` for a value that covers ``value`` (an approval counts for the
        value it approved, not for a worse one)."""
        return any(
            approved.policy_id._covers(approved.value, value)
            for approved in self._approved_requests(record, metric)
        )

    def _distrib_remove_approval_metric(self):
        """The policies of an uninstalled metric: archived when requests refer
        to them, deleted otherwise."""
        used = {
            policy
            for (policy,) in self.env["distrib.approval.request"]
            .sudo()
            ._read_group([("policy_id", "in", self.ids)], groupby=["policy_id"])
        }
        kept = self.browse([policy.id for policy in used])
        kept.sudo().write({"active": False})
        (self - kept).sudo().unlink()

    @distrib_rpc(singleton=True)
    def action_view_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "distrib_exceptions.distrib_approval_request_action"
        )
        action["domain"] = [("policy_id", "=", self.id)]
        return action
