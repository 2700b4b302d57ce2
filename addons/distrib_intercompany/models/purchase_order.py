from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from odoo.addons.distrib_atp.server_flags import IC_SYNCING


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    distrib_ic_customer_order_id = fields.Many2one(
        "sale.order",
        string="Customer Order",
        copy=False,
        readonly=True,
        index="btree_not_null",
        check_company=True,
        help="The customer's order this intercompany purchase fulfils.",
    )
    distrib_ic_sale_order_id = fields.Many2one(
        "sale.order",
        string="Supplier's Intercompany Sale",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The supplying company's sale order answering this purchase (a "
        "document of the other company).",
    )
    distrib_ic_direct = fields.Boolean(
        string="Direct Ship",
        copy=False,
        readonly=True,
        help="The supplying company ships straight to the customer; the receipt "
        "of this order is the customer's delivery.",
    )

    def _distrib_ic_action_open(self):
        """Open these intercompany purchases in Odoo's plain purchase views (the
        form when there is one, the list otherwise), not the RFQ dashboard."""
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Intercompany Purchases"),
            "res_model": "purchase.order",
            "context": {"create": False},
            "target": "current",
        }
        form = self.env.ref("purchase.purchase_order_form").id
        if len(self) == 1:
            action.update(view_mode="form", views=[(form, "form")], res_id=self.id)
            return action
        action.update(
            view_mode="list,form",
            views=[
                (self.env.ref("purchase.purchase_order_view_tree").id, "list"),
                (form, "form"),
            ],
            domain=[("id", "in", self.ids)],
        )
        return action

    def button_cancel(self):
        if not IC_SYNCING.is_on(self.env):
            for purchase in self.filtered(
                lambda po: po.state != "cancel" and po.sudo().distrib_ic_sale_order_id
            ):
                purchase._distrib_ic_cancel_pair(origin=purchase)
        return super().button_cancel()

    def _distrib_ic_cancel_pair(self, origin):
        """Cancel this purchase (A) and B's sale answering it, or refuse.

        ``origin`` is the document the user cancels (its rights were checked).
        Runs as each company's intercompany user.
        """
        self.ensure_one()
        purchase = self.sudo()
        sale = purchase.distrib_ic_sale_order_id
        rule = self.env["distrib.intercompany.rule"]._distrib_get_rule(
            purchase.company_id, sale.company_id or purchase.partner_id.company_id
        )
        shipped = sale.picking_ids.filtered(
            lambda picking: (
                picking.state == "done" and picking.picking_type_code == "outgoing"
            )
        )
        if shipped:
            raise UserError(
                self.env._(
                    "%(origin)s cannot be cancelled: %(company)s already shipped "
                    "%(pickings)s for it. Return the goods instead.",
                    origin=origin.name,
                    company=sale.company_id.name,
                    pickings=", ".join(shipped.mapped("name")),
                )
            )
        received = purchase.picking_ids.filtered(lambda p: p.state == "done")
        if received:
            raise UserError(
                self.env._(
                    "%(origin)s cannot be cancelled: %(company)s already received "
                    "%(pickings)s. Return the goods instead.",
                    origin=origin.name,
                    company=purchase.company_id.name,
                    pickings=", ".join(received.mapped("name")),
                )
            )
        if sale and sale.state != "cancel" and sale != origin:
            b_env = rule._distrib_env(rule.supplier_user_id, rule.supplier_company_id)
            IC_SYNCING.set_on(sale.with_env(b_env)).with_context(
                disable_cancel_warning=True
            )._action_cancel()
        if purchase != origin:
            a_env = rule._distrib_env(rule.user_id, rule.company_id)
            IC_SYNCING.set_on(purchase.with_env(a_env)).with_context(
                disable_cancel_warning=True
            ).button_cancel()
        customer = purchase.distrib_ic_customer_order_id
        if customer and customer != origin:
            customer.message_post(
                body=self.env._(
                    "%(document)s was cancelled: the lines sourced from %(company)s "
                    "are no longer covered.",
                    document=origin.name,
                    company=sale.company_id.name,
                )
            )

    def _get_destination_location(self):
        if self.distrib_ic_direct and self.dest_address_id:
            return self.dest_address_id.property_stock_customer.id
        return super()._get_destination_location()

    def _get_final_location_record(self):
        if self.distrib_ic_direct and self.dest_address_id:
            return self.dest_address_id.property_stock_customer
        return super()._get_final_location_record()

    def _distrib_ic_receive(self, supplier_moves, rule, no_backorder=False):
        """Receive what ``supplier_moves`` (of B, read in sudo) shipped."""
        self.ensure_one()
        receipts = self.picking_ids.filtered(
            lambda picking: (
                picking.state not in ("done", "cancel")
                and picking.picking_type_code == "incoming"
            )
        )
        Lot = self.env["stock.lot"]
        for b_move in supplier_moves:
            po_line = b_move.sale_line_id.distrib_ic_origin_purchase_line_id
            a_move = receipts.move_ids.filtered(
                lambda move, po_line=po_line: (
                    move.purchase_line_id.id == po_line.id
                    and move.state not in ("done", "cancel")
                )
            )[:1]
            quantity = b_move.product_uom._compute_quantity(
                b_move.quantity, b_move.product_id.uom_id
            )
            if not a_move:
                raise UserError(
                    self.env._(
                        "%(product)s cannot ship on %(picking)s: the receipt of "
                        "%(purchase)s in %(company)s is already done or cancelled. "
                        "Ask %(company)s to reopen it first.",
                        product=b_move.product_id.display_name,
                        picking=b_move.picking_id.name,
                        purchase=self.name,
                        company=self.company_id.name,
                    )
                )
            open_qty = a_move.product_uom._compute_quantity(
                a_move.product_uom_qty, a_move.product_id.uom_id
            )
            if (
                float_compare(
                    quantity,
                    open_qty,
                    precision_rounding=a_move.product_id.uom_id.rounding,
                )
                > 0
            ):
                raise UserError(
                    self.env._(
                        "%(picking)s ships %(qty)s %(product)s but %(company)s only "
                        "expects %(open)s on %(purchase)s: change the purchase first.",
                        picking=b_move.picking_id.name,
                        qty=quantity,
                        product=b_move.product_id.display_name,
                        company=self.company_id.name,
                        open=open_qty,
                        purchase=self.name,
                    )
                )
            a_move.move_line_ids.unlink()
            line_vals = []
            for b_line in b_move.move_line_ids:
                vals = {
                    "move_id": a_move.id,
                    "picking_id": a_move.picking_id.id,
                    "product_id": a_move.product_id.id,
                    "product_uom_id": b_line.product_uom_id.id,
                    "quantity": b_line.quantity,
                    "location_id": a_move.location_id.id,
                    "location_dest_id": a_move.location_dest_id.id,
                }
                if b_line.lot_id:
                    vals["lot_id"] = self._distrib_ic_lot(Lot, b_line.lot_id).id
                line_vals.append(vals)
            self.env["stock.move.line"].create(line_vals)
            a_move.picked = True
        pickings = receipts.filtered(
            lambda picking: picking.move_ids.filtered("picked")
        )
        if not rule.auto_validate or not pickings:
            return pickings
        context = {"skip_backorder": True, "skip_sms": True}
        if no_backorder:
            context["picking_ids_not_to_backorder"] = pickings.ids
        pickings.with_context(**context).button_validate()
        return pickings

    def _distrib_ic_lot(self, Lot, supplier_lot):
        """The lot of the same name and product in this company (created if new)."""
        lot = Lot.search(
            [
                ("name", "=", supplier_lot.name),
                ("product_id", "=", supplier_lot.product_id.id),
                ("company_id", "in", (self.company_id.id, False)),
            ],
            limit=1,
        )
        return lot or Lot.create(
            {
                "name": supplier_lot.name,
                "product_id": supplier_lot.product_id.id,
                "company_id": self.company_id.id,
            }
        )
