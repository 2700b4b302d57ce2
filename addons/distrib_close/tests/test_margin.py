from odoo import Command
from odoo.tests import tagged

from .common import DistribCloseCommon


@tagged("post_install", "-at_install")
class TestMarginLandedCosts(DistribCloseCommon):
    def test_expedite_freight_on_delivery_erodes_margin(self):
        self.company.distrib_orchestration_enabled = True
        order = self._create_po(qty=10.0, price=10.0)
        self._receive(order)  # 10.50 a unit with the expected freight
        sale = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "warehouse_id": self.warehouse.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 4.0,
                            "price_unit": 20.0,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )
        sale.action_confirm()
        delivery = sale.picking_ids
        self._set_done_qty(delivery, 4.0)
        self._validate(delivery)
        self.assertAlmostEqual(sale.distrib_cogs, 42.0)
        margin_before = sale.distrib_margin_shipped
        expedite = self.env["stock.landed.cost"].create(
            {
                "picking_ids": [Command.set(delivery.ids)],
                "distrib_expedite": True,
                "cost_lines": [
                    Command.create(
                        {
                            "product_id": self.freight.id,
                            "price_unit": 12.0,
                            "split_method": "equal",
                            "account_id": self.accounts["lc_interim"].id,
                        }
                    )
                ],
            }
        )
        expedite.button_validate()
        self.assertAlmostEqual(sale.distrib_cogs, 54.0)
        self.assertAlmostEqual(sale.distrib_expedite_cost, 12.0)
        self.assertAlmostEqual(sale.distrib_landed_cost_shipped, 12.0)
        self.assertAlmostEqual(sale.distrib_margin_shipped, margin_before - 12.0)
        self.assertGreater(sale.distrib_erosion_shipment, 0)
        kpis = self.env["distrib.kpi.dashboard"].get_kpis()
        panel = next(p for p in kpis["panels"] if p["key"] == "erosion_by_cause")
        expedite_row = panel["rows"][0]
        self.assertEqual(expedite_row["count"], 1)
        self.assertAlmostEqual(expedite_row["value"], 12.0)
