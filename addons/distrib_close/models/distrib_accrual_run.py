import calendar
from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.distrib_atp.rpc import check_vals, distrib_rpc


def month_bounds(day):
    """First and last day of the month of ``day``."""
    first = day.replace(day=1)
    last = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return first, last


class DistribAccrualRun(models.Model):
    """The month-end accrual of one company: one entry for the purchase lines
    received and not billed (and, when the company has a delivered-not-invoiced
    account, the sale lines delivered and not invoiced) at the period end,
    reversed on the first day of the next period.

    Computed by Odoo's accrued-orders logic (``account.accrued.orders.wizard``).
    One run per company and period: running it again books nothing (the run is
    the record of what was booked)."""

    _name = "distrib.accrual.run"
    _description = "Month-End Accrual Run"
    _inherit = ["mail.thread"]
    _order = "date desc, company_id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(
        string="Period End", required=True, readonly=True, help="Accrual date."
    )
    reversal_date = fields.Date(readonly=True)
    state = fields.Selection(
        [("posted", "Posted"), ("nothing", "Nothing to Accrue")],
        readonly=True,
        required=True,
        default="nothing",
        tracking=True,
    )
    move_id = fields.Many2one(
        "account.move", string="Accrual Entry", readonly=True, check_company=True
    )
    reversal_move_id = fields.Many2one(
        "account.move", string="Reversal Entry", readonly=True, check_company=True
    )
    amount_purchase = fields.Monetary(
        string="Received Not Billed", readonly=True, currency_field="currency_id"
    )
    amount_sale = fields.Monetary(
        string="Delivered Not Invoiced", readonly=True, currency_field="currency_id"
    )
    purchase_order_count = fields.Integer(readonly=True)
    sale_order_count = fields.Integer(readonly=True)
    run_by_id = fields.Many2one("res.users", readonly=True)

    _sql_constraints = [
        (
            "company_date_uniq",
            "UNIQUE (company_id, date)",
            "A company has one accrual run per period.",
        )
    ]

    @api.depends("company_id", "date")
    def _compute_name(self):
        for run in self:
            run.name = self.env._(
                "Accruals %(period)s, %(company)s",
                period=(run.date and run.date.strftime("%Y-%m")) or "",
                company=run.company_id.name or "",
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise UserError(
                self.env._(
                    "Accrual runs are created by running the accruals of a period "
                    "(from its close), not by hand."
                )
            )
        check_vals(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise UserError(
                self.env._(
                    "An accrual run is a record of what was booked: it "
                    "cannot be changed."
                )
            )
        return super().write(vals)

    def unlink(self):
        if self:
            raise UserError(
                self.env._(
                    "An accrual run is a record of what was booked: it cannot "
                    "be deleted; reverse its entry instead."
                )
            )
        return super().unlink()

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    @api.model
    def _check_run_rights(self, company):
        if not (
            self.env.user.has_group("account.group_account_manager")
            or self.env.user.has_group("distrib_atp.group_distrib_finance")
        ):
            raise UserError(
                self.env._(
                    "Only finance (an accounting manager or the distrib finance "
                    "role) can run the month-end accruals."
                )
            )
        if company not in self.env.user.company_ids:
            raise UserError(
                self.env._(
                    "You do not work in %(company)s: its accruals are not yours "
                    "to run.",
                    company=company.name,
                )
            )

    @api.model
    def _run_for(self, company, period_end):
        """The accrual run of ``company`` for the period ending ``period_end``:
        the existing one, or a new one booked now. Serialized per company and
        period (an advisory lock), so two runs at once book once."""
        period_end = fields.Date.to_date(period_end)
        _first, last = month_bounds(period_end)
        if period_end != last:
            raise UserError(
                self.env._(
                    "Accruals are booked at a month end (%(last)s), not on %(date)s.",
                    last=last,
                    date=period_end,
                )
            )
        if period_end >= fields.Date.context_today(self):
            raise UserError(
                self.env._(
                    "The period ending %(date)s has not ended yet: its accruals "
                    "are booked once it has.",
                    date=period_end,
                )
            )
        if not self.env.su:
            self._check_run_rights(company)
        self.env.cr.execute(
            SQL(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                company.id,
                int(period_end.strftime("%Y%m")),
            )
        )
        existing = self.sudo().search(
            [("company_id", "=", company.id), ("date", "=", period_end)], limit=1
        )
        if existing:
            return self.browse(existing.id)
        return self.browse(self.sudo()._book(company, period_end).id)

    @api.model
    def _accrual_orders(self, model, company, period_end):
        """Orders of ``company`` that may have lines received (delivered) and not
        billed (invoiced) at ``period_end``: confirmed by then, and not fully
        invoiced now or invoiced after that date."""
        end = datetime.combine(period_end, time.max)
        date_field = "date_approve" if model == "purchase.order" else "date_order"
        states = ("purchase", "done") if model == "purchase.order" else ("sale",)
        return self.env[model].search(
            [
                ("company_id", "=", company.id),
                ("state", "in", states),
                (date_field, "<=", end),
                "|",
                ("invoice_status", "!=", "invoiced"),
                ("invoice_ids.invoice_date", ">", period_end),
            ]
        )

    @api.model
    def _accrual_lines(self, model, orders, company, period_end, account):
        """Odoo's accrued-orders computation of ``orders`` at ``period_end``,
        one currency at a time (Odoo's wizard takes one): line commands in the
        company currency, and their total."""
        Wizard = self.env["account.accrued.orders.wizard"]
        commands, total = [], 0.0
        by_currency = defaultdict(lambda: self.env[model])
        for order in orders:
            by_currency[order.currency_id] |= order
        for group in by_currency.values():
            wizard = Wizard.with_context(
                active_model=model, active_ids=group.ids
            ).create(
                {
                    "company_id": company.id,
                    "date": period_end,
                    "account_id": account.id,
                }
            )
            move_vals, _orders = wizard._compute_move_vals()
            for command in move_vals["line_ids"]:
                vals = dict(command[2])
                vals.pop("amount_currency", None)
                vals.pop("currency_id", None)
                if vals["account_id"] == account.id:
                    total += vals["credit"] - vals["debit"]
                commands.append((0, 0, vals))
        return commands, total

    @api.model
    def _book(self, company, period_end):
        company = company.sudo()
        Run = self.with_company(company)
        purchase_account = company.distrib_accrual_account_id
        if not purchase_account:
            raise UserError(
                self.env._(
                    "%(company)s has no received-not-billed account: set it in "
                    "the Settings (Landed Costs, Accruals and Close).",
                    company=company.name,
                )
            )
        purchases = Run._accrual_orders("purchase.order", company, period_end)
        commands, amount_purchase = Run._accrual_lines(
            "purchase.order", purchases, company, period_end, purchase_account
        )
        sales = self.env["sale.order"]
        amount_sale = 0.0
        revenue_account = company.distrib_accrued_revenue_account_id
        if revenue_account:
            sales = Run._accrual_orders("sale.order", company, period_end)
            sale_commands, amount_sale = Run._accrual_lines(
                "sale.order", sales, company, period_end, revenue_account
            )
            commands += sale_commands
            amount_sale = -amount_sale
        reversal_date = period_end + timedelta(days=1)
        vals = {
            "company_id": company.id,
            "date": period_end,
            "reversal_date": reversal_date,
            "amount_purchase": amount_purchase,
            "amount_sale": amount_sale,
            "purchase_order_count": len(purchases),
            "sale_order_count": len(sales),
            "run_by_id": self.env.user.id,
        }
        if commands:
            journal = self.env["account.journal"].search(
                [
                    *self.env["account.journal"]._check_company_domain(company),
                    ("type", "=", "general"),
                ],
                limit=1,
            )
            move = (
                self.env["account.move"]
                .with_company(company)
                .create(
                    {
                        "move_type": "entry",
                        "journal_id": journal.id,
                        "company_id": company.id,
                        "date": period_end,
                        "ref": self.env._(
                            "Month-end accruals %(period)s (received not billed, "
                            "delivered not invoiced)",
                            period=period_end.strftime("%Y-%m"),
                        ),
                        "currency_id": company.currency_id.id,
                        "line_ids": commands,
                    }
                )
            )
            move._post(soft=False)
            reversal = move._reverse_moves(
                default_values_list=[
                    {
                        "ref": self.env._("Reversal of: %(ref)s", ref=move.ref),
                        "date": reversal_date,
                    }
                ]
            )
            reversal._post(soft=False)
            vals.update(
                {
                    "state": "posted",
                    "move_id": move.id,
                    "reversal_move_id": reversal.id,
                }
            )
        return self.create(vals)

    @distrib_rpc(singleton=True)
    def action_view_entries(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Accrual Entries"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", (self.move_id | self.reversal_move_id).ids)],
        }
