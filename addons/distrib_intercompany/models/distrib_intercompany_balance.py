from odoo import api, fields, models
from odoo.tools import SQL

BALANCE_STATES = [
    ("matched", "Matched"),
    ("missing_bill", "Bill missing"),
    ("missing_invoice", "Invoice missing"),
    ("mismatch", "Amounts differ"),
]


class DistribIntercompanyBalance(models.Model):
    """Intercompany balances: what the supplying company is due (its posted
    invoices to the buying company) against what the buying company owes (its
    posted bills from the supplying company), document by document.

    Grouped by pair and currency, due-from and due-to net to zero; the rows that
    are not *matched* are the documents that stop them netting.

    A user sees the pairs one of their current companies belongs to, with the
    amounts of both sides, but only the documents of their own companies: the
    other company's invoice or bill is left empty (never linked, never named).
    """

    _name = "distrib.intercompany.balance"
    _description = "Intercompany Balance"
    _auto = False
    _order = "date desc, id desc"
    _depends = {
        "account.move": [
            "state",
            "move_type",
            "company_id",
            "commercial_partner_id",
            "currency_id",
            "invoice_date",
            "amount_total_in_currency_signed",
            "distrib_ic_source_move_id",
        ],
        "res.company": ["partner_id"],
    }

    creditor_company_id = fields.Many2one(
        "res.company", string="Due From (Supplier)", readonly=True
    )
    debtor_company_id = fields.Many2one(
        "res.company", string="Due To (Buyer)", readonly=True
    )
    currency_id = fields.Many2one("res.currency", readonly=True)
    date = fields.Date(readonly=True)
    # the caller's companies decide which documents a row links (see the query)
    invoice_id = fields.Many2one(
        "account.move",
        readonly=True,
        depends_context=("uid", "allowed_company_ids"),
        help="The supplying company's invoice, when it is one of your companies.",
    )
    bill_id = fields.Many2one(
        "account.move",
        readonly=True,
        depends_context=("uid", "allowed_company_ids"),
        help="The buying company's bill, when it is one of your companies.",
    )
    due_from = fields.Monetary(
        string="Receivable",
        readonly=True,
        help="Amount of the supplying company's invoice (credit notes negative).",
    )
    due_to = fields.Monetary(
        string="Payable",
        readonly=True,
        help="Amount of the buying company's bill (refunds negative).",
    )
    difference = fields.Monetary(readonly=True)
    state = fields.Selection(BALANCE_STATES, readonly=True)

    @property
    def _table_query(self):
        # only the documents of the companies the caller works in are linked
        companies = tuple(self.env.companies.ids) or (0,)
        return SQL(
            """
            WITH invoices AS (
                SELECT inv.id, inv.company_id AS creditor, partner_company.id AS debtor,
                       inv.currency_id, inv.invoice_date AS date,
                       inv.amount_total_in_currency_signed AS amount
                  FROM account_move inv
                  JOIN res_company partner_company
                    ON partner_company.partner_id = inv.commercial_partner_id
                 WHERE inv.state = 'posted'
                   AND inv.move_type IN ('out_invoice', 'out_refund')
                   AND partner_company.id != inv.company_id
            ), bills AS (
                SELECT bill.id, partner_company.id AS creditor,
                       bill.company_id AS debtor, bill.currency_id,
                       bill.invoice_date AS date,
                       -bill.amount_total_in_currency_signed AS amount,
                       bill.distrib_ic_source_move_id AS source_id
                  FROM account_move bill
                  JOIN res_company partner_company
                    ON partner_company.partner_id = bill.commercial_partner_id
                 WHERE bill.state = 'posted'
                   AND bill.move_type IN ('in_invoice', 'in_refund')
                   AND partner_company.id != bill.company_id
            )
            SELECT COALESCE(i.id * 2, b.id * 2 + 1) AS id,
                   COALESCE(i.creditor, b.creditor) AS creditor_company_id,
                   COALESCE(i.debtor, b.debtor) AS debtor_company_id,
                   COALESCE(i.currency_id, b.currency_id) AS currency_id,
                   COALESCE(i.date, b.date) AS date,
                   CASE WHEN i.creditor IN %(companies)s THEN i.id END AS invoice_id,
                   CASE WHEN b.debtor IN %(companies)s THEN b.id END AS bill_id,
                   COALESCE(i.amount, 0.0) AS due_from,
                   COALESCE(b.amount, 0.0) AS due_to,
                   COALESCE(i.amount, 0.0) - COALESCE(b.amount, 0.0) AS difference,
                   CASE WHEN b.id IS NULL THEN 'missing_bill'
                        WHEN i.id IS NULL THEN 'missing_invoice'
                        WHEN i.currency_id != b.currency_id
                          OR ROUND(i.amount - b.amount, 2) != 0 THEN 'mismatch'
                        ELSE 'matched'
                   END AS state
              FROM invoices i
              FULL OUTER JOIN bills b ON b.source_id = i.id
            """,
            companies=companies,
        )

    @api.model
    def _distrib_pair_totals(self, creditor, debtor):
        """{currency: (due_from, due_to, difference)} of one pair."""
        groups = self._read_group(
            [
                ("creditor_company_id", "=", creditor.id),
                ("debtor_company_id", "=", debtor.id),
            ],
            groupby=["currency_id"],
            aggregates=["due_from:sum", "due_to:sum", "difference:sum"],
        )
        return {
            currency: (due_from, due_to, diff)
            for currency, due_from, due_to, diff in groups
        }
