import logging

from psycopg2.errors import SerializationFailure

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class DistribAtpLock(models.Model):
    """One row per product and warehouse that confirmations promise from.

    Confirming an order bumps the row of each (product, warehouse) it promises from,
    after taking the matching advisory lock. Odoo's transactions run in REPEATABLE
    READ: a transaction that waited for the lock still reads the stock as it was when
    it started, without the promises committed meanwhile. Updating a row that such a
    promise updated after our snapshot raises a serialization failure, so Odoo
    replays the call with a fresh snapshot instead of promising the same units twice.
    """

    _name = "distrib.atp.lock"
    _description = "Available to Promise Lock"
    _log_access = False

    product_id = fields.Many2one(
        "product.product", required=True, ondelete="cascade", index=True
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse", required=True, ondelete="cascade", index=True
    )
    version = fields.Integer(default=0)

    _sql_constraints = [
        (
            "product_warehouse_uniq",
            "unique(product_id, warehouse_id)",
            "One lock row per product and warehouse.",
        ),
    ]

    @api.model
    def _distrib_lock(self, pairs):
        """Lock (product_id, warehouse_id) pairs, in a fixed order (no deadlock).

        Call it before reading the stock that a promise is checked against, and
        read that stock with fresh SQL afterwards (invalidate the cache).
        """
        pairs = sorted(set(pairs), key=lambda pair: (pair[1], pair[0]))
        if not pairs:
            return
        self.env.flush_all()
        cr = self.env.cr
        # one statement takes the locks one after the other, in the array's
        # order (the sorted subquery feeds the aggregate row by row)
        cr.execute(
            SQL(
                """
                SELECT count(pg_advisory_xact_lock(hashtext(pair.key), pair.product))
                  FROM (SELECT key, product
                          FROM unnest(%s::text[], %s::int[])
                               WITH ORDINALITY AS pair(key, product, position)
                      ORDER BY position) AS pair
                """,
                [f"distrib_atp:{warehouse_id}" for _product, warehouse_id in pairs],
                [product_id for product_id, _warehouse in pairs],
            )
        )
        values = SQL(", ").join(
            SQL("(%s, %s, 1)", product_id, warehouse_id)
            for product_id, warehouse_id in pairs
        )
        query = SQL(
            """
            INSERT INTO distrib_atp_lock (product_id, warehouse_id, version)
            VALUES %s
            ON CONFLICT (product_id, warehouse_id)
            DO UPDATE SET version = distrib_atp_lock.version + 1
            """,
            values,
        )
        try:
            # the expected failure of a stale snapshot (see the class) is
            # replayed by Odoo: it is not a "bad query", so real errors stand out
            cr.execute(query, log_exceptions=False)
        except SerializationFailure:
            raise
        except Exception as error:
            _logger.error("bad query: %s\nERROR: %s", query.code, error)
            raise
        self.env.invalidate_all()
