import random

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from odoo.addons.distrib_demo.models.distrib_scenario_exceptions import DEMO_RULES
from odoo.addons.distrib_exceptions.tests.common import (
    ROLE_GROUPS,
    DistribControlPointCommon,
)


@tagged("post_install", "-at_install")
class TestScenarioStep(DistribControlPointCommon):
    """The demo step on a small hand-made ``data`` dict (the base builder's
    keys), independent of the full scenario."""

    def _sale(self, confirm=True):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "warehouse_id": self.warehouse.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": 2}
                    )
                ],
            }
        )
        if confirm:
            order.action_confirm()
        return order

    @freeze_time("2024-06-10 10:00:00")
    def test_demo_step_covers_every_type_and_approval_state(self):
        users = {
            role: new_test_user(
                self.env,
                login=f"demo_{role}",
                groups=f"base.group_user,{group},stock.group_stock_manager",
                company_id=self.company.id,
                company_ids=[Command.set(self.company.ids)],
            )
            for role, group in ROLE_GROUPS.items()
        }
        self.env["stock.quant"]._update_available_quantity(
            self.product, self.warehouse.lot_stock_id, 100.0
        )
        other = self.env["product.product"].create(
            {"name": "Gadget", "is_storable": True, "standard_price": 10.0}
        )
        self.env["stock.quant"]._update_available_quantity(
            other, self.warehouse.lot_stock_id, 80.0
        )
        late = self._create_po(qty=10.0, price=10.0, date_planned="2024-05-01")
        confirmed = self._create_po(qty=200.0, price=10.0, date_planned="2024-07-01")
        received = self._create_po(qty=5.0, price=10.0, date_planned="2024-06-20")
        self._set_done_qty(received.picking_ids, 5.0)
        self._validate(received.picking_ids)
        sales = self._sale() | self._sale() | self._sale()
        quotations = self._sale(False) | self._sale(False) | self._sale(False)
        data = {
            "rng": random.Random(42),
            "today": fields.Date.today(),
            "companies": [self.company],
            "warehouses": self.warehouse,
            "users": users,
            "sale_orders": sales | quotations,
            "purchase_orders": late | confirmed | received,
            "sale_order_stages": {"waiting": sales[:1]},
            "purchase_order_stages": {
                "late": late,
                "confirmed": confirmed,
                "received": received,
            },
        }
        scenario = self.env["distrib.scenario"].with_context(tracking_disable=True)
        self.assertIn("exceptions", scenario._scenario_steps())
        scenario._scenario_exceptions(data)

        exceptions = data["exceptions"]
        open_types = set(
            exceptions.filtered(
                lambda e: e.state not in ("resolved", "cancelled")
            ).mapped("exception_type")
        )
        self.assertEqual(open_types, {rule[0] for rule in DEMO_RULES})
        self.assertIn("escalated", exceptions.mapped("state"))
        self.assertTrue(len(set(exceptions.mapped("age_bucket"))) > 1)
        requests = data["approval_requests"]
        self.assertEqual(
            set(requests.mapped("state")), {"pending", "approved", "rejected"}
        )
        self.assertTrue(
            all(requests.filtered(lambda r: r.state != "pending").decision_ids)
        )
        self.assertEqual(quotations[0].state, "sale", "approved discount confirmed it")
        self.assertEqual(
            confirmed.picking_ids.filtered(lambda p: p.state == "done").mapped("state"),
            ["done"],
        )
        self.assertEqual(len(self.env["distrib.exception.rule"].search([])), 11)
