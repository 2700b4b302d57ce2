from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.distrib_atp.server_flags import ServerFlag

# the ledger records that the accrual, true-up and settlement code books
LEDGER_BOOKING = ServerFlag("distrib_rebate_booking")


class DistribRebateAccrual(models.Model):
    """One line of a rebate agreement's ledger: append-only.

    ``invoice``: the rebate one invoice line earns, booked when the invoice is
    posted (a credit note's is negative); ``reversal``: its reversal when the
    invoice is reset to draft; ``trueup``: the adjustment of a period's accrual
    when its volume crosses a tier; ``settlement``: the credit note or payable
    that clears the period. The sum of ``amount`` is the open accrual; the
    ledger's accrual and expense entries (``move_id``) carry the same amounts.
    """

    _name = "distrib.rebate.accrual"
    _description = "Rebate Accrual"
    _order = "date desc, id desc"
    _check_company_auto = True

    agreement_id = fields.Many2one(
        "distrib.rebate.agreement",
        required=True,
        index=True,
        ondelete="restrict",
        readonly=True,
    )
    company_id = fields.Many2one(
        related="agreement_id.company_id", store=True, index=True, readonly=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", index=True, readonly=True
    )
    kind = fields.Selection(
        [
            ("invoice", "Accrual"),
            ("reversal", "Reversal"),
            ("trueup", "Tier True-up"),
            ("settlement", "Settlement"),
        ],
        required=True,
        readonly=True,
    )
    period_start = fields.Date(required=True, readonly=True, index=True)
    period_end = fields.Date(required=True, readonly=True)
    date = fields.Date(required=True, readonly=True)
    invoice_id = fields.Many2one(
        "account.move",
        index="btree_not_null",
        readonly=True,
        ondelete="set null",
    )
    invoice_line_id = fields.Many2one(
        "account.move.line",
        index="btree_not_null",
        readonly=True,
        ondelete="set null",
    )
    product_id = fields.Many2one("product.product", readonly=True)
    posting_number = fields.Integer(
        readonly=True,
        help="Which posting of the invoice line this is (1 for the first; a "
        "reset to draft reverses it, the next posting is 2). On a settlement: "
        "which settlement of the customer's period (a document posted into a "
        "settled period is settled by a second one).",
    )
    base = fields.Float(
        string="Volume",
        readonly=True,
        digits="Account",
        help="What the line adds to the period's volume: its quantity or its "
        "untaxed value in the company currency (negative for a credit note).",
    )
    value = fields.Monetary(
        string="Untaxed Value",
        readonly=True,
        help="The line's untaxed value in the company currency (negative for a "
        "credit note): what the rate applies to.",
    )
    rate = fields.Float(string="Rate (%)", readonly=True, digits=(16, 2))
    amount = fields.Monetary(readonly=True, help="Accrued (+) or cleared (-).")
    move_id = fields.Many2one(
        "account.move", string="Journal Entry", readonly=True, ondelete="restrict"
    )
    note = fields.Text(readonly=True)

    _sql_constraints = [
        (
            "line_posting_uniq",
            "unique(agreement_id, invoice_line_id, kind, posting_number)",
            "An invoice line accrues once per posting and agreement.",
        )
    ]

    def init(self):
        # each settlement of an agreement, customer and period once, whatever
        # the race (two settlements of one balance would both be number n + 1)
        self.env.cr.execute(
            SQL(
                """
                DROP INDEX IF EXISTS distrib_rebate_accrual_settle_uniq;
                CREATE UNIQUE INDEX IF NOT EXISTS distrib_rebate_accrual_settlement_uniq
                    ON distrib_rebate_accrual
                       (agreement_id, partner_id, period_start, posting_number)
                 WHERE kind = 'settlement'
                """
            )
        )

    @api.depends("agreement_id", "kind", "period_start")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for record in self:
            record.display_name = (
                f"{record.agreement_id.name} / {kinds.get(record.kind)} "
                f"{record.period_start or ''}"
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not LEDGER_BOOKING.is_on(self.env):
            raise UserError(
                self.env._(
                    "Rebate accruals are booked by posting invoices and settling "
                    "agreements, never entered by hand."
                )
            )
        return super().create(vals_list)

    @api.model
    def _rebate_create(self, vals_list):
        """The only way in: the accrual, true-up and settlement code."""
        records = LEDGER_BOOKING.set_on(self.sudo()).create(vals_list)
        records = LEDGER_BOOKING.cleared(records)
        # the statement is a view over the ledger: forget what was read of it
        self.env["distrib.rebate.statement"].invalidate_model()
        records.agreement_id.invalidate_recordset(["statement_ids", "accrued_amount"])
        return records

    def write(self, vals):
        if self:
            raise UserError(
                self.env._(
                    "Rebate accruals are part of the audit trail: they cannot be "
                    "changed. Reset the invoice to draft or settle the agreement."
                )
            )
        return super().write(vals)

    def unlink(self):
        if self:
            raise UserError(
                self.env._(
                    "Rebate accruals are part of the audit trail: they cannot be "
                    "deleted."
                )
            )
        return super().unlink()
