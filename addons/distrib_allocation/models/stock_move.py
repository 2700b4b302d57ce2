import datetime
from collections import defaultdict

from odoo import models

from ..allocation_flags import REALLOCATING


class StockMove(models.Model):
    _inherit = "stock.move"

    def _distrib_allocation_key(self):
        """Reservation order of a move: higher priority, then the earlier
        requested date, then the earlier order. A move of no sales order
        counts as a standard one, requested on its own date."""
        self.ensure_one()
        order = self.sale_line_id.order_id
        ranks = self.env["sale.order"]._distrib_priority_ranks()
        rank = order.distrib_allocation_rank if order else min(ranks.values())
        requested = self.date_deadline or self.date or datetime.datetime.max
        ordered = (order.date_order if order else self.date) or datetime.datetime.max
        return (-rank, requested, ordered, order.id or 0)

    def _action_assign(self, force_qty=False):
        """Reserve the higher priorities first when stock is short (companies
        that opted in); Odoo reserves the moves in the order it is given."""
        moves = self
        by_priority = len(self) > 1 and any(
            self.company_id.mapped("distrib_allocation_enabled")
        )
        if by_priority:
            position = {move: index for index, move in enumerate(self)}
            moves = self.browse(
                [
                    move.id
                    for move in sorted(
                        self,
                        key=lambda move: (
                            *move._distrib_allocation_key(),
                            position[move],
                        ),
                    )
                ]
            )
        result = super(StockMove, moves)._action_assign(force_qty=force_qty)
        if by_priority and not REALLOCATING.is_on(self.env):
            self._distrib_repromise_after_assign()
        return result

    def _distrib_repromise_after_assign(self):
        """The higher priorities of the batch reserved first: the lower-priority
        orders left short may have lost units they were promised (a receipt
        reserved for a strategic order due later than them). Their promise is
        checked again, in one pass (``sale.order._distrib_repromise_displaced``)."""
        by_pair = defaultdict(list)
        for move in self.sudo():
            order = move.sale_line_id.order_id
            warehouse = move.location_id.warehouse_id
            if order and warehouse and order.company_id.distrib_allocation_enabled:
                by_pair[move.product_id.id, warehouse.id].append(move)
        takers = {}
        for pair, moves in by_pair.items():
            short = [
                move
                for move in moves
                if move.state in ("confirmed", "waiting", "partially_available")
            ]
            if not short:
                continue
            lowest = min(
                move.sale_line_id.order_id.distrib_allocation_rank for move in short
            )
            taking = (
                self.env["sale.order"]
                .sudo()
                .union(
                    *(
                        move.sale_line_id.order_id
                        for move in moves
                        if move.state in ("assigned", "partially_available")
                        and move.sale_line_id.order_id.distrib_allocation_rank > lowest
                    )
                )
            )
            if taking:
                takers[pair] = taking
        if takers:
            self.env["sale.order"].sudo()._distrib_repromise_displaced(takers)

    def _action_done(self, cancel_backorder=False):
        """Stock that arrives may resolve the shortages of held orders."""
        done = super()._action_done(cancel_backorder=cancel_backorder)
        arrived = done.filtered(
            lambda move: (
                move.state == "done"
                and move.location_dest_id.usage == "internal"
                and move.location_id.usage != "internal"
                and move.company_id.distrib_auto_sourcing
            )
        )
        if arrived:
            # the receipt's own transaction, whoever validates it: the orders
            # of the companies it stocks, read as the workflow
            orders = (
                self.env["sale.order"]
                .sudo()
                .search(
                    [
                        ("distrib_shortage_open", "=", True),
                        ("state", "in", ["draft", "sent"]),
                        ("company_id", "in", arrived.company_id.ids),
                        ("order_line.product_id", "in", arrived.product_id.ids),
                    ]
                )
            )
            if orders:
                resolved = orders._distrib_shortage_recheck(
                    "stock",
                    self.env._("Stock arrived: no line is short any more."),
                )
                for order in resolved:
                    order.activity_schedule(
                        "mail.mail_activity_data_todo",
                        user_id=order.user_id.id or self.env.uid,
                        summary=self.env._("Stock arrived: confirm the order"),
                    )
        return done
