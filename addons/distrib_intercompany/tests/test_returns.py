from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import DistribIntercompanyCommon


class IntercompanyReturnsCommon(DistribIntercompanyCommon):
    """B holds 10 of lot LOT-R; helpers to ship, return and invoice."""

    fulfilment_mode = "transfer"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls._create_rule(fulfilment_mode=cls.fulfilment_mode)
        cls.product.tracking = "lot"
        cls.lot = cls._stock_b(10, "LOT-R")

    def _env_of(self, user):
        return self.env(
            user=user,
            context=dict(self.env.context, allowed_company_ids=user.company_id.ids),
        )

    def _shipped(self, quantity=5.0, user=None):
        order = self._customer_order(quantity=quantity, user=user)
        order.action_confirm()
        order = order.with_env(self.env)
        purchase = order.distrib_ic_purchase_ids
        sale = purchase.distrib_ic_sale_order_id
        picking = sale.picking_ids
        picking.action_assign()
        picking.move_ids.picked = True
        picking.with_context(skip_backorder=True).button_validate()
        self.assertEqual(purchase.picking_ids.state, "done")
        return order, purchase, sale

    def _return(self, picking, quantity, user=None, location_dest=None):
        """``user`` returns ``quantity`` of lot LOT-R from the done ``picking``."""
        if user:
            picking = picking.with_env(self._env_of(user))
        wizard = (
            picking.env["stock.return.picking"]
            .with_context(active_id=picking.id, active_model="stock.picking")
            .create({"picking_id": picking.id})
        )
        wizard.product_return_moves.quantity = quantity
        returned = picking.browse(wizard.action_create_returns()["res_id"])
        if location_dest:
            returned.location_dest_id = location_dest
        returned.move_ids.move_line_ids.unlink()
        lot = (
            self.env["stock.lot"]
            .sudo()
            .search(
                [("name", "=", "LOT-R"), ("company_id", "=", returned.company_id.id)]
            )
        )
        move = returned.move_ids
        returned.env["stock.move.line"].create(
            {
                "move_id": move.id,
                "picking_id": returned.id,
                "product_id": self.product.id,
                "lot_id": lot.id,
                "quantity": quantity,
                "location_id": move.location_id.id,
                "location_dest_id": move.location_dest_id.id,
            }
        )
        move.picked = True
        returned.with_context(skip_backorder=True).button_validate()
        return returned.with_env(self.env)

    def _invoice_b(self, sale):
        """B's intercompany user invoices what B delivered."""
        invoice = sale.with_env(self._env_of(self.ic_user_b))._create_invoices()
        invoice.action_post()
        return invoice.with_env(self.env)

    def _mirrors(self, moves):
        return self.env["account.move"].search(
            [("distrib_ic_source_move_id", "in", moves.ids)]
        )

    def _b_stock(self):
        return self.env["stock.quant"]._get_available_quantity(
            self.product, self.warehouse_b.lot_stock_id, lot_id=self.lot
        )


@tagged("post_install", "-at_install")
class TestIntercompanyReturns(IntercompanyReturnsCommon):
    def test_buyer_return_is_taken_back_by_supplier(self):
        _order, purchase, sale = self._shipped(5.0)
        receipt = purchase.picking_ids
        self._return(receipt, 2.0)
        self.assertEqual(purchase.order_line.qty_received, 3.0)
        b_return = sale.picking_ids.filtered("distrib_ic_mirrored")
        self.assertEqual(b_return.state, "done")
        self.assertEqual(b_return.move_line_ids.lot_id.name, "LOT-R")
        self.assertEqual(b_return.move_line_ids.lot_id.company_id, self.company_b)
        self.assertEqual(b_return.move_ids.quantity, 2.0)
        self.assertEqual(sale.order_line.qty_delivered, 3.0)

    def test_supplier_return_is_returned_by_buyer(self):
        _order, purchase, sale = self._shipped(5.0)
        delivery = sale.picking_ids
        self._return(delivery, 1.0)
        self.assertEqual(sale.order_line.qty_delivered, 4.0)
        a_return = purchase.picking_ids.filtered("distrib_ic_mirrored")
        self.assertEqual(a_return.state, "done")
        self.assertEqual(a_return.move_line_ids.lot_id.company_id, self.company_a)
        self.assertEqual(purchase.order_line.qty_received, 4.0)
        # the mirrored return is not mirrored back
        self.assertEqual(len(sale.picking_ids), 2)

    def test_return_credits_posted_invoice(self):
        """B invoiced and A's bill is posted: A's return makes B credit the
        returned quantity, and B's credit note makes A's vendor refund."""
        _order, purchase, sale = self._shipped(5.0)
        invoice = self._invoice_b(sale)
        bill = self._mirrors(invoice)
        self.assertEqual(bill.state, "posted")
        self._return(purchase.picking_ids, 2.0)
        b_return = sale.picking_ids.filtered("distrib_ic_mirrored")
        credit_note = sale.invoice_ids.filtered(
            lambda move: move.move_type == "out_refund"
        )
        self.assertEqual(credit_note.state, "posted")
        self.assertEqual(credit_note.company_id, self.company_b)
        self.assertEqual(credit_note.create_uid, self.ic_user_b)
        self.assertEqual(credit_note.reversed_entry_id, invoice)
        self.assertEqual(credit_note.invoice_line_ids.quantity, 2.0)
        self.assertAlmostEqual(credit_note.amount_total, 220.0)
        self.assertIn(b_return.name, credit_note.ref)
        refund = self._mirrors(credit_note)
        self.assertEqual(refund.move_type, "in_refund")
        self.assertEqual(refund.state, "posted")
        self.assertEqual(refund.company_id, self.company_a)
        self.assertAlmostEqual(refund.amount_total, 220.0)
        # both orders: 3 delivered/received, 3 invoiced/billed
        self.assertEqual(sale.order_line.qty_delivered, 3.0)
        self.assertEqual(sale.order_line.qty_invoiced, 3.0)
        self.assertEqual(purchase.order_line.qty_received, 3.0)
        self.assertEqual(purchase.order_line.qty_invoiced, 3.0)
        totals = self.env["distrib.intercompany.balance"]._distrib_pair_totals(
            self.company_b, self.company_a
        )
        self.assertEqual(totals[invoice.currency_id], (330.0, 330.0, 0.0))
        # validating again, or a replay, credits nothing twice
        self.assertFalse(b_return._distrib_ic_credit_returns())
        self.assertFalse(credit_note._distrib_ic_create_bills())
        self.assertEqual(len(sale.invoice_ids), 2)
        self.assertEqual(self._mirrors(credit_note), refund)

    def test_supplier_return_credits_posted_invoice(self):
        _order, purchase, sale = self._shipped(5.0)
        self._invoice_b(sale)
        self._return(sale.picking_ids, 1.0, user=self.warehouse_user_b)
        credit_note = sale.invoice_ids.filtered(
            lambda move: move.move_type == "out_refund"
        )
        self.assertEqual(credit_note.invoice_line_ids.quantity, 1.0)
        self.assertEqual(credit_note.create_uid, self.ic_user_b)
        self.assertEqual(self._mirrors(credit_note).state, "posted")
        self.assertEqual(purchase.order_line.qty_invoiced, 4.0)
        self.assertEqual(purchase.order_line.qty_received, 4.0)

    def test_return_before_invoicing_credits_nothing(self):
        """Not invoiced yet: nothing to credit, B invoices what is left."""
        _order, _purchase, sale = self._shipped(5.0)
        self._return(sale.picking_ids, 2.0)
        self.assertFalse(sale.invoice_ids)
        invoice = self._invoice_b(sale)
        self.assertEqual(invoice.invoice_line_ids.quantity, 3.0)
        self.assertEqual(sale.order_line.qty_invoiced, 3.0)

    def test_credit_note_in_draft_without_auto_validation(self):
        """Unticked auto-validation: B validates the mirrored return itself; its
        credit note waits in draft, and A's refund follows once B posts it."""
        _order, purchase, sale = self._shipped(5.0)
        self._invoice_b(sale)
        self.rule.auto_validate = False
        self._return(purchase.picking_ids, 2.0)
        b_return = sale.picking_ids.filtered("distrib_ic_mirrored")
        self.assertEqual(b_return.state, "assigned")
        self.assertFalse(
            sale.invoice_ids.filtered(lambda m: m.move_type == "out_refund")
        )
        b_return.with_env(self._env_of(self.warehouse_user_b)).button_validate()
        credit_note = sale.invoice_ids.filtered(
            lambda move: move.move_type == "out_refund"
        )
        self.assertEqual(credit_note.state, "draft")
        self.assertEqual(credit_note.invoice_line_ids.quantity, 2.0)
        self.assertFalse(self._mirrors(credit_note))
        # a draft credit note already covers the return
        self.assertFalse(b_return._distrib_ic_credit_returns())
        credit_note.action_post()
        self.assertEqual(self._mirrors(credit_note).state, "draft")
        self.assertEqual(len(sale.invoice_ids), 2)


@tagged("post_install", "-at_install")
class TestIntercompanyDirectReturns(IntercompanyReturnsCommon):
    """Direct ship: B delivers A's customer; A's receipt is the delivery."""

    fulfilment_mode = "direct"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep_a = new_test_user(
            cls.env,
            login="rep_a",
            groups="base.group_user,sales_team.group_sale_salesman,"
            "stock.group_stock_user",
            company_id=cls.company_a.id,
            company_ids=[Command.set(cls.company_a.ids)],
        )

    def _assert_quantities(self, order, purchase, sale, quantity):
        self.assertEqual(order.order_line.qty_delivered, quantity)
        self.assertEqual(purchase.order_line.qty_received, quantity)
        self.assertEqual(sale.order_line.qty_delivered, quantity)

    def test_customer_return_from_the_order(self):
        """A's salesperson returns the delivery listed on the customer's order:
        the goods go back to B, which takes them into its stock with the same
        lot; all three orders show 3 delivered, B credits and A is refunded."""
        order, purchase, sale = self._shipped(5.0, user=self.rep_a)
        invoice = self._invoice_b(sale)
        delivery = order.with_env(self._env_of(self.rep_a)).picking_ids
        self.assertEqual(delivery, purchase.picking_ids)
        stock_before = self._b_stock()
        a_return = self._return(delivery, 2.0, user=self.rep_a)
        self.assertEqual(a_return.state, "done")
        self.assertEqual(a_return.location_id.usage, "customer")
        self.assertIn(a_return, order.picking_ids)
        self._assert_quantities(order, purchase, sale, 3.0)
        b_return = sale.picking_ids.filtered("distrib_ic_mirrored")
        self.assertEqual(b_return.state, "done")
        self.assertEqual(b_return.location_id.usage, "customer")
        self.assertEqual(b_return.location_dest_id, self.warehouse_b.lot_stock_id)
        self.assertEqual(b_return.move_line_ids.lot_id, self.lot)
        self.assertEqual(self._b_stock(), stock_before + 2.0)
        credit_note = sale.invoice_ids - invoice
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.invoice_line_ids.quantity, 2.0)
        self.assertEqual(self._mirrors(credit_note).state, "posted")
        self.assertEqual(purchase.order_line.qty_invoiced, 3.0)

    def test_supplier_receives_customer_return(self):
        """The customer sends the goods back to B: B returns its delivery, A's
        receipt (the customer's delivery) is returned too."""
        order, purchase, sale = self._shipped(5.0)
        self._return(sale.picking_ids, 2.0, user=self.warehouse_user_b)
        a_return = purchase.picking_ids.filtered("distrib_ic_mirrored")
        self.assertEqual(a_return.state, "done")
        self.assertEqual(a_return.move_line_ids.lot_id.name, "LOT-R")
        self.assertEqual(a_return.move_line_ids.lot_id.company_id, self.company_a)
        self._assert_quantities(order, purchase, sale, 3.0)
        # the customer's order lists the return among its transfers
        self.assertIn(a_return, order.picking_ids)

    def test_return_into_own_stock_stays_with_seller(self):
        """A takes the customer's return into its own warehouse: B is not asked
        to take anything back; A keeps what it bought."""
        order, purchase, sale = self._shipped(5.0)
        self._return(
            order.picking_ids,
            2.0,
            user=self.rep_a,
            location_dest=self.warehouse_a.lot_stock_id,
        )
        self.assertEqual(order.order_line.qty_delivered, 3.0)
        self.assertEqual(purchase.order_line.qty_received, 5.0)
        self.assertEqual(sale.order_line.qty_delivered, 5.0)
        self.assertFalse(sale.picking_ids.filtered("distrib_ic_mirrored"))

    def test_return_refused_when_supplier_has_nothing_left(self):
        """B is already taking everything back (its mirror in A waits to be
        validated): a return by A's salesperson is refused with the reason."""
        order, purchase, sale = self._shipped(5.0)
        self.rule.auto_validate = False
        self._return(sale.picking_ids, 5.0, user=self.warehouse_user_b)
        receipt = purchase.picking_ids.filtered(lambda p: not p.return_id)
        self.assertEqual(
            purchase.picking_ids.filtered("distrib_ic_mirrored").state, "assigned"
        )
        with (
            self.assertRaisesRegex(UserError, "more than is left to return"),
            self.cr.savepoint(),
        ):
            self._return(receipt, 2.0, user=self.rep_a)
        self.assertEqual(order.order_line.qty_delivered, 5.0)
        self.assertEqual(len(sale.picking_ids), 2)
