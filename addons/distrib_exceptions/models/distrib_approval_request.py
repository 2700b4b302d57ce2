import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL

from odoo.addons.distrib_atp.rpc import distrib_rpc
from odoo.addons.distrib_atp.server_flags import APPROVAL_RESUMED

_logger = logging.getLogger(__name__)

# Fields the mail machinery may still write on a decided request.
MAIL_FIELDS = {"message_main_attachment_id", "activity_ids", "message_follower_ids"}


class DistribApprovalRequest(models.Model):
    _name = "distrib.approval.request"
    _description = "Approval Request"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "distrib.source.reference.mixin",
    ]
    _order = "id desc"
    _check_company_auto = True
    _mail_post_access = "read"

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    policy_id = fields.Many2one(
        "distrib.approval.policy",
        required=True,
        readonly=True,
        ondelete="restrict",
        check_company=True,
    )
    metric = fields.Selection(
        related="policy_id.metric", store=True, readonly=True, string="Metric"
    )
    res_model = fields.Char(required=True)
    res_id = fields.Many2oneReference(required=True)
    source_name = fields.Char(
        string="Source Document", compute="_compute_source_name", store=True
    )
    value = fields.Float(readonly=True, digits=(16, 4))
    threshold = fields.Float(
        readonly=True, digits=(16, 4), help="Threshold of the current level."
    )
    value_display = fields.Char(
        string="Value to Approve",
        compute="_compute_value_display",
        help="The value in the request's currency, or in % for a percent metric.",
    )
    threshold_display = fields.Char(
        string="Threshold Crossed", compute="_compute_value_display"
    )
    level = fields.Integer(default=1, readonly=True)
    max_level = fields.Integer(default=1, readonly=True)
    requested_by_id = fields.Many2one("res.users", required=True, readonly=True)
    request_date = fields.Datetime(
        default=fields.Datetime.now, required=True, readonly=True
    )
    state = fields.Selection(
        [("pending", "Pending"), ("approved", "Approved"), ("rejected", "Rejected")],
        default="pending",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    decision_ids = fields.One2many(
        "distrib.approval.decision", "request_id", string="Decisions", readonly=True
    )
    decided_date = fields.Datetime(readonly=True)
    rejection_reason = fields.Text(readonly=True)
    resume_method = fields.Char(readonly=True)
    resume_args = fields.Json(readonly=True)
    resume_context = fields.Json(readonly=True)
    can_decide = fields.Boolean(
        compute="_compute_can_decide", search="_search_can_decide"
    )

    @api.depends("res_model", "res_id")
    def _compute_source_name(self):
        for request in self:
            record = request._get_source_record()
            request.source_name = record.sudo().display_name if record else False

    @api.depends("value", "threshold", "policy_id.metric", "currency_id")
    def _compute_value_display(self):
        for request in self:
            policy = request.policy_id.sudo()
            if not policy:
                request.value_display = request.threshold_display = False
                continue
            request.value_display = policy._format_value(
                request.value, request.currency_id
            )
            request.threshold_display = policy._format_value(
                request.threshold, request.currency_id
            )

    @api.depends_context("uid")
    @api.depends("state", "level", "policy_id", "requested_by_id")
    def _compute_can_decide(self):
        for request in self:
            request.can_decide = (
                request.state == "pending" and not request._get_decide_error()
            )

    def _search_can_decide(self, operator, value):
        """The pending requests the current user may decide: approver of their
        level (user or group), not their requester, no earlier decision."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(
                self.env._(
                    "Search Can Decide with = or != and true or false, not "
                    "%(operator)s %(value)r.",
                    operator=operator,
                    value=value,
                )
            )
        user = self.env.user
        Policy = (
            self.env["distrib.approval.policy"].sudo().with_context(active_test=False)
        )
        groups = user.sudo().groups_id.ids
        level1 = Policy.search(
            [
                "|",
                ("approver_user_id", "=", user.id),
                ("approver_group_id", "in", groups),
            ]
        )
        level2 = Policy.search(
            [
                "|",
                ("level2_user_id", "=", user.id),
                ("level2_group_id", "in", groups),
            ]
        )
        decided = (
            self.env["distrib.approval.decision"]
            .sudo()
            ._read_group(
                [("user_id", "=", user.id), ("request_id.state", "=", "pending")],
                groupby=["request_id"],
            )
        )
        domain = [
            ("state", "=", "pending"),
            ("requested_by_id", "!=", user.id),
            ("id", "not in", [request.id for (request,) in decided]),
            "|",
            "&",
            ("level", "=", 1),
            ("policy_id", "in", level1.ids),
            "&",
            ("level", "=", 2),
            ("policy_id", "in", level2.ids),
        ]
        if (operator == "=") == value:
            return domain
        return ["!", *expression.normalize_domain(domain)]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "distrib.approval.request"
                ) or self.env._("New")
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) - MAIL_FIELDS:
            self.check_access("write")
            decided = self.filtered(lambda r: r.state != "pending")
            if decided:
                raise UserError(
                    self.env._(
                        "Approval request %(names)s is decided: it cannot be changed.",
                        names=", ".join(decided.mapped("name")),
                    )
                )
            # only the decision actions write, as superuser (a context key
            # sent by a client switches nothing off)
            if not (self.env.su and self.env.context.get("distrib_approval_deciding")):
                raise UserError(
                    self.env._(
                        "Approval requests change only by approving or rejecting."
                    )
                )
        return super().write(vals)

    def unlink(self):
        self.check_access("unlink")
        if self:
            raise UserError(
                self.env._(
                    "Approval requests are part of the audit trail: they cannot be "
                    "deleted."
                )
            )
        return super().unlink()

    # ------------------------------------------------------------------
    # Decisions
    # ------------------------------------------------------------------
    def _get_decide_error(self, user=None):
        """Why ``user`` (default: the current user) cannot decide, or None."""
        self.ensure_one()
        user = user or self.env.user
        if self.state != "pending":
            return self.env._(
                "Request %(name)s is already %(state)s.",
                name=self.name,
                state=dict(self._fields["state"]._description_selection(self.env))[
                    self.state
                ],
            )
        if user == self.requested_by_id:
            return self.env._(
                "You requested %(name)s: someone else must approve it.",
                name=self.name,
            )
        if user in self.sudo().decision_ids.user_id:
            return self.env._(
                "You already approved %(name)s at a previous level: another "
                "approver must decide now.",
                name=self.name,
            )
        approver, group = self.policy_id.sudo()._get_approvers(self.level)
        if user != approver and not (group and group in user.sudo().groups_id):
            return self.env._(
                "You are not an approver of level %(level)s for %(name)s.",
                level=self.level,
                name=self.name,
            )
        return None

    def _check_can_decide(self):
        for request in self:
            error = request._get_decide_error()
            if error:
                raise UserError(error)

    def _record_decision(self, decision, comment):
        self.ensure_one()
        self.env["distrib.approval.decision"].sudo().with_context(
            distrib_approval_deciding=True
        ).create(
            {
                "request_id": self.id,
                "level": self.level,
                "user_id": self.env.user.id,
                "decision": decision,
                "value": self.value,
                "threshold": self.threshold,
                "comment": comment or False,
            }
        )

    def _lock_for_decision(self):
        """Serialise concurrent decisions on the same requests, then re-read."""
        self.env.cr.execute(
            SQL(
                "SELECT id FROM distrib_approval_request WHERE id IN %s FOR UPDATE",
                tuple(self.ids),
            )
        )
        self.invalidate_recordset()

    def _check_decision_args(self, text, label, text_label):
        if not self:
            raise UserError(
                self.env._(
                    "Choose the approval requests to %(action)s: none was given.",
                    action=label,
                )
            )
        if text not in (None, False) and not isinstance(text, str):
            raise UserError(
                self.env._(
                    "The %(what)s must be a text, not %(value)r.",
                    what=text_label,
                    value=text,
                )
            )
        missing = self - self.exists()
        if missing:
            raise UserError(
                self.env._(
                    "Approval request(s) %(ids)s do not exist.",
                    ids=", ".join(str(i) for i in missing.ids),
                )
            )
        self.check_access("read")

    @distrib_rpc()
    def action_approve(self, comment=None):
        self._check_decision_args(comment, self.env._("approve"), self.env._("comment"))
        self._lock_for_decision()
        self._check_can_decide()
        for request in self:
            request._record_decision("approved", comment)
            this = request.sudo().with_context(distrib_approval_deciding=True)
            if request.level < request.max_level:
                next_level = request.level + 1
                this.write(
                    {
                        "level": next_level,
                        "threshold": request.policy_id._get_threshold(next_level),
                    }
                )
                request.activity_ids.sudo().action_feedback(
                    feedback=comment or self.env._("Approved.")
                )
                request.message_post(
                    body=self.env._(
                        "Level %(level)s approved by %(user)s; level %(next)s "
                        "approval required.",
                        level=next_level - 1,
                        user=self.env.user.name,
                        next=next_level,
                    )
                )
                request._notify_approvers()
                continue
            this.write({"state": "approved", "decided_date": fields.Datetime.now()})
            request.activity_ids.sudo().action_feedback(
                feedback=comment or self.env._("Approved.")
            )
            request._resume()
        return True

    @distrib_rpc()
    def action_reject(self, reason=None):
        self._check_decision_args(
            reason, self.env._("reject"), self.env._("rejection reason")
        )
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the rejection."))
        self._lock_for_decision()
        self._check_can_decide()
        for request in self:
            request._record_decision("rejected", reason)
            request.sudo().with_context(distrib_approval_deciding=True).write(
                {
                    "state": "rejected",
                    "decided_date": fields.Datetime.now(),
                    "rejection_reason": reason,
                }
            )
            request.activity_ids.sudo().action_feedback(feedback=reason)
            body = self.env._(
                "%(name)s rejected by %(user)s: %(reason)s",
                name=request.name,
                user=self.env.user.name,
                reason=reason,
            )
            request.message_post(body=body)
            record = request._get_source_record()
            if record and hasattr(record, "message_post"):
                record.sudo().message_post(
                    body=body, partner_ids=request.requested_by_id.partner_id.ids
                )
        return True

    def _resume(self):
        """Run the held action again, as its requester, with this approval."""
        self.ensure_one()
        record = self._get_source_record()
        if not record or not self.resume_method:
            return None
        context = dict(self.resume_context or {})
        # the approvals being resumed, in a flag no client can set (a held action
        # resumed by one approval may itself resume through another one)
        approved = tuple(APPROVAL_RESUMED.get(self.env) or ())
        held = APPROVAL_RESUMED.set_on(
            record.with_user(self.requested_by_id).with_context(**context),
            (*approved, self.id),
        )
        try:
            with self.env.cr.savepoint():
                result = getattr(held, self.resume_method)(*(self.resume_args or []))
        except Exception as error:
            _logger.info("Resuming approval %s failed: %s", self.id, error)
            raise UserError(
                self.env._(
                    "The approval of %(name)s failed: resuming %(document)s "
                    "raised an error: %(error)s",
                    name=self.name,
                    document=record.display_name,
                    error=error,
                )
            ) from error
        if isinstance(result, dict) and result.get("res_model") in (
            "stock.backorder.confirmation",
            "stock.inventory.conflict",
        ):
            raise UserError(
                self.env._(
                    "The approval of %(name)s failed: %(document)s still needs a "
                    "choice in a wizard.",
                    name=self.name,
                    document=record.display_name,
                )
            )
        again = self.search(
            [
                ("res_model", "=", self.res_model),
                ("res_id", "=", self.res_id),
                ("state", "=", "pending"),
                ("id", ">", self.id),
            ]
        )
        if again:
            # the document changed while this request waited: what it gives now
            # was not approved
            self.message_post(
                body=self.env._(
                    "Approved, but %(document)s changed since: it waits for "
                    "%(requests)s.",
                    document=record.display_name,
                    requests=", ".join(again.mapped("name")),
                )
            )
            return result
        self.message_post(
            body=self.env._(
                "Approved: %(document)s resumed.", document=record.display_name
            )
        )
        return result

    def _notify_approvers(self):
        """Activity for the approver of the current level (the group's users get
        a message through the request's followers)."""
        for request in self:
            approver, group = request.policy_id.sudo()._get_approvers(request.level)
            users = approver or group.users.filtered(
                lambda u, c=request.company_id: not u.share and c in u.company_ids
            )
            users -= request.requested_by_id
            if approver and approver != request.requested_by_id:
                request.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._(
                        "Approve %(name)s (level %(level)s)",
                        name=request.name,
                        level=request.level,
                    ),
                    note=request.source_name,
                    user_id=approver.id,
                )
            elif users:
                request.sudo().message_subscribe(partner_ids=users.partner_id.ids)
            request.sudo().message_post(
                body=self.env._(
                    "Approval level %(level)s requested by %(user)s for "
                    "%(document)s: %(metric)s %(value)s crosses %(threshold)s.",
                    level=request.level,
                    user=request.requested_by_id.name,
                    document=request.source_name,
                    metric=dict(
                        request.policy_id._fields["metric"]._description_selection(
                            self.env
                        )
                    )[request.metric],
                    value=request.value_display,
                    threshold=request.threshold_display,
                ),
                subtype_xmlid="mail.mt_note",
            )

    @distrib_rpc(singleton=True)
    def action_open_decision_wizard(self):
        self.ensure_one()
        self._check_can_decide()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Decide %(name)s", name=self.name),
            "res_model": "distrib.approval.decision.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_request_id": self.id,
                "default_decision": self.env.context.get("decision", "approved"),
            },
        }

    def _action_show(self):
        """Window action that shows these (held) requests to their requester."""
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Approval Required"),
            "res_model": "distrib.approval.request",
            "target": "current",
        }
        if len(self) == 1:
            action.update(
                {"res_id": self.id, "view_mode": "form", "views": [(False, "form")]}
            )
        else:
            action.update(
                {"domain": [("id", "in", self.ids)], "view_mode": "list,form"}
            )
        return action
