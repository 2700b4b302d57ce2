from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import DistribAiCommon


@tagged("post_install", "-at_install")
class TestStockoutRisk(DistribAiCommon):
    """Issue #16, item 7: products likely to run out before their next
    receipt, with the cheapest fix in words, applied only by a person."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.distrib_ai_stockout_check = True
        cls.vendor = cls.env["res.partner"].create({"name": "Gasket Works"})
        cls.env["product.supplierinfo"].create(
            {
                "partner_id": cls.vendor.id,
                "product_tmpl_id": cls.product.product_tmpl_id.id,
                "delay": 7,
                "price": 50.0,
            }
        )
        cls.buyer = cls._distrib_user(
            "ai_buyer",
            "base.group_user,procurement,purchase.group_purchase_user,"
            "stock.group_stock_user",
            cls.company,
        )
        stock = cls.warehouse.lot_stock_id
        customers = cls.env.ref("stock.stock_location_customers")
        # 120 units delivered over the last 60 days: 2 a day
        cls._distrib_stock(cls.product, stock, 120.0)
        now = fields.Datetime.now()
        for day in range(0, 60, 5):
            move = cls.env["stock.move"].create(
                {
                    "name": "delivery",
                    "product_id": cls.product.id,
                    "product_uom_qty": 10.0,
                    "product_uom": cls.product.uom_id.id,
                    "location_id": stock.id,
                    "location_dest_id": customers.id,
                    "picking_type_id": cls.warehouse.out_type_id.id,
                }
            )
            move._action_confirm()
            move._action_assign()
            move.write({"quantity": 10.0, "picked": True})
            move._action_done()
            move.date = now - timedelta(days=day)
        cls._distrib_stock(cls.product, stock, 5.0)
        cls.Risk = cls.env["distrib.stockout.risk"]

    def _risks(self):
        self.Risk.sudo()._refresh(self.company)
        return self.Risk.search(
            [("company_id", "=", self.company.id), ("state", "=", "open")]
        )

    def test_clear_case_purchase_applied_by_a_person(self):
        risk = self._risks()
        self.assertEqual(len(risk), 1)
        self.assertEqual(
            (risk.product_id, risk.warehouse_id), (self.product, self.warehouse)
        )
        self.assertGreater(risk.probability, 90.0)
        self.assertAlmostEqual(risk.daily_demand, 2.0)
        self.assertIn("5 available for 2.0 a day: 2.5 days of cover", risk.explanation)
        self.assertIn("no receipt coming: a purchase takes 7 days", risk.explanation)
        self.assertEqual(risk.proposal_kind, "purchase")
        self.assertIn("buy", risk.proposal)
        self.assertIn("Gasket Works", risk.proposal)
        exception = self.env["distrib.exception"]._get_open_for(
            risk, exception_types=["stockout_risk"]
        )
        self.assertEqual(len(exception), 1)
        # nothing is applied without a person
        self.assertFalse(
            self.env["purchase.order"].search([("partner_id", "=", self.vendor.id)])
        )
        with self.assertRaises(AccessError):
            risk.with_user(self.sales_user).action_apply()
        risk.with_user(self.buyer).action_apply()
        order = self.env["purchase.order"].search([("partner_id", "=", self.vendor.id)])
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.order_line.product_qty, risk.proposal_qty)
        self.assertEqual(risk.state, "applied")
        self.assertEqual(risk.decided_by_id, self.buyer)
        self.assertEqual(risk.applied_reference, order.name)
        self.assertEqual(exception.state, "resolved")
        with self.assertRaises(UserError):
            risk.with_user(self.buyer).action_apply()

    def test_transfer_from_a_warehouse_with_excess(self):
        north = self.env["stock.warehouse"].create(
            {"name": "North", "code": "NRT", "company_id": self.company.id}
        )
        self._distrib_stock(self.product, north.lot_stock_id, 500.0)
        risk = self._risks().filtered(lambda r: r.warehouse_id == self.warehouse)
        self.assertEqual(risk.proposal_kind, "transfer")
        self.assertEqual(risk.source_warehouse_id, north)
        self.assertIn("transfer", risk.proposal)
        self.assertIn("North", risk.proposal)
        risk.with_user(self.buyer).action_apply()
        picking = self.env["stock.picking"].search(
            [("name", "=", risk.applied_reference)]
        )
        self.assertEqual(picking.state, "draft")
        self.assertEqual(picking.location_id, north.lot_stock_id)
        self.assertEqual(picking.move_ids.product_uom_qty, risk.proposal_qty)

    def test_reordering_rule_too_low(self):
        orderpoint = self.env["stock.warehouse.orderpoint"].create(
            {
                "product_id": self.product.id,
                "warehouse_id": self.warehouse.id,
                "location_id": self.warehouse.lot_stock_id.id,
                "product_min_qty": 1.0,
                "product_max_qty": 2.0,
                "trigger": "manual",
            }
        )
        risk = self._risks()
        self.assertEqual(risk.proposal_kind, "minmax")
        self.assertIn("set the reordering rule to min", risk.proposal)
        risk.with_user(self.buyer).action_apply()
        self.assertEqual(orderpoint.product_min_qty, risk.proposal_min)
        self.assertGreater(orderpoint.product_max_qty, orderpoint.product_min_qty)

    def test_enough_stock_no_risk_and_risk_clears(self):
        risk = self._risks()
        self._distrib_stock(self.product, self.warehouse.lot_stock_id, 1000.0)
        self.assertFalse(self._risks())
        self.assertEqual(risk.state, "cleared")

    def test_dismiss_needs_a_reason(self):
        risk = self._risks()
        for bad in (None, "", "  ", 3):
            with self.assertRaises(UserError):
                risk.with_user(self.buyer).action_dismiss(bad)
        risk.with_user(self.buyer).action_dismiss("Product discontinued")
        self.assertEqual(risk.state, "dismissed")
        self.assertEqual(risk.decision_note, "Product discontinued")
        # a dismissed risk stays dismissed on the next run
        self._risks()
        self.assertEqual(risk.state, "dismissed")

    def test_other_company_and_no_history(self):
        other = self._distrib_other_company("Other Co")
        other.distrib_ai_stockout_check = True
        self.assertFalse(self.Risk.sudo()._refresh(other))
        self._risks()
        outsider = self._distrib_user("ai_out", "base.group_user,procurement", other)
        self.assertFalse(
            self.Risk.with_user(outsider).search([("company_id", "=", self.company.id)])
        )
