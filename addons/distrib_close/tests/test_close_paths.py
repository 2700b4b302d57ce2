import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import DistribCloseCommon

OCT = datetime.date(2026, 10, 1)
OCT_END = datetime.date(2026, 10, 31)
NOV_1 = datetime.date(2026, 11, 1)


@tagged("post_install", "-at_install")
class TestClosePaths(DistribCloseCommon):
    """The cockpit's intercompany check, the sale accruals and the daily job."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyer_company = cls._distrib_other_company("IC Buyer Co")

    def _period(self, company=None, start=OCT):
        return self.env["distrib.close.period"].create(
            {"company_id": (company or self.company).id, "date_start": start}
        )

    def _item(self, period, code):
        return period.item_ids.filtered(lambda i: i.code == code)

    def _move(self, company, move_type, partner, amount, date, **vals):
        move = (
            self.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": move_type,
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "invoice_date": date,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Intercompany goods",
                                "quantity": 1.0,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                    **vals,
                }
            )
        )
        move.action_post()
        return move

    def _break_exception(self, period):
        return self.env["distrib.exception"].search(
            [
                ("exception_type", "=", "intercompany_break"),
                ("res_model", "=", "distrib.close.period"),
                ("res_id", "=", period.id),
            ]
        )

    # ------------------------------------------------------------------
    # intercompany
    # ------------------------------------------------------------------
    def test_intercompany_break_raises_and_blocks_until_matched(self):
        with freeze_time("2026-10-15"):
            invoice = self._move(
                self.company,
                "out_invoice",
                self.buyer_company.partner_id,
                250.0,
                "2026-10-15",
            )
        with freeze_time("2026-11-03"):
            period = self._period()
            self.env["distrib.accrual.run"]._run_for(self.company, OCT_END)
            period.action_refresh()
            item = self._item(period, "intercompany")
            self.assertEqual(item.state, "blocked")
            self.assertIn("do not net to zero", item.detail)
            exception = self._break_exception(period)
            self.assertEqual(len(exception), 1)
            self.assertNotIn(exception.state, ("resolved", "cancelled"))
            self.assertIn(invoice.name, exception.details)
            self.assertAlmostEqual(exception.impact_amount, 250.0)
            message = period.action_lock()["params"]["message"]
            self.assertIn("Intercompany balances net to zero", message)
            self.assertFalse(self.company.fiscalyear_lock_date)
            # refreshing again does not raise the break twice
            period.action_refresh()
            self.assertEqual(self._break_exception(period), exception)
            # the buyer books the matching bill: the pair nets to zero
            self._move(
                self.buyer_company,
                "in_invoice",
                self.company.partner_id,
                250.0,
                "2026-10-16",
                distrib_ic_source_move_id=invoice.id,
            )
            period.action_refresh()
            self.assertEqual(item.state, "done")
            self.assertEqual(exception.state, "resolved")
            period.action_lock()
        self.assertEqual(period.state, "closed")
        self.assertEqual(self.company.fiscalyear_lock_date, OCT_END)

    def test_intercompany_mismatch_is_a_break(self):
        with freeze_time("2026-10-15"):
            invoice = self._move(
                self.company,
                "out_invoice",
                self.buyer_company.partner_id,
                250.0,
                "2026-10-15",
            )
            self._move(
                self.buyer_company,
                "in_invoice",
                self.company.partner_id,
                240.0,
                "2026-10-16",
                distrib_ic_source_move_id=invoice.id,
            )
        with freeze_time("2026-11-03"):
            period = self._period()
            period.action_refresh()
        self.assertEqual(self._item(period, "intercompany").state, "blocked")
        exception = self._break_exception(period)
        self.assertAlmostEqual(exception.impact_amount, 10.0)

    # ------------------------------------------------------------------
    # sale accruals
    # ------------------------------------------------------------------
    def test_sale_delivered_not_invoiced_accrued_and_reversed(self):
        dni = self._account(
            self.company, "D11030", "Delivered Not Invoiced", "asset_current"
        )
        self.company.distrib_accrued_revenue_account_id = dni
        on_order = self._distrib_product(
            "Crate on order",
            taxes=False,
            categ_id=self.accounts["goods_categ"].id,
            invoice_policy="order",
        )
        on_delivery = self._distrib_product(
            "Crate on delivery",
            taxes=False,
            categ_id=self.accounts["goods_categ"].id,
            invoice_policy="delivery",
        )
        stock = self.warehouse.lot_stock_id
        with freeze_time("2026-10-10"):
            for product in on_order | on_delivery:
                self._distrib_stock(product, stock, 20.0)
            order = self.env["sale.order"].create(
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "warehouse_id": self.warehouse.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": on_order.id,
                                "product_uom_qty": 5.0,
                                "price_unit": 20.0,
                                "tax_id": [Command.clear()],
                            }
                        ),
                        Command.create(
                            {
                                "product_id": on_delivery.id,
                                "product_uom_qty": 10.0,
                                "price_unit": 10.0,
                                "tax_id": [Command.clear()],
                            }
                        ),
                    ],
                }
            )
            order.action_confirm()
            picking = order.picking_ids
            for move in picking.move_ids:
                move.quantity = 5.0 if move.product_id == on_order else 4.0
            picking.move_ids.picked = True
            self._validate(picking, backorder="backorder")
        Run = self.env["distrib.accrual.run"]
        with freeze_time("2026-11-03"):
            run = Run._run_for(self.company, OCT_END)
            moves_before = self.env["account.move"].search_count([])
            self.assertEqual(Run._run_for(self.company, OCT_END), run)
            self.assertEqual(self.env["account.move"].search_count([]), moves_before)
        # invoiced on order: the whole order line; on delivery: what shipped
        self.assertAlmostEqual(run.amount_sale, 5 * 20.0 + 4 * 10.0)
        self.assertEqual(run.sale_order_count, 1)
        self.assertAlmostEqual(run.amount_purchase, 0.0)
        self.assertEqual(run.state, "posted")
        dni_lines = run.move_id.line_ids.filtered(lambda line: line.account_id == dni)
        self.assertAlmostEqual(sum(dni_lines.mapped("balance")), 140.0)
        self.assertEqual(run.reversal_move_id.date, NOV_1)
        self.assertAlmostEqual(self._balance(dni), 0.0)

    def test_grni_report_counts_posted_bills_only(self):
        order = self._create_po(qty=10.0, price=10.0)
        self._receive(order)
        bill = self._create_bill(order, qty=10.0)
        grni = self.env["distrib.grni.report"]
        domain = [("company_id", "=", self.company.id)]
        # a draft (e.g. held) bill has not cleared the stock input account yet
        self.assertEqual(order.order_line.qty_invoiced, 10.0)
        self.assertAlmostEqual(sum(grni.search(domain).mapped("value")), 100.0)
        self.assertAlmostEqual(-self._balance(self.accounts["interim_in"]), 100.0)
        bill.action_post()
        self.assertFalse(grni.search(domain))
        self.assertAlmostEqual(self._balance(self.accounts["interim_in"]), 0.0)

    # ------------------------------------------------------------------
    # the daily job
    # ------------------------------------------------------------------
    def test_cron_prepares_each_company_once(self):
        self._setup_eur_company()
        # an opted-in company without a received-not-billed account
        self.eur_company.distrib_accrual_account_id = False
        with freeze_time("2026-10-15"):
            order = self._create_po(qty=10.0, price=10.0)
            self._receive(order)
        Period = self.env["distrib.close.period"]
        with freeze_time("2026-11-02"):
            Period._cron_prepare_close()
            Period._cron_prepare_close()
        periods = Period.search(
            [
                ("company_id", "in", (self.company | self.eur_company).ids),
                ("date_start", "=", OCT),
            ]
        )
        self.assertEqual(len(periods), 2)
        own = periods.filtered(lambda p: p.company_id == self.company)
        eur = periods - own
        self.assertTrue(own.last_refresh and eur.last_refresh)
        # accruals run once for the company with its account, not for the other
        runs = self.env["distrib.accrual.run"].search(
            [("company_id", "in", periods.company_id.ids), ("date", "=", OCT_END)]
        )
        self.assertEqual(runs.company_id, self.company)
        self.assertAlmostEqual(runs.amount_purchase, 100.0)
        self.assertEqual(self._item(own, "accruals").state, "done")
        self.assertEqual(self._item(eur, "accruals").state, "blocked")
        # every automatic item was checked, in each company
        for period in periods:
            autos = period.item_ids.filtered(lambda i: i.kind == "auto")
            self.assertEqual(len(autos), 7)
            self.assertNotIn("todo", autos.mapped("state"))
        # a company that did not opt in gets no close
        self.assertFalse(Period.search([("company_id", "=", self.buyer_company.id)]))
