from odoo import api, models


class DistribKpiDashboard(models.AbstractModel):
    _inherit = "distrib.kpi.dashboard"

    @api.model
    def _kpi_extend(self, result, companies, currency, today, since):
        result = super()._kpi_extend(result, companies, currency, today, since)
        companies = companies.filtered("distrib_close_enabled")
        if not companies:
            return result
        Period = self.env["distrib.close.period"]
        if Period.has_access("read"):
            self._kpi_close(result, Period, companies)
        SaleOrder = self.env["sale.order"]
        if SaleOrder.has_access("read"):
            self._kpi_expedite(result, SaleOrder, companies, currency, today, since)
        Grni = self.env["distrib.grni.report"]
        if Grni.has_access("read"):
            domain = [("company_id", "in", companies.ids)]
            value, count = self._to_currency(
                Grni, domain, "value", currency, today, count=True
            )
            result["tiles"].append(
                {
                    "key": "grni_balance",
                    "label": self.env._("Received Not Billed"),
                    "value": value,
                    "format": "amount",
                    "unit": "",
                    "note": self.env._("goods received, not billed yet"),
                }
            )
            result["actions"]["grni_balance"] = self._kpi_action(
                self.env._("Goods Received Not Invoiced"),
                Grni._name,
                domain,
                [(False, "list"), (False, "pivot")],
                group_by=["partner_id"],
            )
            result["counts"]["grni_balance"] = count
        return result

    @api.model
    def _kpi_close(self, result, Period, companies):
        closed_domain = [("company_id", "in", companies.ids), ("state", "=", "closed")]
        rows = [
            {
                "label": company.name,
                "days": days or 0.0,
                "count": n,
                "domain": [("company_id", "=", company.id)],
            }
            for company, days, n in Period._read_group(
                closed_domain, ["company_id"], ["cycle_days:avg", "__count"]
            )
        ]
        result["panels"].append(
            {
                "key": "close_cycle",
                "label": self.env._("Close Cycle Time by Company (days)"),
                "rows": rows,
                "measure": "days",
            }
        )
        result["actions"]["close_cycle"] = self._kpi_action(
            self.env._("Closed Periods"),
            Period._name,
            closed_domain,
            [(False, "list"), (False, "form")],
            group_by=["company_id"],
        )
        result["counts"]["close_cycle"] = sum(row["count"] for row in rows)
        [(avg_days, n)] = Period._read_group(
            closed_domain, [], ["cycle_days:avg", "__count"]
        )
        result["tiles"].append(
            {
                "key": "close_cycle_time",
                "label": self.env._("Close Cycle Time"),
                "value": avg_days or 0.0,
                "format": "number",
                "unit": self.env._("days"),
                "note": self.env._("period end to lock date"),
            }
        )
        result["actions"]["close_cycle_time"] = result["actions"]["close_cycle"]
        result["counts"]["close_cycle_time"] = n
        delayed = Period._delayed_companies(companies)
        delayed_domain = [("company_id", "in", delayed.ids), ("state", "=", "open")]
        result["tiles"].append(
            {
                "key": "delayed_close",
                "label": self.env._("Entities with Delayed Close"),
                "value": len(delayed),
                "format": "number",
                "unit": "",
                "note": ", ".join(delayed.mapped("name")),
            }
        )
        result["actions"]["delayed_close"] = self._kpi_action(
            self.env._("Delayed Closes"),
            Period._name,
            delayed_domain,
            [(False, "list"), (False, "form")],
        )
        result["counts"]["delayed_close"] = len(delayed)

    @api.model
    def _kpi_expedite(self, result, SaleOrder, companies, currency, today, since):
        """Margin erosion by cause: orders whose margin at shipment eroded, and
        the part of it that is expedite freight."""
        base = [
            ("company_id", "in", companies.ids),
            ("date_order", ">=", since),
            ("distrib_erosion_shipment", ">", 0),
        ]
        expedite_domain = [("distrib_expedite_cost", ">", 0)]
        landed_domain = [
            ("distrib_landed_cost_shipped", ">", 0),
            ("distrib_expedite_cost", "=", 0),
        ]
        rows = []
        for label, domain in (
            (self.env._("Expedite freight"), expedite_domain),
            (self.env._("Other landed costs on deliveries"), landed_domain),
        ):
            amount, n = self._to_currency(
                SaleOrder,
                [*base, *domain],
                "distrib_landed_cost_shipped",
                currency,
                today,
                count=True,
            )
            rows.append({"label": label, "value": amount, "count": n, "domain": domain})
        result["panels"].append(
            {
                "key": "erosion_by_cause",
                "label": self.env._("Margin Erosion by Cause"),
                "rows": rows,
                "measure": "value",
            }
        )
        result["actions"]["erosion_by_cause"] = self._kpi_action(
            self.env._("Orders with Margin Erosion"),
            "sale.order",
            base,
            [("sale.view_order_tree", "list"), ("sale.view_order_form", "form")],
        )
        result["counts"]["erosion_by_cause"] = sum(row["count"] for row in rows)
