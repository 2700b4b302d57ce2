from odoo import Command

from odoo.addons.distrib_exceptions.tests.common import DistribAccountingCommon


class DistribAiCommon(DistribAccountingCommon):
    """A company with accounting, a customer, a storable product, and the
    detectors' opt-ins on."""

    @classmethod
    def get_default_groups(cls):
        return (
            super().get_default_groups()
            | cls.env.ref("stock.group_stock_manager")
            | cls.env.ref("sales_team.group_sale_manager")
            | cls.env.ref("distrib_atp.group_distrib_manager")
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "distrib_ai_price_check": True,
                "distrib_ai_inventory_check": True,
                "distrib_ai_transfer_check": True,
                "distrib_ai_late_risk_check": True,
            }
        )
        cls.customer = cls.env["res.partner"].create({"name": "Steady Customer"})
        cls.product = cls._distrib_product(
            "Gasket", taxes=False, list_price=100.0, standard_price=60.0
        )
        cls.Model = cls.env["distrib.ai.model"]
        cls.sales_user = cls._distrib_user(
            "ai_sales",
            "base.group_user,sales_team.group_sale_salesman,sales",
            cls.company,
        )

    @classmethod
    def _invoice(cls, prices, partner=None, product=None, discount=0.0):
        invoices = cls.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": (partner or cls.customer).id,
                    "invoice_date": "2026-01-01",
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": (product or cls.product).id,
                                "quantity": 10,
                                "price_unit": price,
                                "discount": discount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
                for price in prices
            ]
        )
        invoices.action_post()
        return invoices.invoice_line_ids

    @classmethod
    def _model(cls, detector):
        return cls.Model._get_model(cls.company, detector)
