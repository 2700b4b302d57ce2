from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from odoo.addons.distrib_atp.rpc import distrib_rpc

from ..scoring.collection import (
    explain_collection,
    feedback_weight,
    fit_collections,
    rank_collections,
    score_collections,
)

PRIORITY_CORRECTIONS = ("raise", "lower")

# days of paid invoices the payment behaviour is learnt from
COLLECTION_HISTORY_DAYS = 730


class DistribCollectionPriority(models.Model):
    """The collectors' work list: one row per customer with overdue invoices,
    ranked by expected loss (overdue amount x the chance of not collecting it
    within 30 days, learnt from the customer's own payment history), with the
    reason in words. Refreshed each morning by cron, which gives the top cases
    an activity for the collector; nothing is sent to the customer."""

    _name = "distrib.collection.priority"
    _description = "Collections Priority"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "weighted_loss desc, id"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True, index=True
    )
    rank = fields.Integer(readonly=True)
    overdue_amount = fields.Monetary(readonly=True, currency_field="currency_id")
    invoice_ids = fields.Many2many(
        "account.move", string="Overdue Invoices", readonly=True
    )
    invoice_count = fields.Integer(string="Invoices", readonly=True)
    oldest_days = fields.Integer(string="Oldest (days past due)", readonly=True)
    probability = fields.Float(
        string="Risk (%)",
        readonly=True,
        help="Chance of not collecting the overdue amount within 30 days, from "
        "the customer's payment history.",
    )
    expected_loss = fields.Monetary(readonly=True, currency_field="currency_id")
    weight = fields.Float(
        string="Ranking Weight",
        default=1.0,
        readonly=True,
        help="Learnt from the collectors' choices of the last 90 days: each "
        "dismissal or lowered priority halves it, each raised priority doubles it.",
    )
    weighted_loss = fields.Monetary(
        string="Ranking Loss",
        readonly=True,
        currency_field="currency_id",
        help="Expected loss x ranking weight: what the list is ranked by.",
    )
    explanation = fields.Text(readonly=True)
    reasons = fields.Json(readonly=True)
    date_computed = fields.Datetime(string="Computed On", readonly=True)
    active = fields.Boolean(default=True, readonly=True)

    _sql_constraints = [
        (
            "company_partner_uniq",
            "unique(company_id, partner_id)",
            "One collections row per company and customer.",
        )
    ]

    # ------------------------------------------------------------------
    # actions and cron
    # ------------------------------------------------------------------
    @api.model
    @distrib_rpc()
    def action_refresh(self, company=None):
        """Recompute the work list of ``company`` (id; default: the current
        company). Finance users and managers."""
        if not (
            self.env.su or self.env.user.has_group("distrib_atp.group_distrib_finance")
        ):
            raise AccessError(
                self.env._("Only the finance team can refresh the collections list.")
            )
        if company is None:
            company = self.env.company
        elif type(company) is int and company > 0:
            company = self.env["res.company"].browse(company).exists()
        if not (
            isinstance(company, models.BaseModel)
            and company._name == "res.company"
            and len(company) == 1
            and company in self.env.user.company_ids
        ):
            raise AccessError(
                self.env._(
                    "Give the id of one of your companies, not %(value)r.",
                    value=company,
                )
            )
        self.sudo()._refresh(company)
        return True

    @api.model
    def _cron_refresh(self):
        for company in self.env["res.company"].search(
            [("distrib_ai_collections_check", "=", True)]
        ):
            with self.env.cr.savepoint():
                rows = self.sudo()._refresh(company)
                rows._schedule_activities()

    # ------------------------------------------------------------------
    # computing the list
    # ------------------------------------------------------------------
    def _query(self, query):
        self.env.flush_all()
        self.env.cr.execute(query)
        return self.env.cr.fetchall()

    @api.model
    def _fetch_payment_history(self, company, today):
        """Paid customer invoices: (commercial partner, days paid after the
        due date, number of payments)."""
        return self._query(
            SQL(
                """
                SELECT COALESCE(p.commercial_partner_id, p.id),
                       MAX(apr.max_date) - COALESCE(am.invoice_date_due,
                                                    am.invoice_date),
                       COUNT(apr.id)
                  FROM account_move am
                  JOIN res_partner p ON p.id = am.partner_id
                  JOIN account_move_line aml ON aml.move_id = am.id
                  JOIN account_account acc
                    ON acc.id = aml.account_id
                   AND acc.account_type = 'asset_receivable'
                  JOIN account_partial_reconcile apr ON apr.debit_move_id = aml.id
                 WHERE am.company_id = %(company)s
                   AND am.move_type = 'out_invoice' AND am.state = 'posted'
                   AND am.payment_state IN ('paid', 'in_payment')
                   AND am.invoice_date >= %(since)s
              GROUP BY am.id, 1, am.invoice_date_due, am.invoice_date
                """,
                company=company.id,
                since=today - timedelta(days=COLLECTION_HISTORY_DAYS),
            )
        )

    @api.model
    def _fetch_overdue(self, company, today):
        """Per commercial partner: overdue amount (company currency), overdue
        invoice ids, days past due of the oldest."""
        return self._query(
            SQL(
                """
                SELECT COALESCE(p.commercial_partner_id, p.id),
                       SUM(aml.amount_residual), ARRAY_AGG(DISTINCT am.id),
                       MAX(%(today)s - COALESCE(aml.date_maturity,
                                                am.invoice_date_due))
                  FROM account_move_line aml
                  JOIN account_move am ON am.id = aml.move_id
                  JOIN res_partner p ON p.id = am.partner_id
                  JOIN account_account acc ON acc.id = aml.account_id
                 WHERE aml.company_id = %(company)s
                   AND acc.account_type = 'asset_receivable'
                   AND aml.parent_state = 'posted' AND NOT aml.reconciled
                   AND aml.amount_residual > 0
                   AND am.move_type = 'out_invoice'
                   AND COALESCE(aml.date_maturity, am.invoice_date_due) < %(today)s
              GROUP BY 1
                """,
                company=company.id,
                today=today,
            )
        )

    @api.model
    def _open_disputes(self, company):
        """``{commercial partner id: open disputes}``."""
        if "distrib.order.dispute" not in self.env:
            return {}
        result = {}
        for partner, count in (
            self.env["distrib.order.dispute"]
            .sudo()
            ._read_group(
                [("company_id", "=", company.id), ("state", "=", "open")],
                groupby=["partner_id"],
                aggregates=["__count"],
            )
        ):
            key = partner.commercial_partner_id.id
            result[key] = result.get(key, 0) + count
        return result

    @api.model
    def _refresh(self, company):
        """Recompute ``company``'s rows (superuser). Returns them, ranked."""
        today = fields.Date.context_today(self.with_company(company))
        history = self._fetch_payment_history(company, today)
        params = fit_collections(
            {
                "partner": [r[0] for r in history],
                "days_late": [r[1] for r in history],
                "payments": [r[2] for r in history],
            }
        )
        overdue = self._fetch_overdue(company, today)
        disputes = self._open_disputes(company)
        weights = {
            int(key): feedback_weight([(c, o) for c, o, _d in choices])
            for key, choices in self.env["distrib.ai.choice"]
            ._recent(company, "collections")
            .items()
        }
        found = score_collections(
            params,
            {
                "partner": [r[0] for r in overdue],
                "overdue": [r[1] for r in overdue],
                "count": [len(r[2]) for r in overdue],
                "oldest": [r[3] or 0 for r in overdue],
                "disputes": [disputes.get(r[0], 0) for r in overdue],
            },
        )
        rank_collections(found, weights)
        invoices = {r[0]: r[2] for r in overdue}
        Rows = self.with_context(active_test=False)
        existing = {
            row.partner_id.id: row
            for row in Rows.search([("company_id", "=", company.id)])
        }
        now = fields.Datetime.now()
        translate = self.env._
        kept = self.browse()
        to_create = []
        for rank, item in enumerate(found, start=1):
            vals = {
                "rank": rank,
                "overdue_amount": item["overdue"],
                "invoice_ids": [fields.Command.set(invoices[item["partner"]])],
                "invoice_count": len(invoices[item["partner"]]),
                "oldest_days": next(
                    int(r[3] or 0) for r in overdue if r[0] == item["partner"]
                ),
                "probability": round(item["probability"] * 100.0, 1),
                "expected_loss": item["expected_loss"],
                "weight": item["weight"],
                "weighted_loss": item["weighted_loss"],
                "explanation": explain_collection(item["reasons"], translate),
                "reasons": item["reasons"],
                "date_computed": now,
                "active": True,
            }
            row = existing.pop(item["partner"], None)
            if row:
                row.write(vals)
                kept |= row
            else:
                to_create.append(
                    dict(vals, company_id=company.id, partner_id=item["partner"])
                )
        kept |= self.create(to_create)
        # customers no longer overdue leave the list (their history stays)
        Rows.browse([row.id for row in existing.values()]).write(
            {"active": False, "rank": 0, "expected_loss": 0.0, "weighted_loss": 0.0}
        )
        return kept.sorted("rank")

    def _schedule_activities(self):
        """An activity for the collector on each of the company's top cases
        that has none open yet (the collector: the company's, else the
        customer's salesperson)."""
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        for row in self:
            company = row.company_id
            if row.rank > company.distrib_ai_collections_top:
                continue
            user = company.distrib_ai_collector_id or row.partner_id.user_id
            if not user or row.activity_ids.filtered(
                lambda a, t=activity_type: a.activity_type_id == t
            ):
                continue
            row.activity_schedule(
                activity_type_id=activity_type.id,
                user_id=user.id,
                summary=self.env._(
                    "Collect %(amount)s from %(customer)s",
                    amount=company.currency_id.format(row.overdue_amount),
                    customer=row.partner_id.display_name,
                ),
                note=row.explanation,
            )

    # ------------------------------------------------------------------
    # a collector's choice
    # ------------------------------------------------------------------
    def _check_collector(self):
        if not (
            self.env.su or self.env.user.has_group("distrib_atp.group_distrib_finance")
        ):
            raise AccessError(
                self.env._("Only the finance team can change the collections list.")
            )
        self.check_access("read")

    def _record_choice(self, choice, option, note):
        for row in self:
            self.env["distrib.ai.choice"]._record(
                row.company_id,
                "collections",
                str(row.partner_id.id),
                choice,
                option=option,
                subject=row.partner_id.display_name,
                note=note,
            )
            row.sudo().message_post(
                body=self.env._(
                    "%(user)s: %(choice)s (%(note)s). The next ranking weighs it.",
                    user=self.env.user.name,
                    choice=dict(
                        self.env["distrib.ai.choice"]._fields["choice"].selection
                    )[choice],
                    note=note or option,
                )
            )

    @distrib_rpc()
    def action_dismiss(self, reason=None):
        """Not a priority now (a payment plan agreed, a promise to pay): the
        customer's ranking weight is halved from the next refresh on, for 90
        days, with the reason in the explanation."""
        if not isinstance(reason, str) or not reason.strip():
            raise UserError(self.env._("Give the reason for dismissing this customer."))
        self._check_collector()
        self._record_choice("dismiss", "lower", reason.strip())
        return True

    @distrib_rpc()
    def action_correct_priority(self, direction=None, reason=None):
        """A collector's correction of the ranking: ``direction`` ``raise``
        (doubles the customer's ranking weight) or ``lower`` (halves it)."""
        if direction not in PRIORITY_CORRECTIONS:
            raise UserError(
                self.env._(
                    "Say whether to raise or lower the priority, not %(value)s.",
                    value=repr(direction)[:40],
                )
            )
        if reason is not None and not isinstance(reason, str):
            raise UserError(self.env._("The reason is a text."))
        self._check_collector()
        self._record_choice("correct", direction, (reason or "").strip())
        return True

    @distrib_rpc()
    def action_raise_priority(self):
        return self.action_correct_priority("raise")

    @distrib_rpc()
    def action_lower_priority(self):
        return self.action_correct_priority("lower")

    @distrib_rpc(singleton=True)
    def action_open_invoices(self):
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", self.invoice_ids.ids)]
        action["context"] = {"create": False}
        return action
