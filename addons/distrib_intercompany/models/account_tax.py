from odoo import models
from odoo.tools import float_repr


class AccountTax(models.Model):
    _inherit = "account.tax"

    def _distrib_ic_tax_key(self):
        """What makes two companies' taxes compute the same amount.

        Type, amount and whether the price includes it (a group: those of its
        taxes). A sale tax of the supplying company and a purchase tax of the
        buying company with the same key give the bill the invoice's amounts.
        """
        self.ensure_one()
        return (
            self.amount_type,
            float_repr(self.amount, 4),
            bool(self.price_include),
            tuple(sorted(tax._distrib_ic_tax_key() for tax in self.children_tax_ids)),
        )
