from odoo.tests import tagged

from .common import DistribControlPointCommon


@tagged("post_install", "-at_install")
class TestCycleCount(DistribControlPointCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.distrib_cycle_count_approval = True
        cls.policy = cls._create_policy("cycle_count_variance", 50.0)
        cls.location = cls.warehouse.lot_stock_id
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, cls.location, 20.0
        )
        cls.quant = cls.env["stock.quant"].search(
            [("product_id", "=", cls.product.id), ("location_id", "=", cls.location.id)]
        )

    def _count(self, qty):
        quant = self.quant.with_context(inventory_mode=True)
        quant.inventory_quantity = qty
        return quant

    def _request(self):
        return self.env["distrib.approval.request"].search(
            [("res_model", "=", "stock.quant"), ("res_id", "=", self.quant.id)],
            limit=1,
        )

    def test_large_variance_waits_for_approval(self):
        quant = self._count(10.0)  # 10 units x 10.0 = 100 > 50
        action = quant.action_apply_inventory()
        # the count list stays where it is (the line may still be saving, a
        # window or a reload would destroy it): True, and the line says it waits
        self.assertIs(action, True)
        request = self._request()
        self.assertEqual(self.quant.distrib_count_approval, "pending")
        self.assertEqual(request.value, 100.0)
        currency = self.company.currency_id
        self.assertIn(currency.symbol, request.value_display)
        self.assertIn("100.00", request.value_display)
        self.assertNotIn("100.0000", request.value_display)
        self.assertEqual(self.quant.quantity, 20.0, "nothing posted yet")
        exception = self.env["distrib.exception"]._get_open_for(self.quant)
        self.assertEqual(exception.exception_type, "cycle_count_variance")
        self.assertEqual(exception.impact_amount, 100.0)
        request.with_user(self.finance_user).action_approve()
        self.assertEqual(self.quant.quantity, 10.0, "applied on approval")
        self.quant.invalidate_recordset(["distrib_count_approval"])
        self.assertFalse(self.quant.distrib_count_approval)
        self.assertEqual(exception.state, "resolved")
        self.assertTrue(
            self.env["stock.move"].search(
                [("product_id", "=", self.product.id), ("is_inventory", "=", True)]
            )
        )

    def test_count_changed_after_the_request_needs_a_new_approval(self):
        self._count(10.0).action_apply_inventory()  # value 100
        request = self._request()
        # counted again, applied again before any decision: the same request now
        # asks for the new value
        self._count(8.0).action_apply_inventory()  # value 120
        self.assertEqual(request.value, 120.0)
        body = request.message_ids[0].body
        self.assertIn("changed from", body)
        self.assertIn("100.00", body)
        self.assertIn("120.00", body)
        # changed once more, not applied: approving 120 does not post 200
        self._count(0.0)
        request.with_user(self.finance_user).action_approve()
        self.assertEqual(self.quant.quantity, 20.0, "the worse count is not posted")
        new_request = self.env["distrib.approval.request"].search(
            [("id", "!=", request.id), ("res_id", "=", self.quant.id)]
        )
        self.assertEqual(new_request.state, "pending")
        self.assertEqual(new_request.value, 200.0)
        new_request.with_user(self.finance_user).action_approve()
        self.assertEqual(self.quant.quantity, 0.0)

    def test_rejected_count_is_not_applied(self):
        quant = self._count(0.0)
        quant.action_apply_inventory()
        request = self._request()
        request.with_user(self.finance_user).action_reject("Count again")
        self.assertEqual(self.quant.quantity, 20.0)
        self.assertIn("Count again", request.message_ids[0].body)

    def test_small_variance_and_opt_out_apply_directly(self):
        self._count(18.0).action_apply_inventory()  # 20.0 <= 50
        self.assertEqual(self.quant.quantity, 18.0)
        self.company.distrib_cycle_count_approval = False
        self._count(1.0).action_apply_inventory()
        self.assertEqual(self.quant.quantity, 1.0)
        self.assertFalse(self.env["distrib.approval.request"].search([]))
