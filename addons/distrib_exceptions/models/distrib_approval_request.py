import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Fields the mail machinery may still write on a decided request.
MAIL_FIELDS = {"message_main_attachment_id", "activity_ids", "message_follower_ids"}


class DistribApprovalRequest(models.Model):
    _name = "distrib.approval.request"
    _description = "Approval Request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
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
    res_model = fields.Char(string="Source Model", required=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Source ID", model_field="res_model", required=True, readonly=True
    )
    source_name = fields.Char(
        string="Source Document", compute="_compute_source_name", store=True
    )
    value = fields.Float(readonly=True, digits=(16, 4))
    threshold = fields.Float(
        readonly=True, digits=(16, 4), help="Threshold of the current level."
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
    can_decide = fields.Boolean(compute="_compute_can_decide")

    @api.depends("res_model", "res_id")
    def _compute_source_name(self):
        for request in self:
            record = request._get_source_record()
            request.source_name = record.sudo().display_name if record else False

    @api.depends_context("uid")
    @api.depends("state", "level", "policy_id", "requested_by_id")
    def _compute_can_decide(self):
        for request in self:
            request.can_decide = (
                request.state == "pending" and not request._get_decide_error()
            )

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
            if not self.env.context.get("distrib_approval_deciding"):
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

    def _get_source_record(self):
        self.ensure_one()
        if not self.res_model or self.res_model not in self.env or not self.res_id:
            return None
        record = self.env[self.res_model].browse(self.res_id)
        return record if record.exists() else None

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

    def action_approve(self, comment=None):
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

    def action_reject(self, reason):
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
        approved = list(self.env.context.get("distrib_approved_request_ids") or [])
        context["distrib_approved_request_ids"] = [*approved, self.id]
        held = record.with_user(self.requested_by_id).with_context(**context)
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
                    value=round(request.value, 2),
                    threshold=request.threshold,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def action_open_source(self):
        self.ensure_one()
        record = self._get_source_record()
        if not record:
            raise UserError(
                self.env._(
                    "The source document of %(name)s no longer exists.", name=self.name
                )
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

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
