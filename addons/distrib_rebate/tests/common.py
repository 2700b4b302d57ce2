from odoo import Command

from odoo.addons.distrib_exceptions.tests.common import DistribAccountingCommon


class DistribRebateCommon(DistribAccountingCommon):
    """A company opted in to rebate agreements, with an accrued-rebates
    account, a customer of a segment and two products (one per category); the
    test user is finance and distribution manager."""

    @classmethod
    def get_default_groups(cls):
        return (
            super().get_default_groups()
            | cls.env.ref("sales_team.group_sale_manager")
            | cls.env.ref("distrib_atp.group_distrib_finance")
            | cls.env.ref("distrib_atp.group_distrib_manager")
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.distrib_rebate_enabled = True
        cls.accrual_account = cls.env["account.account"].create(
            {
                "name": "Accrued Customer Rebates",
                "code": "RB2100",
                "account_type": "liability_current",
                "company_ids": [Command.set(cls.company.ids)],
            }
        )
        cls.expense_account = cls.env["account.account"].create(
            {
                "name": "Customer Rebates",
                "code": "RB6100",
                "account_type": "expense",
                "company_ids": [Command.set(cls.company.ids)],
            }
        )
        cls.segment = cls.env["distrib.customer.segment"].create(
            {"name": "Key Accounts", "code": "RB_KEY"}
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Rebate Customer",
                "is_company": True,
                "distrib_segment_id": cls.segment.id,
            }
        )
        cls.categ_tools = cls.env["product.category"].create({"name": "RB Tools"})
        cls.categ_parts = cls.env["product.category"].create({"name": "RB Parts"})
        cls.tool = cls._distrib_product(
            "RB Drill",
            taxes=False,
            categ_id=cls.categ_tools.id,
            list_price=1000.0,
            standard_price=600.0,
        )
        cls.part = cls._distrib_product(
            "RB Bolt",
            taxes=False,
            categ_id=cls.categ_parts.id,
            list_price=10.0,
            standard_price=4.0,
        )
        cls.Agreement = cls.env["distrib.rebate.agreement"]
        cls.Accrual = cls.env["distrib.rebate.accrual"]

    @classmethod
    def _agreement(cls, tiers=((0.0, 2.0), (100000.0, 3.0)), activate=True, **vals):
        vals = {
            "name": "RB Agreement",
            "partner_id": cls.customer.id,
            "company_id": cls.company.id,
            "date_from": "2026-01-01",
            "date_to": "2026-12-31",
            "accrual_account_id": cls.accrual_account.id,
            "expense_account_id": cls.expense_account.id,
            "tier_ids": [
                Command.create({"threshold": threshold, "rate": rate})
                for threshold, rate in tiers
            ],
            **vals,
        }
        agreement = cls.Agreement.create(vals)
        if activate:
            agreement.action_activate()
        return agreement

    @classmethod
    def _invoice(
        cls,
        amount,
        product=None,
        partner=None,
        move_type="out_invoice",
        date="2026-02-10",
        discount=0.0,
        currency=None,
        post=True,
    ):
        """A customer invoice (or credit note) of ``amount`` untaxed: 10
        units of ``product`` at amount / 10."""
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": (partner or cls.customer).id,
                "invoice_date": date,
                "currency_id": (currency or cls.company.currency_id).id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": (product or cls.tool).id,
                            "quantity": 10,
                            "price_unit": amount / 10.0,
                            "discount": discount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        if post:
            move.action_post()
        return move

    def _accrued(self, agreement):
        """Open accrual of ``agreement`` in the ledger and in the accrued-rebates
        account (they must agree)."""
        ledger = sum(
            self.Accrual.search([("agreement_id", "=", agreement.id)]).mapped("amount")
        )
        lines = self.env["account.move.line"].search(
            [
                ("account_id", "=", agreement.accrual_account_id.id),
                ("parent_state", "=", "posted"),
                ("name", "ilike", agreement.name),
            ]
        )
        self.assertAlmostEqual(-sum(lines.mapped("balance")), ledger, places=2)
        return ledger
