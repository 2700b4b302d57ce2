from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import DistribControlPointCommon


@tagged("post_install", "-at_install")
class TestDelayedReceipt(DistribControlPointCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "distrib_delayed_receipt_check": True,
                "distrib_delayed_receipt_grace_days": 1,
            }
        )

    def _exception(self, order):
        return self.env["distrib.exception"].search(
            [
                ("res_model", "=", "purchase.order"),
                ("res_id", "=", order.id),
                ("exception_type", "=", "delayed_receipt"),
            ]
        )

    def test_late_line_lists_waiting_customer_orders(self):
        with freeze_time("2024-05-01 09:00:00"):
            order = self._create_po(qty=10.0, price=10.0, date_planned="2024-05-03")
            sale = self.env["sale.order"].create(
                {
                    "partner_id": self.customer.id,
                    "warehouse_id": self.warehouse.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.product.id, "product_uom_qty": 3}
                        )
                    ],
                }
            )
            sale.action_confirm()
            self.env["purchase.order"]._cron_distrib_delayed_receipts()
            self.assertFalse(self._exception(order), "not late yet")
        with freeze_time("2024-05-03 18:00:00"):
            self.env["purchase.order"]._cron_distrib_delayed_receipts()
            self.assertFalse(self._exception(order), "within the grace day")
        with freeze_time("2024-05-06 12:00:00"):
            stats = self.env["purchase.order"]._cron_distrib_delayed_receipts()
            self.assertEqual(stats["raised"], 1)
            exception = self._exception(order)
            self.assertEqual(exception.state, "assigned")
            self.assertEqual(exception.owner_id, order.user_id, "the buyer owns it")
            self.assertEqual(exception.severity, "high")
            self.assertIn(sale.name, str(exception.details))
            self.assertIn("1 customer order(s) waiting", exception.summary)
            self.assertEqual(exception.impact_amount, 100.0)
            self.assertEqual(order.distrib_exception_count, 1)
            # the next run refreshes, never duplicates
            self.env["purchase.order"]._cron_distrib_delayed_receipts()
            self.assertEqual(len(self._exception(order)), 1)
            self._set_done_qty(order.picking_ids, 10.0)
            self._validate(order.picking_ids)
            stats = self.env["purchase.order"]._cron_distrib_delayed_receipts()
            self.assertEqual(stats["resolved"], 1)
            self.assertEqual(exception.state, "resolved")
            self.assertIn("received", exception.resolution_note)

    def test_opt_out_raises_nothing(self):
        self.company.distrib_delayed_receipt_check = False
        with freeze_time("2024-05-01 09:00:00"):
            order = self._create_po(qty=10.0, date_planned="2024-04-01")
            self.env["purchase.order"]._cron_distrib_delayed_receipts()
        self.assertFalse(self._exception(order))
