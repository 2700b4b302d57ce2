from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class DistribAiCommon(AccountTestInvoicingCommon):
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
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.company_data["company"]
        cls.company.write(
            {
                "distrib_ai_price_check": True,
                "distrib_ai_inventory_check": True,
                "distrib_ai_transfer_check": True,
                "distrib_ai_late_risk_check": True,
            }
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.customer = cls.env["res.partner"].create({"name": "Steady Customer"})
        cls.product = cls.env["product.product"].create(
            {
                "name": "Gasket",
                "is_storable": True,
                "list_price": 100.0,
                "standard_price": 60.0,
                "taxes_id": [Command.clear()],
                "supplier_taxes_id": [Command.clear()],
            }
        )
        cls.Model = cls.env["distrib.ai.model"]
        cls.sales_user = new_test_user(
            cls.env,
            login="ai_sales",
            groups="base.group_user,sales_team.group_sale_salesman,"
            "distrib_atp.group_distrib_sales",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
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
