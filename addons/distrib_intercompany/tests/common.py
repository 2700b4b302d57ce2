from odoo import Command

from odoo.addons.distrib_exceptions.tests.common import DistribAccountingCommon


class DistribIntercompanyCommon(DistribAccountingCommon):
    """Company A sells, company B holds the stock; a rule lets A source from B."""

    company_b_currency = None  # e.g. "EUR": B keeps its books in another currency

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.company
        b_values = {}
        if cls.company_b_currency:
            currency = cls.setup_other_currency(cls.company_b_currency)
            b_values["currency_id"] = currency.id
        cls.company_b = cls._distrib_other_company("Company B", **b_values)
        cls._distrib_grant(
            "manager",
            "sales_team.group_sale_manager",
            "purchase.group_purchase_manager",
            "stock.group_stock_manager",
        )
        # the test's own user (a manager) looks at both sides
        cls.env = cls.env(
            context=dict(
                cls.env.context,
                allowed_company_ids=(cls.company_a | cls.company_b).ids,
            )
        )
        Warehouse = cls.env["stock.warehouse"]
        cls.warehouse_a = Warehouse.search(
            [("company_id", "=", cls.company_a.id)], limit=1
        )
        cls.warehouse_b = Warehouse.search(
            [("company_id", "=", cls.company_b.id)], limit=1
        )
        both = cls.company_a | cls.company_b
        base_groups = "base.group_user,stock.group_stock_user"
        cls.ic_user_a = cls._distrib_user(
            "ic_a",
            f"{base_groups},purchase.group_purchase_manager,"
            "account.group_account_invoice",
            cls.company_a,
            both,
        )
        cls.ic_user_b = cls._distrib_user(
            "ic_b",
            f"{base_groups},sales_team.group_sale_salesman_all_leads,"
            "account.group_account_invoice",
            cls.company_b,
            both,
        )
        cls.sales_a = cls._distrib_user(
            "sales_a", "base.group_user,sales_team.group_sale_salesman", cls.company_a
        )
        cls.warehouse_user_b = cls._distrib_user(
            "wh_b", "base.group_user,stock.group_stock_user", cls.company_b
        )
        cls.product = cls._distrib_product("Pallet Jack", taxes=False, list_price=200.0)
        cls.product.with_company(cls.company_b).standard_price = 100.0
        cls.product.with_company(cls.company_a).standard_price = 110.0
        cls.customer = cls.env["res.partner"].create({"name": "Customer One"})
        cls.Rule = cls.env["distrib.intercompany.rule"]

    @classmethod
    def _create_rule(cls, **vals):
        return cls.Rule.create(
            {
                "company_id": cls.company_a.id,
                "supplier_company_id": cls.company_b.id,
                "markup_percent": 10.0,
                "user_id": cls.ic_user_a.id,
                "supplier_user_id": cls.ic_user_b.id,
            }
            | vals
        )

    @classmethod
    def _stock_b(cls, quantity, lot_name=None):
        lot = cls.env["stock.lot"]
        if lot_name:
            lot = lot.create(
                {
                    "name": lot_name,
                    "product_id": cls.product.id,
                    "company_id": cls.company_b.id,
                }
            )
        cls._distrib_stock(
            cls.product,
            cls.warehouse_b.lot_stock_id,
            quantity,
            lot=lot,
            company=cls.company_b,
        )
        return lot

    def _customer_order(self, quantity=5.0, sourced=True, user=None):
        env = self.env
        if user:
            env = env(
                user=user,
                context=dict(env.context, allowed_company_ids=user.company_id.ids),
            )
        order = (
            env["sale.order"]
            .with_company(self.company_a)
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company_a.id,
                    "warehouse_id": self.warehouse_a.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": quantity,
                                "price_unit": 200.0,
                                "tax_id": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        if sourced:
            order.order_line.distrib_ic_supplier_company_id = self.company_b
        return order
