import logging
from datetime import timedelta

from markupsafe import Markup, escape
from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.distrib_atp.rpc import check_vals, distrib_rpc

_logger = logging.getLogger(__name__)

SEVERITIES = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
    ("critical", "Critical"),
]
STATES = [
    ("new", "New"),
    ("assigned", "Assigned"),
    ("in_progress", "In Progress"),
    ("escalated", "Escalated"),
    ("resolved", "Resolved"),
    ("cancelled", "Cancelled"),
]
OPEN_STATES = ("new", "assigned", "in_progress", "escalated")
# Set by the workflow (actions, control points, crons) or computed: a client
# cannot write them; the actions that check the transitions write them.
WORKFLOW_FIELDS = frozenset(
    {
        "name",
        "exception_type",
        "company_id",
        "currency_id",
        "res_model",
        "res_id",
        "rule_id",
        "blocking",
        "state",
        "sla_deadline",
        "priority_rank",
        "source_name",
        "source_model_name",
        "date_raised",
        "date_last_seen",
        "date_resolved",
        "date_escalated",
        "escalated_to_id",
        "occurrence_count",
        "age_bucket",
    }
)
# What a client may set when it reports an exception by hand (the rest of
# WORKFLOW_FIELDS comes from the workflow).
CLIENT_CREATE_FIELDS = frozenset(
    {"exception_type", "company_id", "res_model", "res_id", "rule_id", "blocking"}
)
AGE_BUCKETS = [
    ("lt_1d", "< 1 day"),
    ("1_3d", "1-3 days"),
    ("3_7d", "3-7 days"),
    ("gt_7d", "> 7 days"),
]


class ConcurrentRaiseError(pg_errors.SerializationFailure):
    """Another transaction raised the same exception concurrently. A
    serialization failure, so that Odoo retries the request, which then finds
    and refreshes the exception instead of failing on the unique index."""

    pgcode = "40001"


def _age_bucket(hours):
    if hours < 24:
        return "lt_1d"
    if hours < 72:
        return "1_3d"
    if hours < 168:
        return "3_7d"
    return "gt_7d"


class DistribException(models.Model):
    _name = "distrib.exception"
    _description = "Distribution Exception"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "distrib.exception.type.mixin",
        "distrib.source.reference.mixin",
    ]
    _order = "priority_rank desc, sla_deadline, id desc"
    _check_company_auto = True
    _mail_post_access = "read"

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    summary = fields.Char(required=True, tracking=True)
    details = fields.Html(sanitize=True)
    exception_type = fields.Selection(readonly=True, index=True, tracking=True)
    severity = fields.Selection(
        SEVERITIES, required=True, default="medium", tracking=True
    )
    priority_rank = fields.Integer(
        compute="_compute_priority_rank", store=True, aggregator=False
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id", store=True)
    res_model = fields.Char(required=True, index=True)
    res_id = fields.Many2oneReference(required=True, index=True)
    source_name = fields.Char(
        string="Source Document", compute="_compute_source_name", store=True
    )
    source_model_name = fields.Char(
        string="Source Type", compute="_compute_source_name", store=True
    )
    rule_id = fields.Many2one(
        "distrib.exception.rule",
        index=True,
        readonly=True,
        ondelete="restrict",
        check_company=True,
    )
    team_id = fields.Many2one(
        "distrib.exception.team", index=True, tracking=True, check_company=True
    )
    owner_id = fields.Many2one(
        "res.users",
        index=True,
        tracking=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    root_cause_id = fields.Many2one(
        "distrib.exception.root.cause",
        tracking=True,
        domain="[('id', 'in', allowed_root_cause_ids)]",
    )
    allowed_root_cause_ids = fields.Many2many(
        "distrib.exception.root.cause",
        compute="_compute_allowed_root_cause_ids",
        help="The root causes of the exception's company that fit its type.",
    )
    root_cause_note = fields.Text()
    state = fields.Selection(
        STATES,
        required=True,
        readonly=True,
        default="new",
        index=True,
        tracking=True,
        group_expand="_group_expand_states",
    )
    blocking = fields.Boolean(
        readonly=True,
        tracking=True,
        help="A blocking exception holds the follow-up of its source document "
        "(e.g. posting the vendor bill) until it is resolved.",
    )
    sla_deadline = fields.Datetime(
        string="SLA Deadline",
        readonly=True,
        tracking=True,
        help="Given by the exception rule: past it, the exception is escalated.",
    )
    is_overdue = fields.Boolean(
        compute="_compute_age", search="_search_is_overdue", string="Overdue"
    )
    age = fields.Float(
        string="Age (hours)", compute="_compute_age", help="Hours since raised."
    )
    age_days = fields.Float(string="Age (days)", compute="_compute_age")
    age_bucket = fields.Selection(
        AGE_BUCKETS,
        default="lt_1d",
        readonly=True,
        help="Refreshed by the exception cron; used for grouping and reporting.",
    )
    impact_amount = fields.Monetary(
        string="Financial Impact", currency_field="currency_id"
    )
    resolution_note = fields.Text(tracking=True)
    date_raised = fields.Datetime(
        default=fields.Datetime.now, required=True, readonly=True
    )
    date_last_seen = fields.Datetime(
        readonly=True, help="Last time the condition was still found."
    )
    date_resolved = fields.Datetime(readonly=True)
    date_escalated = fields.Datetime(readonly=True)
    escalated_to_id = fields.Many2one("res.users", readonly=True)
    occurrence_count = fields.Integer(
        default=1, readonly=True, help="How many times the condition was reported."
    )

    def init(self):
        # At most one open exception per rule and source record, and (for the
        # exceptions raised through the Python API without any rule) per type
        # and source record. A replayed transaction hits the index instead of
        # duplicating the exception.
        open_states = SQL(", ").join(OPEN_STATES)
        self.env.cr.execute(
            SQL(
                """
                CREATE UNIQUE INDEX IF NOT EXISTS distrib_exception_open_rule_uniq
                    ON distrib_exception (rule_id, res_model, res_id)
                 WHERE rule_id IS NOT NULL AND state IN (%(states)s);
                CREATE UNIQUE INDEX IF NOT EXISTS distrib_exception_open_type_uniq
                    ON distrib_exception (exception_type, res_model, res_id)
                 WHERE rule_id IS NULL AND state IN (%(states)s);
                """,
                states=open_states,
            )
        )

    @api.model
    def _open_states(self):
        return list(OPEN_STATES)

    def _group_expand_states(self, states, domain):
        return [key for key, _label in self._fields["state"].selection]

    @api.depends("severity")
    def _compute_priority_rank(self):
        ranks = {"low": 0, "medium": 1, "high": 2, "critical": 3}
        for exception in self:
            exception.priority_rank = ranks.get(exception.severity, 0)

    @api.depends("res_model", "res_id")
    def _compute_source_name(self):
        for exception in self:
            record = exception._get_source_record()
            exception.source_name = record.sudo().display_name if record else False
            exception.source_model_name = (
                self.env["ir.model"]._get(exception.res_model).name
                if exception.res_model in self.env
                else exception.res_model
            )

    @api.depends("exception_type", "company_id")
    def _compute_allowed_root_cause_ids(self):
        causes = self.env["distrib.exception.root.cause"].search(
            [("company_id", "in", [False, *self.company_id.ids])]
        )
        for exception in self:
            exception.allowed_root_cause_ids = causes.filtered(
                lambda c, e=exception: (
                    c.company_id in (e.company_id, c.company_id.browse())
                    and c._fits(e.exception_type)
                )
            )

    @api.constrains("root_cause_id", "exception_type")
    def _check_root_cause_fits(self):
        for exception in self:
            cause = exception.root_cause_id
            if cause and not cause.sudo()._fits(exception.exception_type):
                raise ValidationError(
                    self.env._(
                        "Root cause %(cause)s does not apply to %(type)s exceptions "
                        "(it applies to: %(types)s).",
                        cause=cause.sudo().name,
                        type=dict(
                            self._fields["exception_type"]._description_selection(
                                self.env
                            )
                        )[exception.exception_type],
                        types=cause.sudo().exception_type_names,
                    )
                )

    @api.depends("date_raised", "date_resolved", "sla_deadline", "state")
    def _compute_age(self):
        now = fields.Datetime.now()
        for exception in self:
            end = exception.date_resolved or now
            start = exception.date_raised or now
            hours = max((end - start).total_seconds() / 3600.0, 0.0)
            exception.age = hours
            exception.age_days = hours / 24.0
            exception.is_overdue = bool(
                exception.state in OPEN_STATES
                and exception.sla_deadline
                and exception.sla_deadline < now
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Overdue."))
        domain = [
            ("state", "in", list(OPEN_STATES)),
            ("sla_deadline", "<", fields.Datetime.now()),
        ]
        positive = (operator == "=") == value
        return domain if positive else ["!", "&", *domain]

    @api.model_create_multi
    def create(self, vals_list):
        check_vals(self, vals_list)
        if not self.env.su:
            self._check_client_create_vals(vals_list)
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "distrib.exception"
                ) or self.env._("New")
            if vals.get("owner_id") and vals.get("state", "new") == "new":
                vals["state"] = "assigned"
        exceptions = super().create(vals_list)
        exceptions.filtered("owner_id")._schedule_owner_activity()
        return exceptions

    def write(self, vals):
        check_vals(self, vals)
        if not self.env.su:
            self._check_client_write_vals(vals)
        if vals.get("owner_id") and "state" not in vals:
            to_assign = self.filtered(lambda e: e.state == "new")
            if to_assign:
                super(DistribException, to_assign).write({"state": "assigned"})
        owner_changed = (
            self.filtered(lambda e: e.owner_id.id != vals["owner_id"])
            if "owner_id" in vals
            else self.browse()
        )
        res = super().write(vals)
        owner_changed.filtered("owner_id")._schedule_owner_activity()
        return res

    # ------------------------------------------------------------------
    # What a client (RPC, web client) may write
    # ------------------------------------------------------------------
    def _field_labels(self, fnames):
        return ", ".join(
            sorted(
                self._fields[fname]._description_string(self.env) for fname in fnames
            )
        )

    def _check_client_write_vals(self, vals):
        """Refuse a client's plain write of the fields that the workflow sets
        (transitions go through the actions) and malformed relational values."""
        protected = set(vals) & WORKFLOW_FIELDS
        if protected:
            raise UserError(
                self.env._(
                    "%(fields)s of an exception cannot be written directly: they "
                    "are set by its workflow (use Take It, Start, Resolve, Cancel "
                    "or Reopen).",
                    fields=self._field_labels(protected),
                )
            )
        self._check_many2one_vals(vals)
        if vals.get("owner_id"):
            for exception in self:
                exception._check_owner(vals["owner_id"], exception.company_id)

    @api.model
    def _check_client_create_vals(self, vals_list):
        """A client reports exceptions on documents it can read; the workflow
        fields start at their defaults."""
        allowed = CLIENT_CREATE_FIELDS | {"sla_deadline"}
        for vals in vals_list:
            protected = {
                fname
                for fname in set(vals) & (WORKFLOW_FIELDS - allowed)
                if not (fname == "state" and vals[fname] == "new")
                and not (fname == "name" and vals[fname] == "/")
            }
            if protected:
                raise UserError(
                    self.env._(
                        "%(fields)s of a new exception are set by its workflow: "
                        "leave them out.",
                        fields=self._field_labels(protected),
                    )
                )
            self._check_many2one_vals(vals)
        self._check_source_vals(vals_list)
        for vals in vals_list:
            if vals.get("owner_id"):
                company_id = vals.get("company_id") or self.env.company.id
                self._check_owner(
                    vals["owner_id"], self.env["res.company"].browse(company_id)
                )

    @api.model
    def _check_many2one_vals(self, vals):
        for fname, value in vals.items():
            field = self._fields.get(fname)
            if field is None or field.type != "many2one" or value in (False, None):
                continue
            if type(value) is not int or value <= 0:
                raise UserError(
                    self.env._(
                        "%(value)r is not a valid value for %(field)s: give the id "
                        "of a record, or false to clear it.",
                        value=value,
                        field=field._description_string(self.env),
                    )
                )

    @api.model
    def _check_owner(self, user_id, company):
        user = self.env["res.users"].sudo().browse(user_id).exists()
        if not user or user.share or company not in user.company_ids:
            raise UserError(
                self.env._(
                    "User %(user)s cannot own an exception of %(company)s: choose "
                    "an internal user of that company.",
                    user=user.name or user_id,
                    company=company.name,
                )
            )

    @api.model
    def _check_source_vals(self, vals_list):
        """The source document of each new exception exists and the caller can
        read it; the exception belongs to the document's company. Completes
        ``company_id`` from the document. One query per model."""
        ids_by_model = {}
        for vals in vals_list:
            model, res_id = vals.get("res_model"), vals.get("res_id")
            if (
                not isinstance(model, str)
                or model not in self.env
                or self.env[model]._transient
                or self.env[model]._abstract
            ):
                raise UserError(
                    self.env._(
                        "%(model)r is not a kind of document an exception can "
                        "point at.",
                        model=model,
                    )
                )
            if type(res_id) is not int or res_id <= 0:
                raise UserError(
                    self.env._(
                        "%(res_id)r is not the id of a %(model)s record.",
                        res_id=res_id,
                        model=model,
                    )
                )
            ids_by_model.setdefault(model, set()).add(res_id)
        readable = {}
        for model, ids in ids_by_model.items():
            records = self.env[model].browse(ids)
            if not records.browse().has_access("read"):
                found = records.browse()
            else:
                found = records.exists()._filtered_access("read")
            readable[model] = {record.id: record for record in found}
        for vals in vals_list:
            record = readable[vals["res_model"]].get(vals["res_id"])
            if not record:
                raise UserError(
                    self.env._(
                        "%(model)s record %(res_id)s does not exist or you cannot "
                        "read it: no exception can point at it.",
                        model=self.env["ir.model"]._get(vals["res_model"]).name,
                        res_id=vals["res_id"],
                    )
                )
            company = self._source_company_or_none(record)
            if not company:
                continue
            if not vals.get("company_id"):
                vals["company_id"] = company.id
            elif vals["company_id"] != company.id:
                raise UserError(
                    self.env._(
                        "%(document)s belongs to %(company)s: its exception cannot "
                        "be filed in another company.",
                        document=record.display_name,
                        company=company.name,
                    )
                )

    @api.model
    def _source_company_or_none(self, record):
        field = record._fields.get("company_id")
        if field is not None and field.type == "many2one":
            return record.company_id
        return record.browse()

    def _schedule_owner_activity(self):
        for exception in self:
            if exception.state not in OPEN_STATES:
                continue
            exception.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=(exception.sla_deadline or fields.Datetime.now()).date(),
                summary=self.env._(
                    "Handle exception %(name)s", name=exception.display_name
                ),
                note=exception.summary,
                user_id=exception.owner_id.id,
            )

    @api.depends("name", "summary")
    def _compute_display_name(self):
        for exception in self:
            exception.display_name = (
                f"{exception.name} {exception.summary}"
                if exception.summary
                else exception.name
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _check_open(self):
        closed = self.filtered(lambda e: e.state not in OPEN_STATES)
        if closed:
            raise UserError(
                self.env._(
                    "Exception %(names)s is closed: reopen it first.",
                    names=", ".join(closed.mapped("display_name")),
                )
            )

    def _write_workflow(self, vals):
        """Write fields of the workflow, once the action checked the transition:
        the caller needs the write access to the exceptions."""
        self.check_access("write")
        return self.sudo().write(vals)

    @distrib_rpc()
    def action_take(self):
        self._check_open()
        self.write({"owner_id": self.env.user.id})
        return True

    @distrib_rpc()
    def action_start(self):
        self._check_open()
        self._write_workflow({"state": "in_progress"})
        return True

    @distrib_rpc()
    def action_resolve(self):
        self._check_open()
        missing = self.filtered(lambda e: not (e.resolution_note or "").strip())
        if missing:
            raise UserError(
                self.env._(
                    "Write a resolution note before resolving %(names)s.",
                    names=", ".join(missing.mapped("display_name")),
                )
            )
        self._close("resolved")
        return True

    @distrib_rpc()
    def action_cancel(self):
        self._check_open()
        self._close("cancelled")
        return True

    @distrib_rpc()
    def action_reopen(self):
        self.check_access("write")
        closed = self.filtered(lambda e: e.state not in OPEN_STATES)
        for exception in closed:
            exception._write_workflow(
                {
                    "state": "assigned" if exception.owner_id else "new",
                    "date_resolved": False,
                }
            )
        return True

    def _close(self, state, note=None):
        todo = self.filtered(lambda e: e.state in OPEN_STATES)
        if not todo:
            return
        vals = {"state": state, "date_resolved": fields.Datetime.now()}
        if note:
            vals["resolution_note"] = note
        todo._write_workflow(vals)
        todo.activity_ids.sudo().action_feedback(
            feedback=note or self.env._("Exception closed.")
        )

    # ------------------------------------------------------------------
    # Python API for the other addons
    # ------------------------------------------------------------------
    @api.model
    def _source_company(self, record):
        if "company_id" in record._fields and record.company_id:
            return record.company_id
        return self.env.company

    @api.model
    def _per_record(self, value, record):
        if isinstance(value, dict):
            return value.get(record.id, value.get(record))
        return value

    @api.model
    def _raise_for(
        self,
        records,
        exception_type,
        *,
        rule=None,
        severity=None,
        summary=None,
        details=None,
        impact_amount=0.0,
        owner=None,
        team=None,
        blocking=False,
        root_cause=None,
    ):
        """Raise, or refresh, the open exception of ``exception_type`` for each
        record of ``records``.

        Idempotent: the open exception of the same rule (or, without rule, of the
        same type) on the same record is refreshed, never duplicated.
        ``summary``, ``details`` and ``impact_amount`` may be dicts keyed by record
        id. Returns the exceptions, in the order of ``records``.
        """
        if exception_type not in dict(self._fields["exception_type"].selection):
            raise UserError(
                self.env._("Unknown exception type %(type)s.", type=exception_type)
            )
        if not records:
            return self.browse()
        records.check_access("read")
        Exception_ = self.sudo()
        existing = Exception_._find_open(records, exception_type, rule=rule)
        result = self.browse()
        now = fields.Datetime.now()
        for record in records:
            company = self._source_company(record)
            record_rule = rule or Exception_.env[
                "distrib.exception.rule"
            ]._get_api_rule(company, exception_type)
            vals = {
                "summary": self._per_record(summary, record)
                or self.env._(
                    "%(type)s on %(record)s",
                    type=dict(
                        self._fields["exception_type"]._description_selection(self.env)
                    )[exception_type],
                    record=record.display_name,
                ),
                "impact_amount": self._per_record(impact_amount, record) or 0.0,
                "date_last_seen": now,
            }
            record_details = self._per_record(details, record)
            if record_details:
                vals["details"] = record_details
            if root_cause:
                vals["root_cause_id"] = root_cause.id
            exception = existing.get(record.id)
            if exception:
                if blocking and not exception.blocking:
                    vals["blocking"] = True
                if severity and severity != exception.severity:
                    vals["severity"] = severity
                vals["occurrence_count"] = exception.occurrence_count + 1
                exception.write(vals)
            else:
                vals.update(
                    record_rule._prepare_exception_vals(company)
                    if record_rule
                    else {"severity": "medium", "company_id": company.id}
                )
                vals.update(
                    {
                        "exception_type": exception_type,
                        "res_model": record._name,
                        "res_id": record.id,
                        "rule_id": record_rule.id,
                        "blocking": blocking or vals.get("blocking", False),
                    }
                )
                if severity:
                    vals["severity"] = severity
                if team:
                    vals["team_id"] = team.id
                if owner:
                    vals["owner_id"] = owner.id
                elif team and not vals.get("owner_id"):
                    vals["owner_id"] = team._get_default_assignee().id
                try:
                    with self.env.cr.savepoint():
                        exception = Exception_.create(vals)
                except pg_errors.UniqueViolation as error:
                    raise ConcurrentRaiseError(
                        f"distrib.exception: {exception_type} on {record} was "
                        "raised by a concurrent transaction"
                    ) from error
                existing[record.id] = exception
            result |= exception
        return self.browse(result.ids)

    @api.model
    def _find_open(self, records, exception_type, rule=None):
        """Open exceptions of the records, keyed by record id: those of ``rule``
        when given, else those of ``exception_type`` raised through the API."""
        domain = [
            ("res_model", "=", records._name),
            ("res_id", "in", records.ids),
            ("state", "in", list(OPEN_STATES)),
        ]
        if rule:
            domain.append(("rule_id", "=", rule.id))
        else:
            domain += [
                ("exception_type", "=", exception_type),
                "|",
                ("rule_id", "=", False),
                ("rule_id.condition", "=", "api"),
            ]
        found = {}
        for exception in self.search(domain, order="id"):
            found.setdefault(exception.res_id, exception)
        return found

    @api.model
    def _resolve_for(self, records, exception_type=None, *, note):
        """Resolve the open exceptions of ``records`` (of ``exception_type`` when
        given) with ``note`` as resolution note. Returns the resolved exceptions."""
        if not (note or "").strip():
            raise UserError(self.env._("A resolution note is required."))
        if not records:
            return self.browse()
        records.check_access("read")
        domain = [
            ("res_model", "=", records._name),
            ("res_id", "in", records.ids),
            ("state", "in", list(OPEN_STATES)),
        ]
        if exception_type:
            domain.append(("exception_type", "=", exception_type))
        exceptions = self.sudo().search(domain)
        exceptions._close("resolved", note=note)
        return self.browse(exceptions.ids)

    @api.model
    def _has_blocking(self, records, exception_types=None):
        """``{record id: bool}``: whether each record has an open blocking
        exception (of one of ``exception_types`` when given). One query."""
        result = dict.fromkeys(records.ids, False)
        if not records:
            return result
        domain = [
            ("res_model", "=", records._name),
            ("res_id", "in", records.ids),
            ("state", "in", list(OPEN_STATES)),
            ("blocking", "=", True),
        ]
        if exception_types:
            domain.append(("exception_type", "in", list(exception_types)))
        for res_id, _count in self.sudo()._read_group(
            domain, groupby=["res_id"], aggregates=["__count"]
        ):
            result[res_id] = True
        return result

    @api.model
    def _get_open_for(self, records, exception_types=None):
        """Open exceptions of ``records`` (readable by the current user)."""
        domain = [
            ("res_model", "=", records._name),
            ("res_id", "in", records.ids),
            ("state", "in", list(OPEN_STATES)),
        ]
        if exception_types:
            domain.append(("exception_type", "in", list(exception_types)))
        return self.search(domain)

    # ------------------------------------------------------------------
    # Cron: SLA escalation and age buckets
    # ------------------------------------------------------------------
    @api.model
    def _cron_escalate(self):
        """Escalate open exceptions past their SLA deadline and refresh the age
        buckets. A failing exception is logged and skipped."""
        now = fields.Datetime.now()
        overdue = self.search(
            [
                ("state", "in", ["new", "assigned", "in_progress"]),
                ("sla_deadline", "<", now),
            ]
        )
        failures = 0
        for exception in overdue:
            try:
                with self.env.cr.savepoint():
                    exception._escalate()
            except Exception:
                failures += 1
                _logger.exception("Escalating exception %s failed", exception.id)
        self._refresh_age_buckets()
        return {"escalated": len(overdue) - failures, "failures": failures}

    def _get_escalation_target(self):
        self.ensure_one()
        rule = self.rule_id
        target = rule.escalation_user_id
        if not target and rule.escalation_team_id:
            target = rule.escalation_team_id._get_default_assignee()
        if not target and self.team_id:
            target = self.team_id.leader_id
        return target

    def _escalate(self):
        for exception in self:
            target = exception._get_escalation_target()
            exception._write_workflow(
                {
                    "state": "escalated",
                    "date_escalated": fields.Datetime.now(),
                    "escalated_to_id": target.id,
                }
            )
            body = self.env._(
                "SLA breached (deadline %(deadline)s): escalated to %(target)s.",
                deadline=exception.sla_deadline,
                target=target.name or self.env._("nobody (no escalation target)"),
            )
            partner_ids = target.partner_id.ids
            exception.message_post(
                body=body,
                partner_ids=partner_ids,
                subtype_xmlid="mail.mt_comment",
            )
            if target:
                exception.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._(
                        "Escalated: %(name)s", name=exception.display_name
                    ),
                    note=body,
                    user_id=target.id,
                )

    @api.model
    def _refresh_age_buckets(self):
        open_exceptions = self.search([("state", "in", list(OPEN_STATES))])
        now = fields.Datetime.now()
        by_bucket = {}
        for exception in open_exceptions:
            hours = (now - exception.date_raised).total_seconds() / 3600.0
            bucket = _age_bucket(hours)
            if bucket != exception.age_bucket:
                by_bucket.setdefault(bucket, self.browse())
                by_bucket[bucket] |= exception
        for bucket, exceptions in by_bucket.items():
            exceptions.sudo().write({"age_bucket": bucket})

    def _distrib_notify_finance(self):
        """Make the finance users of the company followers of the exceptions."""
        group = self.env.ref(
            "distrib_atp.group_distrib_finance", raise_if_not_found=False
        )
        if not group:
            return
        for exception in self:
            users = group.users.filtered(
                lambda u, c=exception.company_id: not u.share and c in u.company_ids
            )
            if users:
                exception.message_subscribe(partner_ids=users.partner_id.ids)

    @api.model
    def _format_table(self, headers, rows, intro=None):
        """HTML details: an optional sentence and a table (values escaped)."""
        head = Markup("").join(Markup("<th>%s</th>") % h for h in headers)
        body = Markup("").join(
            Markup("<tr>%s</tr>")
            % Markup("").join(Markup("<td>%s</td>") % escape(cell) for cell in row)
            for row in rows
        )
        table = Markup(
            '<table class="table table-sm o_distrib_exceptions_details">'
            "<thead><tr>%s</tr></thead><tbody>%s</tbody></table>"
        ) % (head, body)
        return (Markup("<p>%s</p>") % intro) + table if intro else table

    @api.model
    def _sla_deadline_from_hours(self, hours):
        return fields.Datetime.now() + timedelta(hours=hours) if hours else False
