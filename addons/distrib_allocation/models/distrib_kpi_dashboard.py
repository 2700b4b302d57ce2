from odoo import api, models
from odoo.tools import SQL


class DistribKpiDashboard(models.AbstractModel):
    _inherit = "distrib.kpi.dashboard"

    @api.model
    def _kpi_extend(self, result, companies, currency, today, since):
        result = super()._kpi_extend(result, companies, currency, today, since)
        enabled = companies.filtered(
            lambda c: c.distrib_allocation_enabled or c.distrib_auto_sourcing
        )
        if not enabled:
            return result
        if self.env["sale.order"].has_access("read"):
            self._kpi_allocation_by_priority(result, enabled, since)
            self._kpi_allocation_expedite(result, enabled, currency, today, since)
        if self.env["distrib.allocation.log"].has_access("read"):
            self._kpi_allocation_shortages(result, enabled, since)
        return result

    @api.model
    def _kpi_allocation_by_priority(self, result, companies, since):
        """Fill rate and promise accuracy of the confirmed orders, by priority
        class, in one query."""
        for model, names in (
            ("sale.order", ["state", "company_id", "date_order"]),
            ("sale.order.line", ["qty_delivered", "product_uom_qty"]),
            ("stock.move", ["state", "date", "sale_line_id"]),
        ):
            self.env[model].flush_model(names)
        self.env["sale.order"].flush_model(["distrib_allocation_priority"])
        self.env["sale.order.line"].flush_model(["distrib_promised_date"])
        self.env.cr.execute(
            SQL(
                """
                WITH done AS (
                    SELECT m.sale_line_id, MAX(m.date)::date AS day
                      FROM stock_move m
                      JOIN sale_order_line l ON l.id = m.sale_line_id
                      JOIN sale_order o ON o.id = l.order_id
                     WHERE m.state = 'done'
                       AND o.company_id = ANY(%(companies)s)
                       AND o.date_order >= %(since)s
                     GROUP BY m.sale_line_id
                )
                SELECT o.distrib_allocation_priority,
                       SUM(LEAST(l.qty_delivered, l.product_uom_qty)),
                       SUM(l.product_uom_qty),
                       COUNT(*) FILTER (WHERE l.distrib_promised_date IS NOT NULL
                                         AND l.qty_delivered >= l.product_uom_qty),
                       COUNT(*) FILTER (WHERE l.distrib_promised_date IS NOT NULL
                                         AND l.qty_delivered >= l.product_uom_qty
                                         AND done.day <= l.distrib_promised_date)
                  FROM sale_order_line l
                  JOIN sale_order o ON o.id = l.order_id
                  LEFT JOIN done ON done.sale_line_id = l.id
                 WHERE o.state = 'sale'
                   AND o.company_id = ANY(%(companies)s)
                   AND o.date_order >= %(since)s
                   AND l.display_type IS NULL
                   AND l.product_uom_qty > 0
                 GROUP BY o.distrib_allocation_priority
                """,
                companies=companies.ids,
                since=since,
            )
        )
        rows = self.env.cr.fetchall()
        labels = dict(
            self.env["sale.order"]
            ._fields["distrib_allocation_priority"]
            ._description_selection(self.env)
        )
        fill_rows, accuracy_rows = [], []
        for priority, delivered, ordered, promised, on_time in self._kpi_sorted(
            self.env["sale.order"], "distrib_allocation_priority", rows
        ):
            domain = [
                ("company_id", "in", companies.ids),
                ("state", "=", "sale"),
                ("date_order", ">=", since),
                ("distrib_allocation_priority", "=", priority),
            ]
            label = labels.get(priority, priority or "-")
            fill_rows.append(
                {
                    "label": label,
                    "fill_rate": round(delivered / ordered * 100.0, 1)
                    if ordered
                    else 0.0,
                    "domain": domain,
                }
            )
            accuracy_rows.append(
                {
                    "label": label,
                    "promise_accuracy": round(on_time / promised * 100.0, 1)
                    if promised
                    else 0.0,
                    "domain": domain,
                }
            )
        for key, label, rows_, measure in (
            (
                "allocation_fill_rate",
                self.env._("Fill Rate by Priority (%)"),
                fill_rows,
                "fill_rate",
            ),
            (
                "allocation_promise_accuracy",
                self.env._("Promises Kept by Priority (%)"),
                accuracy_rows,
                "promise_accuracy",
            ),
        ):
            result["panels"].append(
                {"key": key, "label": label, "rows": rows_, "measure": measure}
            )
            result["actions"][key] = self._kpi_action(
                label,
                "sale.order",
                [
                    ("company_id", "in", companies.ids),
                    ("state", "=", "sale"),
                    ("date_order", ">=", since),
                ],
                [(False, "list"), (False, "form")],
                group_by="distrib_allocation_priority",
            )

    @api.model
    def _kpi_allocation_shortages(self, result, companies, since):
        """Shortages resolved automatically vs by a person, and their time."""
        Log = self.env["distrib.allocation.log"]
        domain = [
            ("company_id", "in", companies.ids),
            ("create_date", ">=", since),
            ("resolution", "!=", False),
        ]
        groups = Log._read_group(domain, ["resolution"], ["__count", "hours:avg"])
        counts = {resolution: (count, hours) for resolution, count, hours in groups}
        total = sum(count for count, _hours in counts.values())
        auto = counts.get("auto", (0, 0.0))[0]
        people = [
            (count, hours)
            for resolution, (count, hours) in counts.items()
            if resolution != "auto"
        ]
        by_people = sum(count for count, _hours in people)
        hours = (
            sum(count * (hours or 0.0) for count, hours in people) / by_people
            if by_people
            else 0.0
        )
        result["tiles"].append(
            {
                "key": "allocation_shortages",
                "label": self.env._("Shortages resolved automatically"),
                "value": round(auto / total * 100.0, 1) if total else 0.0,
                "format": "percent",
                "unit": "%",
                "note": self.env._(
                    "%(auto)s by the sourcing policy, %(people)s otherwise "
                    "(person, stock, change) in %(hours)s h on average",
                    auto=auto,
                    people=by_people,
                    hours=round(hours, 1),
                ),
            }
        )
        result["actions"]["allocation_shortages"] = self._kpi_action(
            self.env._("Shortage Resolutions"),
            "distrib.allocation.log",
            domain,
            [
                ("distrib_allocation.distrib_allocation_log_view_pivot", "pivot"),
                ("distrib_allocation.distrib_allocation_log_view_list", "list"),
            ],
        )
        result["counts"]["allocation_shortages"] = total

    @api.model
    def _kpi_allocation_expedite(self, result, companies, currency, today, since):
        """The expedite costs of the confirmed orders: margin they eroded."""
        Line = self.env["sale.order.line"]
        domain = [
            ("company_id", "in", companies.ids),
            ("state", "=", "sale"),
            ("order_id.date_order", ">=", since),
            ("distrib_expedite_cost", "!=", 0),
        ]
        total, count = self._to_currency(
            Line, domain, "distrib_expedite_cost", currency, today, count=True
        )
        result["tiles"].append(
            {
                "key": "allocation_expedite",
                "label": self.env._("Margin eroded by expedites"),
                "value": total,
                "format": "amount",
                "unit": "",
                "note": self.env._(
                    "Express carrier cost of %(count)s lines sourced by expedite",
                    count=count,
                ),
            }
        )
        result["actions"]["allocation_expedite"] = self._kpi_action(
            self.env._("Expedited Lines"),
            "sale.order.line",
            domain,
            [(False, "list")],
        )
        result["counts"]["allocation_expedite"] = count
