from collections import defaultdict

from odoo import fields, models
from odoo.exceptions import UserError


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
        if not self.env.context.get("distrib_ic_syncing"):
            self._distrib_ic_sync_receipts()
            self._distrib_ic_sync_returns()
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
        receipt): B takes them back with a return of its delivery. B takes goods
        back (a return of its delivery): A returns them from its receipt. Same
        quantities and lots; validated when the rule auto-validates.
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
            picking = targets.sorted("date")[-1:].picking_id.with_env(env)
            picking._distrib_ic_return_move(move.sudo(), targets.with_env(env), rule)

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
        for line in wizard.product_return_moves:
            take = 0.0
            if line.move_id in targets and remaining > 0:
                take = min(remaining, line.move_id.quantity)
                remaining -= take
            line.quantity = take
        if remaining > 0:
            raise UserError(
                self.env._(
                    "%(picking)s returns %(qty)s %(product)s more than %(other)s "
                    "shipped: the other company cannot follow.",
                    picking=source_move.picking_id.name,
                    qty=remaining,
                    product=source_move.product_id.display_name,
                    other=self.name,
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
            returned.with_context(
                skip_backorder=True, distrib_ic_syncing=True, skip_sms=True
            ).button_validate()
        return returned
