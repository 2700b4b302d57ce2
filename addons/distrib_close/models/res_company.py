from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    distrib_close_enabled = fields.Boolean(
        string="Landed Costs, Accruals and Close",
        help="Receipts of this company get their expected landed costs (freight, "
        "duty, insurance, handling) from the landed-cost terms, carrier and customs "
        "bills true them up, month-end accruals book what was received and not "
        "billed, and each month is closed from a checklist.",
    )
    distrib_lc_variance_tolerance = fields.Float(
        string="Landed-Cost Variance Tolerance (%)",
        default=10.0,
        help="A carrier or customs bill that differs from the expected landed cost "
        "by more than this share raises a landed-cost variance exception.",
    )
    distrib_accrual_account_id = fields.Many2one(
        "account.account",
        string="Received-Not-Billed Account",
        check_company=True,
        domain="[('account_type', '=', 'liability_current')]",
        help="Liability credited by the month-end accrual of the goods received "
        "and not billed (GRNI).",
    )
    distrib_accrued_revenue_account_id = fields.Many2one(
        "account.account",
        string="Delivered-Not-Invoiced Account",
        check_company=True,
        domain="[('account_type', '=', 'asset_current')]",
        help="When set, the month-end accrual also books the sale lines delivered "
        "and not invoiced on this asset account.",
    )
    distrib_close_target_days = fields.Integer(
        string="Close Target (days)",
        default=5,
        help="Days after the end of a month within which its close should be "
        "locked; a month still open after that is a delayed close.",
    )

    @api.constrains("distrib_lc_variance_tolerance", "distrib_close_target_days")
    def _check_distrib_close_settings(self):
        for company in self:
            if not 0.0 <= company.distrib_lc_variance_tolerance <= 100.0:
                raise ValidationError(
                    self.env._(
                        "%(company)s: the landed-cost variance tolerance must be a "
                        "percentage between 0 and 100, not %(value)s.",
                        company=company.name,
                        value=company.distrib_lc_variance_tolerance,
                    )
                )
            if not 0 <= company.distrib_close_target_days <= 31:
                raise ValidationError(
                    self.env._(
                        "%(company)s: the close target must be between 0 and 31 "
                        "days after the month end, not %(value)s.",
                        company=company.name,
                        value=company.distrib_close_target_days,
                    )
                )
