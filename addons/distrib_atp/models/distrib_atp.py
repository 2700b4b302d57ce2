import datetime
import math
import re
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..projection import Projection

# the largest id PostgreSQL's integer columns hold
MAX_ID = 2**31 - 1
# a date, or one of Odoo's datetime strings, and nothing after it
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2}(\.\d+)?)?")

# move states that still change the stock of a warehouse
PENDING_MOVE_STATES = ("confirmed", "waiting", "partially_available", "assigned")


def move_reserved_sql(move):
    """SQL: what the stock move of table alias ``move`` reserves (its move lines'
    quantity) in the product's unit. A NULL quantity (left by a race in Odoo's
    own reservation code) counts as 0."""
    return SQL(
        """CASE WHEN %(uom_qty)s > 0
                THEN COALESCE(%(quantity)s, 0) * COALESCE(%(product_qty)s, 0)
                     / %(uom_qty)s
                ELSE COALESCE(%(quantity)s, 0) END""",
        uom_qty=SQL.identifier(move, "product_uom_qty"),
        quantity=SQL.identifier(move, "quantity"),
        product_qty=SQL.identifier(move, "product_qty"),
    )


def _int_array(ids):
    """A PostgreSQL integer array literal: much cheaper to send than a list."""
    return "{%s}" % ",".join(str(int(record_id)) for record_id in ids)


class DistribAtp(models.AbstractModel):
    """Available-to-promise engine, public over XML-RPC and JSON-RPC.

    Every product and warehouse is computed in two SQL queries, whatever their
    number: one checks the ids (``_distrib_read_input``), one reads the stock and
    the pending moves (``_distrib_stock_query``).
    """

    _name = "distrib.atp"
    _description = "Available to Promise Engine"

    # ------------------------------------------------------------------
    # public API
    # ------------------------------------------------------------------
    @api.model
    @api.readonly
    def get_availability(
        self, product_ids=None, warehouse_ids=None, date=None, quantity=None
    ):
        """Availability of products per warehouse, as plain dicts.

        :param product_ids: product.product ids (a list, or one id)
        :param warehouse_ids: stock.warehouse ids; by default every active warehouse
            of the companies the caller may see (their own allowed companies, and
            the companies that share their availability)
        :param date: the date the figures are for ("YYYY-MM-DD", default today):
            ``incoming``/``outgoing`` are the moves due by that date, ``atp`` the
            projected free stock on that date
        :param quantity: the quantity ``next_available_date`` answers for: a number
            for every product, or a dict ``{product_id: quantity}``; default one unit
            of the product's unit of measure
        :return: one dict per product and warehouse with ``product_id``,
            ``warehouse_id``, ``company_id``, ``on_hand``, ``reserved``, ``free``,
            ``quarantine``, ``damaged``, ``returns``, ``in_transit``, ``incoming``,
            ``outgoing``, ``atp``, ``next_available_date`` ("YYYY-MM-DD" or False)
            and also ``held`` (free stock of lots on hold, not promisable),
            ``promisable`` (what can be promised for the date without making a
            later planned delivery short), ``quantity`` (the quantity
            ``next_available_date`` answers for), ``date`` and ``shared`` (True when
            the figures come from another company that shares them). Quantities
            are in the product's unit of measure.
        """
        products, warehouses, time_zone = self._distrib_read_input(
            product_ids, warehouse_ids
        )
        this = self.with_context(tz=time_zone)
        day = this._distrib_check_date(date)
        quantities = self._distrib_check_quantities(list(products), quantity)
        projections = self._distrib_projections(
            list(products), list(warehouses), roundings=products
        )
        own_companies = set(self.env.companies.ids)
        # what every row of a warehouse says about it
        of_warehouse = {
            warehouse_id: {
                "warehouse_id": warehouse_id,
                "company_id": company_id,
                "shared": company_id not in own_companies,
            }
            for warehouse_id, company_id in warehouses.items()
        }
        today = fields.Date.context_today(this)
        dates = {}
        # a blank projection's figures depend on the unit, quantity and warehouse
        blank_values = {}
        result = []
        append = result.append
        for product_id in products:
            quantity = quantities[product_id]
            for warehouse_id in warehouses:
                projection = projections[product_id, warehouse_id]
                if projection.blank:
                    key = (id(projection), quantity, warehouse_id)
                    values = blank_values.get(key)
                    if values is None:
                        values = blank_values[key] = projection.values(
                            day, today, quantity, dates
                        )
                        values.update(of_warehouse[warehouse_id])
                    values = values.copy()
                else:
                    values = projection.values(day, today, quantity, dates)
                    values.update(of_warehouse[warehouse_id])
                values["product_id"] = product_id
                append(values)
        return result

    # ------------------------------------------------------------------
    # checks of the caller's input and rights
    # ------------------------------------------------------------------
    @api.model
    def _distrib_visible_companies(self):
        """Ids of the companies whose figures the caller may see.

        Their own companies (``env.companies``: the allowed companies of the
        request, by default all the user's companies), and the companies that share
        their availability (figures only: the SQL reads bypass the record rules,
        which is why every id the caller gives is checked against this set).
        """
        self.env["res.company"].flush_model(["active", "distrib_share_availability"])
        self.env.cr.execute(
            SQL(
                "SELECT id FROM res_company WHERE active AND distrib_share_availability"
            )
        )
        return set(self.env.companies.ids) | {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _distrib_read_input(self, product_ids, warehouse_ids):
        """Check the ids the caller gave, in one query.

        :return: ``({product: UoM rounding}, {warehouse: company}, the caller's
            time zone)``; a UserError names any id that is malformed, unknown or
            of a company the caller may not see. No warehouse given: every
            active warehouse of the companies the caller may see, in their usual
            order.
        """
        products = self._distrib_as_ids(product_ids, self.env._("Product ids"))
        if not products:
            raise UserError(self.env._("Give at least one product id."))
        given = warehouse_ids not in (None, False, [])
        warehouses = (
            self._distrib_as_ids(warehouse_ids, self.env._("Warehouse ids"))
            if given
            else None
        )
        self.env["res.company"].flush_model(["active", "distrib_share_availability"])
        self.env["res.partner"].flush_model(["tz"])
        self.env["product.template"].flush_model(["company_id", "uom_id"])
        self.env["product.product"].flush_model(["product_tmpl_id"])
        self.env["stock.warehouse"].flush_model(["company_id", "active", "sequence"])
        self.env.cr.execute(
            SQL(
                """
                WITH sharing AS (
                    SELECT id FROM res_company
                     WHERE active AND distrib_share_availability
                )
                SELECT 'c', id, NULL::integer, NULL::float8, NULL::varchar
                  FROM sharing
                 UNION ALL
                SELECT 'p', p.id, t.company_id, u.rounding::float8, NULL
                  FROM product_product p
                  JOIN product_template t ON t.id = p.product_tmpl_id
                  JOIN uom_uom u ON u.id = t.uom_id
                 WHERE p.id = ANY(%(products)s::integer[])
                 UNION ALL
                SELECT 'w', w.id, w.company_id, w.sequence, NULL
                  FROM stock_warehouse w
                 WHERE CASE WHEN %(given)s THEN w.id = ANY(%(warehouses)s::integer[])
                            ELSE w.active AND (
                                w.company_id = ANY(%(own)s)
                                OR w.company_id IN (SELECT id FROM sharing))
                       END
                 UNION ALL
                SELECT 't', NULL, NULL, NULL, p.tz
                  FROM res_users u
                  JOIN res_partner p ON p.id = u.partner_id
                 WHERE u.id = %(uid)s
                """,
                products=_int_array(products),
                given=given,
                warehouses=_int_array(warehouses or []),
                own=self.env.companies.ids,
                uid=self.env.uid,
            )
        )
        visible = set(self.env.companies.ids)
        product_rows, warehouse_rows = [], []
        time_zone = self.env.context.get("tz")
        for kind, record_id, company_id, number, text in self.env.cr.fetchall():
            if kind == "c":
                visible.add(record_id)
            elif kind == "p":
                product_rows.append((record_id, company_id, number))
            elif kind == "w":
                warehouse_rows.append((number, record_id, company_id))
            else:
                time_zone = time_zone or text
        if not given:
            warehouse_rows.sort()
            warehouses = [row[1] for row in warehouse_rows]
        return (
            self._distrib_check_products(products, visible, product_rows),
            self._distrib_check_warehouses(
                warehouses,
                visible,
                [(record_id, company) for _seq, record_id, company in warehouse_rows],
            ),
            # Odoo runs in UTC: a user without a time zone has UTC days
            time_zone or "UTC",
        )

    @api.model
    def _distrib_visible_warehouses(self):
        """The active warehouses of the visible companies (sudo recordset)."""
        visible = self._distrib_visible_companies()
        self.env["stock.warehouse"].flush_model(["company_id", "active", "sequence"])
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM stock_warehouse
                 WHERE active AND company_id = ANY(%s)
                 ORDER BY sequence, id
                """,
                sorted(visible),
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        return self.env["stock.warehouse"].sudo().browse(ids)

    @api.model
    def _distrib_as_ids(self, values, what):
        if values is None or values is False:
            return []
        if isinstance(values, int) and not isinstance(values, bool):
            values = [values]
        if not isinstance(values, list | tuple):
            raise UserError(
                self.env._(
                    "%(what)s must be a list of ids, not %(value)s.",
                    what=what,
                    value=self._distrib_short_repr(values),
                )
            )
        # a boolean is an int in Python: ``true`` must not read as id 1
        bad = [
            value
            for value in values
            if isinstance(value, bool)
            or not isinstance(value, int)
            or not 0 < value <= MAX_ID
        ]
        if bad:
            raise UserError(
                self.env._(
                    "%(what)s must be ids (integers from 1 to %(max)s), not "
                    "%(values)s.",
                    what=what,
                    max=MAX_ID,
                    values=", ".join(self._distrib_short_repr(value) for value in bad),
                )
            )
        return list(dict.fromkeys(values))

    @api.model
    def _distrib_check_products(self, ids, visible, rows):
        """{product_id: rounding of its UoM}, in the given order, or UserError.

        ``rows``: the ``(id, company_id, rounding)`` read for the given ids.
        """
        rows = {pid: (company_id, rounding) for pid, company_id, rounding in rows}
        missing = [pid for pid in ids if pid not in rows]
        if missing:
            raise UserError(
                self.env._(
                    "Unknown product ids: %(ids)s.",
                    ids=", ".join(str(pid) for pid in missing),
                )
            )
        hidden = [pid for pid in ids if rows[pid][0] and rows[pid][0] not in visible]
        if hidden:
            raise UserError(
                self.env._(
                    "Products %(ids)s belong to a company you may not access.",
                    ids=", ".join(str(pid) for pid in hidden),
                )
            )
        return {pid: rows[pid][1] for pid in ids}

    @api.model
    def _distrib_check_warehouses(self, ids, visible, rows):
        """{warehouse_id: company_id}, in the given order, or UserError.

        ``rows``: the ``(id, company_id)`` read for the given ids.
        """
        companies = dict(rows)
        missing = [wid for wid in ids if wid not in companies]
        if missing:
            raise UserError(
                self.env._(
                    "Unknown warehouse ids: %(ids)s.",
                    ids=", ".join(str(wid) for wid in missing),
                )
            )
        hidden = [wid for wid in ids if companies[wid] not in visible]
        if hidden:
            raise UserError(
                self.env._(
                    "Warehouses %(ids)s belong to a company you may not access.",
                    ids=", ".join(str(wid) for wid in hidden),
                )
            )
        return {wid: companies[wid] for wid in ids}

    @api.model
    def _distrib_check_date(self, date):
        if date is None or date is False or date == "":
            return fields.Date.context_today(self)
        if isinstance(date, datetime.datetime):
            return date.date()
        if isinstance(date, datetime.date):
            return date
        parsed = None
        if isinstance(date, str) and DATE_PATTERN.fullmatch(date.strip()):
            try:
                parsed = datetime.date.fromisoformat(date.strip()[:10])
            except ValueError:
                parsed = None
        if parsed:
            return parsed
        raise UserError(
            self.env._(
                "%(value)s is not a valid date: use the format YYYY-MM-DD.",
                value=self._distrib_short_repr(date),
            )
        )

    @api.model
    def _distrib_check_quantities(self, product_ids, quantity):
        """{product_id: quantity in the product's UoM}, 1 unit by default."""
        result = dict.fromkeys(product_ids, 1.0)
        if quantity is None or quantity is False:
            return result
        if isinstance(quantity, dict):
            given = {}
            for key, value in quantity.items():
                try:
                    product_id = None if isinstance(key, bool) else int(key)
                except (TypeError, ValueError, OverflowError):
                    product_id = None
                if product_id not in result:
                    raise UserError(
                        self.env._(
                            "The quantity is given for product %(key)s, which is not "
                            "one of the requested products.",
                            key=self._distrib_short_repr(key),
                        )
                    )
                given[product_id] = value
        else:
            given = dict.fromkeys(product_ids, quantity)
        for product_id, value in given.items():
            number = None
            if isinstance(value, int | float) and not isinstance(value, bool):
                try:
                    number = float(value)
                except OverflowError:
                    number = None
            if number is None or not math.isfinite(number):
                raise UserError(
                    self.env._(
                        "The quantity for product %(product)s must be a finite "
                        "number, not %(value)s.",
                        product=product_id,
                        value=self._distrib_short_repr(value),
                    )
                )
            if number <= 0:
                raise UserError(
                    self.env._(
                        "The quantity for product %(product)s must be positive, "
                        "not %(value)s.",
                        product=product_id,
                        value=value,
                    )
                )
            result[product_id] = number
        return result

    @api.model
    def _distrib_short_repr(self, value, limit=40):
        """``repr(value)`` cut to ``limit`` characters, for error messages.

        A value that cannot travel back over JSON (``NaN``, ``Infinity``, a
        400-digit number) is named as text.
        """
        text = repr(value) if not isinstance(value, int) else str(value)
        if len(text) > limit:
            text = self.env._(
                "%(start)s... (%(length)s characters)",
                start=text[: limit - 3],
                length=len(text),
            )
        return text

    # ------------------------------------------------------------------
    # computation
    # ------------------------------------------------------------------
    @api.model
    def _distrib_flushed_models(self):
        """Models the SQL queries read: pending ORM writes are flushed first."""
        return [
            "stock.location",
            "stock.warehouse",
            "stock.lot",
            "stock.quant",
            "stock.move",
            "stock.move.line",
        ]

    @api.model
    def _distrib_projections(self, product_ids, warehouse_ids, roundings=None):
        """{(product_id, warehouse_id): Projection} in one SQL query.

        (Two when ``roundings``, {product_id: UoM rounding}, is not given.)
        No access check: callers check the companies first.
        """
        if not product_ids or not warehouse_ids:
            return {}
        for model in self._distrib_flushed_models():
            self.env[model].flush_model()
        product_ids = list(product_ids)
        warehouse_ids = list(warehouse_ids)
        if roundings is None:
            self.env.cr.execute(
                SQL(
                    """
                    SELECT p.id, u.rounding
                      FROM product_product p
                      JOIN product_template t ON t.id = p.product_tmpl_id
                      JOIN uom_uom u ON u.id = t.uom_id
                     WHERE p.id = ANY(%s)
                    """,
                    product_ids,
                )
            )
            roundings = dict(self.env.cr.fetchall())
        self.env.cr.execute(self._distrib_stock_query(product_ids, warehouse_ids))
        return self._distrib_projections_from_rows(
            self.env.cr.fetchall(), product_ids, warehouse_ids, roundings
        )

    @api.model
    def _distrib_projections_from_rows(
        self, rows, product_ids, warehouse_ids, roundings
    ):
        """{(product_id, warehouse_id): Projection} from the stock query's rows."""
        projections = {}
        # products and warehouses without stock or moves share a blank projection
        blanks = {}
        for product_id in product_ids:
            rounding = roundings.get(product_id)
            blank = blanks.get(rounding)
            if blank is None:
                blank = blanks[rounding] = Projection(rounding, blank=True)
            for warehouse_id in warehouse_ids:
                projections[product_id, warehouse_id] = blank
        locations = {}  # id: (warehouse, status)
        moves = {}  # id: [product, source wh, destination wh, from transit, day,
        #               quantity, reserved]
        origins = {}  # move: the moves before it
        quants = []
        for row in rows:
            kind = row[0]
            if kind == 1:
                quants.append(row)
            elif kind == 0:
                locations[row[1]] = (row[2], row[5])
            elif kind == 2:
                moves[row[1]] = [*row[2:5], *row[6:9], row[9] or 0.0]
            else:
                origins.setdefault(row[2], []).append(row[1])

        def projection_of(product_id, warehouse_id):
            projection = projections[product_id, warehouse_id]
            if projection.blank:
                projection = projections[product_id, warehouse_id] = Projection(
                    projection.rounding
                )
            return projection

        # 1. stock in the warehouses by location status, with the held lots
        for row in quants:
            product_id, held, qty, reserved = row[1], row[6], row[8], row[9]
            warehouse_id, status = locations[row[2]]
            key = (product_id, warehouse_id)
            projection = projections[key]
            if projection.blank:
                projection = projections[key] = Projection(projection.rounding)
            if status == "sellable":
                projection.on_hand += qty
                projection.reserved += reserved
                if held:
                    projection.held += max(qty - reserved, 0.0)
            elif status == "transit":
                projection.in_transit += qty
            elif status in ("quarantine", "damaged", "returns"):
                setattr(projection, status, getattr(projection, status) + qty)
        # 2. moves entering or leaving the sellable stock of a warehouse, where
        # they end: in Odoo 18 a multi-step delivery starts as a pick to the
        # packing zone whose final location is the customer
        sellable = {
            location_id: warehouse_id
            for location_id, (warehouse_id, status) in locations.items()
            if status == "sellable"
        }
        for move in moves.values():
            move[1] = sellable.get(move[1])
            move[2] = sellable.get(move[2])
        leaving = [
            move_id
            for move_id in sorted(moves)
            if moves[move_id][1] is not None and moves[move_id][1] != moves[move_id][2]
        ]
        # a chain of moves (pick, pack, ship) is one demand: the moves before the
        # last one, in the same warehouse, reserved part of it
        covered = {}  # move before: the move it leads to
        for move_id in leaving:
            source = moves[move_id][1]
            pending = list(origins.get(move_id, ()))
            while pending:
                origin = pending.pop()
                if origin in covered or origin not in moves:
                    continue
                if moves[origin][1] == source:
                    covered[origin] = move_id
                    pending.extend(origins.get(origin, ()))
        reserved_before = defaultdict(float)
        for origin, move_id in covered.items():
            reserved_before[move_id] += moves[origin][6]
        for move_id in sorted(moves):
            product_id, source, destination, from_transit, day, qty, reserved = moves[
                move_id
            ]
            if destination is not None and destination != source:
                projection = projection_of(product_id, destination)
                projection.add_move(day, True, qty)
                if from_transit:
                    projection.in_transit += qty
            if source is None or move_id in covered:
                continue
            if source != destination:
                demand = qty - reserved - reserved_before[move_id]
                projection_of(product_id, source).add_move(day, False, max(demand, 0.0))
            elif reserved:
                # a move inside the sellable stock that delivers nothing (a
                # put-away, a replenishment): what it reserves stays free
                projection_of(product_id, source).reserved -= reserved
        return projections

    @api.model
    def _distrib_stock_query(self, product_ids, warehouse_ids):
        """The stock and the pending moves of the products in the warehouses.

        One query of plain rows that ``_distrib_projections_from_rows`` adds up,
        ``(kind, a, b, c, d, status, flag, day, quantity, other)``:

        - ``0`` the locations of the warehouses: ``a`` id, ``b`` warehouse,
          ``status`` their stock status;
        - ``1`` their quants: ``a`` product, ``b`` location, ``flag`` lot on
          hold, ``quantity``, ``other`` reserved;
        - ``2`` the pending moves that enter or leave them: ``a`` id, ``b``
          product, ``c`` source, ``d`` final destination, ``flag`` from a
          transit location, ``day``, ``quantity`` and ``other`` reserved, in the
          product's unit;
        - ``3`` the links between these moves: ``a`` the move before ``b``.

        Locations know their warehouse (``stock.location.warehouse_id``, stored
        by Odoo from the parent path of the warehouse's view location).
        """
        return SQL(
            """
            WITH loc AS (
                SELECT id, warehouse_id, distrib_stock_status, usage
                  FROM stock_location
                 WHERE warehouse_id = ANY(%(warehouses)s::integer[])
            ),
            mv AS (
                SELECT id, product_id, location_id,
                       COALESCE(location_final_id, location_dest_id) AS final_id,
                       date, COALESCE(product_qty, 0) AS product_qty,
                       %(reserved)s AS reserved
                  FROM stock_move
                 WHERE product_id = ANY(%(products)s::integer[])
                   AND state IN %(states)s
                   AND (location_id IN (SELECT id FROM loc)
                        OR location_dest_id IN (SELECT id FROM loc))
            )
            SELECT 0, id, warehouse_id, NULL::integer, NULL::integer,
                   distrib_stock_status::varchar, NULL::boolean, NULL::date,
                   NULL::float8, NULL::float8
              FROM loc
             UNION ALL
            SELECT 1, q.product_id, q.location_id, NULL, NULL, NULL,
                   q.lot_id IS NOT NULL AND (
                       SELECT distrib_hold FROM stock_lot WHERE id = q.lot_id),
                   NULL, COALESCE(q.quantity, 0)::float8,
                   COALESCE(q.reserved_quantity, 0)::float8
              FROM stock_quant q
             WHERE q.product_id = ANY(%(products)s::integer[])
               AND q.location_id = ANY(ARRAY(
                   SELECT id FROM loc WHERE usage IN ('internal', 'transit')))
             UNION ALL
            SELECT 2, mv.id, mv.product_id, mv.location_id, mv.final_id,
                   NULL, COALESCE(src.usage = 'transit', FALSE), mv.date::date,
                   mv.product_qty::float8, mv.reserved::float8
              FROM mv
              JOIN stock_location src ON src.id = mv.location_id
             UNION ALL
            SELECT 3, rel.move_orig_id, rel.move_dest_id, NULL, NULL, NULL, NULL,
                   NULL, NULL, NULL
              FROM stock_move_move_rel rel
             WHERE rel.move_dest_id = ANY(ARRAY(SELECT id FROM mv))
               AND rel.move_orig_id = ANY(ARRAY(SELECT id FROM mv))
            """,
            warehouses=_int_array(warehouse_ids),
            products=_int_array(product_ids),
            states=PENDING_MOVE_STATES,
            reserved=move_reserved_sql("stock_move"),
        )
