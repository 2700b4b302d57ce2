from odoo import Command

from odoo.addons.distrib_atp.tests.common import JsonRpcMixin  # noqa: F401
from odoo.addons.distrib_exceptions.tests.common import DistribAccountingCommon
from odoo.addons.stock_account.tests.test_anglo_saxon_valuation_reconciliation_common import (  # noqa: E501
    ValuationReconciliationTestCommon,
)


class DistribOrchestrationCommon(
    DistribAccountingCommon, ValuationReconciliationTestCommon
):
    """An opted-in company with automated (anglo-saxon) valuation, a stocked
    product and helpers to push an order through its documents."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._distrib_grant("manager")
        cls.company.anglo_saxon_accounting = True
        cls.company.distrib_orchestration_enabled = True
        cls.warehouse = cls.company_data["default_warehouse"]
        cls.product = cls.test_product_delivery
        cls.product.invoice_policy = "delivery"
        cls.product.standard_price = 40.0
        cls.customer = cls.env["res.partner"].create({"name": "Orchestrated Customer"})
        cls._add_stock(cls.product, 100.0)

    @classmethod
    def _add_stock(cls, product, quantity, location=None):
        cls._distrib_stock(
            product, location or cls.warehouse.lot_stock_id, quantity, inventory=True
        )

    def _create_order(self, quantity=10.0, price=100.0, product=None, **values):
        product = product or self.product
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "warehouse_id": self.warehouse.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": quantity,
                            "price_unit": price,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
                **values,
            }
        )

    def _deliver(self, picking, quantity=None, backorder=True):
        """Validate a picking for ``quantity`` (all when None)."""
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty if quantity is None else quantity
        picking.move_ids.picked = True
        context = {"skip_backorder": True}
        if not backorder:
            context["picking_ids_not_to_backorder"] = picking.ids
        picking.with_context(**context).button_validate()
        return picking.backorder_ids

    def _invoice(self, order, post=True):
        invoice = order._create_invoices()
        if post:
            invoice.action_post()
        return invoice

    def _pay(self, invoice):
        return (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({})
            ._create_payments()
        )

    def _states(self, order):
        """The logged transitions, oldest first."""
        return [
            (event.from_state or False, event.to_state)
            for event in order.distrib_event_ids.sorted("id")
        ]

    def _last_event(self, order, offset=0):
        return order.distrib_event_ids.sorted("id", reverse=True)[offset]
