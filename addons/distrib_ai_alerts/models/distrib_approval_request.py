from odoo import api, fields, models


class DistribApprovalRequest(models.Model):
    """Approvals ranked by their predicted financial impact (issue #16): each
    request carries the money at stake if it is approved (margin at risk,
    credit exposure at risk, valuation impact) and one sentence that explains
    the figure; the approvers' queue shows the largest first.

    The figure of a metric comes from ``_distrib_impact_<metric>(requests)``
    (``{request id: (amount, sentence)}``, company currency): an addon adding a
    metric adds its method. A metric without one: its value when the value is
    an amount, else nothing."""

    _inherit = "distrib.approval.request"
    _order = "distrib_predicted_impact desc, id desc"

    distrib_predicted_impact = fields.Monetary(
        string="Predicted Impact",
        currency_field="currency_id",
        compute="_compute_distrib_predicted_impact",
        store=True,
        readonly=True,
        help="The money at stake if the request is approved, in the company "
        "currency: the margin given away, the credit exposure at risk or the "
        "valuation change. The approvers' queue is ordered by it.",
    )
    distrib_impact_explanation = fields.Char(
        string="Impact Explained",
        compute="_compute_distrib_predicted_impact",
        store=True,
        readonly=True,
    )

    @api.depends("metric", "value", "threshold", "res_model", "res_id")
    def _compute_distrib_predicted_impact(self):
        by_metric = {}
        for request in self:
            by_metric.setdefault(request.metric, self.browse())
            by_metric[request.metric] |= request
        for metric, requests in by_metric.items():
            method = getattr(requests, f"_distrib_impact_{metric}", None)
            result = method() if method else requests._distrib_impact_default()
            for request in requests:
                amount, sentence = result.get(request.id, (0.0, False))
                request.distrib_predicted_impact = amount
                request.distrib_impact_explanation = sentence

    # ------------------------------------------------------------------
    # one method per metric
    # ------------------------------------------------------------------
    def _distrib_impact_format(self, amount):
        return self.company_id.currency_id.format(amount)

    def _distrib_impact_default(self):
        """An amount metric: its value; a percentage: no figure."""
        percent = self.env["distrib.approval.policy"]._percent_metrics()
        result = {}
        for request in self:
            if request.metric in percent or not request.metric:
                result[request.id] = (
                    0.0,
                    self.env._("No financial figure for this kind of approval."),
                )
                continue
            result[request.id] = (
                abs(request.value),
                self.env._(
                    "%(amount)s at stake: the value this approval lets through.",
                    amount=request._distrib_impact_format(abs(request.value)),
                ),
            )
        return result

    def _distrib_impact_orders(self):
        """``{request id: sale.order}`` of the requests on orders."""
        orders = (
            self.env["sale.order"]
            .sudo()
            .browse([r.res_id for r in self if r.res_model == "sale.order"])
            .exists()
        )
        by_id = {order.id: order for order in orders}
        return {
            r.id: by_id[r.res_id]
            for r in self
            if r.res_model == "sale.order" and r.res_id in by_id
        }

    def _distrib_order_amount(self, order):
        """The order's untaxed amount in its company's currency."""
        rate = order.currency_rate or 0.0
        return order.amount_untaxed / rate if rate else 0.0

    def _distrib_impact_margin_percent(self):
        """Margin at risk: the margin below the floor on the order's amount."""
        orders = self._distrib_impact_orders()
        result = {}
        for request in self:
            order = orders.get(request.id)
            if not order:
                continue
            amount = self._distrib_order_amount(order)
            gap = max(request.threshold - request.value, 0.0)
            impact = amount * gap / 100.0
            result[request.id] = (
                impact,
                self.env._(
                    "Margin %(margin)s%% against the %(floor)s%% floor on "
                    "%(amount)s: %(impact)s of margin at risk.",
                    margin=f"{request.value:.1f}",
                    floor=f"{request.threshold:.1f}",
                    amount=request._distrib_impact_format(amount),
                    impact=request._distrib_impact_format(impact),
                ),
            )
        return result

    def _distrib_impact_discount_percent(self):
        """Margin given away: the discount above the threshold, on the order's
        amount before discount."""
        orders = self._distrib_impact_orders()
        result = {}
        for request in self:
            order = orders.get(request.id)
            if not order:
                continue
            net = self._distrib_order_amount(order)
            kept = 1.0 - min(request.value, 99.0) / 100.0
            gross = net / kept if kept > 0 else net
            impact = gross * max(request.value - request.threshold, 0.0) / 100.0
            result[request.id] = (
                impact,
                self.env._(
                    "Discount %(discount)s%% against %(threshold)s%% allowed on "
                    "%(amount)s before discount: %(impact)s of margin given away.",
                    discount=f"{request.value:.1f}",
                    threshold=f"{request.threshold:.1f}",
                    amount=request._distrib_impact_format(gross),
                    impact=request._distrib_impact_format(impact),
                ),
            )
        return result

    def _distrib_impact_of_value(self, amount, sentence):
        """``{request id: (impact, explanation)}`` when the impact is read off
        the request's own value: ``amount(value)`` and ``sentence`` (a
        translated text with ``%(amount)s``)."""
        result = {}
        for request in self:
            impact = amount(request.value)
            result[request.id] = (
                impact,
                sentence % {"amount": request._distrib_impact_format(impact)},
            )
        return result

    def _distrib_impact_credit_over_limit(self):
        """Credit exposure at risk: the exposure over the limit."""
        return self._distrib_impact_of_value(
            lambda value: max(value, 0.0),
            self.env._(
                "%(amount)s of credit exposure over the customer's limit would be "
                "at risk."
            ),
        )

    def _distrib_impact_valuation_impact(self):
        return self._distrib_impact_of_value(
            abs, self.env._("%(amount)s of stock valuation change.")
        )

    def _distrib_impact_cycle_count_variance(self):
        return self._distrib_impact_of_value(
            abs, self.env._("%(amount)s of stock value written on or off by the count.")
        )

    def _distrib_impact_receipt_variance_percent(self):
        """Valuation impact of a receipt that differs from its order: the
        variance share of the receipt's value at cost."""
        pickings = {
            picking.id: picking
            for picking in self.env["stock.picking"]
            .sudo()
            .browse([r.res_id for r in self if r.res_model == "stock.picking"])
            .exists()
        }
        result = {}
        for request in self:
            picking = pickings.get(request.res_id)
            if request.res_model != "stock.picking" or not picking:
                continue
            value = sum(
                move.product_uom_qty
                * move.product_id.with_company(picking.company_id).standard_price
                for move in picking.move_ids
            )
            impact = value * abs(request.value) / 100.0
            result[request.id] = (
                impact,
                self.env._(
                    "A %(pct)s%% variance on a receipt worth %(value)s at cost: "
                    "%(impact)s of valuation impact.",
                    pct=f"{abs(request.value):.1f}",
                    value=request._distrib_impact_format(value),
                    impact=request._distrib_impact_format(impact),
                ),
            )
        return result
