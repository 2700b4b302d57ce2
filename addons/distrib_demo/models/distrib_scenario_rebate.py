# pylint: disable=consider-merging-classes-inherited
# (one step file per domain on distrib.scenario, on purpose: see the readme)
import logging
from datetime import timedelta

from odoo import Command, api, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# accounts of the demo's rebates (code, name, type), created where missing
REBATE_ACCOUNTS = {
    "accrual": ("218500", "Accrued Customer Rebates", "liability_current"),
    "expense": ("618500", "Customer Rebates", "expense"),
}
# rates (%) of the segments' agreements: from 0, then from the tier
SEGMENT_RATES = (1.0, 1.5)


class DistribScenario(models.AbstractModel):
    _inherit = "distrib.scenario"

    @api.model
    def _scenario_steps(self):
        return [*super()._scenario_steps(), "rebate"]

    def _scenario_rebate(self, data):
        """Opt every company in to rebate agreements: one agreement of its own
        for the company's biggest customer, whose tier (3 % from 60 % of its
        six months of sales) it crosses during the history, and one agreement
        per other customer segment. Activating them accrues the history's
        invoices (catch-up), the crossing customer with its true-up."""
        Agreement = self.env["distrib.rebate.agreement"]
        agreements = Agreement
        today = data["today"]
        date_from = today - timedelta(days=data.get("horizon", 183) + 7)
        date_to = date_from + timedelta(days=364)
        data["rebate_crossing"] = {}
        for company in data["companies"]:
            company.distrib_rebate_enabled = True
            accounts = self._scenario_rebate_accounts(company)
            top = self._scenario_rebate_top_customer(company, date_from)
            if not top:
                _logger.info("distrib scenario: no invoice history in %s", company.name)
                continue
            partner, value = top
            common = {
                "company_id": company.id,
                "date_from": date_from,
                "date_to": date_to,
                "accrual_account_id": accounts["accrual"].id,
                "expense_account_id": accounts["expense"].id,
            }
            threshold = max(round(value * 0.6, -3), 1000.0)
            own = Agreement.create(
                {
                    **common,
                    "name": f"{partner.name} volume rebate",
                    "partner_id": partner.id,
                    "tier_ids": [
                        Command.create({"threshold": 0.0, "rate": 2.0}),
                        Command.create({"threshold": threshold, "rate": 3.0}),
                    ],
                }
            )
            data["rebate_crossing"][company.id] = own
            agreements |= own
            segments = data.get("segments") or self.env["distrib.customer.segment"]
            for segment in segments - partner.distrib_segment_id:
                agreements |= Agreement.create(
                    {
                        **common,
                        "name": f"{segment.name} rebate {company.name}",
                        "segment_id": segment.id,
                        "tier_ids": [
                            Command.create(
                                {"threshold": 0.0, "rate": SEGMENT_RATES[0]}
                            ),
                            Command.create(
                                {"threshold": threshold, "rate": SEGMENT_RATES[1]}
                            ),
                        ],
                    }
                )
        agreements.action_activate()
        data["rebate_agreements"] = agreements

    def _scenario_rebate_accounts(self, company):
        Account = self.env["account.account"].with_company(company)
        result = {}
        for key, (code, name, account_type) in REBATE_ACCOUNTS.items():
            account = Account.search(
                [
                    *Account._check_company_domain(company),
                    ("code", "=", code),
                ],
                limit=1,
            )
            result[key] = account or Account.create(
                {
                    "code": code,
                    "name": name,
                    "account_type": account_type,
                    "company_ids": [Command.set(company.ids)],
                }
            )
        return result

    def _scenario_rebate_top_customer(self, company, date_from):
        """(customer, untaxed sales since ``date_from``) of the company's
        biggest customer, or None."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT COALESCE(p.commercial_partner_id, p.id), -SUM(aml.balance)
                  FROM account_move_line aml
                  JOIN account_move am ON am.id = aml.move_id
                  JOIN res_partner p ON p.id = am.partner_id
                 WHERE aml.company_id = %s AND am.state = 'posted'
                   AND am.move_type IN ('out_invoice', 'out_refund')
                   AND aml.display_type = 'product' AND aml.product_id IS NOT NULL
                   AND aml.date >= %s
              GROUP BY 1
              ORDER BY 2 DESC, 1
                 LIMIT 1
                """,
                company.id,
                date_from,
            )
        )
        row = self.env.cr.fetchone()
        if not row or not row[1] or row[1] <= 0:
            return None
        return self.env["res.partner"].browse(row[0]), row[1]
