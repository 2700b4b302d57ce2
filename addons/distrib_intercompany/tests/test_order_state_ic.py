from odoo.tests import tagged

from .common import DistribIntercompanyCommon


@tagged("post_install", "-at_install")
class TestIntercompanyOrderState(DistribIntercompanyCommon):
    """The supplying company's sale follows its delivery and invoice like any
    sale: its delivery goes to the inter-company transit location, not to a
    customer location, and still counts as shipped."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls._create_rule()
        cls.product.invoice_policy = "delivery"
        (cls.company_a | cls.company_b).write({"distrib_orchestration_enabled": True})

    def test_supplier_sale_is_shipped_then_invoiced(self):
        self._stock_b(5.0)
        order = self._customer_order(quantity=5.0)
        order.action_confirm()
        sale = order.distrib_ic_purchase_ids.distrib_ic_sale_order_id
        self.assertEqual(sale.company_id, self.company_b)
        delivery = sale.picking_ids
        delivery.action_assign()
        delivery.move_ids.quantity = 5.0
        delivery.move_ids.picked = True
        delivery.with_context(skip_backorder=True).button_validate()
        self.assertEqual(delivery.state, "done")
        self.assertEqual(delivery.location_dest_id.usage, "transit")
        self.assertEqual(sale.distrib_state, "shipped")
        self.assertEqual(sale.distrib_shipped_percent, 100.0)
        invoice = sale._create_invoices()
        invoice.action_post()
        self.assertEqual(sale.distrib_state, "invoiced")
        self.assertEqual(
            [event.to_state for event in sale.distrib_event_ids.sorted("id")],
            ["entered", "validated", "allocated", "picked", "shipped", "invoiced"],
        )
        shipped = sale.distrib_event_ids.filtered(lambda e: e.to_state == "shipped")
        self.assertEqual(shipped.reference, delivery.name)
