# pylint: disable=consider-merging-classes-inherited
# (one concern of sale.order per file, on purpose: see STYLE.md)
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import float_compare


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # margins, in the company currency
    distrib_company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    distrib_revenue_expected = fields.Monetary(
        string="Expected Revenue",
        currency_field="distrib_company_currency_id",
        copy=False,
        readonly=True,
    )
    distrib_margin_expected = fields.Monetary(
        string="Expected Margin",
        currency_field="distrib_company_currency_id",
        copy=False,
        readonly=True,
        help="Untaxed amount minus the products' cost when the order was entered.",
    )
    distrib_margin_expected_percent = fields.Float(
        string="Expected Margin (%)", copy=False, readonly=True, aggregator="avg"
    )
    distrib_revenue_shipped = fields.Monetary(
        string="Shipped Revenue",
        currency_field="distrib_company_currency_id",
        copy=False,
        readonly=True,
    )
    distrib_cogs = fields.Monetary(
        string="Cost of Goods Shipped",
        currency_field="distrib_company_currency_id",
        copy=False,
        readonly=True,
        help="Value of the stock that left for the customer, net of returns "
        "(stock valuation layers of the deliveries).",
    )
    distrib_margin_shipped = fields.Monetary(
        string="Margin at Shipment",
        currency_field="distrib_company_currency_id",
        copy=False,
        readonly=True,
    )
    distrib_margin_shipped_percent = fields.Float(
        string="Margin at Shipment (%)", copy=False, readonly=True, aggregator="avg"
    )
    distrib_revenue_invoiced = fields.Monetary(
        string="Invoiced Revenue",
        currency_field="distrib_company_currency_id",
        copy=False,
        readonly=True,
    )
    distrib_margin_invoiced = fields.Monetary(
        string="Margin at Invoice",
        currency_field="distrib_company_currency_id",
        copy=False,
        readonly=True,
    )
    distrib_margin_invoiced_percent = fields.Float(
        string="Margin at Invoice (%)", copy=False, readonly=True, aggregator="avg"
    )
    distrib_erosion_shipment = fields.Float(
        string="Erosion at Shipment (pts)",
        copy=False,
        readonly=True,
        aggregator="avg",
        help="Expected margin % minus margin % at shipment.",
    )
    distrib_erosion_invoice = fields.Float(
        string="Erosion at Invoice (pts)",
        copy=False,
        readonly=True,
        aggregator="avg",
        help="Margin % at shipment minus margin % at invoice.",
    )

    @api.model
    def _distrib_workflow_fields(self):
        """The margins follow the order and its documents."""
        return super()._distrib_workflow_fields() | {
            "distrib_revenue_expected",
            "distrib_margin_expected",
            "distrib_margin_expected_percent",
            "distrib_revenue_shipped",
            "distrib_cogs",
            "distrib_margin_shipped",
            "distrib_margin_shipped_percent",
            "distrib_revenue_invoiced",
            "distrib_margin_invoiced",
            "distrib_margin_invoiced_percent",
            "distrib_erosion_shipment",
            "distrib_erosion_invoice",
        }

    # ------------------------------------------------------------------
    # Margins
    # ------------------------------------------------------------------
    def _distrib_to_company_currency(self, amount):
        self.ensure_one()
        return self.currency_id._convert(
            amount,
            self.company_id.currency_id,
            self.company_id,
            self.date_order or fields.Date.context_today(self),
        )

    def _distrib_update_expected_margin(self):
        """Freeze the expected margin from the lines and the products' cost in
        the order's company (called at entry and at confirmation)."""
        for order in self._distrib_filter_enabled():
            company = order.company_id
            revenue = cost = 0.0
            for line in order.order_line:
                if line.display_type or not line.product_id:
                    continue
                revenue += order._distrib_to_company_currency(line.price_subtotal)
                qty = line.product_uom._compute_quantity(
                    line.product_uom_qty, line.product_id.uom_id
                )
                cost += (
                    line.product_id.with_company(company).standard_price * qty
                    if line.product_id.type == "consu"
                    else 0.0
                )
            margin = revenue - cost
            order.sudo().write(
                {
                    "distrib_revenue_expected": revenue,
                    "distrib_margin_expected": margin,
                    "distrib_margin_expected_percent": (
                        margin / revenue * 100.0 if revenue else 0.0
                    ),
                }
            )

    def _distrib_update_fulfilment_margins(self):
        """Margin at shipment (stock valuation) and at invoice (posted revenue)."""
        orders = self.filtered(lambda o: o.state == "sale")
        if not orders:
            return
        cogs = defaultdict(float)
        layers = (
            self.env["stock.valuation.layer"]
            .sudo()
            .search([("stock_move_id.sale_line_id.order_id", "in", orders.ids)])
        )
        for layer in layers:
            move = layer.stock_move_id
            if move._distrib_is_shipment() or move.location_id._is_outgoing():
                cogs[move.sale_line_id.order_id.id] -= layer.value
        revenue_invoiced = defaultdict(float)
        aml_groups = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    ("sale_line_ids.order_id", "in", orders.ids),
                    ("parent_state", "=", "posted"),
                    ("display_type", "=", "product"),
                    ("move_id.move_type", "in", ("out_invoice", "out_refund")),
                ],
                groupby=["sale_line_ids"],
                aggregates=["balance:sum"],
            )
        )
        for sale_line, balance in aml_groups:
            revenue_invoiced[sale_line.order_id.id] -= balance
        adjustments = orders._distrib_shipment_cost_adjustments()
        # an estimate counts until the actual cost of its cause is booked
        for order_id, causes in orders._distrib_shipment_cost_estimates().items():
            actual = adjustments.setdefault(order_id, {})
            for cause, amount in causes.items():
                actual.setdefault(cause, amount)
        for order in orders:
            shipped_revenue = 0.0
            ordered_goods = delivered_goods = 0.0
            for line in order.order_line:
                if line.display_type or not line.product_id:
                    continue
                if line.product_id.type == "consu":
                    ordered_goods += line.product_uom_qty
                    delivered_goods += line.qty_delivered
                    if line.product_uom_qty:
                        shipped_revenue += (
                            line.price_subtotal
                            / line.product_uom_qty
                            * line.qty_delivered
                        )
            shipped_revenue = order._distrib_to_company_currency(shipped_revenue)
            order_adjustments = adjustments.get(order.id, {})
            order_cogs = cogs[order.id] + sum(order_adjustments.values())
            margin_shipped = shipped_revenue - order_cogs
            shipped_pct = (
                margin_shipped / shipped_revenue * 100 if shipped_revenue else 0
            )
            invoiced = revenue_invoiced[order.id]
            margin_invoiced = invoiced - order_cogs if invoiced else 0.0
            invoiced_pct = margin_invoiced / invoiced * 100 if invoiced else 0.0
            shipped_percent = (
                min(delivered_goods / ordered_goods * 100.0, 100.0)
                if ordered_goods
                else 0.0
            )
            vals = {
                "distrib_shipped_percent": shipped_percent,
                "distrib_partially_shipped": 0 < shipped_percent < 100,
                "distrib_revenue_shipped": shipped_revenue,
                "distrib_cogs": order_cogs,
                "distrib_margin_shipped": margin_shipped,
                "distrib_margin_shipped_percent": shipped_pct,
                "distrib_revenue_invoiced": invoiced,
                "distrib_margin_invoiced": margin_invoiced,
                "distrib_margin_invoiced_percent": invoiced_pct,
                "distrib_erosion_shipment": (
                    order.distrib_margin_expected_percent - shipped_pct
                    if shipped_revenue
                    else 0.0
                ),
                "distrib_erosion_invoice": (
                    shipped_pct - invoiced_pct if invoiced and shipped_revenue else 0.0
                ),
            }
            vals = order._distrib_prepare_fulfilment_margin_vals(
                vals, order_adjustments
            )
            changed = {
                key: value
                for key, value in vals.items()
                if not order._distrib_same_value(key, value)
            }
            if changed:
                order.sudo().write(changed)

    def _distrib_shipment_cost_adjustments(self):
        """``{order id: {cause: amount}}``: costs of the goods shipped on these
        orders that the valuation layers of their deliveries do not carry, in the
        company currency, by cause (extension point). Each amount is added to the
        cost of goods shipped. The costs of the stock itself (e.g. landed costs
        on receipts) are in the layers already and must not be listed here."""
        return {}

    def _distrib_shipment_cost_estimates(self):
        """``{order id: {cause: amount}}``: costs of the goods shipped that are
        known only as an estimate when the goods leave (e.g. an express carrier
        quoted when the line was sourced), same currency and meaning as
        ``_distrib_shipment_cost_adjustments`` (extension point). An estimate
        counts only while no actual cost of the same cause is listed for the
        order: the carrier's invoice, once booked, replaces it."""
        return {}

    def _distrib_prepare_fulfilment_margin_vals(self, vals, adjustments):
        """The values written on the order by the margin update (extension point:
        ``adjustments`` is the order's ``{cause: amount}`` of
        ``_distrib_shipment_cost_adjustments``)."""
        self.ensure_one()
        return vals

    def _distrib_same_value(self, fname, value):
        current = self[fname]
        if isinstance(value, bool):
            return current == value
        return float_compare(current or 0.0, value or 0.0, precision_digits=4) == 0
