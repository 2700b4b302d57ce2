from odoo import Command
from odoo.tests import tagged

from .common import DistribCloseCommon


@tagged("post_install", "-at_install")
class TestGrniReport(DistribCloseCommon):
    """The GRNI report reads what the order lines store (received value, posted
    billed quantity): it must follow receipts, bills and resets as they happen."""

    def _rows(self):
        # a report row has its order line's id: forget what an earlier read cached
        self.env["distrib.grni.report"].invalidate_model()
        return self.env["distrib.grni.report"].search(
            [("company_id", "=", self.company.id)]
        )

    def _dashboard_tile(self):
        kpis = (
            self.env["distrib.kpi.dashboard"]
            .with_context(allowed_company_ids=self.company.ids)
            .get_kpis()
        )
        tile = next(t for t in kpis["tiles"] if t["key"] == "grni_balance")
        return tile["value"], kpis["counts"]["grni_balance"]

    def assertGrni(self, qty_received, qty_billed, value):
        row = self._rows()
        self.assertEqual(len(row), 1)
        self.assertAlmostEqual(row.qty_received, qty_received)
        self.assertAlmostEqual(row.qty_invoiced, qty_billed)
        self.assertAlmostEqual(row.qty_to_bill, qty_received - qty_billed)
        self.assertAlmostEqual(row.value, value)
        self.assertEqual(self._dashboard_tile(), (value, 1))

    def test_grni_through_receipts_bills_and_reset(self):
        order = self._create_po(qty=10.0, price=10.0)
        line = order.order_line
        self.assertFalse(self._rows())
        self.assertEqual(self._dashboard_tile(), (0.0, 0))
        self._receive(order, qty=6.0, backorder="backorder")
        self.assertGrni(6.0, 0.0, 60.0)
        self.assertEqual(self._rows().order_line_id, line)
        self.assertEqual(self._rows().date_received, line.move_ids[:1].date.date())
        first = self._create_bill(order, qty=4.0)
        # a draft bill does not count
        self.assertGrni(6.0, 0.0, 60.0)
        first.action_post()
        self.assertGrni(6.0, 4.0, 20.0)
        self._receive(order)
        self.assertGrni(10.0, 4.0, 60.0)
        second = self._create_bill(order)
        self.assertAlmostEqual(second.invoice_line_ids.quantity, 6.0)
        second.action_post()
        self.assertFalse(self._rows())
        self.assertEqual(self._dashboard_tile(), (0.0, 0))
        self.assertAlmostEqual(line.distrib_qty_billed_posted, 10.0)
        # reset to draft: no longer billed
        second.button_draft()
        self.assertGrni(10.0, 4.0, 60.0)
        second.action_post()
        self.assertFalse(self._rows())
        # a posted refund of 3 units makes them not billed again
        refund = self.env["account.move"].create(
            {
                "move_type": "in_refund",
                "company_id": self.company.id,
                "partner_id": self.vendor.id,
                "invoice_date": second.invoice_date,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "quantity": 3.0,
                            "price_unit": 10.0,
                            "purchase_line_id": line.id,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        refund.action_post()
        self.assertGrni(10.0, 7.0, 30.0)
        refund.button_draft()
        self.assertFalse(self._rows())

    def test_grni_line_in_another_unit_fully_billed_is_not_listed(self):
        """12 dozens received and billed in dozens: converting the billed
        quantity through the unit factors (1/12) must not leave a crumb that
        lists the line as not billed."""
        dozen = self.env.ref("uom.product_uom_dozen")
        order = self.env["purchase.order"].create(
            {
                "partner_id": self.vendor.id,
                "company_id": self.company.id,
                "picking_type_id": self.warehouse.in_type_id.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_qty": 12.0,
                            "product_uom": dozen.id,
                            "price_unit": 120.0,
                            "taxes_id": [Command.clear()],
                        }
                    )
                ],
            }
        )
        order.button_confirm()
        self._receive(order)
        self.assertGrni(12.0, 0.0, 1440.0)
        bill = self._create_bill(order)
        self.assertEqual(bill.invoice_line_ids.product_uom_id, dozen)
        bill.action_post()
        self.assertFalse(self._rows())
        self.assertEqual(self._dashboard_tile(), (0.0, 0))
