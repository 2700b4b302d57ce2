from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.sale_order import DISTRIB_STATES

SOURCE_KINDS = [
    ("stock", "Own warehouse"),
    ("warehouse", "Other warehouse"),
    ("company", "Other company"),
    ("substitute", "Substitute"),
    ("split", "Split shipment"),
]


class DistribOrderKpiReport(models.Model):
    """One row per confirmed order of an opted-in company: cycle time, promise
    accuracy, fill rate, margins and the disruptions behind them."""

    _name = "distrib.order.kpi.report"
    _description = "Order KPIs"
    _auto = False
    _order = "date_order desc"
    _rec_name = "order_id"

    order_id = fields.Many2one("sale.order", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    segment_id = fields.Many2one(
        "distrib.customer.segment", string="Customer Segment", readonly=True
    )
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    date_order = fields.Datetime(string="Order Date", readonly=True)
    date_shipped = fields.Datetime(string="Shipped On", readonly=True)
    commitment_date = fields.Datetime(string="Promised Date", readonly=True)
    distrib_state = fields.Selection(
        DISTRIB_STATES, string="Event State", readonly=True
    )
    exception_type = fields.Selection(
        selection="_selection_exception_type",
        readonly=True,
        help="The first exception raised on the order.",
    )
    source_kind = fields.Selection(
        SOURCE_KINDS,
        string="Sourcing",
        readonly=True,
        help="The most disruptive sourcing of the order's lines (substitutes, "
        "other company, other warehouse, split shipments).",
    )
    cycle_days = fields.Float(
        string="Cycle Time (days)",
        readonly=True,
        aggregator="avg",
        help="From order entry to the delivery done.",
    )
    on_time = fields.Boolean(string="Shipped On Time", readonly=True)
    on_time_percent = fields.Float(
        string="Promise Accuracy (%)",
        readonly=True,
        aggregator="avg",
        help="100 when shipped by the promised date, 0 when late.",
    )
    shipping_done = fields.Boolean(
        readonly=True, help="Everything that will ship on the order has shipped."
    )
    fill_rate = fields.Float(
        string="Fill Rate (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the ordered goods shipped, once the order's shipping is over.",
    )
    amount_untaxed = fields.Monetary(
        string="Untaxed Amount", readonly=True, currency_field="currency_id"
    )
    margin_expected = fields.Monetary(
        string="Expected Margin", readonly=True, currency_field="currency_id"
    )
    margin_shipped = fields.Monetary(
        string="Margin at Shipment", readonly=True, currency_field="currency_id"
    )
    margin_invoiced = fields.Monetary(
        string="Margin at Invoice", readonly=True, currency_field="currency_id"
    )
    margin_erosion = fields.Monetary(
        readonly=True,
        currency_field="currency_id",
        help="Expected margin of the shipped share minus the margin at invoice "
        "(or at shipment before invoicing).",
    )
    erosion_shipment = fields.Float(
        string="Erosion at Shipment (pts)", readonly=True, aggregator="avg"
    )
    erosion_invoice = fields.Float(
        string="Erosion at Invoice (pts)", readonly=True, aggregator="avg"
    )
    order_count = fields.Integer(string="# Orders", readonly=True)

    def _selection_exception_type(self):
        selection = self.env["distrib.exception"]._fields["exception_type"].selection
        return [("none", "No exception"), *selection]

    def _query(self):
        return SQL(
            """
            SELECT so.id AS id,
                   so.id AS order_id,
                   so.company_id,
                   company.currency_id,
                   so.warehouse_id,
                   so.partner_id,
                   partner.distrib_segment_id AS segment_id,
                   so.user_id,
                   so.date_order,
                   shipped.date AS date_shipped,
                   so.commitment_date,
                   so.distrib_state,
                   -- a scalar subquery, not a lateral join: PostgreSQL only runs
                   -- it for the reads that use the exception type (a LIMIT 1
                   -- join is kept by every read of the view)
                   COALESCE((
                       SELECT exception.exception_type
                         FROM distrib_exception AS exception
                        WHERE exception.res_model = 'sale.order'
                          AND exception.res_id = so.id
                        ORDER BY exception.id
                        LIMIT 1
                   ), 'none') AS exception_type,
                   COALESCE(src.source_kind, 'stock') AS source_kind,
                   EXTRACT(EPOCH FROM shipped.date - so.date_order) / 86400.0
                       AS cycle_days,
                   shipped.date IS NOT NULL AND so.commitment_date IS NOT NULL
                       AND shipped.date <= so.commitment_date AS on_time,
                   CASE WHEN shipped.date IS NULL OR so.commitment_date IS NULL
                        THEN NULL
                        WHEN shipped.date <= so.commitment_date THEN 100.0
                        ELSE 0.0 END AS on_time_percent,
                   COALESCE(so.delivery_status = 'full', FALSE) AS shipping_done,
                   CASE WHEN so.delivery_status = 'full'
                        THEN COALESCE(so.distrib_shipped_percent, 0.0)
                   END AS fill_rate,
                   so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1.0)
                       AS amount_untaxed,
                   so.distrib_margin_expected AS margin_expected,
                   so.distrib_margin_shipped AS margin_shipped,
                   so.distrib_margin_invoiced AS margin_invoiced,
                   so.distrib_margin_expected * so.distrib_shipped_percent / 100.0
                     - CASE WHEN so.distrib_revenue_invoiced != 0
                            THEN so.distrib_margin_invoiced
                            ELSE so.distrib_margin_shipped END AS margin_erosion,
                   so.distrib_erosion_shipment AS erosion_shipment,
                   so.distrib_erosion_invoice AS erosion_invoice,
                   1 AS order_count
              FROM sale_order AS so
              JOIN res_company AS company ON company.id = so.company_id
              JOIN res_partner AS partner ON partner.id = so.partner_id
              LEFT JOIN LATERAL (
                   SELECT MIN(event.date) AS date
                     FROM distrib_order_event AS event
                    WHERE event.order_id = so.id AND event.to_state = 'shipped'
              ) AS shipped ON TRUE
              LEFT JOIN LATERAL (
                   SELECT CASE MAX(CASE line.distrib_source_kind
                                   WHEN 'substitute' THEN 4
                                   WHEN 'company' THEN 3
                                   WHEN 'warehouse' THEN 2
                                   WHEN 'split' THEN 1
                                   WHEN 'backorder' THEN 1
                                   ELSE 0 END)
                          WHEN 4 THEN 'substitute'
                          WHEN 3 THEN 'company'
                          WHEN 2 THEN 'warehouse'
                          WHEN 1 THEN 'split'
                          ELSE 'stock' END AS source_kind
                     FROM sale_order_line AS line
                    WHERE line.order_id = so.id
              ) AS src ON TRUE
             WHERE so.distrib_state IS NOT NULL
               AND so.state = 'sale'
            """
        )

    def init(self):
        # every row of the view looks up its order's first shipment and first
        # exception: two partial indexes make each a direct probe (issue 18: the
        # dashboard's totals over the view, 217 ms to 67 ms at SCALE 100)
        tools.create_index(
            self.env.cr,
            "distrib_order_event_shipped_order_date_index",
            "distrib_order_event",
            ["order_id", "date"],
            where="to_state = 'shipped'",
        )
        tools.create_index(
            self.env.cr,
            "distrib_exception_sale_order_res_id_index",
            "distrib_exception",
            ["res_id", "id"],
            where="res_model = 'sale.order'",
        )
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )
