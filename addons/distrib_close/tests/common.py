from odoo import Command, fields

from odoo.addons.distrib_exceptions.tests.common import DistribControlPointCommon


class DistribCloseCommon(DistribControlPointCommon):
    """A company with the close enabled: a FIFO product valued in real time
    with its own stock accounts, a freight landed-cost product whose expected,
    not yet billed amounts sit on their own interim account, a 5 % freight term
    and a received-not-billed liability."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.carrier = cls.env["res.partner"].create({"name": "Carrier Co"})
        cls.accounts = cls._setup_close_company(cls.company)
        cls.product = cls._distrib_product(
            "Crate",
            taxes=False,
            categ_id=cls.accounts["goods_categ"].id,
            purchase_method="receive",
            weight=2.0,
        )
        cls.freight = cls.accounts["freight"]
        cls.term = cls._create_term(cls.company, "Freight", "percent", 5.0)

    @classmethod
    def _account(cls, company, code, name, account_type):
        return (
            cls.env["account.account"]
            .with_company(company)
            .create(
                {
                    "code": code,
                    "name": name,
                    "account_type": account_type,
                    "reconcile": account_type in ("liability_current", "asset_current"),
                    "company_ids": [Command.set(company.ids)],
                }
            )
        )

    @classmethod
    def _setup_close_company(cls, company):
        """Accounts, categories and the freight product of ``company``."""
        acc = {
            "valuation": cls._account(company, "D11010", "Stock", "asset_current"),
            "interim_in": cls._account(
                company, "D21010", "Stock Interim Received", "liability_current"
            ),
            "interim_out": cls._account(
                company, "D11020", "Stock Interim Delivered", "asset_current"
            ),
            "lc_interim": cls._account(
                company, "D21020", "Landed Costs Expected", "liability_current"
            ),
            "grni": cls._account(
                company, "D21030", "Goods Received Not Invoiced", "liability_current"
            ),
            "cogs": cls._account(company, "D51010", "COGS", "expense_direct_cost"),
        }
        journal = cls.env["account.journal"].search(
            [
                *cls.env["account.journal"]._check_company_domain(company),
                ("type", "=", "general"),
            ],
            limit=1,
        )
        Category = cls.env["product.category"].with_company(company)
        goods = Category.create({"name": f"Goods {company.name}"})
        goods.write(
            {
                "property_cost_method": "fifo",
                "property_valuation": "real_time",
                "property_stock_valuation_account_id": acc["valuation"].id,
                "property_stock_account_input_categ_id": acc["interim_in"].id,
                "property_stock_account_output_categ_id": acc["interim_out"].id,
                "property_account_expense_categ_id": acc["cogs"].id,
                "property_stock_journal": journal.id,
            }
        )
        lc_categ = Category.create({"name": f"Landed Costs {company.name}"})
        lc_categ.write(
            {
                "property_cost_method": "fifo",
                "property_valuation": "real_time",
                "property_stock_valuation_account_id": acc["valuation"].id,
                "property_stock_account_input_categ_id": acc["lc_interim"].id,
                "property_stock_account_output_categ_id": acc["interim_out"].id,
                "property_stock_journal": journal.id,
            }
        )
        freight = cls.env["product.product"].create(
            {
                "name": f"Freight {company.name}",
                "type": "service",
                "landed_cost_ok": True,
                "categ_id": lc_categ.id,
                "company_id": company.id,
                "supplier_taxes_id": [Command.clear()],
                "taxes_id": [Command.clear()],
            }
        )
        company.write(
            {
                "distrib_close_enabled": True,
                "distrib_lc_variance_tolerance": 10.0,
                "distrib_accrual_account_id": acc["grni"].id,
                "anglo_saxon_accounting": True,
            }
        )
        return {**acc, "goods_categ": goods, "freight": freight, "journal": journal}

    @classmethod
    def _create_term(cls, company, name, basis, rate, **vals):
        return cls.env["distrib.landed.cost.term"].create(
            {
                "name": name,
                "company_id": company.id,
                "basis": basis,
                "rate": rate,
                "product_id": vals.pop("product_id", None)
                or cls._freight_of(company).id,
                **vals,
            }
        )

    @classmethod
    def _receive(cls, order, qty=None, backorder=None):
        """Validate the open receipt of ``order`` with ``qty`` (default: all)."""
        picking = order.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        )
        if qty is not None:
            cls._set_done_qty(picking, qty)
        cls._validate(picking, backorder=backorder)
        return picking

    @classmethod
    def _carrier_bill(cls, picking, amount, currency=None, company=None, post=True):
        company = company or cls.company
        bill = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "in_invoice",
                    "company_id": company.id,
                    "partner_id": cls.carrier.id,
                    "invoice_date": fields.Date.context_today(cls.env.user),
                    "currency_id": (currency or company.currency_id).id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": cls._freight_of(company).id,
                                "quantity": 1.0,
                                "price_unit": amount,
                                "is_landed_costs_line": True,
                                "distrib_lc_picking_id": picking.id,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        if post:
            bill.action_post()
        return bill

    @classmethod
    def _setup_eur_company(cls):
        """A company keeping its books in EUR (buys in USD), with the close."""
        cls.eur = cls.setup_other_currency("EUR")
        cls.usd = cls.company.currency_id
        cls.eur_company = cls._distrib_other_company("EUR Co", currency_id=cls.eur.id)
        cls.eur_accounts = cls._setup_close_company(cls.eur_company)
        cls.eur_product = cls._distrib_product(
            "Crate EUR",
            taxes=False,
            categ_id=cls.eur_accounts["goods_categ"].id,
            purchase_method="receive",
        )
        cls._create_term(cls.eur_company, "Freight EUR", "percent", 10.0)
        cls.eur_warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.eur_company.id)], limit=1
        )

    def _eur_purchase(self, qty=10.0, price=10.0):
        """A confirmed purchase of the EUR company, in USD, received."""
        order = self.env["purchase.order"].create(
            {
                "partner_id": self.vendor.id,
                "company_id": self.eur_company.id,
                "currency_id": self.usd.id,
                "picking_type_id": self.eur_warehouse.in_type_id.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.eur_product.id,
                            "product_qty": qty,
                            "price_unit": price,
                            "taxes_id": [Command.clear()],
                        }
                    )
                ],
            }
        )
        order.button_confirm()
        picking = order.picking_ids
        picking.move_ids.quantity = qty
        picking.move_ids.picked = True
        picking.button_validate()
        return order, picking

    @classmethod
    def _freight_of(cls, company):
        return cls.env["product.product"].search(
            [("landed_cost_ok", "=", True), ("company_id", "=", company.id)], limit=1
        )

    def _balance(self, account, company=None):
        return sum(
            self.env["account.move.line"]
            .search(
                [
                    ("account_id", "=", account.id),
                    ("parent_state", "=", "posted"),
                    ("company_id", "=", (company or self.company).id),
                ]
            )
            .mapped("balance")
        )

    def _layers_value(self, product, company=None):
        return sum(
            self.env["stock.valuation.layer"]
            .search(
                [
                    ("product_id", "=", product.id),
                    ("company_id", "=", (company or self.company).id),
                ]
            )
            .mapped("value")
        )

    def _expected_costs(self, picking):
        return self.env["stock.landed.cost"].search(
            [("picking_ids", "in", picking.ids), ("distrib_kind", "=", "expected")]
        )
