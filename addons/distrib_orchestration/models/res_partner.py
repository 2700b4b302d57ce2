from odoo import api, fields, models
from odoo.tools import SQL


class ResPartner(models.Model):
    _inherit = "res.partner"

    distrib_min_margin_percent = fields.Float(
        string="Minimum Margin (%)",
        company_dependent=True,
        help="Minimum margin after freight and rebate on this customer's orders "
        "(0: the product category's or the company's minimum).",
    )

    @api.model
    def _distrib_credit_companies(self):
        """The companies whose receivables and orders count in a customer's
        exposure (hook: every company of the database by default)."""
        return self.env["res.company"].sudo().search([])

    def _distrib_credit_exposure(self, company, date=None, exclude_orders=None):
        """Credit exposure of the customer (its commercial entity and every
        contact under it) in ``company``'s currency on ``date`` (default:
        today): open receivables and confirmed, uninvoiced orders of every
        company of the group (``_distrib_credit_companies``) but
        ``exclude_orders``.

        Figures only, for checks and reports: read as superuser, no document of
        another company is shown. Two queries whatever the number of companies
        and orders.
        """
        self.ensure_one()
        currency = company.currency_id
        date = date or fields.Date.context_today(self)
        partner = self.commercial_partner_id
        companies = self._distrib_credit_companies()
        partner_ids = (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search([("id", "child_of", partner.id)])
            .ids
        )
        exposure = 0.0
        receivables = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", partner_ids),
                    ("company_id", "in", companies.ids),
                    ("account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                    ("reconciled", "=", False),
                ],
                groupby=["company_id"],
                aggregates=["amount_residual:sum"],
            )
        )
        for line_company, residual in receivables:
            exposure += line_company.currency_id._convert(
                residual, currency, company, date
            )
        self.env["sale.order.line"].flush_model(
            ["price_total", "product_uom_qty", "qty_invoiced", "order_id"]
        )
        self.env["sale.order"].flush_model(["state", "partner_id", "company_id"])
        excluded = tuple(exclude_orders.ids) if exclude_orders else ()
        self.env.cr.execute(
            SQL(
                """
                SELECT so.currency_id, so.company_id,
                       SUM(sol.price_total * (sol.product_uom_qty - sol.qty_invoiced)
                           / sol.product_uom_qty)
                  FROM sale_order_line AS sol
                  JOIN sale_order AS so ON so.id = sol.order_id
                 WHERE so.state = 'sale'
                   AND so.partner_id IN %s
                   AND so.company_id IN %s
                   AND so.id NOT IN %s
                   AND sol.product_uom_qty > 0
                   AND sol.product_uom_qty > sol.qty_invoiced
                 GROUP BY so.currency_id, so.company_id
                """,
                tuple(partner_ids),
                tuple(companies.ids),
                excluded or (0,),
            )
        )
        Currency = self.env["res.currency"].sudo()
        Company = self.env["res.company"].sudo()
        for currency_id, company_id, amount in self.env.cr.fetchall():
            exposure += Currency.browse(currency_id)._convert(
                amount or 0.0, currency, Company.browse(company_id), date
            )
        return exposure
