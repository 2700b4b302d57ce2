from odoo import fields, models
from odoo.tools import SQL

AGE_BUCKETS = [
    ("0_30", "0-30 days"),
    ("31_60", "31-60 days"),
    ("61_90", "61-90 days"),
    ("90_plus", "Over 90 days"),
]


class DistribGrniReport(models.Model):
    """Goods received not invoiced, per purchase order line: the part of what
    was received that is not billed yet, valued at its receipt value (the
    valuation layers of the receipts, without landed costs, in the company's
    currency: what the stock input account holds for it), aged from the last
    receipt."""

    _name = "distrib.grni.report"
    _description = "Goods Received Not Invoiced"
    _auto = False
    _order = "date_received, id"
    _depends = {
        "purchase.order.line": [
            "qty_received",
            "qty_invoiced",
            "order_id",
            "product_id",
            "company_id",
        ],
        "purchase.order": ["partner_id", "state"],
        "stock.valuation.layer": ["value", "stock_move_id", "stock_landed_cost_id"],
        "stock.move": ["purchase_line_id", "state", "date"],
        "account.move": ["state", "move_type"],
        "account.move.line": [
            "purchase_line_id",
            "quantity",
            "product_uom_id",
            "display_type",
        ],
    }

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Vendor", readonly=True)
    order_id = fields.Many2one("purchase.order", string="Purchase Order", readonly=True)
    order_line_id = fields.Many2one("purchase.order.line", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    date_received = fields.Date(string="Last Receipt", readonly=True)
    age_days = fields.Integer(string="Age (days)", readonly=True, aggregator="max")
    age_bucket = fields.Selection(AGE_BUCKETS, readonly=True)
    qty_received = fields.Float(readonly=True)
    qty_invoiced = fields.Float(
        string="Qty Billed", readonly=True, help="On posted bills (and refunds)."
    )
    qty_to_bill = fields.Float(string="Qty Not Billed", readonly=True)
    value = fields.Monetary(string="Not Billed Value", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            WITH received AS (
                SELECT move.purchase_line_id AS line_id,
                       SUM(layer.value) AS value,
                       MAX(move.date)::date AS date_received
                  FROM stock_move move
                  JOIN stock_valuation_layer layer ON layer.stock_move_id = move.id
                 WHERE move.purchase_line_id IS NOT NULL
                   AND move.state = 'done'
                   AND layer.stock_landed_cost_id IS NULL
                 GROUP BY move.purchase_line_id
            ), billed AS (
                -- posted bills only: a draft (held, unmatched) bill has not
                -- cleared the stock input account yet, Odoo's qty_invoiced
                -- counts it already
                SELECT aml.purchase_line_id AS line_id,
                       SUM(CASE WHEN bill.move_type = 'in_refund' THEN -1 ELSE 1 END
                           * aml.quantity / aml_uom.factor * line_uom.factor) AS qty
                  FROM account_move_line aml
                  JOIN account_move bill ON bill.id = aml.move_id
                  JOIN purchase_order_line pol ON pol.id = aml.purchase_line_id
                  JOIN uom_uom aml_uom ON aml_uom.id = aml.product_uom_id
                  JOIN uom_uom line_uom ON line_uom.id = pol.product_uom
                 WHERE bill.state = 'posted'
                   AND bill.move_type IN ('in_invoice', 'in_refund')
                   AND aml.display_type = 'product'
                 GROUP BY aml.purchase_line_id
            ), lines AS (
                SELECT line.id, line.company_id, company.currency_id,
                       po.partner_id, line.order_id, line.product_id,
                       received.date_received,
                       line.qty_received,
                       COALESCE(billed.qty, 0.0) AS qty_invoiced,
                       line.qty_received - COALESCE(billed.qty, 0.0) AS qty_to_bill,
                       ROUND(received.value
                             * (line.qty_received - COALESCE(billed.qty, 0.0))
                             / line.qty_received, 2) AS value,
                       (CURRENT_DATE - received.date_received) AS age_days
                  FROM purchase_order_line line
                  JOIN purchase_order po ON po.id = line.order_id
                  JOIN res_company company ON company.id = line.company_id
                  JOIN received ON received.line_id = line.id
                  LEFT JOIN billed ON billed.line_id = line.id
                 WHERE po.state IN ('purchase', 'done')
                   AND line.qty_received > 0
                   AND line.qty_received > COALESCE(billed.qty, 0.0)
            )
            SELECT id, id AS order_line_id, company_id, currency_id, partner_id,
                   order_id, product_id, date_received, qty_received, qty_invoiced,
                   qty_to_bill, value, age_days,
                   CASE WHEN age_days <= 30 THEN '0_30'
                        WHEN age_days <= 60 THEN '31_60'
                        WHEN age_days <= 90 THEN '61_90'
                        ELSE '90_plus' END AS age_bucket
              FROM lines
            """
        )
