from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import DistribIntercompanyCommon


@tagged("post_install", "-at_install")
class TestIntercompanyReportingAccess(DistribIntercompanyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls._create_rule()
        cls._stock_b(20.0)
        cls.finance_a, cls.finance_b = (
            new_test_user(
                cls.env,
                login=f"ic_finance_{company.id}",
                groups="base.group_user,distrib_atp.group_distrib_finance",
                company_id=company.id,
                company_ids=[Command.set(company.ids)],
            )
            for company in (cls.company_a, cls.company_b)
        )

    def _confirmed(self, quantity=5.0):
        order = self._customer_order(quantity=quantity)
        order.action_confirm()
        return order

    def _as(self, user, model):
        return (
            self.env[model]
            .with_user(user)
            .with_context(allowed_company_ids=user.company_id.ids)
        )

    def test_finance_of_one_company_sees_its_pairs(self):
        order = self._confirmed()
        sale = order.distrib_ic_purchase_ids.distrib_ic_sale_order_id
        sale.order_line.qty_delivered = 5.0
        invoice = sale._create_invoices()
        invoice.action_post()
        bill = self.env["account.move"].search(
            [("distrib_ic_source_move_id", "=", invoice.id)]
        )
        self.assertEqual(bill.state, "posted")
        self.env.flush_all()
        for user, own, other in (
            (self.finance_a, bill, invoice),
            (self.finance_b, invoice, bill),
        ):
            with self.subTest(user=user.login):
                Balance = self._as(user, "distrib.intercompany.balance")
                Balance.invalidate_model()
                rows = Balance.search([])
                self.assertEqual(len(rows), 1)
                self.assertEqual(rows.state, "matched")
                self.assertEqual(rows.due_from, rows.due_to)
                # its own document, never the other company's (not even its name)
                [values] = rows.read(["invoice_id", "bill_id"])
                own_field, other_field = (
                    ("bill_id", "invoice_id")
                    if own == bill
                    else ("invoice_id", "bill_id")
                )
                self.assertEqual(values[own_field][0], own.id)
                self.assertFalse(values[other_field])
                self.assertFalse(Balance.search([(other_field, "=", other.id)]))
                totals = Balance._distrib_pair_totals(self.company_b, self.company_a)
                self.assertEqual(totals[invoice.currency_id], (550.0, 550.0, 0.0))
        # a company outside the pair sees nothing of it
        company_c = self.env["res.company"].create({"name": "Company C"})
        finance_c = new_test_user(
            self.env,
            login="ic_finance_c",
            groups="base.group_user,distrib_atp.group_distrib_finance",
            company_id=company_c.id,
            company_ids=[Command.set(company_c.ids)],
        )
        self.assertFalse(self._as(finance_c, "distrib.intercompany.balance").search([]))

    def test_intercompany_button_opens_the_purchase_order(self):
        order = self._confirmed()
        purchase = order.distrib_ic_purchase_ids
        self.assertEqual(len(purchase), 1)
        action = order.action_distrib_ic_purchases()
        self.assertEqual(action["res_model"], "purchase.order")
        self.assertEqual(action["res_id"], purchase.id)
        self.assertEqual([view_type for _view, view_type in action["views"]], ["form"])
        # several purchases: Odoo's plain purchase list, not the RFQ dashboard
        other = purchase.copy()
        action = (purchase | other)._distrib_ic_action_open()
        self.assertEqual(action["domain"], [("id", "in", (purchase | other).ids)])
        self.assertEqual(
            [view_type for _view, view_type in action["views"]], ["list", "form"]
        )
        views = self.env["purchase.order"].get_views(action["views"])["views"]
        for view_type in ("list", "form"):
            self.assertNotIn("purchase_dashboard", views[view_type]["arch"])
