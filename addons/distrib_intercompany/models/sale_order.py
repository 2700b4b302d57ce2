from collections import defaultdict

from odoo import Command, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, float_compare

from odoo.addons.distrib_atp.rpc import distrib_rpc
from odoo.addons.distrib_atp.server_flags import IC_SYNCING


class SaleOrder(models.Model):
    _inherit = "sale.order"

    distrib_ic_purchase_order_id = fields.Many2one(
        "purchase.order",
        string="Intercompany Purchase",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="On the supplying company's order: the buying company's purchase "
        "order it answers.",
    )
    distrib_ic_purchase_ids = fields.One2many(
        "purchase.order",
        "distrib_ic_customer_order_id",
        string="Intercompany Purchases",
        groups="purchase.group_purchase_user",
        help="Purchase orders to other companies of the group that fulfil lines "
        "of this order.",
    )
    distrib_ic_purchase_count = fields.Integer(
        compute="_compute_distrib_ic_purchase_count",
        groups="purchase.group_purchase_user",
    )

    def _compute_distrib_ic_purchase_count(self):
        for order in self:
            order.distrib_ic_purchase_count = len(order.distrib_ic_purchase_ids)

    def action_confirm(self):
        # first of all: a second confirmation of the same order waits here, then
        # fails with a serialization error that Odoo replays (and the replay
        # finds the order confirmed), instead of racing the first one
        self.filtered(
            lambda order: (
                order.state in ("draft", "sent")
                and order.order_line.filtered("distrib_ic_supplier_company_id")
            )
        )._distrib_ic_lock()
        return super().action_confirm()

    def _action_confirm(self):
        result = super()._action_confirm()
        self._distrib_ic_create_documents()
        return result

    def _action_cancel(self):
        if not IC_SYNCING.is_on(self.env):
            self._distrib_ic_cancel_linked()
        return super()._action_cancel()

    @distrib_rpc(singleton=True)
    def action_distrib_ic_purchases(self):
        self.ensure_one()
        return self.distrib_ic_purchase_ids._distrib_ic_action_open()

    # ------------------------------------------------------------------
    # intercompany documents
    # ------------------------------------------------------------------
    def _distrib_ic_lines_to_source(self):
        """Confirmed lines sourced from another company without live documents."""
        return self.order_line.filtered(
            lambda line: (
                line.distrib_ic_supplier_company_id
                and not line.display_type
                and line.product_id
                and (
                    not line.distrib_ic_purchase_line_id
                    or line.distrib_ic_purchase_line_id.state == "cancel"
                )
            )
        )

    def _distrib_ic_create_documents(self):
        """Purchase A->B and sale B->A for the lines sourced from B, confirmed.

        All or nothing: any failure raises a UserError naming the reason and the
        savepoint undoes what was created on both sides. Idempotent: lines that
        already have live documents are skipped, so running it again (a replayed
        confirmation) creates nothing new.
        """
        orders = self._distrib_ic_lines_to_source().order_id
        if not orders:
            return self.env["purchase.order"]
        # the caller confirms these orders: they must be allowed to change them
        # before documents are created on their behalf as intercompany users
        orders.check_access("write")
        # then, locked, read again which lines still need their documents
        orders._distrib_ic_lock()
        lines = orders._distrib_ic_lines_to_source()
        if not lines:
            return self.env["purchase.order"]
        groups = defaultdict(lambda: self.env["sale.order.line"])
        for line in lines:
            groups[line.order_id, line.distrib_ic_supplier_company_id] |= line
        purchases = self.env["purchase.order"]
        for (order, supplier), group in groups.items():
            rule = group[0]._distrib_ic_rule()
            try:
                with self.env.cr.savepoint():
                    purchases |= order._distrib_ic_create_pair(rule, group)
            except (UserError, ValidationError, AccessError) as error:
                raise UserError(
                    self.env._(
                        "%(order)s cannot be confirmed: its intercompany orders "
                        "with %(supplier)s could not be created. %(reason)s",
                        order=order.name,
                        supplier=supplier.name,
                        reason=error.args[0] if error.args else error,
                    )
                ) from error
        return purchases

    def _distrib_ic_lock(self):
        """Lock these orders until the transaction ends.

        Two transactions confirming the same order, or creating its
        intercompany documents (a double click, a request replayed while the
        first one runs), queue here. Once the first commits, the second fails
        with a serialization error (REPEATABLE READ), which Odoo replays; the
        replay sees the order confirmed and its documents, and creates nothing.
        """
        if not self:
            return
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id IN %s FOR NO KEY UPDATE",
                SQL.identifier(self._table),
                tuple(self.ids),
            )
        )
        self.order_line.invalidate_recordset(["distrib_ic_purchase_line_id"])

    def _distrib_ic_procurement_group(self):
        """The order's procurement group, created as Odoo does when missing.

        In direct mode A's receipt belongs to it: the receipt is listed among the
        order's deliveries, where the salesperson finds it (and returns it).
        """
        self.ensure_one()
        if not self.procurement_group_id:
            self.procurement_group_id = self.env["procurement.group"].create(
                self.order_line[:1]._prepare_procurement_group_vals()
            )
        return self.procurement_group_id

    def _distrib_ic_create_pair(self, rule, lines):
        """Create and confirm the purchase of A and the sale of B for ``lines``."""
        self.ensure_one()
        seller, supplier = rule.company_id, rule.supplier_company_id
        date = fields.Date.context_today(self)
        priced = []
        currency = None
        for line in lines:
            price, line_currency = rule._distrib_unit_price(
                line.product_id, line.product_uom_qty, line.product_uom, date
            )
            if currency and line_currency != currency:
                raise UserError(
                    self.env._("The transfer prices use different currencies.")
                )
            currency = line_currency
            priced.append((line, price))
        if rule.fulfilment_mode == "direct":
            self._distrib_ic_procurement_group()
        purchase_env = rule._distrib_env(rule.user_id, seller)
        sale_env = rule._distrib_env(rule.supplier_user_id, supplier)
        purchase = (
            purchase_env["purchase.order"]
            .with_context(tracking_disable=True)
            .create(self._distrib_ic_purchase_vals(rule, priced, currency))
        )
        sale = (
            sale_env["sale.order"]
            .with_context(tracking_disable=True)
            .create(self._distrib_ic_sale_vals(rule, purchase, priced, currency))
        )
        for po_line, so_line in zip(purchase.order_line, sale.order_line, strict=True):
            so_line.distrib_ic_origin_purchase_line_id = po_line.id
        purchase.write({"distrib_ic_sale_order_id": sale.id, "partner_ref": sale.name})
        sale.client_order_ref = purchase.name
        # the customer's lines point to the purchase lines (A's own documents)
        for (line, _price), po_line in zip(priced, purchase.order_line, strict=True):
            line.sudo().distrib_ic_purchase_line_id = po_line.id
        sale.action_confirm()
        purchase.button_confirm()
        return purchase

    def _distrib_ic_purchase_vals(self, rule, priced, currency):
        self.ensure_one()
        seller, supplier = rule.company_id, rule.supplier_company_id
        direct = rule.fulfilment_mode == "direct"
        warehouse = self.warehouse_id
        picking_type = warehouse.in_type_id
        lines = []
        for line, price in priced:
            vals = {
                "product_id": line.product_id.id,
                "name": line.name,
                "product_qty": line.product_uom_qty,
                "product_uom": line.product_uom.id,
                "price_unit": price,
                "taxes_id": [
                    fields.Command.set(
                        line.product_id.supplier_taxes_id.filtered(
                            lambda tax: tax.company_id == seller
                        ).ids
                    )
                ],
                "date_planned": line.order_id.commitment_date or line._expected_date(),
                "distrib_ic_customer_line_id": line.id,
            }
            if direct:
                # the receipt goes to the customer and counts as its delivery
                vals["sale_line_id"] = line.id
            lines.append(fields.Command.create(vals))
        return {
            "partner_id": supplier.partner_id.id,
            "company_id": seller.id,
            "currency_id": currency.id,
            "picking_type_id": picking_type.id,
            "dest_address_id": self.partner_shipping_id.id if direct else False,
            # direct: the receipt is the customer's delivery, listed on the order
            "group_id": self.procurement_group_id.id if direct else False,
            "origin": self.name,
            "distrib_ic_customer_order_id": self.id,
            "distrib_ic_direct": direct,
            "order_line": lines,
        }

    def _distrib_ic_sale_vals(self, rule, purchase, priced, currency):
        self.ensure_one()
        seller, supplier = rule.company_id, rule.supplier_company_id
        direct = rule.fulfilment_mode == "direct"
        # the supplying company's warehouse: read as the figures it shares
        warehouses = (
            priced[0][0]
            .sudo()
            .distrib_source_warehouse_id.filtered(
                lambda warehouse: warehouse.company_id == supplier
            )
        )
        vals = {
            "partner_id": seller.partner_id.id,
            "partner_invoice_id": seller.partner_id.id,
            "partner_shipping_id": (
                self.partner_shipping_id.id
                if direct
                else self.warehouse_id.partner_id.id
            )
            or seller.partner_id.id,
            "company_id": supplier.id,
            "origin": purchase.name,
            "distrib_ic_purchase_order_id": purchase.id,
            "order_line": [
                fields.Command.create(
                    {
                        "product_id": line.product_id.id,
                        "name": line.name,
                        "product_uom_qty": line.product_uom_qty,
                        "product_uom": line.product_uom.id,
                        "price_unit": price,
                        "tax_id": [
                            fields.Command.set(
                                line.product_id.taxes_id.filtered(
                                    lambda tax: tax.company_id == supplier
                                ).ids
                            )
                        ],
                    }
                )
                for line, price in priced
            ],
        }
        if rule.price_method == "pricelist":
            vals["pricelist_id"] = rule.pricelist_id.id
        else:
            # cost + markup is in the supplying company's currency
            vals["pricelist_id"] = False
        if warehouses:
            vals["warehouse_id"] = warehouses[0].id
        if rule.sale_journal_id:
            vals["journal_id"] = rule.sale_journal_id.id
        return vals

    def _distrib_ic_cancel_linked(self):
        """Cancelling either side cancels the other side, or is refused.

        The customer's order (A) cancels its intercompany purchases and B's sales;
        B's sale cancels A's purchase and leaves a note on the customer's order.
        Refused once B has shipped or A has received.
        """
        for order in self:
            purchases = order.sudo().order_line.distrib_ic_purchase_line_id.order_id
            purchases |= order.sudo().distrib_ic_purchase_order_id
            purchases = purchases.filtered(lambda po: po.state != "cancel")
            if not purchases:
                continue
            order.check_access("write")
            for purchase in purchases:
                purchase._distrib_ic_cancel_pair(origin=order)

    def _distrib_ic_credit_returned(self, returned, origin):
        """Credit note of this intercompany sale (B) for goods that came back.

        ``returned``: {sale line: quantity that came back, in the line's unit};
        ``origin``: the return transfer (named on the credit note). Each line is
        credited what came back, at most what its posted invoices bill beyond
        what is now delivered (credit notes already made, even in draft,
        count): a line that was not invoiced yet is simply invoiced less later,
        and running this again credits nothing twice. Created as B's
        intercompany user, posted when the rule auto-validates; posting creates
        A's vendor refund (``account.move._distrib_ic_create_bills``).
        """
        self.ensure_one()
        order = self.sudo()
        purchase = order.distrib_ic_purchase_order_id
        rule = self.env["distrib.intercompany.rule"]._distrib_get_rule(
            purchase.company_id, order.company_id
        )
        env = rule._distrib_env(rule.supplier_user_id, rule.supplier_company_id)
        order = order.with_env(env)
        line_commands = []
        invoices = self.env["account.move"].with_env(env)
        for line, quantity in returned.items():
            line = line.with_env(env)
            rounding = line.product_uom.rounding
            quantity = min(quantity, line._distrib_ic_qty_to_credit())
            if float_compare(quantity, 0.0, precision_rounding=rounding) <= 0:
                continue
            line_commands.append(
                Command.create(line._prepare_invoice_line(quantity=quantity))
            )
            invoices |= line.invoice_lines.move_id.filtered(
                lambda move: move.move_type == "out_invoice" and move.state == "posted"
            )
        if not line_commands:
            return self.env["account.move"]
        vals = order._prepare_invoice()
        vals.update(
            {
                "move_type": "out_refund",
                "ref": self.env._(
                    "%(order)s: return %(picking)s",
                    order=order.client_order_ref or order.name,
                    picking=origin.name,
                ),
                "reversed_entry_id": invoices.sorted(
                    lambda move: (move.invoice_date, move.id)
                )[-1:].id,
                "invoice_line_ids": line_commands,
            }
        )
        credit_note = (
            env["account.move"]
            .with_context(default_move_type="out_refund", tracking_disable=True)
            .create(vals)
        )
        if rule.auto_validate:
            credit_note.action_post()
        return credit_note
