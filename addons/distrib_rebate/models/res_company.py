from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    distrib_rebate_enabled = fields.Boolean(
        string="Customer Rebate Agreements",
        help="Posting a customer invoice or credit note books the rebate it earns "
        "under the company's active rebate agreements, in the same transaction; "
        "the margin check and the price alerts use the agreements' rates.",
    )
    distrib_rebate_journal_id = fields.Many2one(
        "account.journal",
        string="Rebate Journal",
        check_company=True,
        domain="[('type', '=', 'general')]",
        help="Journal of the rebate accrual entries when the agreement names none "
        "(default: the company's first miscellaneous journal).",
    )
