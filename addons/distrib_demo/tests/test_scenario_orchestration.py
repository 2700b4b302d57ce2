from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.distrib_orchestration.tests.common import DistribOrchestrationCommon


@tagged("post_install", "-at_install")
class TestScenarioStep(DistribOrchestrationCommon):
    """The orchestration step of the demo builder, on a small prepared dataset
    shaped like the base steps' output."""

    def test_orders_in_every_state(self):
        started = fields.Datetime.now() - timedelta(minutes=1)
        self.product.invoice_policy = "order"
        drafts = self._create_order(quantity=1) | self._create_order(quantity=1)
        drafts |= self._create_order(quantity=1)
        ready = self._create_order(quantity=2)
        ready.action_confirm()
        invoiced = self._create_order(quantity=2)
        invoiced.action_confirm()
        self._deliver(invoiced.picking_ids)
        self._invoice(invoiced)
        partial = self._create_order(quantity=4)
        partial.action_confirm()
        self._deliver(partial.picking_ids, quantity=2)
        history = self.env["sale.order"]
        for _i in range(5):
            order = self._create_order(quantity=3)
            order.action_confirm()
            self._deliver(order.picking_ids)
            self._invoice(order)
            history |= order
        old = history[0]
        old.date_order = fields.Datetime.now() - timedelta(days=30)
        data = {
            "today": fields.Date.today(),
            "started_at": started,
            "companies": [self.company],
            "warehouses": self.warehouse,
            "users": {},
            "sale_order_stages": {
                "draft": drafts,
                "ready": ready,
                "invoiced": invoiced,
                "partial": partial,
            },
            "history": {"deliveries": history.picking_ids},
        }
        self.env["distrib.scenario"]._scenario_orchestration(data)
        self.assertEqual(ready.distrib_state, "picked")
        self.assertEqual(drafts[:2].mapped("distrib_state"), ["on_hold"] * 2)
        self.assertEqual(drafts[2].distrib_state, "cancelled")
        self.assertEqual(invoiced.distrib_state, "disputed")
        self.assertEqual(
            sorted(history.mapped("distrib_state")),
            sorted(
                [
                    "return_authorized",
                    "return_received",
                    "return_disposed",
                    "invoiced",
                    "invoiced",
                ]
            ),
        )
        # invoice on shipment switched on: the rest of the partial order shipped
        # and was invoiced at once
        self.assertTrue(self.company.distrib_invoice_on_shipment)
        self.assertEqual(partial.distrib_state, "invoiced")
        self.assertEqual(len(partial.invoice_ids), 1)
        # the events of an old order are dated like its documents
        self.env.invalidate_all()
        entered = old.distrib_event_ids.filtered(lambda e: e.to_state == "entered")
        self.assertEqual(entered.date, old.date_order)
