"""The "Other company" sourcing option, added by distrib_intercompany, ranks
among distrib_atp's own options."""

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from odoo.addons.distrib_atp.tests.common import NOW, TODAY, DistribAtpCommon, day


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestSourcingOptions(DistribAtpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # wh1: 5 free now, 10 more received in 4 days
        cls._stock(cls.product, cls.wh1.lot_stock_id, 5)
        cls._move(cls.product, cls.supplier_loc, cls.wh1.lot_stock_id, 10, day(4))

    def test_sourcing_options_ranked_with_other_company(self):
        self._stock(self.product, self.wh2.lot_stock_id, 30)
        self._stock(self.product, self.wh_other.lot_stock_id, 30)
        self.other_company.distrib_share_availability = True
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
        order.action_distrib_sourcing_options()
        options = order.distrib_sourcing_option_ids
        kinds = options.sorted("rank").mapped("kind")
        # earliest full promise first: substitute today, transfer in 2 days,
        # split (rest on the 14th), other company in 5 days
        self.assertEqual(kinds, ["substitute", "warehouse", "split", "company"])
        self.assertEqual(options.mapped("rank"), [1, 2, 3, 4])
        by_kind = {option.kind: option for option in options}
        self.assertEqual(by_kind["substitute"].product_id, substitute)
        self.assertEqual(by_kind["warehouse"].lead_days, 2)
        self.assertEqual(by_kind["company"].company_id, self.other_company)
        self.assertEqual(by_kind["company"].warehouse_id, self.wh_other)
        self.assertEqual(by_kind["company"].lead_days, 5)
        self.assertEqual(by_kind["split"].quantity, 5)
        self.assertEqual(by_kind["split"].promise_date, TODAY.replace(day=14))
        self.assertIn(self.other_company.name, by_kind["company"].summary)
