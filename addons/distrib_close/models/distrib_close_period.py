import logging
from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.distrib_atp.rpc import check_vals, distrib_rpc
from odoo.addons.distrib_exceptions.models.distrib_exception import OPEN_STATES

from .distrib_accrual_run import month_bounds

_logger = logging.getLogger(__name__)

# the checks the cockpit runs, in the checklist's order (see _close_auto_items)
AUTO_ITEMS = [
    ("accruals", "Accruals posted"),
    ("landed_costs", "Landed costs trued up or explained"),
    ("intercompany", "Intercompany balances net to zero"),
    ("vendor_bills", "No unmatched or held vendor bill"),
    ("cycle_counts", "Cycle counts approved"),
    ("valuation", "Stock valuation equals the inventory accounts"),
    ("exceptions", "Open exceptions of the period resolved"),
]


class DistribClosePeriod(models.Model):
    """The close of one month of one company: a checklist whose automatic items
    check themselves from the data, manual items with an owner and a due day,
    and the lock of the period (the company's global lock date), refused with
    the list of what blocks it."""

    _name = "distrib.close.period"
    _description = "Period Close"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, company_id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date_start = fields.Date(
        string="Month",
        required=True,
        help="First day of the month closed.",
    )
    date_end = fields.Date(
        string="Period End", compute="_compute_date_end", store=True, index=True
    )
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")],
        default="open",
        required=True,
        readonly=True,
        tracking=True,
    )
    item_ids = fields.One2many("distrib.close.item", "period_id", string="Checklist")
    date_locked = fields.Date(string="Locked On", readonly=True, copy=False)
    locked_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    cycle_days = fields.Integer(
        string="Close Cycle (days)",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Days from the period end to the lock.",
    )
    days_since_end = fields.Integer(
        string="Days Since Period End", compute="_compute_days_since_end"
    )
    is_delayed = fields.Boolean(
        string="Delayed",
        compute="_compute_days_since_end",
        help="Still open after the company's close target.",
    )
    blocker_count = fields.Integer(compute="_compute_blockers")
    blockers = fields.Text(compute="_compute_blockers")
    progress = fields.Float(compute="_compute_blockers", string="Progress (%)")
    last_refresh = fields.Datetime(readonly=True, copy=False)
    accrual_run_id = fields.Many2one(
        "distrib.accrual.run", compute="_compute_accrual_run_id"
    )

    _sql_constraints = [
        (
            "company_month_uniq",
            "UNIQUE (company_id, date_start)",
            "A company closes each month once.",
        )
    ]

    @api.depends("company_id", "date_start")
    def _compute_name(self):
        for period in self:
            period.name = "{} {}".format(
                (period.date_start and period.date_start.strftime("%Y-%m")) or "",
                period.company_id.name or "",
            )

    @api.depends("date_start")
    def _compute_date_end(self):
        for period in self:
            period.date_end = (
                month_bounds(period.date_start)[1] if period.date_start else False
            )

    @api.depends("date_end", "state", "cycle_days")
    @api.depends_context("date")
    def _compute_days_since_end(self):
        today = fields.Date.context_today(self)
        for period in self:
            if period.state == "closed":
                period.days_since_end = period.cycle_days
                period.is_delayed = False
                continue
            days = (today - period.date_end).days if period.date_end else 0
            period.days_since_end = days
            period.is_delayed = days > period.company_id.distrib_close_target_days

    @api.depends("item_ids.state", "item_ids.mandatory", "item_ids.detail")
    def _compute_blockers(self):
        for period in self:
            blocking = period._blocking_items()
            period.blocker_count = len(blocking)
            period.blockers = "\n".join(
                f"- {item.name}" + (f": {item.detail}" if item.detail else "")
                for item in blocking
            )
            items = period.item_ids
            period.progress = (
                100.0 * len(items.filtered(lambda i: i.state == "done")) / len(items)
                if items
                else 0.0
            )

    def _compute_accrual_run_id(self):
        runs = self.env["distrib.accrual.run"].search(
            [
                ("company_id", "in", self.company_id.ids),
                ("date", "in", [d for d in self.mapped("date_end") if d]),
            ]
        )
        for period in self:
            period.accrual_run_id = runs.filtered(
                lambda r, p=period: (
                    r.company_id == p.company_id and r.date == p.date_end
                )
            )[:1]

    @api.constrains("date_start")
    def _check_date_start(self):
        for period in self:
            if period.date_start.day != 1:
                raise ValidationError(
                    self.env._(
                        "A close period starts on the first day of a month, not "
                        "on %(date)s.",
                        date=period.date_start,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        check_vals(self, vals_list)
        for vals in vals_list:
            if vals.get("date_start"):
                start = fields.Date.to_date(vals["date_start"])
                vals["date_start"] = start.replace(day=1)
            company = self.env["res.company"].browse(
                vals.get("company_id") or self.env.company.id
            )
            if not company.distrib_close_enabled:
                raise UserError(
                    self.env._(
                        "%(company)s does not use the period close: enable it in "
                        "the Settings (Landed Costs, Accruals and Close).",
                        company=company.name,
                    )
                )
            for field in ("state", "date_locked", "cycle_days", "locked_by_id"):
                if field in vals and not self.env.su:
                    raise UserError(
                        self.env._("A period is locked from its close, not set.")
                    )
        periods = super().create(vals_list)
        periods.sudo()._create_default_items()
        return periods

    def write(self, vals):
        check_vals(self, [vals])
        if not self.env.su and (
            {"state", "date_locked", "cycle_days", "locked_by_id"} & set(vals)
            or ({"company_id", "date_start"} & set(vals))
        ):
            raise UserError(
                self.env._(
                    "The month, company and lock of a close are fixed: create the "
                    "period of another month instead."
                )
            )
        return super().write(vals)

    def unlink(self):
        if any(period.state == "closed" for period in self):
            raise UserError(self.env._("A closed period cannot be deleted."))
        return super().unlink()

    # ------------------------------------------------------------------
    # Checklist
    # ------------------------------------------------------------------
    @api.model
    def _close_auto_items(self):
        """``[(code, label)]`` of the checks run from the data (extension
        point: append ``(code, label)`` and write ``_close_check_<code>()``,
        which returns the list of what blocks the item, empty when it passes)."""
        return list(AUTO_ITEMS)

    def _create_default_items(self):
        """The automatic items, and the manual items of the company's previous
        close (same names, owners, due days)."""
        for period in self:
            commands = [
                Command.create(
                    {"name": label, "code": code, "kind": "auto", "sequence": index}
                )
                for index, (code, label) in enumerate(self._close_auto_items())
            ]
            previous = self.search(
                [
                    ("company_id", "=", period.company_id.id),
                    ("date_start", "<", period.date_start),
                ],
                order="date_start desc",
                limit=1,
            )
            commands += [
                Command.create(
                    {
                        "name": item.name,
                        "kind": "manual",
                        "sequence": item.sequence,
                        "mandatory": item.mandatory,
                        "owner_id": item.owner_id.id,
                        "due_day": item.due_day,
                    }
                )
                for item in previous.item_ids.filtered(lambda i: i.kind == "manual")
            ]
            period.write({"item_ids": commands})

    def _blocking_items(self):
        self.ensure_one()
        return self.item_ids.filtered(
            lambda item: (
                item.state != "done" and (item.kind == "auto" or item.mandatory)
            )
        )

    def _check_open(self):
        closed = self.filtered(lambda p: p.state == "closed")
        if closed:
            raise UserError(
                self.env._(
                    "%(periods)s is closed: its checklist cannot change.",
                    periods=", ".join(closed.mapped("name")),
                )
            )

    def _check_close_rights(self):
        user = self.env.user
        if not (
            user.has_group("distrib_atp.group_distrib_finance")
            or user.has_group("account.group_account_manager")
        ):
            raise UserError(
                self.env._(
                    "Only finance (an accounting manager or the distrib finance "
                    "role) can refresh, run the accruals of or lock a close."
                )
            )
        self.check_access("write")

    def _refresh(self):
        """Run the automatic checks and write their result on the items."""
        for period in self.filtered(lambda p: p.state == "open"):
            period = period.with_company(period.company_id)
            for item in period.item_ids.filtered(lambda i: i.kind == "auto"):
                check = getattr(period, f"_close_check_{item.code}", None)
                problems = check() if check else []
                item.sudo().write(
                    {
                        "state": "blocked" if problems else "done",
                        "detail": "; ".join(problems) if problems else False,
                    }
                )
            period.sudo().last_refresh = fields.Datetime.now()

    def _end_datetime(self):
        self.ensure_one()
        return datetime.combine(self.date_end, time.max)

    def _company_domain(self):
        return [("company_id", "=", self.company_id.id)]

    def _close_check_accruals(self):
        run = (
            self.env["distrib.accrual.run"]
            .sudo()
            .search_count([*self._company_domain(), ("date", "=", self.date_end)])
        )
        if not run:
            return [self.env._("the month-end accruals have not been run")]
        return []

    def _close_check_landed_costs(self):
        problems = []
        exceptions = (
            self.env["distrib.exception"]
            .sudo()
            .search(
                [
                    *self._company_domain(),
                    ("exception_type", "=", "landed_cost_variance"),
                    ("state", "in", list(OPEN_STATES)),
                    ("create_date", "<=", self._end_datetime()),
                ]
            )
        )
        if exceptions:
            problems.append(
                self.env._(
                    "landed-cost variances to explain: %(names)s",
                    names=", ".join(exceptions.mapped("name")),
                )
            )
        drafts = (
            self.env["stock.landed.cost"]
            .sudo()
            .search(
                [
                    *self._company_domain(),
                    ("state", "=", "draft"),
                    ("date", "<=", self.date_end),
                ]
            )
        )
        if drafts:
            problems.append(
                self.env._(
                    "draft landed costs: %(names)s",
                    names=", ".join(drafts.mapped("name")),
                )
            )
        return problems

    def _close_check_intercompany(self):
        """The company's intercompany balances of the period net to zero; the
        documents that stop them raise an intercompany break on the period."""
        company = self.company_id
        Balance = (
            self.env["distrib.intercompany.balance"]
            .sudo()
            .with_context(allowed_company_ids=company.ids)
        )
        domain = [
            "|",
            ("creditor_company_id", "=", company.id),
            ("debtor_company_id", "=", company.id),
            ("date", "<=", self.date_end),
        ]
        breaks = Balance.search([*domain, ("state", "!=", "matched")])
        nets = Balance._read_group(
            domain,
            groupby=["creditor_company_id", "debtor_company_id", "currency_id"],
            aggregates=["difference:sum"],
        )
        problems = [
            self.env._(
                "%(creditor)s / %(debtor)s do not net to zero (%(difference)s)",
                creditor=creditor.name,
                debtor=debtor.name,
                difference=currency.format(difference),
            )
            for creditor, debtor, currency, difference in nets
            if not currency.is_zero(difference)
        ]
        Exception_ = self.env["distrib.exception"]
        if breaks:
            labels = dict(Balance._fields["state"]._description_selection(self.env))
            rows = [
                (
                    row.creditor_company_id.name,
                    row.debtor_company_id.name,
                    (row.invoice_id or row.bill_id).name or "",
                    labels.get(row.state, row.state),
                    row.currency_id.format(row.difference),
                )
                for row in breaks
            ]
            Exception_._raise_for(
                self,
                "intercompany_break",
                summary=self.env._(
                    "%(period)s: %(count)s intercompany break(s)",
                    period=self.name,
                    count=len(breaks),
                ),
                details=Exception_._format_table(
                    [
                        self.env._("Supplier"),
                        self.env._("Buyer"),
                        self.env._("Document"),
                        self.env._("State"),
                        self.env._("Difference"),
                    ],
                    rows,
                    intro=self.env._(
                        "The intercompany documents of %(company)s up to %(date)s "
                        "that are not matched by the other company.",
                        company=company.name,
                        date=self.date_end,
                    ),
                ),
                impact_amount=sum(abs(row.difference) for row in breaks),
            )
            problems.append(
                self.env._(
                    "%(count)s intercompany document(s) not matched",
                    count=len(breaks),
                )
            )
        else:
            Exception_._resolve_for(
                self,
                "intercompany_break",
                note=self.env._("The intercompany balances are matched."),
            )
        return problems

    def _close_check_vendor_bills(self):
        problems = []
        exceptions = (
            self.env["distrib.exception"]
            .sudo()
            .search(
                [
                    *self._company_domain(),
                    ("exception_type", "in", ("unmatched_bill", "receipt_variance")),
                    ("state", "in", list(OPEN_STATES)),
                    ("create_date", "<=", self._end_datetime()),
                ]
            )
        )
        if exceptions:
            problems.append(
                self.env._(
                    "unmatched or held bills: %(names)s",
                    names=", ".join(exceptions.mapped("name")),
                )
            )
        pending = (
            self.env["distrib.approval.request"]
            .sudo()
            .search(
                [
                    *self._company_domain(),
                    ("res_model", "=", "account.move"),
                    ("state", "=", "pending"),
                    # asked after the period end: a later period's entry (a
                    # draft bill of the period is caught below)
                    ("request_date", "<=", self._end_datetime()),
                ]
            )
        )
        if pending:
            problems.append(
                self.env._(
                    "bills waiting for approval: %(names)s",
                    names=", ".join(pending.mapped("name")),
                )
            )
        drafts = (
            self.env["account.move"]
            .sudo()
            .search_count(
                [
                    *self._company_domain(),
                    ("move_type", "in", ("in_invoice", "in_refund")),
                    ("state", "=", "draft"),
                    ("invoice_date", "<=", self.date_end),
                ]
            )
        )
        if drafts:
            problems.append(
                self.env._(
                    "%(count)s vendor bill(s) of the period not posted", count=drafts
                )
            )
        return problems

    def _close_check_cycle_counts(self):
        problems = []
        pending = (
            self.env["distrib.approval.request"]
            .sudo()
            .search(
                [
                    *self._company_domain(),
                    ("res_model", "=", "stock.quant"),
                    ("state", "=", "pending"),
                    # a count approved later is applied (and dated) later
                    ("request_date", "<=", self._end_datetime()),
                ]
            )
        )
        if pending:
            problems.append(
                self.env._(
                    "counts waiting for approval: %(names)s",
                    names=", ".join(pending.mapped("name")),
                )
            )
        exceptions = (
            self.env["distrib.exception"]
            .sudo()
            .search_count(
                [
                    *self._company_domain(),
                    ("exception_type", "=", "cycle_count_variance"),
                    ("state", "in", list(OPEN_STATES)),
                    ("create_date", "<=", self._end_datetime()),
                ]
            )
        )
        if exceptions:
            problems.append(
                self.env._("%(count)s open cycle-count variance(s)", count=exceptions)
            )
        return problems

    def _valuation_tie_out(self):
        """``{account: (layers, ledger)}``: the value of the real-time valuation
        layers of the company up to the period end against the balance of their
        stock valuation accounts, in the company currency."""
        self.ensure_one()
        company = self.company_id
        layers = defaultdict(float)
        for product, value in (
            self.env["stock.valuation.layer"]
            .sudo()
            ._read_group(
                [
                    *self._company_domain(),
                    "|",
                    ("account_move_id.date", "<=", self.date_end),
                    "&",
                    ("account_move_id", "=", False),
                    ("create_date", "<=", self._end_datetime()),
                ],
                groupby=["product_id"],
                aggregates=["value:sum"],
            )
        ):
            product = product.with_company(company)
            if product.valuation != "real_time":
                continue
            account = product.categ_id.with_company(
                company
            ).property_stock_valuation_account_id
            layers[account] += value
        # every real-time category's stock account, with layers or not
        for category in (
            self.env["product.category"].sudo().with_company(company).search([])
        ):
            if category.property_valuation == "real_time":
                layers.setdefault(category.property_stock_valuation_account_id, 0.0)
        layers.pop(self.env["account.account"], None)
        accounts = self.env["account.account"].union(*layers)
        ledger = dict(
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    *self._company_domain(),
                    ("account_id", "in", accounts.ids),
                    ("parent_state", "=", "posted"),
                    ("date", "<=", self.date_end),
                ],
                groupby=["account_id"],
                aggregates=["balance:sum"],
            )
        )
        return {
            account: (value, ledger.get(account, 0.0))
            for account, value in layers.items()
        }

    def _close_check_valuation(self):
        currency = self.company_id.currency_id
        return [
            self.env._(
                "%(account)s: valuation %(layers)s, ledger %(ledger)s",
                account=account.display_name or self.env._("no account"),
                layers=currency.format(layers),
                ledger=currency.format(ledger),
            )
            for account, (layers, ledger) in self._valuation_tie_out().items()
            if not currency.is_zero(layers - ledger)
        ]

    def _close_check_exceptions(self):
        exceptions = (
            self.env["distrib.exception"]
            .sudo()
            .search(
                [
                    *self._company_domain(),
                    ("state", "in", list(OPEN_STATES)),
                    ("create_date", ">=", datetime.combine(self.date_start, time.min)),
                    ("create_date", "<=", self._end_datetime()),
                ]
            )
        )
        if not exceptions:
            return []
        return [
            self.env._(
                "%(count)s open exception(s): %(names)s",
                count=len(exceptions),
                names=", ".join(exceptions[:10].mapped("name")),
            )
        ]

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @distrib_rpc()
    def action_refresh(self):
        self._check_close_rights()
        self._refresh()
        return True

    @distrib_rpc(singleton=True)
    def action_run_accruals(self):
        self._check_close_rights()
        self._check_open()
        run = self.env["distrib.accrual.run"]._run_for(self.company_id, self.date_end)
        self._refresh()
        self.message_post(
            body=self.env._(
                "Accruals: %(run)s (received not billed %(purchase)s, delivered "
                "not invoiced %(sale)s).",
                run=run.name,
                purchase=self.company_id.currency_id.format(run.amount_purchase),
                sale=self.company_id.currency_id.format(run.amount_sale),
            )
        )
        return True

    def _lock_refused_notification(self, blockers):
        self.ensure_one()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Period not locked"),
                "message": self.env._(
                    "%(period)s cannot be locked yet:\n%(blockers)s",
                    period=self.name,
                    blockers="\n".join(f"- {blocker}" for blocker in blockers),
                ),
                "type": "danger",
                "sticky": True,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @distrib_rpc(singleton=True)
    def action_lock(self):
        """Lock the period (the company's global lock date at its end) and
        return True; or refuse: the period stays open, its checklist refreshed
        (kept, not rolled back), and the answer is a notification action whose
        message lists what blocks it."""
        self._check_close_rights()
        self._check_open()
        self._refresh()
        blockers = [
            f"{item.name}" + (f": {item.detail}" if item.detail else "")
            for item in self._blocking_items()
        ]
        earlier = self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("date_start", "<", self.date_start),
                ("state", "=", "open"),
            ]
        )
        blockers += [
            self.env._("%(period)s is still open", period=period.name)
            for period in earlier
        ]
        if self.date_end >= fields.Date.context_today(self):
            blockers.append(self.env._("the period has not ended yet"))
        if blockers:
            # refused, not failed: an error would roll the checklist just
            # refreshed back with the lock; the user gets what blocks it
            return self._lock_refused_notification(blockers)
        company = self.company_id.sudo()
        if not company.fiscalyear_lock_date or (
            company.fiscalyear_lock_date < self.date_end
        ):
            company.write({"fiscalyear_lock_date": self.date_end})
        today = fields.Date.context_today(self)
        self.sudo().write(
            {
                "state": "closed",
                "date_locked": today,
                "locked_by_id": self.env.user.id,
                "cycle_days": (today - self.date_end).days,
            }
        )
        self.message_post(
            body=self.env._(
                "Locked: entries up to %(date)s are closed (%(days)s days after "
                "the period end).",
                date=self.date_end,
                days=self.cycle_days,
            )
        )
        return True

    @api.model
    def _cron_prepare_close(self):
        """On the first days of a month: the close period of the month just
        ended for each opted-in company, its accruals run and its checklist
        checked. A company that fails is logged and skipped."""
        today = fields.Date.context_today(self)
        previous_end = today.replace(day=1) - timedelta(days=1)
        start = previous_end.replace(day=1)
        for company in self.env["res.company"].search(
            [("distrib_close_enabled", "=", True)]
        ):
            try:
                with self.env.cr.savepoint():
                    Period = self.with_company(company)
                    period = Period.search(
                        [("company_id", "=", company.id), ("date_start", "=", start)]
                    ) or Period.create({"company_id": company.id, "date_start": start})
                    if company.distrib_accrual_account_id:
                        self.env["distrib.accrual.run"].sudo()._run_for(
                            company, previous_end
                        )
                    period._refresh()
            except (UserError, ValidationError) as error:
                _logger.warning(
                    "Close of %s for %s not prepared: %s", start, company.name, error
                )

    @api.model
    def _delayed_companies(self, companies):
        """The companies of ``companies`` with a close past their target."""
        today = fields.Date.context_today(self)
        periods = self.search(
            [("company_id", "in", companies.ids), ("state", "=", "open")]
        )
        return periods.filtered(
            lambda p: (today - p.date_end).days > p.company_id.distrib_close_target_days
        ).company_id
