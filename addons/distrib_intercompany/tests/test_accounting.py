from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import DistribIntercompanyCommon


class IntercompanyAccountingCommon(DistribIntercompanyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls._create_rule()
        cls.product.invoice_policy = "delivery"
        Tax = cls.env["account.tax"]
        cls.sale_tax_b = Tax.create(
            {
                "name": "B sales 15%",
                "amount": 15.0,
                "type_tax_use": "sale",
                "company_id": cls.company_b.id,
            }
        )
        cls.purchase_tax_a_10 = Tax.create(
            {
                "name": "A purchases 10%",
                "amount": 10.0,
                "type_tax_use": "purchase",
                "company_id": cls.company_a.id,
            }
        )
        # B sells with 15 %, A's product says 10 %
        cls.product.write(
            {
                "taxes_id": [Command.set(cls.sale_tax_b.ids)],
                "supplier_taxes_id": [Command.set(cls.purchase_tax_a_10.ids)],
            }
        )

    def _b_env(self):
        return self.env(
            user=self.ic_user_b,
            context=dict(
                self.env.context, allowed_company_ids=self.ic_user_b.company_id.ids
            ),
        )

    def _invoice(self, quantity=5.0, invoice_date=None):
        """A's order sourced from B, delivered by B; B's invoice, posted."""
        order = self._customer_order(quantity=quantity)
        order.action_confirm()
        purchase = order.distrib_ic_purchase_ids
        sale = purchase.distrib_ic_sale_order_id
        sale.order_line.qty_delivered = quantity
        invoice = sale.with_env(self._b_env())._create_invoices()
        if invoice_date:
            invoice.invoice_date = invoice_date
        invoice.action_post()
        invoice = invoice.with_env(self.env)
        bill = self.env["account.move"].search(
            [("distrib_ic_source_move_id", "=", invoice.id)]
        )
        return purchase, invoice, bill


@tagged("post_install", "-at_install")
class TestIntercompanyBillTaxes(IntercompanyAccountingCommon):
    def test_bill_takes_the_invoice_taxes(self):
        """B's 15 % sale tax becomes A's 15 % purchase tax (not the product's
        10 %): the bill's total is the invoice's."""
        purchase_tax_a_15 = self.env["account.tax"].create(
            {
                "name": "A purchases 15%",
                "amount": 15.0,
                "type_tax_use": "purchase",
                "company_id": self.company_a.id,
                "sequence": 0,
            }
        )
        purchase, invoice, bill = self._invoice(5.0)
        self.assertEqual(purchase.order_line.taxes_id, self.purchase_tax_a_10)
        self.assertEqual(invoice.invoice_line_ids.tax_ids, self.sale_tax_b)
        self.assertAlmostEqual(invoice.amount_total, 632.5)
        self.assertEqual(bill.invoice_line_ids.tax_ids, purchase_tax_a_15)
        self.assertAlmostEqual(bill.amount_tax, invoice.amount_tax)
        self.assertAlmostEqual(bill.amount_total, invoice.amount_total)
        self.assertEqual(bill.state, "posted")

    def test_bill_without_equivalent_tax_stays_draft(self):
        """No purchase tax of A matches B's 17 %: the bill is created with the
        product's taxes, left in draft, and its chatter says why."""
        odd_tax = self.env["account.tax"].create(
            {
                "name": "B sales 17%",
                "amount": 17.0,
                "type_tax_use": "sale",
                "company_id": self.company_b.id,
            }
        )
        self.product.taxes_id = odd_tax
        _purchase, invoice, bill = self._invoice(5.0)
        self.assertTrue(self.rule.auto_validate)
        self.assertEqual(bill.state, "draft")
        self.assertEqual(bill.invoice_line_ids.tax_ids, self.purchase_tax_a_10)
        self.assertAlmostEqual(bill.amount_total, 605.0)
        message = bill.message_ids.filtered(lambda m: "No purchase tax" in m.body)
        self.assertTrue(message)
        self.assertIn("B sales 17%", message.body)
        self.assertIn(invoice.name, message.body)
        self.assertEqual(message.author_id, self.ic_user_a.partner_id)

    def test_untaxed_invoice_gives_untaxed_bill(self):
        self.product.taxes_id = False
        _purchase, invoice, bill = self._invoice(5.0)
        self.assertFalse(bill.invoice_line_ids.tax_ids)
        self.assertAlmostEqual(bill.amount_total, invoice.amount_total)
        self.assertEqual(bill.state, "posted")


@tagged("post_install", "-at_install")
class TestIntercompanyBillTaxesCurrency(IntercompanyAccountingCommon):
    company_b_currency = "EUR"

    def test_bill_total_is_the_invoice_total_converted(self):
        _purchase, invoice, bill = self._invoice(5.0, invoice_date="2016-06-01")
        self.assertEqual(bill.currency_id, invoice.currency_id)
        # 550 EUR + 15 %, in A's bill as in B's invoice
        self.assertAlmostEqual(invoice.amount_total, 632.5)
        self.assertAlmostEqual(bill.amount_total, invoice.amount_total)
        self.assertEqual(bill.state, "posted")
        # 2016 rate: 3 EUR per unit of A's currency
        self.assertAlmostEqual(-bill.amount_total_signed, 632.5 / 3.0, places=2)


@tagged("post_install", "-at_install")
class TestIntercompanyRuleAccounting(IntercompanyAccountingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Journal = cls.env["account.journal"]
        cls.sale_journal_b = Journal.create(
            {
                "name": "Intercompany Sales",
                "code": "ICS",
                "type": "sale",
                "company_id": cls.company_b.id,
            }
        )
        cls.purchase_journal_a = Journal.create(
            {
                "name": "Intercompany Bills",
                "code": "ICB",
                "type": "purchase",
                "company_id": cls.company_a.id,
            }
        )
        cls.expense_account_a = cls.env["account.account"].create(
            {
                "name": "Intercompany purchases",
                "code": "601900",
                "account_type": "expense",
                "company_ids": [Command.set(cls.company_a.ids)],
            }
        )
        cls.product.taxes_id = False

    def test_rule_journals_and_account_are_used(self):
        self.rule.write(
            {
                "sale_journal_id": self.sale_journal_b.id,
                "purchase_journal_id": self.purchase_journal_a.id,
                "expense_account_id": self.expense_account_a.id,
            }
        )
        _purchase, invoice, bill = self._invoice(5.0)
        self.assertEqual(invoice.journal_id, self.sale_journal_b)
        self.assertEqual(bill.journal_id, self.purchase_journal_a)
        self.assertEqual(bill.invoice_line_ids.account_id, self.expense_account_a)
        self.assertEqual(bill.state, "posted")
        # B's credit note: A's refund in the same journal, on the same account
        credit = invoice._reverse_moves()
        credit.action_post()
        self.assertEqual(credit.journal_id, self.sale_journal_b)
        refund = self.env["account.move"].search(
            [("distrib_ic_source_move_id", "=", credit.id)]
        )
        self.assertEqual(refund.journal_id, self.purchase_journal_a)
        self.assertEqual(refund.invoice_line_ids.account_id, self.expense_account_a)

    def test_default_journals_without_rule_journals(self):
        _purchase, invoice, bill = self._invoice(5.0)
        self.assertEqual(invoice.journal_id.type, "sale")
        self.assertNotEqual(invoice.journal_id, self.sale_journal_b)
        self.assertEqual(bill.journal_id.type, "purchase")
        self.assertNotEqual(bill.journal_id, self.purchase_journal_a)

    def test_rule_journal_of_wrong_type(self):
        sale_journal_a = self.env["account.journal"].search(
            [("company_id", "=", self.company_a.id), ("type", "=", "sale")], limit=1
        )
        with (
            self.assertRaisesRegex(
                ValidationError, "Vendor Bills Journal.*choose a Purchase journal"
            ),
            self.cr.savepoint(),
        ):
            self.rule.purchase_journal_id = sale_journal_a
        purchase_journal_b = self.env["account.journal"].search(
            [("company_id", "=", self.company_b.id), ("type", "=", "purchase")],
            limit=1,
        )
        with (
            self.assertRaisesRegex(
                ValidationError, "Customer Invoices Journal.*choose a Sales journal"
            ),
            self.cr.savepoint(),
        ):
            self.rule.sale_journal_id = purchase_journal_b
        # a journal of the wrong company names the field too
        with (
            self.assertRaisesRegex(
                ValidationError, "Customer Invoices Journal.*belongs to"
            ),
            self.cr.savepoint(),
        ):
            self.rule.sale_journal_id = sale_journal_a

    def test_rule_account_must_fit_bill_lines(self):
        receivable = self.company_data["default_account_receivable"]
        with (
            self.assertRaisesRegex(ValidationError, "Bill Lines Account.*receivable"),
            self.cr.savepoint(),
        ):
            self.rule.expense_account_id = receivable
