from odoo import fields, models, tools
from odoo.tools import SQL


class DistribCollectionReport(models.Model):
    """Customer invoices and the days they take to be collected (DSO)."""

    _name = "distrib.collection.report"
    _description = "Collection Days"
    _auto = False
    _order = "invoice_date desc"
    _rec_name = "move_id"

    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    segment_id = fields.Many2one(
        "distrib.customer.segment", string="Customer Segment", readonly=True
    )
    invoice_date = fields.Date(readonly=True)
    date_collected = fields.Date(readonly=True)
    amount = fields.Monetary(readonly=True, currency_field="currency_id")
    amount_open = fields.Monetary(
        string="Open Amount", readonly=True, currency_field="currency_id"
    )
    collected = fields.Boolean(readonly=True)
    days_to_collect = fields.Float(
        string="Days to Collect",
        readonly=True,
        aggregator="avg",
        help="Days from the invoice to its payment (to today while it is open).",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT move.id AS id,
                           move.id AS move_id,
                           move.company_id,
                           company.currency_id,
                           move.commercial_partner_id AS partner_id,
                           partner.distrib_segment_id AS segment_id,
                           move.invoice_date,
                           paid.date AS date_collected,
                           move.amount_total_signed AS amount,
                           move.amount_residual_signed AS amount_open,
                           move.payment_state IN ('paid', 'in_payment', 'reversed')
                               AS collected,
                           (CASE WHEN move.payment_state IN
                                      ('paid', 'in_payment', 'reversed')
                                 THEN COALESCE(paid.date, move.invoice_date)
                                 ELSE CURRENT_DATE END
                            - move.invoice_date)::float AS days_to_collect
                      FROM account_move AS move
                      JOIN res_company AS company ON company.id = move.company_id
                      JOIN res_partner AS partner
                        ON partner.id = move.commercial_partner_id
                      LEFT JOIN LATERAL (
                           SELECT MAX(partial.max_date) AS date
                             FROM account_partial_reconcile AS partial
                             JOIN account_move_line AS line
                               ON line.id IN (partial.debit_move_id,
                                              partial.credit_move_id)
                            WHERE line.move_id = move.id
                      ) AS paid ON TRUE
                     WHERE move.move_type = 'out_invoice'
                       AND move.state = 'posted'
                       AND move.invoice_date IS NOT NULL
                )
                """,
                SQL.identifier(self._table),
            )
        )
