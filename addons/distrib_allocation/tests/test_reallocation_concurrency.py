"""Two planners re-allocate the same reserved units at once, on separate cursors.

The data is committed (a transaction case shares one connection: nothing in it
runs concurrently) and removed afterwards, even when the test fails.
"""

import random
import threading
import time

from psycopg2 import OperationalError

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tests import tagged
from odoo.tests.common import BaseCase, get_db_name

STOCK = 5
MAX_TRIES = 20


@tagged("post_install", "-at_install")
class TestReallocationConcurrency(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())

    def setUp(self):
        super().setUp()
        self.ids = {}
        self.addCleanup(self._cleanup)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            company = env.ref("base.main_company")
            self.ids["company"] = company.id
            self.ids["settings"] = {
                "distrib_allocation_enabled": company.distrib_allocation_enabled,
                "distrib_atp_promise": company.distrib_atp_promise,
            }
            company.write(
                {"distrib_allocation_enabled": True, "distrib_atp_promise": False}
            )
            warehouse = env["stock.warehouse"].search(
                [("company_id", "=", company.id)], limit=1
            )
            product = env["product.product"].create(
                {"name": "Re-allocation race product", "is_storable": True}
            )
            self.ids["product"] = product.id
            partners = env["res.partner"].create(
                [
                    {
                        "name": "Race standard",
                        "distrib_allocation_priority": "standard",
                    },
                    {
                        "name": "Race strategic",
                        "distrib_allocation_priority": "strategic",
                    },
                ]
            )
            self.ids["partners"] = partners.ids
            env["stock.quant"]._update_available_quantity(
                product, warehouse.lot_stock_id, STOCK
            )

            def order(partner):
                sale = env["sale.order"].create(
                    {
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "warehouse_id": warehouse.id,
                        "order_line": [
                            (0, 0, {"product_id": product.id, "product_uom_qty": STOCK})
                        ],
                    }
                )
                sale.action_confirm()
                return sale

            donor = order(partners[0])
            targets = order(partners[1]) | order(partners[1])
            self.ids["donor"] = donor.id
            self.ids["targets"] = targets.ids
            reallocations = env["distrib.reallocation"].create(
                [
                    {
                        "order_id": target.id,
                        "product_id": product.id,
                        "quantity": STOCK,
                    }
                    for target in targets
                ]
            )
            for reallocation in reallocations:
                reallocation.action_compute()
            self.ids["reallocations"] = reallocations.ids

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            if "settings" in self.ids:
                env["res.company"].browse(self.ids["company"]).write(
                    self.ids["settings"]
                )
            orders = env["sale.order"].search(
                [("partner_id", "in", self.ids.get("partners", []))]
            )
            # the audit records refuse deletion: the test removes its own in SQL
            if orders:
                cr.execute(
                    "DELETE FROM distrib_allocation_log WHERE order_id = ANY(%s)",
                    [orders.ids],
                )
                cr.execute(
                    "DELETE FROM distrib_reallocation WHERE order_id = ANY(%s)",
                    [orders.ids],
                )
                orders.picking_ids.filtered(
                    lambda p: p.state != "cancel"
                ).action_cancel()
                orders.with_context(disable_cancel_warning=True).action_cancel()
                orders.picking_ids.move_ids.unlink()
                orders.picking_ids.unlink()
                orders.unlink()
            product = env["product.product"].browse(self.ids.get("product")).exists()
            if product:
                moves = env["stock.move"].search([("product_id", "=", product.id)])
                moves._action_cancel()
                moves.unlink()
                env["stock.quant"].search([("product_id", "=", product.id)]).unlink()
                env["distrib.atp.lock"].search(
                    [("product_id", "=", product.id)]
                ).unlink()
                product.product_tmpl_id.unlink()
            env["res.partner"].browse(self.ids.get("partners", [])).exists().unlink()

    def _apply_in_parallel(self):
        ids = self.ids["reallocations"]
        barrier = threading.Barrier(len(ids))
        outcomes = {}

        def apply(reallocation_id):
            barrier.wait()
            for _try in range(MAX_TRIES):
                try:
                    with self.registry.cursor() as cr:
                        env = api.Environment(cr, SUPERUSER_ID, {})
                        env["distrib.reallocation"].browse(
                            reallocation_id
                        ).action_apply()
                    outcomes[reallocation_id] = "done"
                    return
                except UserError as error:
                    outcomes[reallocation_id] = str(error)
                    return
                except OperationalError:
                    # serialization failure: Odoo replays the request; so do we
                    time.sleep(random.uniform(0.01, 0.1))
            outcomes[reallocation_id] = "gave up"

        threads = [threading.Thread(target=apply, args=(rid,)) for rid in ids]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        return outcomes

    def test_same_units_never_given_twice(self):
        with self.assertNoLogs("odoo.sql_db", "ERROR"):
            outcomes = self._apply_in_parallel()
        done = [rid for rid, outcome in outcomes.items() if outcome == "done"]
        self.assertEqual(len(done), 1, outcomes)
        refused = [outcome for outcome in outcomes.values() if outcome != "done"]
        self.assertIn("stock moved", refused[0])
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            moves = env["stock.move"].search([("product_id", "=", self.ids["product"])])
            reserved = {
                order_id: sum(
                    moves.filtered(
                        lambda m, oid=order_id: m.sale_line_id.order_id.id == oid
                    ).mapped("quantity")
                )
                for order_id in [self.ids["donor"], *self.ids["targets"]]
            }
            self.assertEqual(sum(reserved.values()), STOCK, reserved)
            self.assertEqual(reserved[self.ids["donor"]], 0)
            states = (
                env["distrib.reallocation"]
                .browse(self.ids["reallocations"])
                .mapped("state")
            )
            self.assertEqual(sorted(states), ["done", "draft"])
