from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import DistribIntercompanyCommon


@tagged("post_install", "-at_install")
class TestIntercompanyFulfilment(DistribIntercompanyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls._create_rule()
        cls.product.tracking = "lot"

    def _b_env(self, user):
        return self.env(
            user=user,
            context=dict(self.env.context, allowed_company_ids=user.company_id.ids),
        )

    def _confirm(self, quantity=5.0):
        order = self._customer_order(quantity=quantity)
        order.action_confirm()
        purchase = order.distrib_ic_purchase_ids
        return order, purchase, purchase.distrib_ic_sale_order_id

    def _ship_b(self, sale, lots_quantities, backorder=True):
        """B's warehouse user ships ``[(lot, quantity)]``."""
        picking = sale.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        picking = picking.with_env(self._b_env(self.warehouse_user_b))
        picking.action_assign()
        move = picking.move_ids
        move.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            [
                {
                    "move_id": move.id,
                    "picking_id": picking.id,
                    "product_id": self.product.id,
                    "lot_id": lot.id,
                    "quantity": quantity,
                    "location_id": move.location_id.id,
                    "location_dest_id": move.location_dest_id.id,
                }
                for lot, quantity in lots_quantities
            ]
        )
        move.picked = True
        context = {"skip_backorder": True}
        if not backorder:
            context["picking_ids_not_to_backorder"] = picking.ids
        picking.with_context(**context).button_validate()
        return picking

    def test_transfer_receipt_follows_delivery(self):
        lot1, lot2 = self._stock_b(3, "LOT-1"), self._stock_b(2, "LOT-2")
        order, purchase, sale = self._confirm(5.0)
        b_picking = self._ship_b(sale, [(lot1, 3), (lot2, 2)])
        self.assertEqual(b_picking.state, "done")
        receipt = purchase.picking_ids
        self.assertEqual(receipt.state, "done")
        self.assertEqual(
            sorted(
                receipt.move_line_ids.mapped(lambda ml: (ml.lot_id.name, ml.quantity))
            ),
            [("LOT-1", 3.0), ("LOT-2", 2.0)],
        )
        self.assertEqual(receipt.move_line_ids.lot_id.company_id, self.company_a)
        self.assertEqual(purchase.order_line.qty_received, 5.0)
        self.assertEqual(receipt.location_dest_id, self.warehouse_a.lot_stock_id)
        # the stock is now in A's warehouse, the customer's delivery can reserve it
        delivery = order.picking_ids
        delivery.action_assign()
        self.assertEqual(delivery.state, "assigned")

    def test_partial_delivery_backorders_both_sides(self):
        lot1 = self._stock_b(5, "LOT-1")
        _order, purchase, sale = self._confirm(5.0)
        self._ship_b(sale, [(lot1, 2)])
        receipts = purchase.picking_ids
        self.assertEqual(len(receipts), 2)
        done = receipts.filtered(lambda p: p.state == "done")
        self.assertEqual(done.move_ids.quantity, 2.0)
        backorder = receipts - done
        self.assertEqual(backorder.move_ids.product_uom_qty, 3.0)
        self.assertEqual(len(sale.picking_ids), 2)
        # B ships the rest from its backorder
        self._ship_b(sale, [(lot1, 3)])
        self.assertEqual(set(purchase.picking_ids.mapped("state")), {"done"})
        self.assertEqual(purchase.order_line.qty_received, 5.0)

    def test_partial_delivery_without_backorder(self):
        lot1 = self._stock_b(5, "LOT-1")
        _order, purchase, sale = self._confirm(5.0)
        self._ship_b(sale, [(lot1, 2)], backorder=False)
        self.assertEqual(len(purchase.picking_ids), 1)
        self.assertEqual(purchase.picking_ids.state, "done")
        self.assertEqual(purchase.order_line.qty_received, 2.0)

    def test_refused_when_receipt_is_gone(self):
        lot1 = self._stock_b(5, "LOT-1")
        _order, purchase, sale = self._confirm(5.0)
        purchase.picking_ids.action_cancel()
        with (
            self.assertRaisesRegex(UserError, "already done or cancelled"),
            self.cr.savepoint(),
        ):
            self._ship_b(sale, [(lot1, 5)])
        self.assertNotEqual(sale.picking_ids.state, "done")

    def test_no_auto_validation(self):
        self.rule.auto_validate = False
        lot1 = self._stock_b(5, "LOT-1")
        _order, purchase, sale = self._confirm(5.0)
        self._ship_b(sale, [(lot1, 5)])
        receipt = purchase.picking_ids
        self.assertEqual(receipt.state, "assigned")
        self.assertEqual(receipt.move_line_ids.lot_id.name, "LOT-1")
        self.assertEqual(receipt.move_ids.quantity, 5.0)

    def test_direct_ship_delivers_customer(self):
        self.rule.fulfilment_mode = "direct"
        lot1 = self._stock_b(5, "LOT-1")
        order, purchase, sale = self._confirm(4.0)
        self.assertEqual(sale.picking_ids.partner_id, order.partner_shipping_id)
        self._ship_b(sale, [(lot1, 4)])
        receipt = purchase.picking_ids
        self.assertEqual(receipt.state, "done")
        self.assertEqual(receipt.location_dest_id.usage, "customer")
        self.assertEqual(receipt.move_line_ids.lot_id.name, "LOT-1")
        self.assertEqual(order.order_line.qty_delivered, 4.0)
        self.assertFalse(order.picking_ids - receipt)

    def test_invoice_creates_bill(self):
        self.product.tracking = "none"
        self._stock_b(5)
        _order, purchase, sale = self._confirm(5.0)
        picking = sale.picking_ids.with_env(self._b_env(self.warehouse_user_b))
        picking.action_assign()
        picking.move_ids.picked = True
        picking.button_validate()
        invoice = sale.with_env(self._b_env(self.ic_user_b))._create_invoices()
        invoice.action_post()
        bill = self.env["account.move"].search(
            [("distrib_ic_source_move_id", "=", invoice.id)]
        )
        self.assertEqual(bill.company_id, self.company_a)
        self.assertEqual(bill.move_type, "in_invoice")
        self.assertEqual(bill.state, "posted")
        self.assertEqual(bill.partner_id, self.company_b.partner_id)
        self.assertEqual(bill.ref, invoice.name)
        self.assertEqual(bill.currency_id, invoice.currency_id)
        self.assertAlmostEqual(bill.amount_total, invoice.amount_total)
        self.assertAlmostEqual(bill.amount_total, 550.0)
        self.assertEqual(bill.invoice_line_ids.purchase_line_id, purchase.order_line)
        self.assertEqual(purchase.order_line.qty_invoiced, 5.0)
        self.assertEqual(bill.create_uid, self.ic_user_a)
        # posting again (a replay) does not create a second bill
        invoice._distrib_ic_create_bills()
        self.assertEqual(
            self.env["account.move"].search_count(
                [("distrib_ic_source_move_id", "=", invoice.id)]
            ),
            1,
        )

    def test_credit_note_creates_refund(self):
        self.product.tracking = "none"
        _order, purchase, sale = self._confirm(5.0)
        sale.order_line.qty_delivered = 5.0
        invoice = sale._create_invoices()
        invoice.action_post()
        credit = invoice._reverse_moves()
        credit.invoice_line_ids.quantity = 2.0
        credit.action_post()
        refund = self.env["account.move"].search(
            [("distrib_ic_source_move_id", "=", credit.id)]
        )
        self.assertEqual(refund.move_type, "in_refund")
        self.assertEqual(refund.state, "posted")
        self.assertAlmostEqual(refund.amount_total, credit.amount_total)
        self.assertEqual(purchase.order_line.qty_invoiced, 3.0)
        Balance = self.env["distrib.intercompany.balance"]
        totals = Balance._distrib_pair_totals(self.company_b, self.company_a)
        self.assertEqual(totals[invoice.currency_id], (330.0, 330.0, 0.0))

    def test_bill_in_draft_without_auto_validation(self):
        self.rule.auto_validate = False
        self.product.tracking = "none"
        _order, _purchase, sale = self._confirm(5.0)
        sale.order_line.qty_delivered = 5.0
        invoice = sale._create_invoices()
        invoice.action_post()
        bill = self.env["account.move"].search(
            [("distrib_ic_source_move_id", "=", invoice.id)]
        )
        self.assertEqual(bill.state, "draft")
        self.assertEqual(bill.invoice_line_ids.quantity, 5.0)


@tagged("post_install", "-at_install")
class TestIntercompanyMultiCurrency(DistribIntercompanyCommon):
    company_b_currency = "EUR"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls._create_rule()

    def test_bill_uses_transaction_date_rate(self):
        order = self._customer_order(quantity=5.0)
        order.action_confirm()
        purchase = order.distrib_ic_purchase_ids
        sale = purchase.distrib_ic_sale_order_id
        self.assertEqual(sale.currency_id, self.company_b.currency_id)
        self.assertEqual(purchase.currency_id, self.company_b.currency_id)
        # 100 EUR cost + 10 %
        self.assertAlmostEqual(purchase.order_line.price_unit, 110.0)
        sale.order_line.qty_delivered = 5.0
        invoice = sale._create_invoices()
        invoice.invoice_date = "2016-06-01"
        invoice.action_post()
        bill = self.env["account.move"].search(
            [("distrib_ic_source_move_id", "=", invoice.id)]
        )
        self.assertEqual(bill.currency_id, self.company_b.currency_id)
        self.assertAlmostEqual(bill.amount_total, 550.0)
        self.assertEqual(bill.invoice_date, invoice.invoice_date)
        # 2016 rate: 3 EUR per unit of A's currency
        self.assertEqual(self.company_a.currency_id, self.env.ref("base.USD"))
        self.assertAlmostEqual(-bill.amount_total_signed, 550.0 / 3.0, places=2)


@tagged("post_install", "-at_install")
class TestIntercompanyBalance(DistribIntercompanyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls._create_rule()
        cls.env.user.groups_id |= cls.env.ref("distrib_atp.group_distrib_finance")

    def _invoice(self, quantity=5.0):
        order = self._customer_order(quantity=quantity)
        order.action_confirm()
        sale = order.distrib_ic_purchase_ids.distrib_ic_sale_order_id
        sale.order_line.qty_delivered = quantity
        invoice = sale._create_invoices()
        invoice.action_post()
        return invoice

    def test_balances_net_and_list_gaps(self):
        Balance = self.env["distrib.intercompany.balance"]
        invoice = self._invoice(5.0)
        totals = Balance._distrib_pair_totals(self.company_b, self.company_a)
        currency = invoice.currency_id
        self.assertEqual(totals[currency], (550.0, 550.0, 0.0))
        rows = Balance.search([("invoice_id", "=", invoice.id)])
        self.assertEqual(rows.state, "matched")
        # a bill cancelled in A stops the pair netting: the report names it
        bill = rows.bill_id
        bill.button_draft()
        Balance.invalidate_model()
        totals = Balance._distrib_pair_totals(self.company_b, self.company_a)
        self.assertEqual(totals[currency], (550.0, 0.0, 550.0))
        gap = Balance.search([("state", "!=", "matched")])
        self.assertEqual(gap.invoice_id, invoice)
        self.assertEqual(gap.state, "missing_bill")
        # a finance user of A alone sees the pair, but not B's invoice
        finance_a = new_test_user(
            self.env,
            login="finance_a",
            groups="base.group_user,distrib_atp.group_distrib_finance",
            company_id=self.company_a.id,
            company_ids=[Command.set(self.company_a.ids)],
        )
        Balance.invalidate_model()
        rows = (
            Balance.with_user(finance_a)
            .with_context(allowed_company_ids=self.company_a.ids)
            .search([])
        )
        self.assertEqual(rows.state, "missing_bill")
        self.assertFalse(rows.invoice_id)
