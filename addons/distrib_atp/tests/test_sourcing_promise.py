"""The promise at confirmation follows the source the salesperson applied."""

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import NOW, TODAY, DistribAtpCommon, day


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestSourcingPromise(DistribAtpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # wh1: 5 free now, 10 more received in 4 days; wh2: 30 free
        cls._stock(cls.product, cls.wh1.lot_stock_id, 5)
        cls._move(cls.product, cls.supplier_loc, cls.wh1.lot_stock_id, 10, day(4))
        cls._stock(cls.product, cls.wh2.lot_stock_id, 30)
        cls.substitute = cls._create_product("ATP Widget Twin", 10.0)
        cls._stock(cls.substitute, cls.wh1.lot_stock_id, 40)
        cls.product.product_tmpl_id.distrib_substitute_ids = [
            fields.Command.create({"substitute_product_id": cls.substitute.id})
        ]

    def _apply(self, order, kind, line=None):
        order.action_distrib_sourcing_options()
        line = line or order.order_line[0]
        option = order.distrib_sourcing_option_ids.filtered(
            lambda option: option.line_id == line and option.kind == kind
        )
        self.assertEqual(len(option), 1, order.distrib_sourcing_option_ids)
        option.action_apply()
        return option

    def _confirm(self, policy, kind):
        self.company.write(
            {
                "distrib_atp_promise": True,
                "distrib_atp_policy": policy,
                "distrib_atp_commitment_date": False,
            }
        )
        order = self._order([(self.product, 8)])
        self._apply(order, kind)
        self.assertEqual(order.distrib_short_line_count, 0, kind)
        messages = order.message_ids
        order.action_confirm()
        self.assertEqual(order.state, "sale", f"{kind} under {policy}")
        # nothing was backordered, nobody is told about backorders
        self.assertFalse(
            (order.message_ids - messages).filtered(
                lambda message: "backorders" in (message.body or "")
            )
        )
        self.assertEqual(
            order.order_line.mapped("distrib_backorder_qty"),
            [0.0] * len(order.order_line),
        )
        return order

    def _check_other_warehouse(self, policy):
        order = self._confirm(policy, "warehouse")
        line = order.order_line
        self.assertEqual(line.distrib_source_kind, "warehouse")
        self.assertEqual(line.distrib_source_warehouse_id, self.wh2)
        self.assertEqual(line.distrib_promised_qty, 8)
        # the transfer's two days, as the option promised
        self.assertEqual(line.distrib_promised_date, TODAY.replace(day=12))
        self.assertEqual(order.picking_ids.picking_type_id, self.wh2.out_type_id)

    def test_other_warehouse_allow(self):
        self._check_other_warehouse("allow")

    def test_other_warehouse_block(self):
        self._check_other_warehouse("block")

    def test_other_warehouse_for_a_customer_with_its_own_location(self):
        """A customer delivered to a location of its own (under Customers) gets
        the goods from the warehouse promised, not from the order's."""
        key_accounts = self.env["stock.location"].create(
            {
                "name": "Key accounts",
                "usage": "customer",
                "location_id": self.env.ref("stock.stock_location_customers").id,
            }
        )
        self.partner.with_company(self.company).property_stock_customer = key_accounts
        order = self._confirm("allow", "warehouse")
        line = order.order_line
        self.assertEqual(line.warehouse_id, self.wh2)
        self.assertEqual(line.distrib_source_warehouse_id, self.wh2)
        self.assertEqual(order.picking_ids.picking_type_id, self.wh2.out_type_id)
        self.assertEqual(order.picking_ids.location_id, self.wh2.lot_stock_id)
        self.assertEqual(order.picking_ids.location_dest_id, key_accounts)

    def _check_substitute(self, policy):
        order = self._confirm(policy, "substitute")
        line = order.order_line
        self.assertEqual(line.product_id, self.substitute)
        self.assertEqual(line.distrib_source_kind, "substitute")
        self.assertEqual(line.distrib_promised_qty, 8)
        self.assertEqual(line.distrib_promised_date, TODAY)

    def test_substitute_allow(self):
        self._check_substitute("allow")

    def test_substitute_block(self):
        self._check_substitute("block")

    def _check_split(self, policy):
        order = self._confirm(policy, "split")
        now = order.order_line.filtered(
            lambda line: line.distrib_source_kind == "split"
        )
        later = order.order_line - now
        self.assertEqual(later.distrib_source_kind, "backorder")
        self.assertEqual(
            (now.distrib_promised_qty, now.distrib_promised_date), (5, TODAY)
        )
        # the backorder keeps the date of the receipt that covers it
        self.assertEqual(
            (later.distrib_promised_qty, later.distrib_promised_date),
            (3, TODAY.replace(day=14)),
        )
        # the next order sees both: of the 10 received on the 14th, 7 are left
        self.env.invalidate_all()
        row = self.Atp.get_availability(
            [self.product.id], [self.wh1.id], date=self._date(4)
        )[0]
        self.assertEqual(row["promisable"], 7)

    def test_split_allow(self):
        self._check_split("allow")

    def test_split_block(self):
        self._check_split("block")


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestSubstituteUnits(DistribAtpCommon):
    def test_substitute_of_another_kind_of_unit_is_refused(self):
        litre = self.env.ref("uom.product_uom_litre")
        oil = self._create_product("ATP Oil", 3.0, uom_id=litre.id, uom_po_id=litre.id)
        Substitute = self.env["distrib.product.substitute"]
        with (
            self.assertRaisesRegex(
                ValidationError, r"counted in L \(Volume\)"
            ) as error,
            self.env.cr.savepoint(),
        ):
            Substitute.create(
                {
                    "product_tmpl_id": self.product.product_tmpl_id.id,
                    "substitute_product_id": oil.id,
                }
            )
        self.assertIn("ATP Widget in Units (Unit)", str(error.exception))
        self.assertFalse(Substitute.search([("substitute_product_id", "=", oil.id)]))

    def test_recorded_before_the_check_is_not_offered(self):
        litre = self.env.ref("uom.product_uom_litre")
        oil = self._create_product("ATP Oil", 3.0, uom_id=litre.id, uom_po_id=litre.id)
        self._stock(oil, self.wh1.lot_stock_id, 50)
        twin = self._create_product("ATP Widget Twin", 10.0)
        self._stock(twin, self.wh1.lot_stock_id, 50)
        Substitute = self.env["distrib.product.substitute"]
        Substitute.create(
            {
                "product_tmpl_id": self.product.product_tmpl_id.id,
                "substitute_product_id": twin.id,
            }
        )
        legacy = Substitute.create(
            {
                "product_tmpl_id": self.product.product_tmpl_id.id,
                "substitute_product_id": twin.id,
            }
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE distrib_product_substitute SET substitute_product_id = %s "
            "WHERE id = %s",
            [oil.id, legacy.id],
        )
        self.env.invalidate_all()
        order = self._order([(self.product, 8)])
        order.action_distrib_sourcing_options()
        options = order.distrib_sourcing_option_ids
        self.assertEqual(options.product_id, twin)

    def test_quantity_converts_within_the_kind_of_unit(self):
        """8 Units of a product replaced by one sold by the dozen."""
        dozen = self.env.ref("uom.product_uom_dozen")
        box = self._create_product(
            "ATP Widget Dozen", 100.0, uom_id=dozen.id, uom_po_id=dozen.id
        )
        self.product.product_tmpl_id.distrib_substitute_ids = [
            fields.Command.create({"substitute_product_id": box.id})
        ]
        # half a dozen is not enough for 8 units
        self._stock(box, self.wh1.lot_stock_id, 0.5)
        order = self._order([(self.product, 8)])
        order.action_distrib_sourcing_options()
        self.assertNotIn("substitute", order.distrib_sourcing_option_ids.mapped("kind"))
        self._stock(box, self.wh1.lot_stock_id, 0.5)
        order.action_distrib_sourcing_options()
        option = order.distrib_sourcing_option_ids.filtered(
            lambda option: option.kind == "substitute"
        )
        self.assertEqual(option.product_id, box)
        # the cost of 8/12 of a dozen
        self.assertAlmostEqual(option.cost, 8 / 12 * 100.0, delta=1)
        option.action_apply()
        line = order.order_line
        self.assertEqual(line.product_id, box)
        # still 8 units: not 8 dozen
        self.assertEqual(
            (line.product_uom_qty, line.product_uom), (8, self.product.uom_id)
        )
        self.assertEqual(line.distrib_atp_state, "available")
        self.company.write({"distrib_atp_promise": True, "distrib_atp_policy": "block"})
        order.action_confirm()
        self.assertEqual(line.distrib_promised_qty, 8)
        self.assertAlmostEqual(order.picking_ids.move_ids.product_qty, 8 / 12, 2)


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestWorkflowFieldsReadonly(DistribAtpCommon):
    """The promise, the source and a lot's hold are set by actions, never by a
    client's write, while the actions work for the roles they are meant for."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._stock(cls.product, cls.wh1.lot_stock_id, 5)
        cls._stock(cls.product, cls.wh2.lot_stock_id, 30)
        cls.sales = cls._distrib_user(
            "wf_sales", "sales,sales_team.group_sale_salesman", cls.company
        )
        cls.warehouse_user = cls._distrib_user(
            "wf_warehouse", "warehouse,stock.group_stock_user", cls.company
        )

    def test_salesperson_applies_and_confirms_but_cannot_write_the_promise(self):
        self.company.write({"distrib_atp_promise": True, "distrib_atp_policy": "block"})
        order = self._order([(self.product, 8)]).with_user(self.sales)
        order.sudo().user_id = self.sales
        line = order.order_line
        with self.assertRaisesRegex(UserError, "cannot be written directly"):
            line.write({"distrib_source_kind": "warehouse"})
        with self.assertRaisesRegex(UserError, "cannot be written directly"):
            line.write({"distrib_promised_date": TODAY, "distrib_promised_qty": 8})
        order.action_distrib_sourcing_options()
        option = order.distrib_sourcing_option_ids.filtered(
            lambda option: option.kind == "warehouse"
        )
        option.action_apply()
        self.assertEqual(line.distrib_source_kind, "warehouse")
        self.assertEqual(line.distrib_source_warehouse_id, self.wh2)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(line.distrib_promised_qty, 8)
        with self.assertRaisesRegex(UserError, "cannot be written directly"):
            line.write({"distrib_backorder_qty": 0.0})

    def test_hold_is_an_action_not_a_field(self):
        product = self._create_product("WF Lotted", 3.0, tracking="lot")
        lot = self.env["stock.lot"].create({"name": "WF-LOT", "product_id": product.id})
        lot = lot.with_user(self.warehouse_user)
        with self.assertRaisesRegex(UserError, "cannot be written directly"):
            lot.write({"distrib_hold": True})
        lot.write({"distrib_hold_reason": "Damaged packaging"})
        lot.action_distrib_hold()
        self.assertTrue(lot.distrib_hold)
        self.assertEqual(lot.distrib_hold_user_id, self.warehouse_user)
        with self.assertRaisesRegex(UserError, "release it before"):
            lot.write({"distrib_hold_reason": "Something else"})
        with self.assertRaisesRegex(UserError, "cannot be written directly"):
            lot.write({"distrib_hold": False})
        lot.action_distrib_release()
        self.assertFalse(lot.distrib_hold)
        self.assertFalse(lot.distrib_hold_user_id)
