import json
import xmlrpc.client

from freezegun import freeze_time

from odoo import Command, sql_db
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import NOW, DistribAtpCommon, day


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestAtpEngine(DistribAtpCommon):
    def test_figures_by_status_and_date(self):
        wh = self.wh1
        self._stock(self.product, wh.lot_stock_id, 10)
        self._stock(self.product, wh.distrib_quarantine_location_id, 3)
        self._stock(self.product, wh.distrib_damaged_location_id, 2)
        self._stock(self.product, wh.distrib_returns_location_id, 1)
        # 4 reserved for a delivery today, 3 more demanded in 2 days (unreserved
        # once the 6 free are gone? no: reserved as far as the stock allows)
        self._move(self.product, wh.lot_stock_id, self.customer_loc, 4, day(0), True)
        self._move(self.product, wh.lot_stock_id, self.customer_loc, 9, day(2))
        self._move(self.product, self.supplier_loc, wh.lot_stock_id, 5, day(5))
        rows = self.Atp.get_availability([self.product.id], [wh.id])
        row = self._row(rows, self.product, wh)
        self.assertEqual(
            {key: row[key] for key in ("on_hand", "reserved", "free")},
            {"on_hand": 10, "reserved": 4, "free": 6},
        )
        self.assertEqual((row["quarantine"], row["damaged"], row["returns"]), (3, 2, 1))
        self.assertEqual(row["company_id"], self.company.id)
        # today: nothing due yet
        self.assertEqual((row["incoming"], row["outgoing"], row["atp"]), (0, 0, 6))
        # the 9 due in 2 days make it short until the receipt
        self.assertEqual(row["promisable"], -3)
        in_3_days = self.Atp.get_availability(
            [self.product.id], [wh.id], date=self._date(3)
        )[0]
        self.assertEqual((in_3_days["outgoing"], in_3_days["atp"]), (9, -3))
        in_6_days = self.Atp.get_availability(
            [self.product.id], [wh.id], date=self._date(6)
        )[0]
        self.assertEqual((in_6_days["incoming"], in_6_days["atp"]), (5, 2))
        # next_available_date answers for the requested quantity
        one = self.Atp.get_availability([self.product.id], [wh.id])[0]
        self.assertEqual(one["next_available_date"], self._date(5))
        three = self.Atp.get_availability(
            [self.product.id], [wh.id], quantity={self.product.id: 3}
        )[0]
        self.assertIs(three["next_available_date"], False)
        xmlrpc.client.dumps(([three],))  # XML-RPC cannot send None
        # an internal move from quarantine to stock releases units on its date
        self._move(
            self.product,
            wh.distrib_quarantine_location_id,
            wh.lot_stock_id,
            3,
            day(4),
        )
        three = self.Atp.get_availability([self.product.id], [wh.id], quantity=3)[0]
        self.assertEqual(three["next_available_date"], self._date(5))
        # the figures travel over JSON and XML-RPC (which has no None)
        json.dumps(rows)
        xmlrpc.client.dumps((rows,))

    def test_in_transit(self):
        transit = self.env["stock.location"].create(
            {
                "name": "ATP road",
                "usage": "transit",
                "location_id": self.env.ref("stock.stock_location_locations").id,
            }
        )
        self._move(self.product, transit, self.wh2.lot_stock_id, 7, day(1))
        row = self.Atp.get_availability(
            [self.product.id], [self.wh2.id], date=self._date(1)
        )[0]
        self.assertEqual((row["in_transit"], row["incoming"], row["atp"]), (7, 7, 7))

    def test_multi_step_delivery_counts_its_demand_once(self):
        """Pick, pack, ship: one demand, reserved by whichever step holds it."""
        wh = self.wh2
        wh.delivery_steps = "pick_pack_ship"
        self._stock(self.product, wh.lot_stock_id, 10)
        order = self._order([(self.product, 4)], warehouse=wh)
        order.action_confirm()

        def figures():
            self.env.invalidate_all()
            row = self.Atp.get_availability(
                [self.product.id], [wh.id], date=self._date(10)
            )[0]
            return {
                key: row[key]
                for key in ("on_hand", "reserved", "free", "outgoing", "atp")
            }

        def step(picking_type):
            picking = order.picking_ids.filtered(
                lambda picking: (
                    picking.picking_type_id == picking_type
                    and picking.state == "assigned"
                )
            )
            self.assertEqual(len(picking), 1, picking_type.name)
            return picking

        # the pick (stock -> packing zone, bound for the customer) reserves 4
        expected = {"on_hand": 10, "reserved": 4, "free": 6, "outgoing": 0, "atp": 6}
        self.assertEqual(figures(), expected)
        row = self.Atp.get_availability([self.product.id], [wh.id])[0]
        self.assertEqual(row["promisable"], 6)
        for picking_type in (wh.pick_type_id, wh.pack_type_id):
            picking = step(picking_type)
            picking.move_ids.picked = True
            picking.button_validate()
            # picked, then packed: the goods wait in the warehouse, reserved for
            # the next step
            self.assertEqual(figures(), expected, picking_type.name)
        ship = step(wh.out_type_id)
        ship.move_ids.picked = True
        ship.button_validate()
        self.assertEqual(
            figures(),
            {"on_hand": 6, "reserved": 0, "free": 6, "outgoing": 0, "atp": 6},
        )
        # a pick that found no stock is still a demand on the warehouse
        short = self._order([(self.product_b, 3)], warehouse=wh)
        short.action_confirm()
        self.assertEqual(short.picking_ids.picking_type_id, wh.pick_type_id)
        self.env.invalidate_all()
        row = self.Atp.get_availability([self.product_b.id], [wh.id])[0]
        self.assertEqual((row["free"], row["outgoing"], row["atp"]), (0, 3, -3))

    def test_put_away_keeps_stock_free(self):
        """A two-step receipt: goods at the input location waiting for put-away."""
        wh = self.wh2
        wh.reception_steps = "two_steps"
        purchase_type = wh.in_type_id
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": purchase_type.id,
                "location_id": self.supplier_loc.id,
                "location_dest_id": purchase_type.default_location_dest_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": self.product.name,
                            "product_id": self.product.id,
                            "product_uom_qty": 5,
                            "product_uom": self.product.uom_id.id,
                            "location_id": self.supplier_loc.id,
                            "location_dest_id": (
                                purchase_type.default_location_dest_id.id
                            ),
                        }
                    )
                ],
            }
        )
        receipt.action_confirm()
        row = self.Atp.get_availability([self.product.id], [wh.id])[0]
        self.assertEqual((row["incoming"], row["atp"]), (5, 5))
        receipt.move_ids.picked = True
        receipt.button_validate()
        storage = self.env["stock.move"].search(
            [("move_orig_ids", "in", receipt.move_ids.ids)]
        )
        self.assertEqual(storage.state, "assigned")
        self.env.invalidate_all()
        row = self.Atp.get_availability([self.product.id], [wh.id])[0]
        self.assertEqual(
            {key: row[key] for key in ("on_hand", "reserved", "free", "atp")},
            {"on_hand": 5, "reserved": 0, "free": 5, "atp": 5},
        )

    def test_held_lot_is_not_promisable(self):
        product = self._create_product("ATP Lotted", 3.0, tracking="lot")
        lot = self.env["stock.lot"].create(
            {"name": "ATP-LOT-1", "product_id": product.id}
        )
        self._stock(product, self.wh1.lot_stock_id, 5, lot=lot)
        self._stock(product, self.wh1.lot_stock_id, 2)
        self.assertEqual(
            self.Atp.get_availability([product.id], [self.wh1.id])[0]["free"], 7
        )
        with self.assertRaisesRegex(UserError, "reason"):
            lot.action_distrib_hold()
        lot.with_context(distrib_hold_reason="Quality check").action_distrib_hold()
        self.assertEqual(lot.distrib_hold_user_id, self.env.user)
        row = self.Atp.get_availability([product.id], [self.wh1.id])[0]
        self.assertEqual((row["on_hand"], row["held"], row["free"]), (7, 5, 2))
        self.assertEqual(lot.distrib_hold_reason, "Quality check")
        # a delivery does not reserve the held lot
        move = self._move(product, self.wh1.lot_stock_id, self.customer_loc, 4, day(0))
        move._action_assign()
        self.assertEqual(move.quantity, 2)
        self.assertFalse(move.move_line_ids.lot_id)
        move._do_unreserve()
        lot.action_distrib_release()
        self.assertIn("Hold released", lot.message_ids[:1].body)
        self.assertEqual(
            self.Atp.get_availability([product.id], [self.wh1.id])[0]["free"], 7
        )

    def test_null_quant_quantity_counts_as_zero(self):
        """Odoo's reservation race can leave a quant with a NULL quantity."""
        self._stock(self.product, self.wh1.lot_stock_id, 5)
        shelf = self.env["stock.location"].create(
            {"name": "ATP shelf", "location_id": self.wh1.lot_stock_id.id}
        )
        self._stock(self.product, shelf, 1)
        quant = self.env["stock.quant"].search(
            [("product_id", "=", self.product.id), ("location_id", "=", shelf.id)]
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE stock_quant SET quantity = NULL, reserved_quantity = 18 "
            "WHERE id = %s",
            [quant.id],
        )
        self.env.cr.execute(
            "UPDATE stock_move SET product_qty = NULL, quantity = NULL WHERE id = %s",
            [
                self._move(
                    self.product, self.supplier_loc, self.wh1.lot_stock_id, 4, day(1)
                ).id
            ],
        )
        self.env.invalidate_all()
        row = self.Atp.get_availability([self.product.id], [self.wh1.id])[0]
        self.assertEqual((row["on_hand"], row["reserved"]), (5, 18))
        self.assertEqual((row["free"], row["incoming"]), (-13, 0))
        # the order line's indicator and a promise-mode confirmation
        order = self._order([(self.product, 2)])
        self.assertEqual(order.order_line.distrib_atp_state, "short")
        self.company.write({"distrib_atp_promise": True, "distrib_atp_policy": "allow"})
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.order_line.distrib_backorder_qty, 2)

    def test_query_count_does_not_grow(self):
        products = self.product
        for index in range(30):
            products |= self._create_product(f"ATP bulk {index}", 1.0)
        for product in products:
            self._stock(product, self.wh1.lot_stock_id, 5)
            self._move(product, self.supplier_loc, self.wh2.lot_stock_id, 2, day(3))
        self.env.invalidate_all()

        def count(product_ids):
            self.env.invalidate_all()
            before = sql_db.sql_counter
            rows = self.Atp.get_availability(product_ids)
            return sql_db.sql_counter - before, rows

        self.Atp.get_availability(self.product.ids)  # warm the registry caches
        small, small_rows = count(self.product.ids)
        large, large_rows = count(products.ids)
        self.assertEqual(small, large)
        self.assertLessEqual(large, 10)
        warehouses = self.Warehouse.search([])
        self.assertEqual(len(large_rows), len(products) * len(warehouses))
        self.assertEqual(len(small_rows), len(warehouses))

    def test_bad_input_names_the_value(self):
        get = self.Atp.get_availability
        with self.assertRaisesRegex(UserError, "Unknown product ids: 999999999"):
            get([self.product.id, 999999999])
        with self.assertRaisesRegex(UserError, "Unknown warehouse ids: 888888"):
            get([self.product.id], [888888])
        with self.assertRaisesRegex(UserError, "'abc'"):
            get(["abc"])
        with self.assertRaisesRegex(UserError, "must be positive, not -2"):
            get([self.product.id], quantity=-2)
        with self.assertRaisesRegex(UserError, "must be positive, not 0"):
            get([self.product.id], quantity={str(self.product.id): 0})
        with self.assertRaisesRegex(UserError, "product 12345"):
            get([self.product.id], quantity={12345: 1})
        with self.assertRaisesRegex(UserError, "'2026-13-45' is not a valid date"):
            get([self.product.id], date="2026-13-45")
        with self.assertRaisesRegex(UserError, "Give at least one product"):
            get([])

    def test_companies_the_user_may_not_see(self):
        user = new_test_user(
            self.env,
            login="atp_rep",
            groups="sales_team.group_sale_salesman",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        atp = self.Atp.with_user(user)
        rows = atp.get_availability([self.product.id])
        self.assertEqual(
            {row["warehouse_id"] for row in rows}, set((self.wh1 | self.wh2).ids)
        )
        with self.assertRaisesRegex(UserError, "may not access"):
            atp.get_availability([self.product.id], [self.wh_other.id])
        # a company that shares its availability shows as figures only
        self._stock(self.product, self.wh_other.lot_stock_id, 8)
        self.other_company.distrib_share_availability = True
        rows = atp.get_availability([self.product.id])
        shared = self._row(rows, self.product, self.wh_other)
        self.assertTrue(shared["shared"])
        self.assertEqual(shared["free"], 8)
        self.assertFalse(self._row(rows, self.product, self.wh1)["shared"])
        # a product of a company the user cannot access is refused
        private = self._create_product(
            "ATP private", 1.0, company_id=self.other_company.id
        )
        self.other_company.distrib_share_availability = False
        with self.assertRaisesRegex(UserError, str(private.id)):
            atp.get_availability([private.id])
