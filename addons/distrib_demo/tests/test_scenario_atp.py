import random

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.distrib_atp.tests.common import NOW, TODAY, DistribAtpCommon, day


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestScenarioAtp(DistribAtpCommon):
    def test_step_is_registered(self):
        steps = self.env["distrib.scenario"]._scenario_steps()
        # after the base steps (higher addons may append theirs after it)
        self.assertGreater(steps.index("atp_shortages"), steps.index("open_orders"))

    def test_shortages_show_every_sourcing_option(self):
        products = self.env["product.product"]
        for index in range(8):
            products |= self._create_product(f"ATP demo {index}", 5.0 + index)
        p = products
        # warehouse: the sister warehouse has it
        self._stock(p[0], self.wh2.lot_stock_id, 20)
        # company: only the other company has it
        self._stock(p[1], self.wh_other.lot_stock_id, 30)
        # split: a little free now, more received in 3 days
        self._stock(p[2], self.wh1.lot_stock_id, 4)
        self._move(p[2], self.supplier_loc, self.wh1.lot_stock_id, 20, day(3))
        # the substitute: plenty at home
        self._stock(p[3], self.wh1.lot_stock_id, 100)
        data = {
            "rng": random.Random(42),
            "today": TODAY,
            "companies": [self.company, self.other_company, self.other_company],
            "warehouses": self.wh1 | self.wh2 | self.wh_other,
            "products": products,
            "customers": self.partner,
            "segments": self.env["distrib.customer.segment"],
        }
        self.env["distrib.scenario"]._scenario_atp_shortages(data)
        orders = data["atp_shortage_orders"]
        self.assertEqual(set(orders), {"warehouse", "company", "substitute", "split"})
        self.assertTrue(self.company.distrib_atp_promise)
        for kind, order in orders.items():
            self.assertEqual(order.state, "draft")
            self.assertIn(order.order_line.distrib_atp_state, ("partial", "short"))
            order.action_distrib_sourcing_options()
            self.assertIn(kind, order.distrib_sourcing_option_ids.mapped("kind"), kind)
