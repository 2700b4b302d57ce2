from datetime import timedelta

from odoo import api, fields, models

OPEN_EXCEPTION_STATES = ("new", "assigned", "in_progress", "escalated")


class DistribKpiDashboard(models.AbstractModel):
    """Figures of the Distribution dashboard: a fixed number of grouped queries
    over the reporting views, whatever the volume."""

    _name = "distrib.kpi.dashboard"
    _description = "Distribution Dashboard"

    @api.model
    def _kpi_period_days(self):
        return 90

    @api.model
    def get_kpis(self):
        companies = self.env.companies
        currency = self.env.company.currency_id
        today = fields.Date.context_today(self)
        since = fields.Datetime.now() - timedelta(days=self._kpi_period_days())
        result = {
            "currency": {
                "symbol": currency.symbol,
                "position": currency.position,
                "digits": currency.decimal_places,
            },
            "period_days": self._kpi_period_days(),
        }
        company_domain = [("company_id", "in", companies.ids)]
        SaleOrder = self.env["sale.order"]
        if SaleOrder.has_access("read"):
            state_labels = dict(
                SaleOrder._fields["distrib_state"]._description_selection(self.env)
            )
            counts = SaleOrder._read_group(
                [*company_domain, ("distrib_state", "!=", False)],
                ["distrib_state"],
                ["__count"],
            )
            result["pipeline"] = [
                {"state": state, "label": state_labels[state], "count": count}
                for state, count in counts
            ]
        Report = self.env["distrib.order.kpi.report"]
        if Report.has_access("read"):
            domain = [*company_domain, ("date_order", ">=", since)]
            [(cycle, fill, on_time, erosion, count)] = Report._read_group(
                domain,
                [],
                [
                    "cycle_days:avg",
                    "fill_rate:avg",
                    "on_time_percent:avg",
                    "margin_erosion:sum",
                    "__count",
                ],
            )
            result["orders"] = {
                "count": count,
                "cycle_days": cycle or 0.0,
                "fill_rate": fill or 0.0,
                "on_time_percent": on_time or 0.0,
                "margin_erosion": self._to_currency(
                    Report, domain, "margin_erosion", currency, today
                )
                if erosion
                else 0.0,
            }
            exception_labels = dict(
                Report._fields["exception_type"]._description_selection(self.env)
            )
            result["cycle_by_exception"] = [
                {
                    "label": exception_labels.get(kind, kind),
                    "days": days or 0.0,
                    "count": n,
                }
                for kind, days, n in Report._read_group(
                    [*domain, ("cycle_days", "!=", False)],
                    ["exception_type"],
                    ["cycle_days:avg", "__count"],
                )
            ]
            result["fill_by_warehouse"] = [
                {"label": warehouse.display_name, "rate": rate or 0.0}
                for warehouse, rate in Report._read_group(
                    [*domain, ("fill_rate", "!=", False)],
                    ["warehouse_id"],
                    ["fill_rate:avg"],
                )
            ]
            result["fill_by_segment"] = [
                {
                    "label": segment.display_name or self.env._("No segment"),
                    "rate": rate or 0.0,
                }
                for segment, rate in Report._read_group(
                    [*domain, ("fill_rate", "!=", False)],
                    ["segment_id"],
                    ["fill_rate:avg"],
                )
            ]
            source_labels = dict(
                Report._fields["source_kind"]._description_selection(self.env)
            )
            result["erosion_by_source"] = [
                {"label": source_labels.get(kind, kind), "count": n}
                for kind, n in Report._read_group(
                    [
                        *domain,
                        "|",
                        ("erosion_shipment", ">", 0),
                        ("erosion_invoice", ">", 0),
                    ],
                    ["source_kind"],
                    ["__count"],
                )
            ]
        Exception_ = self.env["distrib.exception"]
        if Exception_.has_access("read"):
            age_labels = dict(
                Exception_._fields["age_bucket"]._description_selection(self.env)
            )
            result["exception_aging"] = [
                {"label": age_labels.get(bucket, bucket), "count": n}
                for bucket, n in Exception_._read_group(
                    [*company_domain, ("state", "in", OPEN_EXCEPTION_STATES)],
                    ["age_bucket"],
                    ["__count"],
                )
            ]
            result["credit_holds"] = [
                {"label": week, "count": n}
                for week, n in Exception_._read_group(
                    [
                        *company_domain,
                        ("exception_type", "=", "credit_hold"),
                        ("create_date", ">=", since),
                    ],
                    ["create_date:week"],
                    ["__count"],
                )
            ]
            for entry in result["credit_holds"]:
                entry["label"] = fields.Date.to_string(entry["label"])
        Return = self.env["distrib.return.authorization"]
        if Return.has_access("read"):
            result["return_reasons"] = [
                {"label": reason.display_name, "count": n}
                for reason, n in Return._read_group(
                    [*company_domain, ("create_date", ">=", since)],
                    ["reason_id"],
                    ["__count"],
                )
            ]
        Inventory = self.env["distrib.inventory.status.report"]
        if Inventory.has_access("read"):
            status_labels = dict(
                Inventory._fields["stock_status"]._description_selection(self.env)
            )
            values = {}
            for status, company, value in Inventory._read_group(
                company_domain, ["stock_status", "company_id"], ["value:sum"]
            ):
                values.setdefault(status, 0.0)
                values[status] += company.currency_id._convert(
                    value or 0.0, currency, self.env.company, today
                )
            result["inventory_by_status"] = [
                {"label": status_labels.get(status, status), "value": value}
                for status, value in values.items()
            ]
        if self.env["account.move"].has_access("read"):
            result["dso"] = self._compute_dso(companies, currency, today)
        return result

    @api.model
    def _to_currency(self, model, domain, fname, currency, date):
        total = 0.0
        for company, amount in model._read_group(
            domain, ["company_id"], [f"{fname}:sum"]
        ):
            total += company.currency_id._convert(
                amount or 0.0, currency, self.env.company, date
            )
        return total

    @api.model
    def _compute_dso(self, companies, currency, today):
        """Days sales outstanding: open receivables / credit sales of the period
        x days of the period, in the current company's currency."""
        days = self._kpi_period_days()
        receivable = self._to_currency(
            self.env["account.move.line"],
            [
                ("company_id", "in", companies.ids),
                ("account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
            ],
            "amount_residual",
            currency,
            today,
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
        return round(receivable / sales * days, 1) if sales else 0.0
