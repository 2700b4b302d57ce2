from collections import defaultdict

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from odoo.addons.distrib_atp.server_flags import IC_SYNCING


class StockPicking(models.Model):
    _inherit = "stock.picking"

    distrib_ic_mirrored = fields.Boolean(
        string="Intercompany Mirror",
        copy=False,
        readonly=True,
        help="Created to mirror a return made by the other company: validating it "
        "does not mirror it back.",
    )

    def _action_done(self):
        result = super()._action_done()
        if not IC_SYNCING.is_on(self.env):
            self._distrib_ic_sync_receipts()
            self._distrib_ic_sync_returns()
        # mirrored or not, goods back in B on an invoiced sale are credited
        self._distrib_ic_credit_returns()
        return result

    def _distrib_ic_done_moves(self):
        """Done moves of the supplying company answering an intercompany purchase."""
        return self.move_ids.filtered(
            lambda move: (
                move.state == "done"
                and move.sale_line_id
                and move.location_dest_id.usage in ("customer", "transit")
                and move.sale_line_id.sudo().distrib_ic_origin_purchase_line_id
            )
        )

    def _distrib_ic_sync_receipts(self):
        """B shipped: validate A's receipt with the same quantities and lots.

        The caller validated B's transfer, so they may change it; A's receipt is
        then processed as A's intercompany user, never in sudo. When A's receipt
        cannot follow (already received, cancelled), B's validation is refused.
        """
        moves = self._distrib_ic_done_moves()
        if not moves:
            return
        self.check_access("write")
        by_purchase = defaultdict(lambda: self.env["stock.move"])
        for move in moves:
            po_line = move.sale_line_id.sudo().distrib_ic_origin_purchase_line_id
            by_purchase[po_line.order_id] |= move
        no_backorder = self.env.context.get("cancel_backorder")
        for purchase, b_moves in by_purchase.items():
            rule = self.env["distrib.intercompany.rule"]._distrib_get_rule(
                purchase.company_id, b_moves.company_id
            )
            env = rule._distrib_env(rule.user_id, rule.company_id)
            purchase.with_env(env)._distrib_ic_receive(
                b_moves.sudo(), rule, no_backorder=no_backorder
            )

    def _distrib_ic_sync_returns(self):
        """A return on one side is mirrored on the other side.

        A returns goods it received from B (a return of its intercompany
        receipt, to B): B takes them back with a return of its delivery. B takes
        goods back (a return of its delivery): A returns them from its receipt.
        Same quantities and lots; validated when the rule auto-validates.

        Direct ship: A's receipt is the customer's delivery, so the salesperson
        returns it from the customer's order; the goods go back to B, which
        receives them with a return of its delivery to the customer. A return
        that A takes into its own stock (not back to B) stays A's: B does not
        follow.
        """
        moves = self.filtered(lambda picking: not picking.distrib_ic_mirrored).move_ids
        moves = moves.filtered(
            lambda move: move.state == "done" and move.origin_returned_move_id
        )
        if not moves:
            return
        Rule = self.env["distrib.intercompany.rule"]
        mirrored = False
        for move in moves:
            origin = move.origin_returned_move_id.sudo()
            po_line = origin.purchase_line_id
            b_line = origin.sale_line_id
            if po_line and po_line.order_id.distrib_ic_sale_order_id:
                if not move._is_purchase_return():
                    # A took the goods into its own stock: nothing goes back to B
                    continue
                # A returned to B: B's delivery of that purchase line is returned
                if not mirrored:
                    self.check_access("write")
                    mirrored = True
                sale_line = (
                    self.env["sale.order.line"]
                    .sudo()
                    .search(
                        [("distrib_ic_origin_purchase_line_id", "=", po_line.id)],
                        limit=1,
                    )
                )
                rule = Rule._distrib_get_rule(po_line.company_id, sale_line.company_id)
                env = rule._distrib_env(rule.supplier_user_id, rule.supplier_company_id)
                targets = sale_line.move_ids.filtered(
                    lambda m: (
                        m.state == "done"
                        and not m.origin_returned_move_id
                        and m.location_dest_id.usage in ("customer", "transit")
                    )
                )
            elif b_line.distrib_ic_origin_purchase_line_id:
                # B took goods back: A returns them from its receipt
                if not mirrored:
                    self.check_access("write")
                    mirrored = True
                po_line = b_line.distrib_ic_origin_purchase_line_id
                rule = Rule._distrib_get_rule(po_line.company_id, b_line.company_id)
                env = rule._distrib_env(rule.user_id, rule.company_id)
                targets = po_line.move_ids.filtered(
                    lambda m: m.state == "done" and not m.origin_returned_move_id
                )
            else:
                continue
            if not targets:
                raise UserError(
                    self.env._(
                        "%(picking)s cannot be mirrored: the other company has no "
                        "done transfer of %(product)s to return.",
                        picking=move.picking_id.name,
                        product=move.product_id.display_name,
                    )
                )
            # the latest transfer that has something left to return
            returnable = targets.filtered(lambda m: m._distrib_ic_returnable_qty() > 0)
            picking = (returnable or targets).sorted("date")[-1:].picking_id
            picking.with_env(env)._distrib_ic_return_move(
                move.sudo(), targets.with_env(env), rule
            )

    def _distrib_ic_return_move(self, source_move, targets, rule):
        """Return from this done picking what ``source_move`` returned.

        Lots are matched by name in this picking's company.
        """
        self.ensure_one()
        wizard = (
            self.env["stock.return.picking"]
            .with_context(
                active_id=self.id, active_ids=self.ids, active_model=self._name
            )
            .create({"picking_id": self.id})
        )
        remaining = source_move.product_uom._compute_quantity(
            source_move.quantity, source_move.product_id.uom_id
        )
        rounding = source_move.product_id.uom_id.rounding
        for line in wizard.product_return_moves:
            take = 0.0
            if line.move_id in targets and remaining > 0:
                take = min(remaining, line.move_id._distrib_ic_returnable_qty())
                remaining -= take
            line.quantity = take
        if float_compare(remaining, 0.0, precision_rounding=rounding) > 0:
            raise UserError(
                self.env._(
                    "%(picking)s returns %(qty)s %(product)s more than is left to "
                    "return on %(other)s (what %(company)s shipped, less what is "
                    "already returned or being returned): %(company)s cannot "
                    "follow. Validate or cancel the pending returns of "
                    "%(other)s first.",
                    picking=source_move.picking_id.name,
                    qty=remaining,
                    product=source_move.product_id.display_name,
                    other=self.name,
                    company=self.company_id.name,
                )
            )
        action = wizard.action_create_returns()
        returned = self.browse(action["res_id"])
        returned.distrib_ic_mirrored = True
        Lot = self.env["stock.lot"]
        pending = [(line.lot_id, line.quantity) for line in source_move.move_line_ids]
        for move in returned.move_ids:
            move.move_line_ids.unlink()
            need = move.product_uom_qty
            vals_list = []
            while need > 0 and pending:
                source_lot, quantity = pending[0]
                take = min(quantity, need)
                vals = {
                    "move_id": move.id,
                    "picking_id": returned.id,
                    "product_id": move.product_id.id,
                    "quantity": take,
                    "location_id": move.location_id.id,
                    "location_dest_id": move.location_dest_id.id,
                }
                if source_lot:
                    vals["lot_id"] = Lot.search(
                        [
                            ("name", "=", source_lot.name),
                            ("product_id", "=", move.product_id.id),
                            ("company_id", "in", (returned.company_id.id, False)),
                        ],
                        limit=1,
                    ).id
                vals_list.append(vals)
                need -= take
                if take >= quantity:
                    pending.pop(0)
                else:
                    pending[0] = (source_lot, quantity - take)
            self.env["stock.move.line"].create(vals_list)
            move.picked = True
        if rule.auto_validate:
            IC_SYNCING.set_on(returned).with_context(
                skip_backorder=True, skip_sms=True
            ).button_validate()
        return returned

    def _distrib_ic_credit_returns(self):
        """Goods came back to the supplying company (B) on an intercompany sale:
        B credits what its posted invoices billed for them.

        Whether B took them back itself or mirrored A's return. The caller
        validated this transfer, so may change it; the credit note is created as
        B's intercompany user (``sale.order._distrib_ic_credit_returned``).
        """
        moves = self.move_ids.filtered(
            lambda move: (
                move.state == "done"
                and move.origin_returned_move_id
                and move.to_refund
                and move.sale_line_id
                and move.location_id._is_outgoing()
                and move.sale_line_id.sudo().distrib_ic_origin_purchase_line_id
            )
        )
        if not moves:
            return self.env["account.move"]
        self.check_access("write")
        returned = defaultdict(lambda: defaultdict(float))
        origins = {}
        for move in moves:
            line = move.sale_line_id.sudo()
            returned[line.order_id][line] += move.product_uom._compute_quantity(
                move.quantity, line.product_uom
            )
            origins.setdefault(line.order_id, move.picking_id)
        credit_notes = self.env["account.move"]
        for order, quantities in returned.items():
            credit_notes |= order._distrib_ic_credit_returned(
                quantities, origins[order]
            )
        return credit_notes
