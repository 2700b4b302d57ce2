from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.tools import SQL

OPEN_EXCEPTION_STATES = ("new", "assigned", "in_progress", "escalated")


class DistribKpiDashboard(models.AbstractModel):
    """Figures of the Distribution dashboard: a fixed number of grouped queries
    over the reporting views, whatever the volume.

    Every figure is computed with the caller's own rights (record rules and
    companies), from a domain that is also returned, with the window action that
    opens the records behind it: ``actions[key]`` for a tile or panel, and for a
    panel row ``domain`` (added to its panel's domain) and ``count``. The tile and
    the list it opens therefore always agree.
    """

    _name = "distrib.kpi.dashboard"
    _description = "Distribution Dashboard"

    @api.model
    def _kpi_period_days(self):
        return 90

    @api.model
    def _kpi_action(self, name, model, domain, views, group_by=None):
        """A window action on ``model`` restricted to ``domain``; ``views`` are
        (xmlid or False, view type) pairs."""
        IrModelData = self.env["ir.model.data"]
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "domain": domain,
            "views": [
                [xmlid and IrModelData._xmlid_to_res_id(xmlid), view_type]
                for xmlid, view_type in views
            ],
            "context": {"group_by": group_by} if group_by else {},
            "target": "current",
        }

    @api.model
    def _kpi_sorted(self, model, fname, groups):
        """``groups`` (tuples whose first item is a value of the selection field
        ``fname``) in the selection's order."""
        selection = model._fields[fname]._description_selection(self.env)
        rank = {value: index for index, (value, _label) in enumerate(selection)}
        return sorted(groups, key=lambda group: rank.get(group[0], len(rank)))

    @api.model
    @api.readonly
    def get_kpis(self):
        # PostgreSQL's JIT compiler (on by default) compiles the plan of every
        # statement it estimates expensive, which the reads of the reporting
        # views are at a real distributor's size: compiling took longer than
        # running them (issue 18: 3.1 s against 1.7 s at SCALE 100). The figures
        # are read with JIT off for this call's own statements only, then the
        # transaction's setting is put back (set_config(..., true) is SET LOCAL).
        cr = self.env.cr
        cr.execute(SQL("SELECT current_setting('jit'), set_config('jit', 'off', true)"))
        jit = cr.fetchone()[0]
        result = self._kpi_compute()
        cr.execute(SQL("SELECT set_config('jit', %s, true)", jit))
        return result

    @api.model
    def _kpi_compute(self):
        companies = self.env.companies
        currency = self.env.company.currency_id
        today = fields.Date.context_today(self)
        since = fields.Datetime.to_string(
            fields.Datetime.now() - timedelta(days=self._kpi_period_days())
        )
        result = {
            "currency": {
                "symbol": currency.symbol,
                "position": currency.position,
                "digits": currency.decimal_places,
            },
            "period_days": self._kpi_period_days(),
            "actions": {},
            "counts": {},
            "tiles": [],
            "panels": [],
        }
        actions, counts = result["actions"], result["counts"]
        company_domain = [("company_id", "in", companies.ids)]
        SaleOrder = self.env["sale.order"]
        if SaleOrder.has_access("read"):
            domain = [*company_domain, ("distrib_state", "!=", False)]
            state_labels = dict(
                SaleOrder._fields["distrib_state"]._description_selection(self.env)
            )
            result["pipeline"] = [
                {
                    "state": state,
                    "label": state_labels[state],
                    "count": count,
                    "domain": [("distrib_state", "=", state)],
                }
                for state, count in self._kpi_sorted(
                    SaleOrder,
                    "distrib_state",
                    SaleOrder._read_group(domain, ["distrib_state"], ["__count"]),
                )
            ]
            actions["pipeline"] = self._kpi_action(
                self.env._("Order Pipeline"),
                "sale.order",
                domain,
                [("sale.view_order_tree", "list"), ("sale.view_order_form", "form")],
                group_by=["distrib_state"],
            )
            counts["pipeline"] = sum(row["count"] for row in result["pipeline"])
        Report = self.env["distrib.order.kpi.report"]
        if Report.has_access("read"):
            self._kpi_orders(result, Report, company_domain, since, currency, today)
        Exception_ = self.env["distrib.exception"]
        if Exception_.has_access("read"):
            self._kpi_exceptions(result, Exception_, company_domain, since)
        Return = self.env["distrib.return.authorization"]
        if Return.has_access("read"):
            domain = [*company_domain, ("create_date", ">=", since)]
            result["return_reasons"] = [
                {
                    "label": reason.display_name or self.env._("No reason"),
                    "count": n,
                    "domain": [("reason_id", "=", reason.id)],
                }
                for reason, n in Return._read_group(domain, ["reason_id"], ["__count"])
            ]
            actions["return_reasons"] = self._kpi_action(
                self.env._("Returns"),
                "distrib.return.authorization",
                domain,
                [(False, "list"), (False, "form")],
                group_by=["reason_id"],
            )
            counts["return_reasons"] = sum(
                row["count"] for row in result["return_reasons"]
            )
        Inventory = self.env["distrib.inventory.status.report"]
        if Inventory.has_access("read"):
            status_labels = dict(
                Inventory._fields["stock_status"]._description_selection(self.env)
            )
            values, status_counts = {}, {}
            for status, company, value, n in self._kpi_sorted(
                Inventory,
                "stock_status",
                Inventory._read_group(
                    company_domain,
                    ["stock_status", "company_id"],
                    ["value:sum", "__count"],
                ),
            ):
                values.setdefault(status, 0.0)
                values[status] += company.currency_id._convert(
                    value or 0.0, currency, self.env.company, today
                )
                status_counts[status] = status_counts.get(status, 0) + n
            result["inventory_by_status"] = [
                {
                    "label": status_labels.get(status, status),
                    "value": value,
                    "count": status_counts[status],
                    "domain": [("stock_status", "=", status)],
                }
                for status, value in values.items()
            ]
            actions["inventory_by_status"] = self._kpi_action(
                self.env._("Inventory by Stock Status"),
                "distrib.inventory.status.report",
                company_domain,
                [
                    (
                        "distrib_orchestration.distrib_inventory_status_report_view_list",
                        "list",
                    ),
                    (False, "pivot"),
                ],
                group_by=["stock_status"],
            )
            counts["inventory_by_status"] = sum(status_counts.values())
        if self.env["account.move.line"].has_access("read") and self.env[
            "account.move"
        ].has_access("read"):
            self._kpi_dso(result, companies, currency, today)
        self._kpi_extend(result, companies, currency, today, since)
        return result

    @api.model
    def _kpi_extend(self, result, companies, currency, today, since):
        """Extension point for other addons' figures: append to
        ``result["tiles"]`` dicts ``{"key", "label", "value", "format"
        ("number", "amount" or "percent"), "unit", "note"}`` and to
        ``result["panels"]`` dicts ``{"key", "label", "rows", "measure"}``
        (rows as the built-in panels: ``label``, the measure, ``domain``);
        put the action that opens the records behind each under
        ``result["actions"][key]`` (see ``_kpi_action``). Only add a figure
        the user may read (``has_access``)."""
        return result

    @api.model
    def _kpi_measured_domains(self):
        """Per averaged figure of the order KPIs, the domain of the orders that
        have it (a numeric ``!= False`` would also drop the zeros)."""
        shipped = [("date_shipped", "!=", False)]
        return {
            "cycle_days": shipped,
            "fill_rate": [("shipping_done", "=", True)],
            "on_time_percent": [*shipped, ("commitment_date", "!=", False)],
        }

    @api.model
    def _kpi_orders(self, result, Report, company_domain, since, currency, today):
        actions, counts = result["actions"], result["counts"]
        domain = [*company_domain, ("date_order", ">=", since)]
        list_views = [
            ("distrib_orchestration.distrib_order_kpi_report_view_list", "list"),
            (False, "pivot"),
            (False, "graph"),
        ]
        [(cycle, cycles, fill, fills, on_time, on_times, count)] = Report._read_group(
            domain,
            [],
            [
                "cycle_days:avg",
                "cycle_days:count",
                "fill_rate:avg",
                "fill_rate:count",
                "on_time_percent:avg",
                "on_time_percent:count",
                "__count",
            ],
        )
        erosion, _count = self._to_currency(
            Report, domain, "margin_erosion", currency, today, count=True
        )
        result["orders"] = {
            "count": count,
            "cycle_days": cycle or 0.0,
            "fill_rate": fill or 0.0,
            "on_time_percent": on_time or 0.0,
            "margin_erosion": erosion,
        }
        # the orders each average is taken on (its value is set on them, even 0)
        measured = self._kpi_measured_domains()
        for key, name, n in (
            ("cycle_days", self.env._("Order Cycle Time"), cycles),
            ("fill_rate", self.env._("Fill Rate"), fills),
            ("on_time_percent", self.env._("Promise Accuracy"), on_times),
        ):
            actions[key] = self._kpi_action(
                name, Report._name, [*domain, *measured[key]], list_views
            )
            counts[key] = n
        actions["margin_erosion"] = self._kpi_action(
            self.env._("Margin Erosion"), Report._name, domain, list_views
        )
        counts["margin_erosion"] = count

        exception_labels = dict(
            Report._fields["exception_type"]._description_selection(self.env)
        )
        cycle_domain = [*domain, *measured["cycle_days"]]
        result["cycle_by_exception"] = [
            {
                "label": exception_labels.get(kind, kind),
                "days": days or 0.0,
                "count": n,
                "domain": [("exception_type", "=", kind)],
            }
            for kind, days, n in self._kpi_sorted(
                Report,
                "exception_type",
                Report._read_group(
                    cycle_domain, ["exception_type"], ["cycle_days:avg", "__count"]
                ),
            )
        ]
        actions["cycle_by_exception"] = self._kpi_action(
            self.env._("Cycle Time by Exception Type"),
            Report._name,
            cycle_domain,
            list_views,
            group_by=["exception_type"],
        )
        fill_domain = [*domain, *measured["fill_rate"]]
        for key, fname, name, empty in (
            (
                "fill_by_warehouse",
                "warehouse_id",
                self.env._("Fill Rate by Warehouse"),
                self.env._("No warehouse"),
            ),
            (
                "fill_by_segment",
                "segment_id",
                self.env._("Fill Rate by Customer Segment"),
                self.env._("No segment"),
            ),
        ):
            result[key] = [
                {
                    "label": record.display_name or empty,
                    "rate": rate or 0.0,
                    "count": n,
                    "domain": [(fname, "=", record.id)],
                }
                for record, rate, n in Report._read_group(
                    fill_domain, [fname], ["fill_rate:avg", "__count"]
                )
            ]
            actions[key] = self._kpi_action(
                name, Report._name, fill_domain, list_views, group_by=[fname]
            )
        source_labels = dict(
            Report._fields["source_kind"]._description_selection(self.env)
        )
        erosion_domain = [
            *domain,
            "|",
            ("erosion_shipment", ">", 0),
            ("erosion_invoice", ">", 0),
        ]
        result["erosion_by_source"] = [
            {
                "label": source_labels.get(kind, kind),
                "count": n,
                "domain": [("source_kind", "=", kind)],
            }
            for kind, n in self._kpi_sorted(
                Report,
                "source_kind",
                Report._read_group(erosion_domain, ["source_kind"], ["__count"]),
            )
        ]
        actions["erosion_by_source"] = self._kpi_action(
            self.env._("Orders with Margin Erosion"),
            Report._name,
            erosion_domain,
            list_views,
            group_by=["source_kind"],
        )
        for key in (
            "cycle_by_exception",
            "fill_by_warehouse",
            "fill_by_segment",
            "erosion_by_source",
        ):
            counts[key] = sum(row["count"] for row in result[key])

    @api.model
    def _kpi_exceptions(self, result, Exception_, company_domain, since):
        actions, counts = result["actions"], result["counts"]
        list_views = [
            ("distrib_exceptions.distrib_exception_view_list", "list"),
            (False, "form"),
        ]
        age_labels = dict(
            Exception_._fields["age_bucket"]._description_selection(self.env)
        )
        open_domain = [*company_domain, ("state", "in", OPEN_EXCEPTION_STATES)]
        result["exception_aging"] = [
            {
                "label": age_labels.get(bucket, bucket),
                "count": n,
                "domain": [("age_bucket", "=", bucket)],
            }
            for bucket, n in self._kpi_sorted(
                Exception_,
                "age_bucket",
                Exception_._read_group(open_domain, ["age_bucket"], ["__count"]),
            )
        ]
        actions["exception_aging"] = self._kpi_action(
            self.env._("Open Exceptions by Age"),
            Exception_._name,
            open_domain,
            list_views,
            group_by=["age_bucket"],
        )
        counts["exception_aging"] = sum(
            row["count"] for row in result["exception_aging"]
        )
        hold_domain = [
            *company_domain,
            ("exception_type", "=", "credit_hold"),
            ("create_date", ">=", since),
        ]
        tz = pytz.timezone(self.env.context.get("tz") or "UTC")
        holds = []
        for week, n in Exception_._read_group(
            hold_domain, ["create_date:week"], ["__count"]
        ):
            # the week starts at midnight in the user's time zone (as grouped)
            start = datetime.combine(week, time.min)
            bounds = [
                fields.Datetime.to_string(
                    tz.localize(day).astimezone(pytz.utc).replace(tzinfo=None)
                )
                for day in (start, start + timedelta(days=7))
            ]
            holds.append(
                {
                    "label": fields.Date.to_string(week),
                    "count": n,
                    "domain": [
                        ("create_date", ">=", bounds[0]),
                        ("create_date", "<", bounds[1]),
                    ],
                }
            )
        result["credit_holds"] = holds
        actions["credit_holds"] = self._kpi_action(
            self.env._("Credit Holds"),
            Exception_._name,
            hold_domain,
            list_views,
            group_by=["create_date:week"],
        )
        counts["credit_holds"] = sum(row["count"] for row in holds)

    @api.model
    def _to_currency(self, model, domain, fname, currency, date, count=False):
        """The sum of ``fname`` over ``domain`` in ``currency`` (and the number of
        records summed when ``count``)."""
        total, records = 0.0, 0
        for company, amount, n in model._read_group(
            domain, ["company_id"], [f"{fname}:sum", "__count"]
        ):
            total += company.currency_id._convert(
                amount or 0.0, currency, self.env.company, date
            )
            records += n
        return (total, records) if count else total

    @api.model
    def _kpi_dso(self, result, companies, currency, today):
        """Days sales outstanding: open receivables / credit sales of the period
        x days of the period, in the current company's currency. Its drill-down
        is the open receivables."""
        days = self._kpi_period_days()
        open_lines = [
            ("company_id", "in", companies.ids),
            ("parent_state", "=", "posted"),
            ("reconciled", "=", False),
        ]
        receivable_domain = [
            open_lines[0],
            ("account_type", "=", "asset_receivable"),
            *open_lines[1:],
        ]
        # the same lines, summed on the receivable accounts' ids: PostgreSQL then
        # reads them through Odoo's index of unreconciled lines per account
        # instead of scanning every journal item (issue 18: 250 ms to 12 ms at
        # SCALE 100). Only ids that narrow the caller's own search are read.
        receivable_accounts = (
            self.env["account.account"]
            .sudo()
            .search([("account_type", "=", "asset_receivable")])
        )
        receivable, count = self._to_currency(
            self.env["account.move.line"],
            [*open_lines, ("account_id", "in", receivable_accounts.ids)],
            "amount_residual",
            currency,
            today,
            count=True,
        )
        sales = self._to_currency(
            self.env["account.move"],
            [
                ("company_id", "in", companies.ids),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("state", "=", "posted"),
                ("invoice_date", ">=", today - timedelta(days=days)),
            ],
            "amount_total_signed",
            currency,
            today,
        )
        result["dso"] = round(receivable / sales * days, 1) if sales else 0.0
        result["actions"]["dso"] = self._kpi_action(
            self.env._("Open Receivables"),
            "account.move.line",
            receivable_domain,
            [("account.view_move_line_tree", "list"), (False, "form")],
        )
        result["counts"]["dso"] = count
