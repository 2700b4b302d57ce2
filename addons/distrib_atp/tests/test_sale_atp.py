from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from .common import NOW, TODAY, DistribAtpCommon, day


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestSaleAtp(DistribAtpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # wh1: 5 free now, 10 more received in 4 days
        cls._stock(cls.product, cls.wh1.lot_stock_id, 5)
        cls._move(cls.product, cls.supplier_loc, cls.wh1.lot_stock_id, 10, day(4))

    def _opt_in(self, policy, commitment=True):
        self.company.write(
            {
                "distrib_atp_promise": True,
                "distrib_atp_policy": policy,
                "distrib_atp_commitment_date": commitment,
            }
        )

    def test_indicator_per_line_in_order(self):
        order = self._order([(self.product, 3), (self.product, 4), (self.product, 20)])
        first, second, third = order.order_line
        self.assertEqual(first.distrib_atp_state, "available")
        # the second line only gets what the first one leaves
        self.assertEqual(second.distrib_atp_state, "partial")
        self.assertEqual(second.distrib_atp_qty, 2)
        self.assertEqual(second.distrib_atp_date, TODAY.replace(day=14))
        self.assertEqual(third.distrib_atp_state, "short")
        self.assertFalse(third.distrib_atp_date)  # 27 needed, 15 ever come
        self.assertEqual(order.distrib_short_line_count, 2)
        # a non-storable product has no indicator
        service = self.env["product.product"].create(
            {"name": "ATP service", "type": "service"}
        )
        line = order.order_line.create(
            {"order_id": order.id, "product_id": service.id, "product_uom_qty": 1}
        )
        self.assertFalse(line.distrib_atp_state)

    def test_indicator_while_typing_the_order(self):
        with Form(self.env["sale.order"]) as form:
            form.partner_id = self.partner
            form.warehouse_id = self.wh1
            with form.order_line.new() as line:
                line.product_id = self.product
                line.product_uom_qty = 4
                self.assertEqual(line.distrib_atp_state, "available")
            with form.order_line.new() as line:
                line.product_id = self.product
                line.product_uom_qty = 4
                self.assertEqual(line.distrib_atp_state, "partial")
                self.assertEqual(line.distrib_atp_qty, 1)
            self.assertEqual(form.distrib_short_line_count, 1)

    def test_breakdown_covers_every_warehouse(self):
        self._stock(self.product, self.wh2.lot_stock_id, 7)
        data = self.env["sale.order.line"].distrib_get_availability_breakdown(
            self.product.id,
            quantity=6,
            uom_id=self.product.uom_id.id,
            warehouse_id=self.wh1.id,
        )
        rows = data["rows"]
        self.assertTrue(rows[0]["is_line_warehouse"])
        self.assertEqual(rows[0]["warehouse_id"], self.wh1.id)
        self.assertEqual(rows[0]["next_available_date"], self._date(4))
        second = self._row(rows, self.product, self.wh2)
        self.assertEqual(second["free"], 7)
        self.assertEqual(second["next_available_date"], self._date(0))
        self.assertIn(self.wh_other.id, [row["warehouse_id"] for row in rows])

    def test_no_opt_in_changes_nothing(self):
        order = self._order([(self.product, 50)])
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        line = order.order_line
        self.assertFalse(line.distrib_promised_date)
        self.assertFalse(line.distrib_backorder_qty)
        self.assertFalse(order.commitment_date)

    def test_block_lists_lines_and_options(self):
        self._opt_in("block")
        self._stock(self.product, self.wh2.lot_stock_id, 30)
        order = self._order([(self.product, 8), (self.product_b, 1)])
        self._stock(self.product_b, self.wh1.lot_stock_id, 1)
        with self.assertRaises(UserError) as error:
            order.action_confirm()
        message = str(error.exception)
        self.assertIn(order.name, message)
        self.assertIn("ATP Widget", message)
        self.assertIn("8.0 Units ordered", message)
        self.assertIn("5.0 promisable", message)
        self.assertIn(f"available on {self._date(4)}", message)
        self.assertIn("Other warehouse ATP Second WH", message)
        self.assertNotIn("ATP Gadget", message)
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.order_line.mapped("distrib_promised_date")[0])
        # within the stock it confirms, and the promise is recorded
        order.order_line[0].product_uom_qty = 5
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        line = order.order_line[0]
        self.assertEqual(
            (line.distrib_promised_qty, line.distrib_backorder_qty), (5, 0)
        )
        self.assertEqual(line.distrib_source_kind, "stock")

    def test_warn_backorders_and_tells_the_rep(self):
        self._opt_in("warn")
        order = self._order([(self.product, 8)])
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        line = order.order_line
        self.assertEqual(
            (line.distrib_promised_qty, line.distrib_backorder_qty), (5, 3)
        )
        self.assertEqual(line.distrib_promised_date, TODAY.replace(day=14))
        self.assertEqual(order.commitment_date.date(), TODAY.replace(day=14))
        self.assertIn("backorders", order.message_ids[0].body)
        self.assertEqual(len(order.activity_ids), 1)
        # a second order sees the first one's promise: nothing is free today,
        # and of the 10 received on the 14th, 3 are already promised
        second = self._order([(self.product, 10)])
        self.assertEqual(second.order_line.distrib_atp_state, "short")
        self.assertFalse(second.order_line.distrib_atp_date)
        second.commitment_date = day(4)
        self.assertEqual(second.order_line.distrib_atp_state, "partial")
        self.assertEqual(second.order_line.distrib_atp_qty, 7)
        second.action_confirm()
        self.assertEqual(second.order_line.distrib_promised_qty, 7)
        self.assertEqual(second.order_line.distrib_backorder_qty, 3)
        self.assertFalse(second.order_line.distrib_promised_date)

    def test_allow_promises_without_activity(self):
        self._opt_in("allow", commitment=False)
        order = self._order([(self.product, 8)])
        order.action_confirm()
        self.assertEqual(order.order_line.distrib_backorder_qty, 3)
        self.assertFalse(order.activity_ids)
        self.assertFalse(order.commitment_date)

    def _options(self, order):
        order.action_distrib_sourcing_options()
        return order.distrib_sourcing_option_ids

    def test_sourcing_options_ranked_and_applied(self):
        self._stock(self.product, self.wh2.lot_stock_id, 30)
        substitute = self._create_product("ATP Widget Plus", 12.0)
        self._stock(substitute, self.wh1.lot_stock_id, 40)
        segment = self.env["distrib.customer.segment"].create(
            {"name": "ATP Retail", "code": "ATPR"}
        )
        self.product.product_tmpl_id.distrib_substitute_ids = [
            fields.Command.create(
                {
                    "substitute_product_id": substitute.id,
                    "customer_accept_required": True,
                }
            ),
            fields.Command.create(
                {
                    "substitute_product_id": self.product_b.id,
                    "segment_ids": [fields.Command.set(segment.ids)],
                }
            ),
        ]
        self._stock(self.product_b, self.wh1.lot_stock_id, 40)
        order = self._order([(self.product, 8)])
        options = self._options(order)
        kinds = options.sorted("rank").mapped("kind")
        # earliest full promise first: substitute today, transfer in 2 days,
        # split (rest on the 14th); the other company's option (distrib_
        # intercompany) is tested there
        self.assertEqual(kinds, ["substitute", "warehouse", "split"])
        self.assertEqual(options.mapped("rank"), [1, 2, 3])
        by_kind = {option.kind: option for option in options}
        # the segment-restricted substitute is not offered to this customer
        self.assertEqual(by_kind["substitute"].product_id, substitute)
        self.assertEqual(by_kind["substitute"].margin_impact, 8 * (10.0 - 12.0))
        self.assertTrue(by_kind["substitute"].customer_accept_required)
        self.assertEqual(by_kind["warehouse"].lead_days, 2)
        self.assertAlmostEqual(by_kind["warehouse"].margin_impact, -8 * 10.0 * 0.02)
        self.assertEqual(by_kind["split"].quantity, 5)
        self.assertEqual(by_kind["split"].promise_date, TODAY.replace(day=14))

        # other warehouse: the line ships from it through a route
        self.company.distrib_atp_commitment_date = True
        by_kind["warehouse"].action_apply()
        line = order.order_line
        self.assertEqual(line.warehouse_id, self.wh2)
        self.assertEqual(line.route_id.distrib_ship_from_warehouse_id, self.wh2)
        self.assertEqual(line.distrib_promised_date, TODAY.replace(day=12))
        self.assertEqual(order.commitment_date.date(), TODAY.replace(day=12))
        self.assertEqual(line.distrib_atp_state, "available")
        self.assertFalse(order.distrib_sourcing_option_ids)
        order.action_confirm()
        self.assertEqual(order.picking_ids.picking_type_id, self.wh2.out_type_id)

    def test_apply_substitute_and_split(self):
        substitute = self._create_product("ATP Widget Alt", 9.0)
        self._stock(substitute, self.wh1.lot_stock_id, 40)
        self.product.product_tmpl_id.distrib_substitute_ids = [
            fields.Command.create(
                {
                    "substitute_product_id": substitute.id,
                    "max_qty": 100,
                    "customer_accept_required": True,
                }
            )
        ]
        order = self._order([(self.product, 8), (self.product, 8)])
        order.order_line[0].price_unit = 25.0
        options = self._options(order)
        first = order.order_line[0]
        option = options.filtered(
            lambda option: option.line_id == first and option.kind == "substitute"
        )
        option.action_apply()
        self.assertEqual(first.product_id, substitute)
        self.assertEqual(first.price_unit, 25.0)
        self.assertEqual(first.distrib_substituted_product_id, self.product)
        self.assertEqual(len(order.activity_ids), 1)
        # the second line: split 5 now, 3 backordered until the receipt
        order.action_distrib_sourcing_options()
        second = order.order_line[1]
        split = order.distrib_sourcing_option_ids.filtered(
            lambda option: option.line_id == second and option.kind == "split"
        )
        split.action_apply()
        lines = order.order_line.filtered(lambda line: line.product_id == self.product)
        self.assertEqual(sorted(lines.mapped("product_uom_qty")), [3, 5])
        backorder = lines.filtered(lambda line: line.distrib_source_kind == "backorder")
        self.assertEqual(backorder.product_uom_qty, 3)
        self.assertEqual(backorder.distrib_promised_date, TODAY.replace(day=14))
        self.assertEqual(order.picking_policy, "direct")
        # a confirmed line can no longer change source
        order.action_confirm()
        with self.assertRaisesRegex(UserError, "confirmed"):
            second._distrib_check_editable()

    def test_sales_rep_sees_options_and_applies_them(self):
        rep = new_test_user(
            self.env,
            login="atp_sales_rep",
            groups="distrib_atp.group_distrib_sales,stock.group_stock_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        self._stock(self.product, self.wh2.lot_stock_id, 30)
        # another company's stock stays out of sight unless it is shared
        self._stock(self.product, self.wh_other.lot_stock_id, 30)
        order = self._order([(self.product, 8)])
        order.user_id = rep  # salespeople work on their own orders
        order = order.with_user(rep)
        order.action_distrib_sourcing_options()
        options = order.distrib_sourcing_option_ids
        self.assertNotIn("company", options.mapped("kind"))
        breakdown = order.order_line.distrib_get_availability_breakdown(
            self.product.id, quantity=8, warehouse_id=self.wh1.id
        )
        self.assertNotIn(
            self.wh_other.id, [row["warehouse_id"] for row in breakdown["rows"]]
        )
        options.filtered(lambda option: option.kind == "warehouse").action_apply()
        self.assertEqual(order.order_line.warehouse_id, self.wh2)
        # the route of another company's warehouse is never created for them
        with self.assertRaises(UserError):  # an AccessError is one
            self.wh_other.with_user(rep)._distrib_get_ship_from_route()
        self.assertFalse(
            self.env["stock.route"].search(
                [("distrib_ship_from_warehouse_id", "=", self.wh_other.id)]
            )
        )
