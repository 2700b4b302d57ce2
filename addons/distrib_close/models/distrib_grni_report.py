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
            "distrib_received_value",
            "distrib_date_received",
            "distrib_qty_billed_posted",
            "order_id",
            "product_id",
            "company_id",
        ],
        "purchase.order": ["partner_id", "state"],
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
        # the received value and the posted billed quantity are stored on the
        # order line (distrib_close/models/purchase_order_line.py): reading the
        # report filters order lines, it does not aggregate the history
        return SQL(
            """
            WITH lines AS (
                SELECT line.id, line.company_id, company.currency_id,
                       po.partner_id, line.order_id, line.product_id,
                       line.distrib_date_received AS date_received,
                       line.qty_received,
                       line.distrib_qty_billed_posted AS qty_invoiced,
                       line.qty_received - line.distrib_qty_billed_posted
                           AS qty_to_bill,
                       ROUND(line.distrib_received_value
                             * (line.qty_received - line.distrib_qty_billed_posted)
                             / line.qty_received, 2) AS value,
                       (CURRENT_DATE - line.distrib_date_received) AS age_days
                  FROM purchase_order_line line
                  JOIN purchase_order po ON po.id = line.order_id
                  JOIN res_company company ON company.id = line.company_id
                 WHERE po.state IN ('purchase', 'done')
                   AND line.distrib_date_received IS NOT NULL
                   AND line.qty_received > 0
                   AND line.qty_received > line.distrib_qty_billed_posted
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
