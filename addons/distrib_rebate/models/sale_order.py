from odoo import fields, models

from odoo.addons.distrib_atp.server_flags import ServerFlag

# the expected rebate rates of an order's lines, computed once per margin check
LINE_RATES = ServerFlag("distrib_rebate_line_rates")


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _distrib_rebate_line_rates(self):
        """``{line id: rate %}`` of the goods lines an active agreement covers:
        the rate of the tier the customer's period has reached (a few queries
        per order, whatever its number of lines)."""
        self.ensure_one()
        company = self.company_id
        if not company.distrib_rebate_enabled:
            return {}
        date = fields.Date.to_date(self.date_order) or fields.Date.context_today(self)
        return self.env["distrib.rebate.agreement"]._rebate_expected_rates(
            company,
            [
                (line.id, self.partner_id, line.product_id, date)
                for line in self._distrib_goods_lines()
            ],
        )

    def _distrib_check_margin(self):
        self.ensure_one()
        rates = self._distrib_rebate_line_rates()
        if not rates:
            return super()._distrib_check_margin()
        return super(SaleOrder, LINE_RATES.set_on(self, rates))._distrib_check_margin()

    def _distrib_line_rebate_percent(self, line):
        """The expected rate of the agreement covering ``line``; the
        customer's flat rebate when none does (or the company did not opt
        in)."""
        rates = LINE_RATES.get(self.env)
        if rates is None:
            rates = self._distrib_rebate_line_rates()
        if line.id in rates:
            return rates[line.id]
        return super()._distrib_line_rebate_percent(line)
