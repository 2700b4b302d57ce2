"""No overselling: parallel confirmations on separate cursors and connections.

The data is committed (a transaction case would share one connection, so nothing
in it would run concurrently) and removed afterwards, even when the test fails.
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

STOCK = 10
ORDERS = 8
QTY = 3  # 8 x 3 = 24 units asked for 10 free
MAX_TRIES = 20


@tagged("post_install", "-at_install")
class TestAtpConcurrency(BaseCase):
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
                "distrib_atp_promise": company.distrib_atp_promise,
                "distrib_atp_policy": company.distrib_atp_policy,
                "distrib_atp_commitment_date": company.distrib_atp_commitment_date,
            }
            warehouse = env["stock.warehouse"].search(
                [("company_id", "=", company.id)], limit=1
            )
            product = env["product.product"].create(
                {"name": "ATP race product", "is_storable": True, "list_price": 5}
            )
            self.ids["product"] = product.id
            partner = env["res.partner"].create({"name": "ATP race customer"})
            self.ids["partner"] = partner.id
            env["stock.quant"]._update_available_quantity(
                product, warehouse.lot_stock_id, STOCK
            )
            orders = env["sale.order"].create(
                [
                    {
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "warehouse_id": warehouse.id,
                        "order_line": [
                            (0, 0, {"product_id": product.id, "product_uom_qty": QTY})
                        ],
                    }
                    for _index in range(ORDERS)
                ]
            )
            self.ids["orders"] = orders.ids

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            if "company" in self.ids and "settings" in self.ids:
                env["res.company"].browse(self.ids["company"]).write(
                    self.ids["settings"]
                )
            product = env["product.product"].browse(self.ids.get("product")).exists()
            orders = env["sale.order"].search(
                [("partner_id", "=", self.ids.get("partner"))]
            )
            if orders:
                orders.picking_ids.filtered(
                    lambda p: p.state != "cancel"
                ).action_cancel()
                orders.with_context(disable_cancel_warning=True).action_cancel()
                orders.picking_ids.move_ids.unlink()
                orders.picking_ids.unlink()
                orders.unlink()
            if product:
                moves = env["stock.move"].search([("product_id", "=", product.id)])
                moves._action_cancel()
                moves.unlink()
                env["stock.quant"].search([("product_id", "=", product.id)]).unlink()
                product.product_tmpl_id.unlink()
            env["res.partner"].browse(self.ids.get("partner")).exists().unlink()

    def _set_policy(self, policy):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["res.company"].browse(self.ids["company"]).write(
                {
                    "distrib_atp_promise": True,
                    "distrib_atp_policy": policy,
                    "distrib_atp_commitment_date": False,
                }
            )

    def _confirm_in_parallel(self):
        barrier = threading.Barrier(ORDERS)
        outcomes = {}

        def confirm(order_id):
            barrier.wait()
            for _try in range(MAX_TRIES):
                try:
                    with self.registry.cursor() as cr:
                        env = api.Environment(cr, SUPERUSER_ID, {})
                        env["sale.order"].browse(order_id).action_confirm()
                    outcomes[order_id] = "confirmed"
                    return
                except UserError as error:
                    outcomes[order_id] = str(error)
                    return
                except OperationalError:
                    # serialization failure: Odoo replays the request; so do we
                    time.sleep(random.uniform(0.01, 0.1))
            outcomes[order_id] = "gave up"

        threads = [
            threading.Thread(target=confirm, args=(order_id,))
            for order_id in self.ids["orders"]
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        return outcomes

    def _promised(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            lines = env["sale.order.line"].search(
                [("order_id", "in", self.ids["orders"]), ("state", "=", "sale")]
            )
            return (
                sum(lines.mapped("distrib_promised_qty")),
                sum(lines.mapped("distrib_backorder_qty")),
                len(lines),
            )

    def test_block_refuses_the_losers(self):
        self._set_policy("block")
        # the expected lock retries are not logged as bad queries
        with self.assertNoLogs("odoo.sql_db", "ERROR"):
            outcomes = self._confirm_in_parallel()
        confirmed = [oid for oid, outcome in outcomes.items() if outcome == "confirmed"]
        refused = [oid for oid, outcome in outcomes.items() if oid not in confirmed]
        promised, backordered, count = self._promised()
        self.assertLessEqual(promised, STOCK)
        self.assertEqual(len(confirmed), STOCK // QTY, outcomes)
        self.assertEqual((promised, backordered, count), (9, 0, 3))
        for order_id in refused:
            self.assertIn("cannot be promised", outcomes[order_id])
            self.assertIn("1.0 promisable", outcomes[order_id])

    def test_allow_backorders_the_losers(self):
        self._set_policy("allow")
        with self.assertNoLogs("odoo.sql_db", "ERROR"):
            outcomes = self._confirm_in_parallel()
        self.assertEqual(set(outcomes.values()), {"confirmed"}, outcomes)
        promised, backordered, count = self._promised()
        self.assertEqual(count, ORDERS)
        self.assertLessEqual(promised, STOCK)
        self.assertEqual(promised, STOCK)
        self.assertEqual(backordered, ORDERS * QTY - STOCK)

    def test_plain_race_leaves_the_engine_working(self):
        """Odoo's own confirmations race (promise off); the engine still answers.

        Odoo's reservation code may leave a quant with a NULL quantity after such
        a race: the engine, the order lines' indicator and a promise-mode
        confirmation read it as 0.
        """
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["res.company"].browse(self.ids["company"]).distrib_atp_promise = False
        outcomes = self._confirm_in_parallel()
        self.assertEqual(set(outcomes.values()), {"confirmed"}, outcomes)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            product = env["product.product"].browse(self.ids["product"])
            order = env["sale.order"].browse(self.ids["orders"][0])
            warehouse = order.warehouse_id
            # what a lost race in Odoo's reservation code leaves behind
            quant = env["stock.quant"].search(
                [
                    ("product_id", "=", product.id),
                    ("location_id", "=", warehouse.lot_stock_id.id),
                ],
                limit=1,
            )
            self.addCleanup(self._restore_quant, quant.id, quant.quantity)
            env.flush_all()
            cr.execute(
                "UPDATE stock_quant SET quantity = NULL WHERE id = %s", [quant.id]
            )
            env.invalidate_all()
            row = env["distrib.atp"].get_availability([product.id], [warehouse.id])[0]
            self.assertEqual(row["on_hand"], 0)
            self.assertGreater(row["reserved"], 0)
            self.assertEqual(row["free"], -row["reserved"])
            late = env["sale.order"].create(
                {
                    "partner_id": self.ids["partner"],
                    "warehouse_id": warehouse.id,
                    "order_line": [
                        (0, 0, {"product_id": product.id, "product_uom_qty": 1})
                    ],
                }
            )
            self.assertEqual(late.order_line.distrib_atp_state, "short")
            order.company_id.write(
                {"distrib_atp_promise": True, "distrib_atp_policy": "allow"}
            )
            late.action_confirm()
            self.assertEqual(late.order_line.distrib_backorder_qty, 1)

    def _restore_quant(self, quant_id, quantity):
        with self.registry.cursor() as cr:
            cr.execute(
                "UPDATE stock_quant SET quantity = %s WHERE id = %s",
                [quantity, quant_id],
            )
