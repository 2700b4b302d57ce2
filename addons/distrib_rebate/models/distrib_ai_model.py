from odoo import models

from odoo.addons.distrib_ai_alerts.scoring.registry import REASONS
from odoo.addons.distrib_ai_alerts.scoring.robust import severity_from_score

# the reason a rebate agreement gives the price alerts (registry of reasons:
# the alert's explanation is built from it, translated)
REASONS.setdefault(
    "rebate_vs_agreement",
    "effective rebate %(value)s%% (an invoice discount of %(discount)s%% on top "
    "of the rebate) departs from the %(rate)s%% of agreement %(agreement)s "
    "(invoice discounts up to %(tolerance)s%% allowed)",
)
# the score of an invoice that departs from its agreement: a rule, not a
# statistical deviation
DEPARTURE_SCORE = 80.0


class DistribAiModel(models.Model):
    _inherit = "distrib.ai.model"

    def _price_rebate_lines(self, rows):
        """``{invoice line id: (line, agreement)}`` of the rows an active
        agreement covers."""
        company = self.company_id
        if not rows or not company.distrib_rebate_enabled:
            return {}
        lines = self.env["account.move.line"].browse([r[0] for r in rows])
        matched = self.env["distrib.rebate.agreement"]._rebate_match(
            company,
            [
                (line.id, line.move_id.partner_id, line.product_id, line.date)
                for line in lines
            ],
        )
        return {
            line.id: (line, matched[line.id]) for line in lines if line.id in matched
        }

    def _price_rebate_rates(self, rows):
        """The rate of the agreement covering each line: the rate its posting
        accrued, else the tier its period has reached."""
        rates = super()._price_rebate_rates(rows)
        covered = self._price_rebate_lines(rows)
        if not covered:
            return rates
        booked = {
            line.id: rate
            for line, rate in self.env["distrib.rebate.accrual"]
            .sudo()
            ._read_group(
                [("invoice_line_id", "in", list(covered)), ("kind", "=", "invoice")],
                groupby=["invoice_line_id"],
                aggregates=["rate:max"],
            )
        }
        expected = self.env["distrib.rebate.agreement"]._rebate_expected_rates(
            self.company_id,
            [
                (line.id, line.move_id.partner_id, line.product_id, line.date)
                for line, _agreement in covered.values()
                if line.id not in booked
            ],
        )
        for line_id in covered:
            rates[line_id] = booked.get(line_id, expected.get(line_id, 0.0))
        return rates

    def _raise_alerts(self, columns, found):
        if self.detector == "price":
            found = self._price_rebate_departures(columns, found)
        return super()._raise_alerts(columns, found)

    def _price_rebate_departures(self, columns, found):
        """Add to ``found`` the invoice lines whose effective rebate departs
        from their agreement: an invoice discount above the agreement's
        allowance on top of the rebate."""
        ids = [int(line_id) for line_id in columns.get("id", [])]
        covered = self._price_rebate_lines([(line_id,) for line_id in ids])
        if not covered:
            return found
        by_id = {item["id"]: item for item in found}
        found = list(found)
        for row, line_id in enumerate(ids):
            if line_id not in covered:
                continue
            line, agreement = covered[line_id]
            if line.discount <= agreement.discount_tolerance:
                continue
            effective = float(columns["discount"][row])
            rate = 100.0 * (
                1 - (1 - effective / 100.0) / max(1 - line.discount / 100.0, 1e-9)
            )
            reason = {
                "code": "rebate_vs_agreement",
                "feature": "rebate",
                "params": {
                    "value": f"{effective:,.1f}",
                    "discount": f"{line.discount:,.1f}",
                    "rate": f"{rate:,.1f}",
                    "agreement": agreement.name,
                    "tolerance": f"{agreement.discount_tolerance:,.1f}",
                },
            }
            impact = (
                abs(line.balance)
                / max(1 - line.discount / 100.0, 1e-9)
                * (line.discount - agreement.discount_tolerance)
                / 100.0
            )
            item = by_id.get(line_id)
            if item:
                item["reasons"] = [reason, *item["reasons"]]
                continue
            found.append(
                {
                    "row": row,
                    "id": line_id,
                    "key": f"{int(columns['partner'][row])}/"
                    f"{int(columns['product'][row])}",
                    "value": effective,
                    "z": 0.0,
                    "score": DEPARTURE_SCORE,
                    "severity": severity_from_score(DEPARTURE_SCORE),
                    "impact": round(impact, 2),
                    "reasons": [reason],
                }
            )
        return found
