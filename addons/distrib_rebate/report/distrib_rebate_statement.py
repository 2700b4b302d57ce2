from odoo import api, fields, models
from odoo.tools import SQL

from .. import tiers as scale_math


class DistribRebateStatement(models.Model):
    """An agreement's statement: per customer and period, the volume, what
    the period earns at its tier, what was accrued, settled and is still open
    (a view over the append-only ledger)."""

    _name = "distrib.rebate.statement"
    _description = "Rebate Statement"
    _auto = False
    _order = "agreement_id, period_start, partner_id"

    agreement_id = fields.Many2one("distrib.rebate.agreement", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    period_start = fields.Date(readonly=True)
    period_end = fields.Date(readonly=True)
    base = fields.Float(string="Volume", readonly=True, digits="Account")
    value = fields.Monetary(string="Untaxed Sales", readonly=True)
    rate = fields.Float(
        string="Tier Rate (%)", compute="_compute_earned", digits=(16, 2)
    )
    earned_amount = fields.Monetary(string="Earned", compute="_compute_earned")
    accrued_amount = fields.Monetary(string="Accrued", readonly=True)
    settled_amount = fields.Monetary(string="Settled", readonly=True)
    open_amount = fields.Monetary(string="Open", readonly=True)
    settlement_move_id = fields.Many2one(
        "account.move", string="Settled By", readonly=True
    )

    @api.depends("base", "value", "agreement_id")
    def _compute_earned(self):
        for row in self:
            agreement = row.agreement_id
            scale = agreement._rebate_scale() if agreement else []
            row.rate = scale_math.earned_rate(
                scale, row.base, agreement.mode or scale_math.RETROACTIVE
            )
            row.earned_amount = (
                agreement._rebate_earned(row.base, row.value) if agreement else 0.0
            )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT MIN(a.id) AS id, a.agreement_id, a.company_id, a.partner_id,
                   a.period_start, MAX(a.period_end) AS period_end,
                   COALESCE(SUM(a.base) FILTER (
                       WHERE a.kind IN ('invoice', 'reversal')), 0) AS base,
                   COALESCE(SUM(a.value) FILTER (
                       WHERE a.kind IN ('invoice', 'reversal')), 0) AS value,
                   COALESCE(SUM(a.amount) FILTER (
                       WHERE a.kind != 'settlement'), 0) AS accrued_amount,
                   -COALESCE(SUM(a.amount) FILTER (
                       WHERE a.kind = 'settlement'), 0) AS settled_amount,
                   COALESCE(SUM(a.amount), 0) AS open_amount,
                   MAX(a.move_id) FILTER (
                       WHERE a.kind = 'settlement') AS settlement_move_id
              FROM distrib_rebate_accrual a
          GROUP BY a.agreement_id, a.company_id, a.partner_id, a.period_start
            """
        )
