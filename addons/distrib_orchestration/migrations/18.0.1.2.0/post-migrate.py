"""Seal the order events recorded before the hash chain existed.

Each event keeps its order's id and name (the trail now outlives a deleted
order), then every company's events are chained in the order they were recorded.
"""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            """
            UPDATE distrib_order_event AS event
               SET order_ref_id = sale.id,
                   order_name = sale.name
              FROM sale_order AS sale
             WHERE sale.id = event.order_id
               AND event.order_ref_id IS NULL
            """
        )
    )
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["distrib.order.event"]._distrib_rebuild_chains()
