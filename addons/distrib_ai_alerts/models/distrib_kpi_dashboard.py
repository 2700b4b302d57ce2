from odoo import api, models


class DistribKpiDashboard(models.AbstractModel):
    _inherit = "distrib.kpi.dashboard"

    @api.model
    def _kpi_extend(self, result, companies, currency, today, since):
        """The collections list's expected loss, beside the DSO it drives."""
        result = super()._kpi_extend(result, companies, currency, today, since)
        Rows = self.env["distrib.collection.priority"]
        enabled = companies.filtered("distrib_ai_collections_check")
        if not enabled or not Rows.has_access("read"):
            return result
        domain = [("company_id", "in", enabled.ids)]
        loss = overdue = 0.0
        count = 0
        for company, loss_sum, overdue_sum, n in Rows._read_group(
            domain,
            ["company_id"],
            ["expected_loss:sum", "overdue_amount:sum", "__count"],
        ):
            loss += company.currency_id._convert(
                loss_sum or 0.0, currency, self.env.company, today
            )
            overdue += company.currency_id._convert(
                overdue_sum or 0.0, currency, self.env.company, today
            )
            count += n
        result["tiles"].append(
            {
                "key": "collections_expected_loss",
                "label": self.env._("Overdue at risk"),
                "value": loss,
                "format": "amount",
                "unit": "",
                "note": self.env._(
                    "Expected loss on %(overdue)s overdue (%(count)s customers, "
                    "DSO %(dso)s days)",
                    overdue=currency.format(overdue),
                    count=count,
                    dso=result.get("dso", 0.0),
                ),
            }
        )
        result["actions"]["collections_expected_loss"] = self._kpi_action(
            self.env._("Collections Priority"),
            "distrib.collection.priority",
            domain,
            [
                ("distrib_ai_alerts.distrib_collection_priority_view_list", "list"),
                (False, "form"),
            ],
        )
        result["counts"]["collections_expected_loss"] = count
        return result
