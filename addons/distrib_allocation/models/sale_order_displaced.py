# pylint: disable=consider-merging-classes-inherited
# (one concern of sale.order per file, on purpose: see STYLE.md)
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.distrib_atp.models.distrib_atp import (
    PENDING_MOVE_STATES,
    move_reserved_sql,
)

from ..allocation_flags import DEMAND_AFTER


class SaleOrder(models.Model):
    """The promises of lower-priority orders follow when a higher priority takes
    their units.

    A strategic order promised (its lower-priority demand served after it, see
    ``_distrib_promise``) or reserved first (``stock.move._action_assign``) may
    take the units a confirmed standard order was promised. The promise of such
    an order is checked again with the engine, in one pass for all the pairs
    (product, warehouse) concerned; the orders whose promised date no longer holds
    get the later date, their promised and backordered quantities, a note in
    their timeline naming the order that took the units, one activity for their
    salesperson and a row in the allocation log. The others are left as they are.
    """

    _inherit = "sale.order"

    def _action_confirm(self):
        """After the moves of the confirmed orders exist: the promises they took
        from lower priorities."""
        result = super()._action_confirm()
        takers = self._distrib_allocation_orders().filtered(
            lambda order: order.company_id.distrib_atp_promise
        )
        if takers:
            lowest = min(self._distrib_priority_ranks().values())
            takers = takers.filtered(
                lambda order: order.distrib_allocation_rank > lowest
            )
        if takers:
            pairs = defaultdict(lambda: self.browse())
            for line in takers.order_line:
                if line.display_type or not line.product_id.is_storable:
                    continue
                warehouse = line.distrib_source_warehouse_id or line.warehouse_id
                if warehouse:
                    pairs[line.product_id.id, warehouse.id] |= line.order_id
            # the displaced orders may be any salesperson's: the workflow's path
            self.env["sale.order"].sudo()._distrib_repromise_displaced(pairs)
        return result

    # ------------------------------------------------------------------
    # the re-check
    # ------------------------------------------------------------------
    @api.model
    def _distrib_displaced_demand(self, takers):
        """The pending demand of the confirmed orders of a lower priority than
        the takers of each pair, whose line has a promised date (one query).

        ``takers``: ``{(product_id, warehouse_id): sale.order}``. Returns
        ``{move_id: (product_id, warehouse_id, line_id, unreserved, day,
        origin move ids)}``, the unreserved quantity in the product's unit.
        """
        keys = sorted(takers)
        ranks = [max(takers[key].mapped("distrib_allocation_rank")) for key in keys]
        taker_ids = sorted({order.id for orders in takers.values() for order in orders})
        for model, names in (
            (
                "stock.move",
                [
                    "product_id",
                    "state",
                    "sale_line_id",
                    "location_id",
                    "product_qty",
                    "product_uom_qty",
                    "quantity",
                    "date",
                ],
            ),
            ("sale.order.line", ["order_id", "distrib_promised_date"]),
            ("sale.order", ["state", "company_id", "distrib_allocation_rank"]),
            ("res.company", ["distrib_allocation_enabled"]),
        ):
            self.env[model].flush_model(names)
        self.env.cr.execute(
            SQL(
                """
                SELECT m.id, m.product_id, p.warehouse_id, m.sale_line_id,
                       GREATEST(COALESCE(m.product_qty, 0) - %(reserved)s,
                                0)::float8,
                       m.date::date,
                       ARRAY(SELECT r.move_orig_id FROM stock_move_move_rel r
                              WHERE r.move_dest_id = m.id)
                  FROM stock_move m
                  JOIN stock_location loc ON loc.id = m.location_id
                  JOIN unnest(%(products)s::integer[], %(warehouses)s::integer[],
                              %(ranks)s::integer[]) AS p(product_id, warehouse_id, rank)
                    ON p.product_id = m.product_id
                   AND p.warehouse_id = loc.warehouse_id
                  JOIN sale_order_line l ON l.id = m.sale_line_id
                  JOIN sale_order o ON o.id = l.order_id
                  JOIN res_company c ON c.id = o.company_id
                 WHERE m.state IN %(states)s
                   AND o.state = 'sale'
                   AND c.distrib_allocation_enabled
                   AND o.distrib_allocation_rank < p.rank
                   AND o.id <> ALL(%(takers)s::integer[])
                   AND l.distrib_promised_date IS NOT NULL
                """,
                products=[key[0] for key in keys],
                warehouses=[key[1] for key in keys],
                ranks=ranks,
                takers=taker_ids,
                states=PENDING_MOVE_STATES,
                reserved=move_reserved_sql("m"),
            )
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    @api.model
    def _distrib_repromise_displaced(self, takers):
        """Re-date the lower-priority confirmed orders whose promise the
        ``takers`` (``{(product_id, warehouse_id): sale.order}``) broke.

        The projection of each pair counts every demand but that of the
        lower-priority lines; the lines are then served in allocation order
        (higher priority, earlier requested date, earlier order), each one's
        demand added back once it is served. A line whose whole pending quantity
        is still promisable on its promised date is left alone. A fixed number of
        queries, whatever the number of orders and lines.
        Returns the orders re-dated.
        """
        orders = self.env["sale.order"]
        takers = {key: value for key, value in takers.items() if value}
        if not takers:
            return orders
        demand = self._distrib_displaced_demand(takers)
        if not demand:
            return orders
        # the lines' demand, as the engine counts it: a chain of moves (pick,
        # ship) is one demand, the first pending move carries it
        by_line = {}
        for _move_id, (
            product_id,
            warehouse_id,
            line_id,
            qty,
            day,
            origins,
        ) in demand.items():
            if any(origin in demand for origin in origins or ()):
                continue
            key = (line_id, product_id, warehouse_id)
            entry = by_line.setdefault(key, [0.0, day])
            entry[0] += qty
            entry[1] = min(entry[1], day)
        Line = self.env["sale.order.line"].sudo()
        lines = Line.browse(sorted({key[0] for key in by_line}))
        # one prefetch for all the lines (a browse per id would read one by one)
        line_of = {line.id: line for line in lines}
        products = sorted({key[1] for key in by_line})
        warehouses = sorted({key[2] for key in by_line})
        projections = (
            DEMAND_AFTER.set_on(self.env["distrib.atp"], frozenset(demand))
            .sudo()
            ._distrib_projections(products, warehouses)
        )
        today = fields.Date.context_today(self)
        work = {}
        changes = defaultdict(dict)  # line: {warehouse: (date, backorder)}

        def sort_key(key):
            line = line_of[key[0]]
            order = line.order_id
            return (
                -order.distrib_allocation_rank,
                line._distrib_requested_date() or today,
                order.date_order,
                order.id,
                line.sequence,
                line.id,
            )

        for key in sorted(by_line, key=sort_key):
            line_id, product_id, warehouse_id = key
            need, day = by_line[key]
            projection = work.get((product_id, warehouse_id))
            if projection is None:
                projection = work[product_id, warehouse_id] = projections[
                    product_id, warehouse_id
                ].clone()
            tolerance = projection.rounding / 2.0
            if need <= tolerance:
                continue
            line = line_of[line_id]
            promised = max(line.distrib_promised_date, today)
            if projection.promisable(promised) + tolerance < need:
                target = max(line._distrib_requested_date() or today, today)
                available = max(min(projection.promisable(target), need), 0.0)
                changes[line][warehouse_id] = (
                    projection.next_available_date(need, today),
                    need - available,
                )
            # its demand is served before the lines that come after it
            projection.add_move(day, False, need)
        if not changes:
            return orders
        return self._distrib_apply_displaced(changes, takers)

    @api.model
    def _distrib_apply_displaced(self, changes, takers):
        """Write the new promises (the workflow's fields), then tell."""
        entries = []
        by_vals = defaultdict(list)
        for line, per_warehouse in changes.items():
            dates = [date for date, _backorder in per_warehouse.values()]
            date = False if None in dates else max(dates)
            backorder = line._distrib_to_line_uom(
                sum(qty for _date, qty in per_warehouse.values())
            )
            backorder = min(backorder, line.product_uom_qty)
            taking = self.env["sale.order"].union(
                *(
                    takers.get((line.product_id.id, warehouse_id), ())
                    for warehouse_id in per_warehouse
                )
            )
            taking = taking.filtered(
                lambda order, line=line: (
                    order.distrib_allocation_rank
                    > line.order_id.distrib_allocation_rank
                )
            )
            entries.append(
                {
                    "order": line.order_id,
                    "line": line,
                    "product": line.product_id,
                    "quantity": backorder,
                    "text": self._distrib_displaced_text(line, taking, date, backorder),
                    "event": "promise_moved",
                    "note": ", ".join(
                        self._distrib_taker_name(order, line.order_id)
                        for order in taking
                    )[:200],
                }
            )
            by_vals[date, line.product_uom_qty - backorder, backorder].append(line.id)
        Line = self.env["sale.order.line"].sudo()
        for (date, promised, backorder), line_ids in by_vals.items():
            # the promise is the workflow's reading of the stock (readonly to
            # clients)
            Line.browse(line_ids).write(
                {
                    "distrib_promised_date": date,
                    "distrib_promised_qty": promised,
                    "distrib_backorder_qty": backorder,
                }
            )
        orders = Line.browse([line.id for line in changes]).order_id
        orders._distrib_update_commitment_date()
        self.env["sale.order"]._distrib_announce_new_promise(entries)
        return orders

    @api.model
    def _distrib_taker_name(self, taker, order):
        """The order that took the units, as ``order``'s company may see it."""
        if taker.company_id == order.company_id:
            return taker.name
        return self.env._(
            "an order of %(company)s", company=taker.company_id.sudo().name
        )

    @api.model
    def _distrib_displaced_text(self, line, takers, date, backorder):
        labels = dict(self._fields["distrib_allocation_priority"].selection)
        return self.env._(
            "%(product)s: the promise of %(before)s no longer holds, %(takers)s "
            "(priority %(priority)s) took the units. New promise: %(date)s, "
            "%(backorder)s %(uom)s backordered.",
            product=line.product_id.display_name,
            before=fields.Date.to_string(line.distrib_promised_date),
            takers=", ".join(
                self._distrib_taker_name(order, line.order_id) for order in takers
            )
            or self.env._("a higher-priority order"),
            priority=", ".join(
                sorted(
                    {
                        labels.get(p, p)
                        for p in takers.mapped("distrib_allocation_priority")
                    }
                )
            )
            or "-",
            date=fields.Date.to_string(date)
            if date
            else self.env._("no planned receipt covers it"),
            backorder=backorder,
            uom=line.product_uom.name,
        )

    @api.model
    def _distrib_announce_new_promise(self, entries):
        """Tell about promises that moved, in a fixed number of queries: one note
        per order in its timeline, one activity per order for its salesperson,
        one row per entry in the allocation log.

        ``entries``: dicts with ``order``, ``text`` (plain text, escaped here),
        ``event`` (of the allocation log) and the log's optional ``line``,
        ``product``, ``quantity``, ``amount``, ``reallocation``, ``note``.
        Shared by the re-allocation and the re-check of displaced promises.
        """
        if not entries:
            return
        texts = defaultdict(list)
        for entry in entries:
            texts[entry["order"]].append(entry["text"])
        orders = self.env["sale.order"].concat(*texts).sudo()
        bodies = {
            order.id: Markup("<p>%s</p>")
            % Markup("<br/>").join(texts[order])  # escaped by Markup's join
            for order in orders
        }
        orders._message_log_batch(bodies=bodies)
        activity_type = self.env.ref(
            "mail.mail_activity_data_todo", raise_if_not_found=False
        )
        model_id = self.env["ir.model"]._get_id("sale.order")
        today = fields.Date.context_today(self)
        summary = self.env._("Tell the customer about the new promise date")
        # the activity in the salesperson's list, without one mail per order
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True
        ).create(
            [
                {
                    "activity_type_id": activity_type.id if activity_type else False,
                    "summary": summary,
                    "automated": True,
                    "note": bodies[order.id],
                    "date_deadline": today,
                    "res_model_id": model_id,
                    "res_id": order.id,
                    "user_id": order.user_id.id or self.env.uid,
                }
                for order in orders
            ]
        )
        Log = self.env["distrib.allocation.log"]
        Log._distrib_log_many(
            [
                (
                    entry["order"],
                    entry["event"],
                    {
                        key: entry[key]
                        for key in (
                            "line",
                            "product",
                            "quantity",
                            "amount",
                            "reallocation",
                            "note",
                        )
                        if key in entry
                    },
                )
                for entry in entries
            ]
        )
