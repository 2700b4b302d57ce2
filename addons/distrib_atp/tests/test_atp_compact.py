from freezegun import freeze_time

from odoo import api
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common import NOW, DistribAtpCommon, JsonRpcMixin, day


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestAtpCompact(DistribAtpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        wh = cls.wh1
        cls._stock(cls.product, wh.lot_stock_id, 10)
        cls._stock(cls.product, wh.distrib_quarantine_location_id, 3)
        cls._move(cls.product, wh.lot_stock_id, cls.customer_loc, 4, day(0), True)
        cls._move(cls.product, cls.supplier_loc, cls.wh2.lot_stock_id, 5, day(5))
        cls.idle = cls._create_product("ATP Idle", 1.0)  # no stock, no move

    def _ids(self):
        return [self.product.id, self.product_b.id, self.idle.id], [
            self.wh1.id,
            self.wh2.id,
        ]

    def test_same_figures_as_the_dicts(self):
        products, warehouses = self._ids()
        dicts = self.Atp.get_availability(products, warehouses, quantity=2)
        compact = self.Atp.get_availability_compact(
            products, warehouses, quantity=2, skip_empty=False
        )
        self.assertEqual(compact["skipped"], 0)
        self.assertEqual(compact["date"], "2026-03-10")
        as_dicts = [
            dict(zip(compact["columns"], row, strict=True)) for row in compact["rows"]
        ]
        # every key of the dicts but the date, which the answer gives once
        self.assertEqual(
            as_dicts, [{k: v for k, v in d.items() if k != "date"} for d in dicts]
        )

    def test_empty_pairs_left_out(self):
        products, warehouses = self._ids()
        compact = self.Atp.get_availability_compact(products, warehouses)
        keys = [(row[0], row[1]) for row in compact["rows"]]
        self.assertEqual(
            keys,
            [(self.product.id, self.wh1.id), (self.product.id, self.wh2.id)],
            "only the widget has stock (wh1) or a receipt (wh2)",
        )
        self.assertEqual(compact["skipped"], 4)
        row = dict(zip(compact["columns"], compact["rows"][0], strict=True))
        self.assertEqual((row["on_hand"], row["reserved"], row["free"]), (10, 4, 6))
        self.assertEqual(row["quarantine"], 3)

    def test_chosen_columns_keys_first(self):
        products, warehouses = self._ids()
        compact = self.Atp.get_availability_compact(
            products, warehouses, fields=["atp", "free", "atp", "product_id"]
        )
        self.assertEqual(
            compact["columns"], ["product_id", "warehouse_id", "atp", "free"]
        )
        self.assertEqual(
            compact["rows"][0], [self.product.id, self.wh1.id, 6, 6], "10 - 4 reserved"
        )

    def test_bad_arguments_are_refused(self):
        products, warehouses = self._ids()
        for kwargs, fragment in (
            ({"fields": "atp"}, "list of column names"),
            ({"fields": ["atp", 3]}, "list of column names"),
            ({"fields": ["atp", "cost"]}, "'cost'"),
            ({"skip_empty": "yes"}, "skip_empty"),
            ({"product_ids": [0]}, "ids"),
            ({"warehouse_ids": [2**40]}, str(2**40)),
            ({"date": "10/03/2026"}, "YYYY-MM-DD"),
        ):
            with self.subTest(kwargs=kwargs):
                args = {"product_ids": products, "warehouse_ids": warehouses, **kwargs}
                with self.assertRaisesRegex(UserError, fragment):
                    self.Atp.get_availability_compact(**args)

    def test_queries_do_not_grow_with_the_products(self):
        products, warehouses = self._ids()
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(3):
            self.Atp.get_availability_compact(products[:1], warehouses)
        more = [
            self._create_product(f"ATP Compact {index}", 1.0).id for index in range(30)
        ]
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(3):
            self.Atp.get_availability_compact(products + more, warehouses)


@tagged("post_install", "-at_install")
class TestAtpReadonly(JsonRpcMixin, HttpCase):
    """The engine's reads can be served by a PostgreSQL replica."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create(
            {"name": "ATP readonly product", "is_storable": True}
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, cls.warehouse.lot_stock_id, 7
        )

    def test_compact_is_marked_readonly(self):
        self.assertTrue(
            type(self.env["distrib.atp"]).get_availability_compact._readonly
        )

    def test_reads_run_on_a_read_only_transaction(self):
        """A write in these calls would fail: the cursor is READ ONLY."""
        self.env.flush_all()
        with self.registry.cursor(readonly=True) as cr:
            self.assertTrue(cr.readonly)
            env = api.Environment(cr, self.env.uid, {})
            atp = env["distrib.atp"]
            rows = atp.get_availability([self.product.id], [self.warehouse.id])
            self.assertEqual(rows[0]["on_hand"], 7)
            compact = atp.get_availability_compact(
                [self.product.id], [self.warehouse.id], fields=["on_hand"]
            )
            self.assertEqual(compact["rows"], [[self.product.id, self.warehouse.id, 7]])
            cr.execute("SHOW transaction_read_only")
            self.assertEqual(cr.fetchone()[0], "on")
