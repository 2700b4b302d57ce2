# pylint: disable=consider-merging-classes-inherited
# (one concern of sale.order per file, on purpose: see STYLE.md)
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import float_compare

RETURN_ORDER_STATES = {
    "authorized": "return_authorized",
    "received": "return_received",
    "disposed": "return_disposed",
}

PAID_STATES = ("paid", "in_payment", "reversed")


class SaleOrder(models.Model):
    _inherit = "sale.order"

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

    @api.model
    def _distrib_workflow_fields(self):
        """What shipped follows the deliveries."""
        return super()._distrib_workflow_fields() | {
            "distrib_shipped_percent",
            "distrib_partially_shipped",
        }

    # ------------------------------------------------------------------
    # Event states
    # ------------------------------------------------------------------
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
