from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import DistribRebateCommon


@tagged("post_install", "-at_install")
class TestRebateAccrual(DistribRebateCommon):
    # ------------------------------------------------------------------
    # 1. agreements: bad input is refused, nothing written
    # ------------------------------------------------------------------
    def _refused(self, error, message, **vals):
        """Creating an agreement with ``vals`` fails with ``message`` and
        leaves nothing behind (the request's transaction is rolled back: here
        a savepoint)."""
        count = self.Agreement.search_count([])
        with self.assertRaisesRegex(error, message), self.env.cr.savepoint():
            self._agreement(activate=False, **vals)
        self.assertEqual(self.Agreement.search_count([]), count)

    def test_bad_input_is_refused_and_nothing_written(self):
        self._refused(
            ValidationError, "out of order", tiers=((0.0, 3.0), (100000.0, 2.0))
        )
        self._refused(ValidationError, "between 0 and 100", tiers=((0.0, -1.0),))
        self._refused(ValidationError, "cannot be negative", tiers=((-5.0, 1.0),))
        self._refused(
            ValidationError,
            "ends .* before it starts",
            date_from="2026-06-30",
            date_to="2026-01-01",
        )
        self._refused(
            ValidationError,
            "either a customer or a customer",
            segment_id=self.segment.id,
        )
        self._refused(ValidationError, "not a valid value", discount_tolerance="many")

    def test_overlapping_agreements_are_refused(self):
        first = self._agreement(
            scope="category", category_ids=[Command.set(self.categ_tools.ids)]
        )
        self._refused(
            ValidationError,
            "overlaps RB Agreement",
            name="Second",
            date_from="2026-06-01",
            date_to="2027-05-31",
        )
        # the segment's agreement covers the same customer and products too
        self._refused(
            ValidationError,
            "overlaps",
            name="Segment",
            partner_id=False,
            segment_id=self.segment.id,
            scope="product",
            product_ids=[Command.set(self.tool.ids)],
        )
        # other products, or another period: fine
        other = self._agreement(
            name="Parts", scope="product", product_ids=[Command.set(self.part.ids)]
        )
        later = self._agreement(
            name="Next year", date_from="2027-01-01", date_to="2027-12-31"
        )
        self.assertEqual((first | other | later).mapped("state"), ["active"] * 3)

    def test_active_terms_are_frozen(self):
        agreement = self._agreement()
        with self.assertRaisesRegex(
            UserError, "cannot change once the agreement is active"
        ):
            agreement.date_to = "2027-12-31"
        with self.assertRaisesRegex(
            UserError, "cannot change once the agreement is active"
        ):
            agreement.tier_ids[0].rate = 5.0
        with self.assertRaisesRegex(UserError, "cannot be written directly"):
            agreement.with_user(self._sales_user()).sudo(False).write(
                {"state": "draft"}
            )
        # the allowance and the name are not terms
        agreement.write({"name": "Renamed", "discount_tolerance": 2.0})

    def _sales_user(self):
        return self._distrib_user(
            "rb_sales",
            "base.group_user,sales_team.group_sale_salesman,sales",
            self.company,
        )

    # ------------------------------------------------------------------
    # 2. accrual in the invoice's transaction, idempotent
    # ------------------------------------------------------------------
    def test_posting_an_invoice_accrues_its_rebate(self):
        agreement = self._agreement()
        invoice = self._invoice(10000.0)
        record = self.Accrual.search([("invoice_id", "=", invoice.id)])
        self.assertEqual(record.kind, "invoice")
        self.assertEqual(record.invoice_line_id, invoice.invoice_line_ids)
        self.assertEqual(record.rate, 2.0)
        self.assertAlmostEqual(record.amount, 200.0)
        entry = record.move_id
        self.assertEqual(entry.state, "posted")
        self.assertEqual(entry.date, invoice.date)
        self.assertEqual(entry.journal_id.type, "general")
        credit = entry.line_ids.filtered(
            lambda line: line.account_id == self.accrual_account
        )
        debit = entry.line_ids.filtered(
            lambda line: line.account_id == self.expense_account
        )
        self.assertAlmostEqual(credit.credit, 200.0)
        self.assertAlmostEqual(debit.debit, 200.0)
        self.assertEqual(credit.partner_id, self.customer)
        self.assertAlmostEqual(self._accrued(agreement), 200.0)
        # a credit note gives it back
        refund = self._invoice(2500.0, move_type="out_refund")
        self.assertAlmostEqual(
            self.Accrual.search([("invoice_id", "=", refund.id)]).amount, -50.0
        )
        self.assertAlmostEqual(self._accrued(agreement), 150.0)
        # products out of scope and other customers earn nothing
        other = self.env["res.partner"].create(
            {"name": "No Agreement", "is_company": True}
        )
        self._invoice(5000.0, partner=other)
        self.assertAlmostEqual(self._accrued(agreement), 150.0)

    def test_reset_to_draft_and_repost_books_nothing_twice(self):
        agreement = self._agreement()
        invoice = self._invoice(10000.0)
        invoice.button_draft()
        self.assertAlmostEqual(self._accrued(agreement), 0.0)
        reversal = self.Accrual.search(
            [("invoice_id", "=", invoice.id), ("kind", "=", "reversal")]
        )
        self.assertEqual(
            reversal.move_id.reversed_entry_id,
            self.Accrual.search(
                [("invoice_id", "=", invoice.id), ("kind", "=", "invoice")]
            ).move_id,
        )
        invoice.action_post()
        self.assertAlmostEqual(self._accrued(agreement), 200.0)
        # posting code run again (another module, a replay): nothing more
        invoice._distrib_rebate_accrue()
        self.assertAlmostEqual(self._accrued(agreement), 200.0)
        self.assertEqual(
            self.Accrual.search([("invoice_id", "=", invoice.id)]).mapped(
                "posting_number"
            ),
            [2, 1, 1],
        )

    def test_not_opted_in_changes_nothing(self):
        self._agreement()
        self.company.distrib_rebate_enabled = False
        invoice = self._invoice(10000.0)
        self.assertFalse(self.Accrual.search([("invoice_id", "=", invoice.id)]))
        invoice.button_draft()
        self.assertEqual(invoice.state, "draft")

    def test_activation_catches_up_the_period(self):
        early = self._invoice(10000.0, date="2026-01-05")
        agreement = self._agreement()
        self.assertEqual(
            self.Accrual.search([("agreement_id", "=", agreement.id)]).invoice_id, early
        )
        self.assertAlmostEqual(self._accrued(agreement), 200.0)

    def test_segment_agreement_and_customer_agreement(self):
        segment_agreement = self._agreement(
            name="Segment tools",
            partner_id=False,
            segment_id=self.segment.id,
            scope="category",
            category_ids=[Command.set(self.categ_tools.ids)],
            tiers=((0.0, 1.0),),
        )
        own = self._agreement(
            name="Own parts", scope="product", product_ids=[Command.set(self.part.ids)]
        )
        peer = self.env["res.partner"].create(
            {"name": "Peer", "is_company": True, "distrib_segment_id": self.segment.id}
        )
        self._invoice(1000.0, product=self.tool)
        self._invoice(1000.0, product=self.part)
        self._invoice(3000.0, product=self.tool, partner=peer)
        self.assertAlmostEqual(self._accrued(segment_agreement), 40.0)
        self.assertAlmostEqual(self._accrued(own), 20.0)
        self.assertEqual(
            set(
                self.Accrual.search(
                    [("agreement_id", "=", segment_agreement.id)]
                ).partner_id.ids
            ),
            {self.customer.id, peer.id},
        )

    def test_volume_basis_counts_quantities(self):
        agreement = self._agreement(basis="volume", tiers=((0.0, 1.0), (25.0, 2.0)))
        self._invoice(1000.0)  # 10 units: 1 %
        self._invoice(1000.0)  # 20 units
        self._invoice(1000.0)  # 30 units: 2 % on the whole period
        self.assertAlmostEqual(self._accrued(agreement), 60.0)

    # ------------------------------------------------------------------
    # 3. tier true-up
    # ------------------------------------------------------------------
    def test_crossing_a_tier_trues_up_once_and_explains(self):
        agreement = self._agreement()
        self._invoice(60000.0)
        self.assertAlmostEqual(self._accrued(agreement), 1200.0)
        second = self._invoice(50000.0, date="2026-03-01")
        trueups = self.Accrual.search(
            [("agreement_id", "=", agreement.id), ("kind", "=", "trueup")]
        )
        self.assertEqual(len(trueups), 1)
        # 110,000 at 3 %: the second accrues 1,500, the true-up 60,000 x 1 %
        self.assertAlmostEqual(trueups.amount, 600.0)
        self.assertEqual(trueups.rate, 3.0)
        self.assertAlmostEqual(self._accrued(agreement), 3300.0)
        message = agreement.message_ids.filtered(lambda m: "true-up" in (m.body or ""))
        self.assertEqual(len(message), 1)
        self.assertIn(second.name, message.body)
        self.assertIn("crossing the tier", message.body)
        # another invoice in the tier: no true-up
        self._invoice(10000.0, date="2026-03-02")
        self.assertEqual(
            self.Accrual.search_count(
                [("agreement_id", "=", agreement.id), ("kind", "=", "trueup")]
            ),
            1,
        )
        self.assertAlmostEqual(self._accrued(agreement), 3600.0)
        # a credit note back below 100,000: the accrual falls back to 2 %
        self._invoice(30000.0, move_type="out_refund", date="2026-03-03")
        self.assertAlmostEqual(self._accrued(agreement), 1800.0)
        self.assertIn("falling back below the tier", agreement.message_ids[0].body)

    def test_incremental_scale(self):
        agreement = self._agreement(mode="incremental")
        self._invoice(150000.0)
        # 100,000 x 2 % + 50,000 x 3 %
        self.assertAlmostEqual(self._accrued(agreement), 3500.0)
        statement = agreement.statement_ids
        self.assertAlmostEqual(statement.earned_amount, 3500.0)

    def test_monthly_periods_reach_tiers_separately(self):
        agreement = self._agreement(period_type="month")
        self._invoice(80000.0, date="2026-01-10")
        self._invoice(80000.0, date="2026-02-10")
        self.assertAlmostEqual(self._accrued(agreement), 3200.0)
        self.assertEqual(
            agreement.statement_ids.mapped("period_start"),
            [
                self.env["distrib.rebate.accrual"]._fields["date"].to_date(d)
                for d in ("2026-01-01", "2026-02-01")
            ],
        )

    # ------------------------------------------------------------------
    # 4. settlement
    # ------------------------------------------------------------------
    def test_settlement_by_credit_note_clears_the_accrual(self):
        agreement = self._agreement()
        self._invoice(60000.0)
        self._invoice(50000.0)
        [refund_id] = agreement.action_settle()
        refund = self.env["account.move"].browse(refund_id)
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.state, "posted")
        self.assertEqual(refund.partner_id, self.customer)
        self.assertAlmostEqual(refund.amount_total, 3300.0)
        self.assertAlmostEqual(self._accrued(agreement), 0.0)
        row = agreement.statement_ids
        self.assertAlmostEqual(row.base, 110000.0)
        self.assertEqual(row.rate, 3.0)
        self.assertAlmostEqual(row.earned_amount, 3300.0)
        self.assertAlmostEqual(row.accrued_amount, 3300.0)
        self.assertAlmostEqual(row.settled_amount, 3300.0)
        self.assertAlmostEqual(row.open_amount, 0.0)
        self.assertEqual(row.settlement_move_id, refund)
        # the credit note itself earns no rebate
        self.assertFalse(self.Accrual.search([("invoice_id", "=", refund.id)]))
        # settling twice is refused, nothing written
        count = self.Accrual.search_count([])
        with self.assertRaisesRegex(UserError, "nothing left to settle"):
            agreement.action_settle()
        with self.assertRaisesRegex(UserError, "already settled on"):
            agreement.action_settle("2026-01-01")
        with self.assertRaisesRegex(UserError, "as a date"):
            agreement.action_settle("soon")
        self.assertEqual(self.Accrual.search_count([]), count)

    def test_late_documents_reopen_a_settled_period(self):
        """An invoice posted into a settled period is settled by a second credit
        note; a credit note that drops the period to a lower tier claims the
        over-credited rebate back on an invoice."""
        agreement = self._agreement()
        self._invoice(60000.0)
        self._invoice(50000.0)
        first = self.env["account.move"].browse(agreement.action_settle())
        self.assertAlmostEqual(first.amount_total, 3300.0)
        # a late invoice of the same period: 120,000 at 3 %
        self._invoice(10000.0, date="2026-02-20")
        self.assertAlmostEqual(self._accrued(agreement), 300.0)
        self.assertAlmostEqual(agreement.statement_ids.open_amount, 300.0)
        second = self.env["account.move"].browse(agreement.action_settle())
        self.assertEqual(second.move_type, "out_refund")
        self.assertAlmostEqual(second.amount_total, 300.0)
        self.assertAlmostEqual(self._accrued(agreement), 0.0)
        with self.assertRaisesRegex(UserError, "nothing left to settle"):
            agreement.action_settle()
        # a late credit note: 90,000 earns 2 %, 1,800; 3,600 was credited
        self._invoice(30000.0, move_type="out_refund", date="2026-02-25")
        self.env.invalidate_all()  # the statement is a view over the ledger
        row = agreement.statement_ids
        self.assertAlmostEqual(row.earned_amount, 1800.0)
        self.assertAlmostEqual(row.open_amount, -1800.0)
        [claim_id] = agreement.action_settle("2026-01-01")
        claim = self.env["account.move"].browse(claim_id)
        self.assertEqual(claim.move_type, "out_invoice")
        self.assertEqual(claim.state, "posted")
        self.assertAlmostEqual(claim.amount_total, 1800.0)
        self.assertAlmostEqual(self._accrued(agreement), 0.0)
        self.env.invalidate_all()
        self.assertAlmostEqual(agreement.statement_ids.settled_amount, 1800.0)
        self.assertEqual(
            self.Accrual.search(
                [("agreement_id", "=", agreement.id), ("kind", "=", "settlement")],
                order="id",
            ).mapped("posting_number"),
            [1, 2, 3],
        )
        with self.assertRaisesRegex(UserError, "already settled on"):
            agreement.action_settle("2026-01-01")

    def test_settlement_as_payable(self):
        agreement = self._agreement(settlement_type="payable")
        self._invoice(10000.0)
        [entry_id] = agreement.action_settle()
        entry = self.env["account.move"].browse(entry_id)
        payable = entry.line_ids.filtered(
            lambda line: line.account_id.account_type == "liability_payable"
        )
        self.assertAlmostEqual(payable.credit, 200.0)
        self.assertEqual(payable.partner_id, self.customer)
        self.assertAlmostEqual(self._accrued(agreement), 0.0)

    def test_only_finance_settles(self):
        agreement = self._agreement()
        self._invoice(10000.0)
        with self.assertRaisesRegex(UserError, "Only finance"):
            agreement.with_user(self._sales_user()).action_settle()

    def test_ledger_is_append_only(self):
        agreement = self._agreement()
        self._invoice(10000.0)
        record = self.Accrual.search([("agreement_id", "=", agreement.id)])
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            record.write({"amount": 1.0})
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            record.unlink()
        with self.assertRaisesRegex(UserError, "never entered by hand"):
            self.Accrual.create({"agreement_id": agreement.id})
        with self.assertRaisesRegex(UserError, "without accruals"):
            agreement.unlink()

    # ------------------------------------------------------------------
    # multi-currency: converted at the invoice date
    # ------------------------------------------------------------------
    def test_foreign_currency_invoice_is_converted_at_invoice_date(self):
        eur = self.setup_other_currency(
            "EUR", rates=[("2026-01-01", 2.0), ("2026-06-01", 4.0)]
        )
        agreement = self._agreement()
        invoice = self._invoice(20000.0, currency=eur, date="2026-02-10")
        record = self.Accrual.search([("invoice_id", "=", invoice.id)])
        # 20,000 EUR at 2 EUR per company unit: 10,000, the value the ledger holds
        self.assertAlmostEqual(record.base, 10000.0)
        self.assertAlmostEqual(record.amount, 200.0)
        self.assertEqual(agreement.currency_id, self.company.currency_id)
        [refund_id] = agreement.action_settle()
        self.assertAlmostEqual(
            self.env["account.move"].browse(refund_id).amount_total, 200.0
        )
        self.assertAlmostEqual(self._accrued(agreement), 0.0)

    # ------------------------------------------------------------------
    # multi-company
    # ------------------------------------------------------------------
    def test_other_company_sees_nothing(self):
        agreement = self._agreement()
        self._invoice(10000.0)
        other = self._distrib_other_company("RB Other Co")
        user = self._distrib_user("rb_other_finance", "base.group_user,finance", other)
        self.assertFalse(
            self.Agreement.with_user(user).search([("id", "=", agreement.id)])
        )
        self.assertFalse(
            self.Accrual.with_user(user).search([("agreement_id", "=", agreement.id)])
        )
        # an agreement cannot use another company's accounts
        other_account = self.env["account.account"].create(
            {
                "name": "Other accrual",
                "code": "RB2199",
                "account_type": "liability_current",
                "company_ids": [Command.set(other.ids)],
            }
        )
        with self.assertRaises(UserError):
            self._agreement(
                name="Cross",
                date_from="2028-01-01",
                date_to="2028-12-31",
                accrual_account_id=other_account.id,
                activate=False,
            )
