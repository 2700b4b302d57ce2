from odoo import api, models


class DistribKpiDashboard(models.AbstractModel):
    _inherit = "distrib.kpi.dashboard"

    @api.model
    def _kpi_extend(self, result, companies, currency, today, since):
        result = super()._kpi_extend(result, companies, currency, today, since)
        Accrual = self.env["distrib.rebate.accrual"]
        enabled = companies.filtered("distrib_rebate_enabled")
        if not enabled or not Accrual.has_access("read"):
            return result
        domain = [("company_id", "in", enabled.ids)]
        total, count = self._to_currency(
            Accrual, domain, "amount", currency, today, count=True
        )
        result["tiles"].append(
            {
                "key": "rebate_accrual",
                "label": self.env._("Rebate accrual"),
                "value": total,
                "format": "amount",
                "unit": "",
                "note": self.env._(
                    "Rebates earned by customers and not settled yet "
                    "(%(count)s ledger lines)",
                    count=count,
                ),
            }
        )
        result["actions"]["rebate_accrual"] = self._kpi_action(
            self.env._("Accrued Rebates"),
            "distrib.rebate.accrual",
            domain,
            [
                ("distrib_rebate.distrib_rebate_accrual_view_pivot", "pivot"),
                ("distrib_rebate.distrib_rebate_accrual_view_list", "list"),
            ],
        )
        result["counts"]["rebate_accrual"] = count
        return result
