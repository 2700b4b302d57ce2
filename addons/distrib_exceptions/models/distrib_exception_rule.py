import logging

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import safe_eval

from odoo.addons.distrib_atp.rpc import distrib_rpc

from .distrib_exception import OPEN_STATES, SEVERITIES

_logger = logging.getLogger(__name__)


class DistribExceptionRule(models.Model):
    _name = "distrib.exception.rule"
    _inherit = "distrib.exception.type.mixin"
    _description = "Exception Rule"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    condition = fields.Selection(
        [
            ("api", "Raised by a control point or another module"),
            ("domain", "Records matching a domain"),
            ("hook", "Python check method"),
        ],
        required=True,
        default="api",
        help="API: the rule only gives owner, SLA and escalation to the exceptions "
        "that control points raise for its type. Domain and Python check rules are "
        "evaluated in batch by the exception cron, which also resolves the "
        "exceptions whose condition cleared.",
    )
    model_id = fields.Many2one(
        "ir.model",
        string="Applies To",
        ondelete="cascade",
        domain="[('transient', '=', False)]",
    )
    model_name = fields.Char(related="model_id.model", string="Model Name")
    domain = fields.Char(default="[]")
    check_code = fields.Char(
        string="Check Method",
        help="Code of the Python check: the rule calls _distrib_check_<code>(), "
        "which returns the offending records, or a dict {record: values}.",
    )
    severity = fields.Selection(SEVERITIES, required=True, default="medium")
    blocking = fields.Boolean()
    owner_id = fields.Many2one(
        "res.users",
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    team_id = fields.Many2one("distrib.exception.team", check_company=True)
    sla_hours = fields.Float(string="SLA (hours)", default=24.0)
    escalation_user_id = fields.Many2one(
        "res.users",
        string="Escalate To",
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    escalation_team_id = fields.Many2one(
        "distrib.exception.team", string="Escalate To Team", check_company=True
    )
    auto_resolve = fields.Boolean(
        default=True,
        help="Resolve the open exceptions whose condition no longer holds.",
    )
    open_exception_count = fields.Integer(compute="_compute_open_exception_count")
    last_run = fields.Datetime(readonly=True)
    last_run_failures = fields.Integer(readonly=True)

    def _compute_open_exception_count(self):
        counts = dict(
            self.env["distrib.exception"]._read_group(
                [("rule_id", "in", self.ids), ("state", "in", list(OPEN_STATES))],
                groupby=["rule_id"],
                aggregates=["__count"],
            )
        )
        for rule in self:
            rule.open_exception_count = counts.get(rule, 0)

    @api.constrains("owner_id", "team_id", "exception_type")
    def _check_assignment(self):
        for rule in self:
            if not rule.owner_id and not rule.team_id:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s needs an owner or a team: nobody would "
                        "handle its exceptions.",
                        rule=rule.name,
                    )
                )

    @api.constrains("sla_hours")
    def _check_sla_hours(self):
        for rule in self:
            if rule.sla_hours < 0:
                raise ValidationError(
                    self.env._(
                        "The SLA of rule %(rule)s cannot be negative (%(hours)s h).",
                        rule=rule.name,
                        hours=rule.sla_hours,
                    )
                )

    @api.constrains("condition", "model_id", "domain", "check_code")
    def _check_condition(self):
        for rule in self:
            if rule.condition == "domain":
                if not rule.model_id:
                    raise ValidationError(
                        self.env._(
                            "Rule %(rule)s: choose the model the domain applies to.",
                            rule=rule.name,
                        )
                    )
                try:
                    domain = rule._eval_domain()
                    self.env[rule.model_id.model].search_count(domain, limit=1)
                except Exception as error:
                    raise ValidationError(
                        self.env._(
                            "Rule %(rule)s: invalid domain %(domain)s (%(error)s).",
                            rule=rule.name,
                            domain=rule.domain,
                            error=error,
                        )
                    ) from error
            elif rule.condition == "hook":
                method = f"_distrib_check_{rule.check_code or ''}"
                if not rule.check_code or not hasattr(rule, method):
                    raise ValidationError(
                        self.env._(
                            "Rule %(rule)s: no check method %(method)s exists.",
                            rule=rule.name,
                            method=method,
                        )
                    )

    def _eval_domain(self):
        self.ensure_one()
        return safe_eval(
            self.domain or "[]",
            {
                "datetime": safe_datetime,
                "context_today": lambda: fields.Date.context_today(self),
                "uid": self.env.uid,
                "user": self.env.user,
                "company_id": self.company_id.id,
            },
        )

    @api.model
    def _get_api_rule(self, company, exception_type):
        """The active rule that assigns the exceptions of ``exception_type``
        raised through the API in ``company`` (empty when none)."""
        return self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("exception_type", "=", exception_type),
                ("condition", "=", "api"),
            ],
            limit=1,
        )

    def _distrib_remove_exception_type(self):
        """The rules of an uninstalled type go with the exceptions they gave."""
        self.env["distrib.exception"].sudo().with_context(active_test=False).search(
            [("rule_id", "in", self.ids)]
        ).unlink()
        return super()._distrib_remove_exception_type()

    def _prepare_exception_vals(self, company=None):
        """Values given by the rule to a new exception: extension point."""
        self.ensure_one()
        owner = self.owner_id or (
            self.team_id._get_default_assignee() if self.team_id else self.owner_id
        )
        return {
            "company_id": (company or self.company_id).id,
            "severity": self.severity,
            "blocking": self.blocking,
            "team_id": self.team_id.id,
            "owner_id": owner.id,
            "sla_deadline": self.env["distrib.exception"]._sla_deadline_from_hours(
                self.sla_hours
            ),
        }

    # ------------------------------------------------------------------
    # Evaluation
    # ------------------------------------------------------------------
    def _find_offending(self):
        """``{record: values}`` of the records that meet the rule's condition."""
        self.ensure_one()
        if self.condition == "domain":
            Model = self.env[self.model_id.model].with_company(self.company_id)
            domain = list(self._eval_domain())
            if "company_id" in Model._fields:
                domain.append(("company_id", "in", [self.company_id.id, False]))
            return {record: {} for record in Model.search(domain)}
        if self.condition == "hook":
            found = getattr(self.with_company(self.company_id), self._hook_name())()
            if isinstance(found, models.BaseModel):
                return {record: {} for record in found}
            return dict(found or {})
        return {}

    def _hook_name(self):
        return f"_distrib_check_{self.check_code}"

    def _raise_one(self, record, values):
        """Raise or refresh the exception of this rule on one record."""
        return self.env["distrib.exception"]._raise_for(
            record,
            self.exception_type,
            rule=self,
            summary=values.get("summary")
            or self.env._(
                "%(rule)s: %(record)s", rule=self.name, record=record.display_name
            ),
            details=values.get("details"),
            impact_amount=values.get("impact_amount", 0.0),
            blocking=self.blocking,
        )

    def _resolve_cleared(self, exceptions):
        exceptions._close(
            "resolved",
            note=self.env._(
                "Resolved automatically: the condition of rule %(rule)s cleared "
                "on %(date)s.",
                rule=self.name,
                date=fields.Datetime.now(),
            ),
        )

    def _evaluate(self):
        """Evaluate the rules in batch. Each record is handled in its own
        savepoint: a failing record is logged, counted and skipped."""
        stats = {"raised": 0, "resolved": 0, "failures": 0}
        Exception_ = self.env["distrib.exception"]
        for rule in self.filtered(lambda r: r.condition in ("domain", "hook")):
            failures = 0
            try:
                offending = rule._find_offending()
            except Exception:
                _logger.exception("Exception rule %s: the condition failed", rule.id)
                rule.write({"last_run": fields.Datetime.now(), "last_run_failures": 1})
                stats["failures"] += 1
                continue
            for record, values in offending.items():
                try:
                    with self.env.cr.savepoint():
                        rule._raise_one(record, values or {})
                    stats["raised"] += 1
                except Exception:
                    failures += 1
                    _logger.exception(
                        "Exception rule %s failed on %s,%s",
                        rule.id,
                        record._name,
                        record.id,
                    )
            if rule.auto_resolve:
                offending_ids = {record.id for record in offending}
                models_ = {record._name for record in offending}
                open_exceptions = Exception_.search(
                    [("rule_id", "=", rule.id), ("state", "in", list(OPEN_STATES))]
                )
                cleared = open_exceptions.filtered(
                    lambda e, ids=offending_ids, names=models_: (
                        e.res_id not in ids or (names and e.res_model not in names)
                    )
                )
                for exception in cleared:
                    try:
                        with self.env.cr.savepoint():
                            rule._resolve_cleared(exception)
                        stats["resolved"] += 1
                    except Exception:
                        failures += 1
                        _logger.exception(
                            "Exception rule %s: resolving %s failed",
                            rule.id,
                            exception.id,
                        )
            rule.write(
                {"last_run": fields.Datetime.now(), "last_run_failures": failures}
            )
            stats["failures"] += failures
        return stats

    @api.model
    def _cron_evaluate_rules(self):
        return self.search([("condition", "in", ("domain", "hook"))])._evaluate()

    @distrib_rpc()
    def action_evaluate(self):
        # evaluating writes the rules' last run: only who may edit them runs it
        self.check_access("write")
        stats = self._evaluate()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning" if stats["failures"] else "success",
                "message": self.env._(
                    "%(raised)s exception(s) raised or refreshed, %(resolved)s "
                    "resolved, %(failures)s failure(s).",
                    **stats,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    @distrib_rpc(singleton=True)
    def action_view_exceptions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "distrib_exceptions.distrib_exception_action"
        )
        action["domain"] = [("rule_id", "=", self.id)]
        action["context"] = {"search_default_filter_open": 1}
        return action
