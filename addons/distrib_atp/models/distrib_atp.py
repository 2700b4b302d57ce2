import datetime
import math

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..projection import Projection

# move states that still change the stock of a warehouse
PENDING_MOVE_STATES = ("confirmed", "waiting", "partially_available", "assigned")
RESULT_KEYS = (
    "product_id",
    "warehouse_id",
    "company_id",
    "on_hand",
    "reserved",
    "free",
    "quarantine",
    "damaged",
    "returns",
    "in_transit",
    "incoming",
    "outgoing",
    "atp",
    "next_available_date",
)


class DistribAtp(models.AbstractModel):
    """Available-to-promise engine, public over XML-RPC and JSON-RPC.

    Every product and warehouse is computed in a fixed number of SQL queries (five,
    whatever the number of products and warehouses): see ``_distrib_projections``.
    """

    _name = "distrib.atp"
    _description = "Available to Promise Engine"

    # ------------------------------------------------------------------
    # public API
    # ------------------------------------------------------------------
    @api.model
    def get_availability(
        self, product_ids, warehouse_ids=None, date=None, quantity=None
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
        visible = self._distrib_visible_companies()
        products = self._distrib_check_products(product_ids, visible)
        warehouses = self._distrib_check_warehouses(warehouse_ids, visible)
        day = self._distrib_check_date(date)
        quantities = self._distrib_check_quantities(list(products), quantity)
        projections = self._distrib_projections(
            list(products), list(warehouses), roundings=products
        )
        own_companies = set(self.env.companies.ids)
        today = fields.Date.context_today(self)
        dates = {}
        result = []
        for product_id in products:
            for warehouse_id, company_id in warehouses.items():
                values = self._distrib_projection_values(
                    projections[product_id, warehouse_id],
                    day,
                    quantities[product_id],
                    today,
                    dates,
                )
                values.update(
                    product_id=product_id,
                    warehouse_id=warehouse_id,
                    company_id=company_id,
                    shared=company_id not in own_companies,
                )
                result.append(values)
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
    def _distrib_visible_warehouses(self):
        """The active warehouses of the visible companies (sudo recordset)."""
        visible = self._distrib_visible_companies()
        ids = self._distrib_check_warehouses(None, visible)
        return self.env["stock.warehouse"].sudo().browse(list(ids))

    @api.model
    def _distrib_as_ids(self, values, what):
        if values is None or values is False:
            return []
        if isinstance(values, int) and not isinstance(values, bool):
            values = [values]
        if not isinstance(values, list | tuple):
            raise UserError(
                self.env._(
                    "%(what)s must be a list of ids, not %(value)r.",
                    what=what,
                    value=values,
                )
            )
        bad = [value for value in values if not isinstance(value, int) or value <= 0]
        if bad:
            raise UserError(
                self.env._(
                    "%(what)s must be ids (positive integers), not %(values)s.",
                    what=what,
                    values=", ".join(repr(value) for value in bad),
                )
            )
        return list(dict.fromkeys(values))

    @api.model
    def _distrib_check_products(self, product_ids, visible):
        """{product_id: rounding of its UoM}, in the given order, or UserError."""
        ids = self._distrib_as_ids(product_ids, self.env._("Product ids"))
        if not ids:
            raise UserError(self.env._("Give at least one product id."))
        self.env["product.product"].flush_model(["product_tmpl_id"])
        self.env["product.template"].flush_model(["company_id", "uom_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id, t.company_id, u.rounding
                  FROM product_product p
                  JOIN product_template t ON t.id = p.product_tmpl_id
                  JOIN uom_uom u ON u.id = t.uom_id
                 WHERE p.id = ANY(%s)
                """,
                ids,
            )
        )
        rows = {
            pid: (company_id, rounding)
            for pid, company_id, rounding in (self.env.cr.fetchall())
        }
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
    def _distrib_check_warehouses(self, warehouse_ids, visible):
        """{warehouse_id: company_id}, in the given (or the usual) order."""
        self.env["stock.warehouse"].flush_model(["company_id", "active", "sequence"])
        cr = self.env.cr
        if warehouse_ids in (None, False, []):
            cr.execute(
                SQL(
                    """
                    SELECT id, company_id FROM stock_warehouse
                     WHERE active AND company_id = ANY(%s)
                     ORDER BY sequence, id
                    """,
                    sorted(visible),
                )
            )
            return dict(cr.fetchall())
        ids = self._distrib_as_ids(warehouse_ids, self.env._("Warehouse ids"))
        cr.execute(
            SQL("SELECT id, company_id FROM stock_warehouse WHERE id = ANY(%s)", ids)
        )
        companies = dict(cr.fetchall())
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
        if not date:
            return fields.Date.context_today(self)
        if isinstance(date, datetime.datetime):
            return date.date()
        if isinstance(date, datetime.date):
            return date
        parsed = None
        if isinstance(date, str):
            try:
                parsed = datetime.date.fromisoformat(date.strip()[:10])
            except ValueError:
                parsed = None
        if parsed:
            return parsed
        raise UserError(
            self.env._(
                "%(value)r is not a valid date: use the format YYYY-MM-DD.",
                value=date,
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
                    product_id = int(key)
                except (TypeError, ValueError):
                    product_id = None
                if product_id not in result:
                    raise UserError(
                        self.env._(
                            "The quantity is given for product %(key)r, which is not "
                            "one of the requested products.",
                            key=key,
                        )
                    )
                given[product_id] = value
        else:
            given = dict.fromkeys(product_ids, quantity)
        for product_id, value in given.items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise UserError(
                    self.env._(
                        "The quantity for product %(product)s must be a number, "
                        "not %(value)r.",
                        product=product_id,
                        value=value,
                    )
                )
            if value <= 0:
                raise UserError(
                    self.env._(
                        "The quantity for product %(product)s must be positive, "
                        "not %(value)s.",
                        product=product_id,
                        value=value,
                    )
                )
            result[product_id] = float(value)
        return result

    # ------------------------------------------------------------------
    # computation
    # ------------------------------------------------------------------
    @api.model
    def _distrib_projection_values(self, projection, day, quantity, today, dates=None):
        """The figures of one projection for ``day``, as a plain dict."""
        dates = {} if dates is None else dates
        incoming, outgoing, atp, promisable, next_date = projection.figures(
            day, today, quantity
        )
        # round half up to the UoM's decimals (round(x, n) is much slower)
        factor = 10.0**projection.decimals
        floor = math.floor
        on_hand, reserved, held = (
            projection.on_hand,
            projection.reserved,
            projection.held,
        )
        if next_date and next_date not in dates:
            dates[next_date] = fields.Date.to_string(next_date)
        if day not in dates:
            dates[day] = fields.Date.to_string(day)
        return {
            "on_hand": floor(on_hand * factor + 0.5) / factor,
            "reserved": floor(reserved * factor + 0.5) / factor,
            "held": floor(held * factor + 0.5) / factor,
            "free": floor((on_hand - reserved - held) * factor + 0.5) / factor,
            "quarantine": floor(projection.quarantine * factor + 0.5) / factor,
            "damaged": floor(projection.damaged * factor + 0.5) / factor,
            "returns": floor(projection.returns * factor + 0.5) / factor,
            "in_transit": floor(projection.in_transit * factor + 0.5) / factor,
            "incoming": floor(incoming * factor + 0.5) / factor,
            "outgoing": floor(outgoing * factor + 0.5) / factor,
            "atp": floor(atp * factor + 0.5) / factor,
            "promisable": floor(promisable * factor + 0.5) / factor,
            "quantity": quantity,
            "date": dates[day],
            "next_available_date": dates[next_date] if next_date else False,
        }

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
        """{(product_id, warehouse_id): Projection} in three SQL queries.

        No access check: callers check the companies first.
        """
        cr = self.env.cr
        projections = {}
        if not product_ids or not warehouse_ids:
            return projections
        for model in self._distrib_flushed_models():
            self.env[model].flush_model()
        if roundings is None:
            cr.execute(
                SQL(
                    """
                    SELECT p.id, u.rounding
                      FROM product_product p
                      JOIN product_template t ON t.id = p.product_tmpl_id
                      JOIN uom_uom u ON u.id = t.uom_id
                     WHERE p.id = ANY(%s)
                    """,
                    list(product_ids),
                )
            )
            roundings = dict(cr.fetchall())
        for product_id in product_ids:
            for warehouse_id in warehouse_ids:
                projections[product_id, warehouse_id] = Projection(
                    roundings.get(product_id)
                )
        warehouse_ids = list(warehouse_ids)
        product_ids = list(product_ids)
        # locations know their warehouse (stock.location.warehouse_id, stored by
        # Odoo from the parent_path of the warehouse's view location)
        # 1. stock in the warehouses, by location status, with the held lots
        cr.execute(
            SQL(
                """
                SELECT q.product_id, l.warehouse_id, l.distrib_stock_status,
                       SUM(q.quantity), SUM(q.reserved_quantity),
                       COALESCE(SUM(q.quantity - q.reserved_quantity)
                                FILTER (WHERE lot.distrib_hold), 0)
                  FROM stock_quant q
                  JOIN stock_location l ON l.id = q.location_id
                  LEFT JOIN stock_lot lot ON lot.id = q.lot_id
                 WHERE q.product_id = ANY(%s)
                   AND l.warehouse_id = ANY(%s)
                   AND l.usage IN ('internal', 'transit')
                 GROUP BY q.product_id, l.warehouse_id, l.distrib_stock_status
                """,
                product_ids,
                warehouse_ids,
            )
        )
        for product_id, warehouse_id, status, qty, reserved, held in cr.fetchall():
            projection = projections[product_id, warehouse_id]
            if status == "sellable":
                projection.on_hand += qty
                projection.reserved += reserved
                projection.held += max(held, 0.0)
            elif status == "transit":
                projection.in_transit += qty
            elif status in ("quarantine", "damaged", "returns"):
                setattr(projection, status, getattr(projection, status) + qty)
        # 2. confirmed moves entering or leaving the sellable stock of a warehouse,
        # by day; the reserved part of a leaving move is already out of "free"
        cr.execute(
            SQL(
                """
                WITH mv AS (
                    SELECT m.id, m.product_id, m.product_qty, m.date::date AS day,
                           CASE WHEN src.distrib_stock_status = 'sellable'
                                THEN src.warehouse_id END AS src_wh,
                           CASE WHEN dst.distrib_stock_status = 'sellable'
                                THEN dst.warehouse_id END AS dst_wh,
                           src.usage = 'transit' AS from_transit
                      FROM stock_move m
                      JOIN stock_location src ON src.id = m.location_id
                      JOIN stock_location dst ON dst.id = m.location_dest_id
                     WHERE m.product_id = ANY(%s) AND m.state IN %s
                       AND (src.warehouse_id = ANY(%s) OR dst.warehouse_id = ANY(%s))
                ),
                ml AS (
                    SELECT move_id, SUM(quantity_product_uom) AS reserved
                      FROM stock_move_line
                     WHERE move_id IN (SELECT id FROM mv)
                     GROUP BY move_id
                )
                SELECT product_id, dst_wh, TRUE, day, SUM(product_qty), 0.0,
                       COALESCE(SUM(product_qty) FILTER (WHERE from_transit), 0)
                  FROM mv
                 WHERE dst_wh = ANY(%s) AND dst_wh IS DISTINCT FROM src_wh
                 GROUP BY product_id, dst_wh, day
                 UNION ALL
                SELECT product_id, src_wh, FALSE, day, SUM(product_qty),
                       SUM(COALESCE(ml.reserved, 0)), 0.0
                  FROM mv
                  LEFT JOIN ml ON ml.move_id = mv.id
                 WHERE src_wh = ANY(%s) AND src_wh IS DISTINCT FROM dst_wh
                 GROUP BY product_id, src_wh, day
                """,
                product_ids,
                PENDING_MOVE_STATES,
                warehouse_ids,
                warehouse_ids,
                warehouse_ids,
                warehouse_ids,
            )
        )
        for (
            product_id,
            warehouse_id,
            incoming,
            day,
            qty,
            reserved,
            transit,
        ) in cr.fetchall():
            projection = projections[product_id, warehouse_id]
            if incoming:
                projection.add_move(day, True, qty)
                projection.in_transit += transit
            else:
                projection.add_move(day, False, max(qty - reserved, 0.0))
        return projections
