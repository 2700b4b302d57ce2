import logging
from collections import defaultdict

from psycopg2 import OperationalError

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare, float_is_zero

from odoo.addons.distrib_atp.server_flags import NO_NOTIFY, SKIP_CHECKS

_logger = logging.getLogger(__name__)

DISTRIB_STATES = [
    ("entered", "Entered"),
    ("validated", "Validated"),
    ("allocated", "Allocated"),
    ("picked", "Picked"),
    ("shipped", "Shipped"),
    ("invoiced", "Invoiced"),
    ("collected", "Collected"),
    ("on_hold", "On Hold"),
    ("disputed", "Disputed"),
    ("return_authorized", "Return Authorized"),
    ("return_received", "Return Received"),
    ("return_disposed", "Return Disposed"),
    ("cancelled", "Cancelled"),
]

# return authorization state -> order state while the return is open
RETURN_ORDER_STATES = {
    "authorized": "return_authorized",
    "received": "return_received",
    "disposed": "return_disposed",
}

PAID_STATES = ("paid", "in_payment", "reversed")


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "distrib.workflow.mixin"]

    distrib_enabled = fields.Boolean(
        related="company_id.distrib_orchestration_enabled",
        string="Event States Enabled",
    )
    distrib_state = fields.Selection(
        DISTRIB_STATES,
        string="Event State",
        readonly=True,
        copy=False,
        index=True,
        help="Where the order stands, set by its documents: confirmation, "
        "reservation, picking, delivery, invoices, payments, disputes and returns.",
    )
    distrib_event_ids = fields.One2many(
        "distrib.order.event", "order_id", string="Timeline", readonly=True
    )
    distrib_hold_reason = fields.Char(
        string="Hold Reason",
        copy=False,
        readonly=True,
        help="Set when a check at confirmation failed: the order stays on hold "
        "until the hold is released.",
    )
    distrib_shipped_percent = fields.Float(
        string="Shipped (%)",
        copy=False,
        readonly=True,
        aggregator="avg",
        help="Share of the ordered goods delivered to the customer.",
    )
    distrib_partially_shipped = fields.Boolean(
        string="Partially Shipped", copy=False, readonly=True
    )
    distrib_dispute_ids = fields.One2many(
        "distrib.order.dispute", "order_id", string="Disputes"
    )
    distrib_dispute_count = fields.Integer(compute="_compute_distrib_counts")
    distrib_return_ids = fields.One2many(
        "distrib.return.authorization", "order_id", string="Return Authorizations"
    )
    distrib_return_count = fields.Integer(compute="_compute_distrib_counts")
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
        """The event state, the hold and the margins follow the documents."""
        return super()._distrib_workflow_fields() | {
            "distrib_state",
            "distrib_event_ids",
            "distrib_hold_reason",
            "distrib_shipped_percent",
            "distrib_partially_shipped",
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

    @api.depends("distrib_dispute_ids", "distrib_return_ids")
    def _compute_distrib_counts(self):
        for order in self:
            order.distrib_dispute_count = len(order.distrib_dispute_ids)
            order.distrib_return_count = len(order.distrib_return_ids)

    # ------------------------------------------------------------------
    # CRUD and Odoo event points
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders._distrib_compute_state(margins=False)
        return orders

    def action_draft(self):
        res = super().action_draft()
        self._distrib_compute_state(reason=self.env._("Order set back to quotation"))
        return res

    def _action_confirm(self):
        # log "validated" before the deliveries are created and reserved, so the
        # timeline shows each step
        self._distrib_update_expected_margin()
        self._distrib_compute_state(reason=self.env._("Order confirmed"), margins=False)
        return super()._action_confirm()

    def _action_cancel(self):
        # the deliveries are cancelled first: go straight to "cancelled"
        res = super(SaleOrder, NO_NOTIFY.set_on(self))._action_cancel()
        self._distrib_compute_state(reason=self.env._("Order cancelled"))
        return res

    # ------------------------------------------------------------------
    # Event states
    # ------------------------------------------------------------------
    def _distrib_filter_enabled(self):
        """Orders of the companies that opted in to the event states."""
        return self.filtered(lambda o: o.company_id.distrib_orchestration_enabled)

    @api.model
    def _distrib_default_reasons(self):
        _ = self.env._
        return {
            "entered": _("Order entered"),
            "validated": _("Order confirmed"),
            "allocated": _("Delivery fully reserved"),
            "picked": _("Goods picked"),
            "shipped": _("Delivery done"),
            "invoiced": _("Customer invoices posted"),
            "collected": _("Invoices paid"),
            "on_hold": _("Order put on hold"),
            "disputed": _("Dispute opened"),
            "return_authorized": _("Return authorized"),
            "return_received": _("Returned goods received"),
            "return_disposed": _("Returned goods dispositioned"),
            "cancelled": _("Order cancelled"),
        }

    def _distrib_compute_state(self, reason=None, sources=None, margins=True):
        """Recompute the event state of the orders from their documents.

        Logs one event per order whose state changes, in the same transaction as
        the change (a replayed transaction logs nothing twice: the rolled-back
        attempt left nothing, and no event is logged without a change).

        :param reason: text for the event log (default: one per target state)
        :param sources: dict order id -> record that caused the change
        :param margins: also refresh the margins at shipment and invoice (the
            events that move no goods and no money skip it)
        """
        orders = self._distrib_filter_enabled()
        if not orders:
            return
        new_states = orders._distrib_get_states()
        orders._distrib_set_states(new_states, reason=reason, sources=sources)
        if margins:
            orders._distrib_update_fulfilment_margins()

    def _distrib_get_states(self):
        """Return {order id: state}: exceptions first, then the documents."""
        document_states = self._distrib_document_states()
        disputed = (
            self.env["distrib.order.dispute"]
            .sudo()
            ._read_group(
                [("order_id", "in", self.ids), ("state", "=", "open")],
                groupby=["order_id"],
            )
        )
        disputed_ids = {order.id for (order,) in disputed}
        returns = (
            self.env["distrib.return.authorization"]
            .sudo()
            .search(
                [
                    ("order_id", "in", self.ids),
                    ("state", "in", list(RETURN_ORDER_STATES)),
                ],
                order="id",
            )
        )
        return_states = {}
        for rma in returns:
            # the least advanced open return drives the order
            return_states.setdefault(rma.order_id.id, RETURN_ORDER_STATES[rma.state])
        result = {}
        for order in self:
            if order.state == "cancel":
                state = "cancelled"
            elif order.id in disputed_ids:
                state = "disputed"
            elif order.distrib_hold_reason:
                state = "on_hold"
            elif order.id in return_states:
                state = return_states[order.id]
            else:
                state = document_states[order.id]
            result[order.id] = state
        return result

    def _distrib_document_states(self):
        """Return {order id: state} from deliveries, invoices and payments only."""
        moves_by_order = self._distrib_get_delivery_moves()
        result = {}
        for order in self:
            if order.state in ("draft", "sent"):
                result[order.id] = "entered"
                continue
            if order.state == "cancel":
                result[order.id] = "cancelled"
                continue
            state = order._distrib_physical_state(moves_by_order[order.id])
            if state == "shipped":
                invoices = order.invoice_ids.filtered(lambda m: m.state == "posted")
                customer_invoices = invoices.filtered(
                    lambda m: m.move_type == "out_invoice"
                )
                if customer_invoices and order._distrib_shipped_is_invoiced():
                    state = "invoiced"
                    if all(m.payment_state in PAID_STATES for m in invoices):
                        state = "collected"
            result[order.id] = state
        return result

    def _distrib_shipped_is_invoiced(self):
        """Whether the invoices cover what shipped: goods invoiced up to the
        delivered quantity (whatever the invoicing policy, so that returns and
        cancelled backorders do not leave the order "to invoice"), other lines
        with nothing left to invoice."""
        self.ensure_one()
        precision = self.env["decimal.precision"].precision_get(
            "Product Unit of Measure"
        )
        for line in self.order_line:
            if line.display_type or line.is_downpayment:
                continue
            if line.product_id.type == "consu":
                if (
                    float_compare(
                        line.qty_invoiced,
                        line.qty_delivered,
                        precision_digits=precision,
                    )
                    < 0
                ):
                    return False
            elif (
                float_compare(line.qty_to_invoice, 0.0, precision_digits=precision) > 0
            ):
                return False
        return True

    def _distrib_get_delivery_moves(self):
        """Return {order id: stock.move recordset} of the order's outbound chain
        (pick, pack and delivery moves; returns and scraps excluded)."""
        result = defaultdict(lambda: self.env["stock.move"])
        groups = self.procurement_group_id
        if not groups:
            return result
        moves = (
            self.env["stock.move"]
            .sudo()
            .search(
                [
                    ("group_id", "in", groups.ids),
                    ("state", "!=", "cancel"),
                    ("scrapped", "=", False),
                    ("location_id.usage", "not in", ("customer", "supplier")),
                    ("origin_returned_move_id", "=", False),
                ]
            )
        )
        order_by_group = {order.procurement_group_id.id: order.id for order in self}
        for move in moves:
            order_id = order_by_group.get(move.group_id.id)
            if order_id:
                result[order_id] |= move
        return result

    def _distrib_physical_state(self, moves):
        """validated / allocated / picked / shipped from the order's moves.

        allocated: every first-step move is reserved; picked: the pick step is
        done (multi-step routes) or the delivery is reserved and marked picked
        (one-step); shipped: every move that hands the goods over (to the
        customer, or to the inter-company transit location for a sale to another
        company of the group) is done. An order without goods counts as shipped
        once confirmed.
        """
        self.ensure_one()
        if not moves:
            has_goods = any(
                line.product_id.type == "consu" and not line.display_type
                for line in self.order_line
            )
            return "validated" if has_goods else "shipped"
        out_moves = moves.filtered(
            lambda m: m._distrib_is_shipment() and not (m.move_dest_ids & moves)
        )
        inner_moves = moves - out_moves
        if out_moves and all(m.state == "done" for m in out_moves):
            return "shipped"
        pending_out = out_moves.filtered(lambda m: m.state != "done")
        if inner_moves:
            if all(m.state == "done" for m in inner_moves) and all(
                m.state == "assigned" for m in pending_out
            ):
                return "picked"
        elif pending_out and all(
            m.state == "assigned" and m.picked for m in pending_out
        ):
            return "picked"
        first_steps = moves.filtered(lambda m: not (m.move_orig_ids & moves))
        pending_first = first_steps.filtered(lambda m: m.state != "done")
        if pending_first and all(m.state == "assigned" for m in pending_first):
            return "allocated"
        return "validated"

    def _distrib_set_states(self, new_states, reason=None, sources=None):
        """Write the new states and log one event per actual change."""
        default_reasons = self._distrib_default_reasons()
        sources = sources or {}
        to_write = defaultdict(list)
        event_vals = []
        for order in self:
            new_state = new_states[order.id]
            if order.distrib_state == new_state:
                continue
            to_write[new_state].append(order.id)
            source = sources.get(order.id)
            event_vals.append(
                {
                    "order_id": order.id,
                    "from_state": order.distrib_state or False,
                    "to_state": new_state,
                    "user_id": self.env.uid,
                    "reason": reason or default_reasons.get(new_state),
                    "res_model": source._name if source else False,
                    "res_id": source.id if source else False,
                    "reference": source.display_name if source else False,
                }
            )
        if not event_vals:
            return
        # the state follows documents the user was allowed to process (a
        # warehouse user validating a delivery has no right on the order):
        # written as superuser, on these orders only
        for state, order_ids in to_write.items():
            self.browse(order_ids).sudo().write({"distrib_state": state})
        self.env["distrib.order.event"].sudo().create(event_vals)

    def _distrib_put_on_hold(self, reason, source=None):
        """Hold the orders (hook for the checks at confirmation)."""
        self.sudo().write({"distrib_hold_reason": reason})
        orders = self._distrib_filter_enabled()
        orders._distrib_compute_state(
            reason=reason, sources={o.id: source for o in orders} if source else None
        )

    def _distrib_release_hold(self, reason=None):
        orders = self.filtered("distrib_hold_reason")
        orders.sudo().write({"distrib_hold_reason": False})
        orders._distrib_compute_state(
            reason=reason or self.env._("Hold released"),
        )

    @api.model
    def _distrib_sources_from_records(self, records, order_getter):
        """Map order id -> the first of ``records`` that concerns the order."""
        sources = {}
        for record in records:
            for order in order_getter(record):
                sources.setdefault(order.id, record)
        return sources

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
            order_cogs = cogs[order.id]
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
            changed = {
                key: value
                for key, value in vals.items()
                if not order._distrib_same_value(key, value)
            }
            if changed:
                order.sudo().write(changed)

    def _distrib_same_value(self, fname, value):
        current = self[fname]
        if isinstance(value, bool):
            return current == value
        return float_compare(current or 0.0, value or 0.0, precision_digits=4) == 0

    # ------------------------------------------------------------------
    # Invoice on shipment
    # ------------------------------------------------------------------
    def _distrib_lines_to_invoice_on_shipment(self):
        """Lines with goods shipped and not invoiced yet (drafts included)."""
        precision = self.env["decimal.precision"].precision_get(
            "Product Unit of Measure"
        )
        return self.order_line.filtered(
            lambda line: (
                line.state == "sale"
                and not line.display_type
                and line.product_id.type == "consu"
                and not float_is_zero(
                    line.qty_delivered - line.qty_invoiced, precision_digits=precision
                )
            )
        )

    def _distrib_force_lines_to_invoice_delivered(self):
        """Invoice what shipped whatever the products' invoicing policy (the same
        idiom as Odoo's ``_force_lines_to_invoice_policy_order``)."""
        for line in self._distrib_lines_to_invoice_on_shipment():
            line.qty_to_invoice = line.qty_delivered - line.qty_invoiced

    def _distrib_invoice_shipped(self, source=None):
        """Create and post the invoice (or credit note) of what shipped.

        Idempotent: an order whose shipped quantities are all invoiced gets
        nothing. A failure never blocks the delivery: it is rolled back to a
        savepoint and reported through ``_distrib_report_invoicing_failure``.
        """
        invoices = self.env["account.move"]
        for order in self:
            if not order._distrib_lines_to_invoice_on_shipment():
                continue
            try:
                with self.env.cr.savepoint():
                    order_sudo = order.sudo().with_company(order.company_id)
                    order_sudo._distrib_force_lines_to_invoice_delivered()
                    moves = order_sudo._create_invoices(final=True)
                    moves.action_post()
                    invoices |= moves
            except OperationalError:
                # serialization failures and deadlocks: let Odoo replay the call
                raise
            except Exception as error:
                _logger.info("Invoice on shipment failed for %s: %s", order.name, error)
                order._distrib_report_invoicing_failure(error, source=source)
        return invoices

    def _distrib_report_invoicing_failure(self, error, source=None):
        """Tell someone the automatic invoice failed (hook: distrib_exceptions
        raises an exception here once wired)."""
        self.ensure_one()
        self.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Invoice on shipment failed"),
            note=self.env._(
                "The invoice of %(document)s could not be created: %(error)s",
                document=source.display_name if source else self.name,
                error=str(error),
            ),
            user_id=(self.user_id or self.env.user).id,
        )

    # ------------------------------------------------------------------
    # Checks at confirmation
    # ------------------------------------------------------------------
    def action_confirm(self):
        if SKIP_CHECKS.is_on(self.env):
            # a manager released the hold (``action_distrib_release_hold``)
            return super(SaleOrder, SKIP_CHECKS.cleared(self)).action_confirm()
        to_check = self.filtered(
            lambda o: (
                o.state in ("draft", "sent")
                and (
                    o.company_id.distrib_credit_check
                    or o.company_id.distrib_margin_check
                )
            )
        )
        held = to_check._distrib_run_confirmation_checks()
        if not held:
            return super().action_confirm()
        rest = self - held
        if rest:
            super(SaleOrder, rest).action_confirm()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "sticky": True,
                "title": self.env._("Put on hold"),
                "message": "\n".join(
                    f"{order.name}: {order.distrib_hold_reason}" for order in held
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _distrib_run_confirmation_checks(self):
        """Hold the orders that fail a check; return them. The others go on
        (their earlier hold, now approved, is released)."""
        held = self.browse()
        for order in self:
            failures = order._distrib_confirmation_failures()
            if failures:
                order._distrib_hold_for(failures)
                held |= order
            elif order.distrib_hold_reason:
                order._distrib_release_hold_and_exceptions(
                    self.env._("Checks passed or approved")
                )
        return held

    def _distrib_confirmation_failures(self):
        """List of failed checks: dicts with ``exception_type``, ``metric``,
        ``value``, ``message`` and ``impact``. A check whose approval is being
        resumed passes, as long as the approved value covers the current one."""
        self.ensure_one()
        failures = []
        company = self.company_id
        if company.distrib_credit_check:
            failures.append(self._distrib_check_credit())
        if company.distrib_margin_check:
            failures.append(self._distrib_check_discount())
            failures.append(self._distrib_check_margin())
        return [
            failure
            for failure in failures
            if failure
            and not self._distrib_is_approved(failure["metric"], failure["value"])
        ]

    def _distrib_is_approved(self, metric, value):
        """Whether the confirmation is resumed by an approval of ``metric`` for
        this order that covers ``value``.

        The approval resumes the confirmation with its id in the context; a
        client can send ids too, so only an approved request of this order and
        metric whose approved value covers the current one counts (an approval
        of a 15 % discount does not confirm the order once it gives 60 %)."""
        request_ids = self.env.context.get("distrib_approved_request_ids")
        if not request_ids or not isinstance(request_ids, (list, tuple)):
            return False
        request_ids = [rid for rid in request_ids if isinstance(rid, int)]
        requests = (
            self.env["distrib.approval.request"]
            .sudo()
            .search(
                [
                    ("id", "in", request_ids),
                    ("res_model", "=", self._name),
                    ("res_id", "=", self.id),
                    ("metric", "=", metric),
                    ("state", "=", "approved"),
                ]
            )
        )
        return any(
            request.policy_id._covers(request.value, value) for request in requests
        )

    # credit ------------------------------------------------------------
    @api.model
    def _distrib_credit_companies(self):
        """The companies whose receivables and orders count in the exposure
        (hook: every company of the database by default)."""
        return self.env["res.company"].sudo().search([])

    def _distrib_credit_exposure(self):
        """Exposure of the customer in the order company's currency: open
        receivables and confirmed, uninvoiced orders of every company of the
        group, plus this order. Figures only: read as superuser, no document of
        another company is shown."""
        self.ensure_one()
        company = self.company_id
        currency = company.currency_id
        date = fields.Date.context_today(self)
        partner = self.partner_id.commercial_partner_id
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
                   AND so.id != %s
                   AND sol.product_uom_qty > 0
                   AND sol.product_uom_qty > sol.qty_invoiced
                 GROUP BY so.currency_id, so.company_id
                """,
                tuple(partner_ids),
                tuple(companies.ids),
                self.id or 0,
            )
        )
        Currency = self.env["res.currency"].sudo()
        Company = self.env["res.company"].sudo()
        for currency_id, company_id, amount in self.env.cr.fetchall():
            exposure += Currency.browse(currency_id)._convert(
                amount or 0.0, currency, Company.browse(company_id), date
            )
        exposure += self.currency_id._convert(
            self.amount_total, currency, company, date
        )
        return exposure

    def _distrib_check_credit(self):
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        limit = partner.sudo().with_company(self.company_id).credit_limit
        if not limit:
            raise UserError(
                self.env._(
                    "%(order)s cannot be confirmed: the credit check of %(company)s "
                    "is on and %(partner)s has no credit limit. Set the customer's "
                    "credit limit (Accounting tab) first.",
                    order=self.name,
                    company=self.company_id.name,
                    partner=partner.display_name,
                )
            )
        exposure = self._distrib_credit_exposure()
        over = exposure - limit
        currency = self.company_id.currency_id
        if currency.compare_amounts(over, 0.0) <= 0:
            return None
        return {
            "exception_type": "credit_hold",
            "metric": "credit_over_limit",
            "value": over,
            "impact": over,
            "message": self.env._(
                "credit exposure %(exposure)s exceeds the limit %(limit)s of "
                "%(partner)s by %(over)s",
                exposure=currency.format(exposure),
                limit=currency.format(limit),
                partner=partner.display_name,
                over=currency.format(over),
            ),
        }

    # pricing and margin --------------------------------------------------
    def _distrib_goods_lines(self):
        return self.order_line.filtered(
            lambda line: (
                not line.display_type and line.product_id and not line.is_downpayment
            )
        )

    def _distrib_check_discount(self):
        self.ensure_one()
        company = self.company_id
        offending = []
        highest = 0.0
        for line in self._distrib_goods_lines():
            limit = (
                line.product_id.categ_id.with_company(
                    company
                ).distrib_max_discount_percent
                or company.distrib_max_discount_percent
            )
            if limit and line.discount > limit:
                offending.append(
                    self.env._(
                        "%(product)s %(discount)s%% (limit %(limit)s%%)",
                        product=line.product_id.display_name,
                        discount=line.discount,
                        limit=limit,
                    )
                )
                highest = max(highest, line.discount)
        if not offending:
            return None
        return {
            "exception_type": "pricing_margin",
            "metric": "discount_percent",
            "value": highest,
            "impact": 0.0,
            "message": self.env._(
                "discount above the limit: %(lines)s", lines=", ".join(offending)
            ),
        }

    def _distrib_line_margin_after_costs(self, line):
        """(net revenue, margin) of a line in the order currency, after the
        customer's rebate and the estimated freight."""
        company = self.company_id
        partner = self.partner_id.commercial_partner_id.with_company(company)
        revenue = line.price_subtotal
        rebate = revenue * (partner.distrib_rebate_percent or 0.0) / 100.0
        freight = revenue * (company.distrib_freight_percent or 0.0) / 100.0
        cost = 0.0
        if line.product_id.type == "consu":
            qty = line.product_uom._compute_quantity(
                line.product_uom_qty, line.product_id.uom_id
            )
            cost = company.currency_id._convert(
                line.product_id.with_company(company).standard_price * qty,
                self.currency_id,
                company,
                self.date_order or fields.Date.context_today(self),
            )
        return revenue, revenue - rebate - freight - cost

    def _distrib_check_margin(self):
        self.ensure_one()
        company = self.company_id
        partner_min = self.partner_id.commercial_partner_id.with_company(
            company
        ).distrib_min_margin_percent
        offending = []
        total_revenue = total_margin = 0.0
        for line in self._distrib_goods_lines():
            revenue, margin = self._distrib_line_margin_after_costs(line)
            total_revenue += revenue
            total_margin += margin
            minimum = (
                partner_min
                or line.product_id.categ_id.with_company(
                    company
                ).distrib_min_margin_percent
                or company.distrib_min_margin_percent
            )
            percent = margin / revenue * 100.0 if revenue else 0.0
            if (minimum and percent < minimum) or margin < 0:
                offending.append(
                    self.env._(
                        "%(product)s %(percent)s%% (minimum %(minimum)s%%)",
                        product=line.product_id.display_name,
                        percent=round(percent, 1),
                        minimum=minimum,
                    )
                )
        if not offending:
            return None
        order_percent = total_margin / total_revenue * 100.0 if total_revenue else 0.0
        return {
            "exception_type": "negative_margin"
            if total_margin < 0
            else "pricing_margin",
            "metric": "margin_percent",
            "value": order_percent,
            "impact": -total_margin if total_margin < 0 else 0.0,
            "message": self.env._(
                "margin after freight and rebate below the minimum: %(lines)s",
                lines=", ".join(offending),
            ),
        }

    # hold, exception, approval --------------------------------------------
    def _distrib_hold_for(self, failures):
        self.ensure_one()
        reason = "; ".join(failure["message"] for failure in failures)
        reason = reason[:1].upper() + reason[1:]
        self._distrib_put_on_hold(reason)
        for failure in failures:
            self._distrib_raise_hold_exception(failure)
            self._distrib_request_approval(failure)

    def _distrib_raise_hold_exception(self, failure):
        """Raise (or refresh) the blocking exception of a failed check."""
        return self.env["distrib.exception"]._raise_for(
            self,
            failure["exception_type"],
            severity="high",
            summary=self.env._(
                "%(order)s on hold: %(reason)s",
                order=self.name,
                reason=failure["message"],
            ),
            impact_amount=failure.get("impact") or 0.0,
            blocking=True,
        )

    def _distrib_request_approval(self, failure):
        """Ask for the approval that resumes the confirmation (None when no
        policy of the company covers the metric: a manager releases the hold)."""
        return self.env["distrib.approval.policy"]._check_value(
            self,
            failure["metric"],
            failure["value"],
            resume_method="action_confirm",
        )

    def _distrib_hold_exception_types(self):
        return ("credit_hold", "pricing_margin", "negative_margin", "order_hold")

    def _distrib_release_hold_and_exceptions(self, note):
        Exception_ = self.env["distrib.exception"]
        for exception_type in self._distrib_hold_exception_types():
            Exception_._resolve_for(self, exception_type, note=note)
        self.sudo().write({"distrib_hold_reason": False})
        self._distrib_compute_state(reason=note)

    def action_distrib_release_hold(self):
        """Manager: release the hold and confirm without the checks."""
        if not self.env.user.has_group("distrib_atp.group_distrib_manager"):
            raise UserError(
                self.env._("Only a distribution manager can release a hold.")
            )
        held = self.filtered("distrib_hold_reason")
        note = self.env._("Hold released by %(user)s", user=self.env.user.name)
        for order in held:
            order._distrib_release_hold_and_exceptions(note)
        SKIP_CHECKS.set_on(
            held.filtered(lambda o: o.state in ("draft", "sent"))
        ).action_confirm()
        return True

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _distrib_order_documents_action(self, xmlid):
        """The action ``xmlid`` restricted to this order, creating for it."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {"default_order_id": self.id}
        return action

    def action_distrib_view_disputes(self):
        return self._distrib_order_documents_action(
            "distrib_orchestration.distrib_order_dispute_action"
        )

    def action_distrib_view_returns(self):
        return self._distrib_order_documents_action(
            "distrib_orchestration.distrib_return_authorization_action"
        )

    def action_distrib_new_return(self):
        self.ensure_one()
        action = self.action_distrib_view_returns()
        action.update({"view_mode": "form", "views": [(False, "form")]})
        return action
