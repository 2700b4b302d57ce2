from odoo import fields
from odoo.tests import tagged

from odoo.addons.distrib_intercompany.tests.common import DistribIntercompanyCommon


@tagged("post_install", "-at_install")
class TestScenarioStep(DistribIntercompanyCommon):
    """The intercompany step of the demo builder, on a small prepared dataset
    shaped like the base steps' output."""

    def test_expedite_order_from_other_entity(self):
        self._stock_b(30)
        warehouses = self.warehouse_a | self.warehouse_b
        data = {
            "today": fields.Date.today(),
            "companies": [self.company_a, self.company_b],
            "warehouses": warehouses,
            "products": self.product,
            "customers": self.customer,
            "users": {},
        }
        self.env["distrib.scenario"]._scenario_intercompany(data)
        rules = data["intercompany_rules"]
        self.assertEqual(len(rules), 2)
        self.assertEqual(
            set(rules.mapped(lambda r: (r.company_id, r.supplier_company_id))),
            {(self.company_a, self.company_b), (self.company_b, self.company_a)},
        )
        order = data["intercompany_order"]
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.warehouse_id, self.warehouse_a)
        line = order.order_line
        self.assertEqual(line.distrib_ic_supplier_company_id, self.company_b)
        self.assertEqual(line.product_uom_qty, 10.0)
        purchase = order.distrib_ic_purchase_ids
        sale = purchase.distrib_ic_sale_order_id
        # B shipped and invoiced; A received and got the bill
        self.assertEqual(sale.picking_ids.state, "done")
        self.assertEqual(purchase.picking_ids.state, "done")
        self.assertEqual(purchase.order_line.qty_received, 10.0)
        bill = self.env["account.move"].search(
            [("distrib_ic_source_move_id", "in", sale.invoice_ids.ids)]
        )
        self.assertEqual(bill.state, "posted")
        self.assertAlmostEqual(bill.amount_total, sale.invoice_ids.amount_total)
        # the customer's delivery can now be reserved in A's warehouse
        order.picking_ids.action_assign()
        self.assertEqual(order.picking_ids.state, "assigned")
