from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, float_is_zero, float_round

from odoo.addons.distrib_atp.rpc import check_vals, distrib_rpc
from odoo.addons.distrib_atp.server_flags import RETURN_LOCATION


class DistribReturnAuthorization(models.Model):
    """Return to resolution: authorization, receipt into the returns location,
    disposition of each line, credit note. Each step moves the order's state."""

    _name = "distrib.return.authorization"
    _description = "Return Authorization"
    _inherit = ["mail.thread", "mail.activity.mixin", "distrib.workflow.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    order_id = fields.Many2one(
        "sale.order",
        required=True,
        check_company=True,
        index=True,
        tracking=True,
        domain="[('state', '=', 'sale')]",
    )
    company_id = fields.Many2one(
        related="order_id.company_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(related="order_id.partner_id", store=True)
    warehouse_id = fields.Many2one(related="order_id.warehouse_id")
    reason_id = fields.Many2one(
        "distrib.return.reason",
        required=True,
        tracking=True,
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]",
    )
    note = fields.Text()
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda self: self.env.user
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("authorized", "Authorized"),
            ("received", "Received"),
            ("disposed", "Dispositioned"),
            ("credited", "Credited"),
            ("cancel", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    line_ids = fields.One2many(
        "distrib.return.authorization.line", "return_id", string="Lines", copy=True
    )
    picking_ids = fields.Many2many(
        "stock.picking", string="Return Receipts", readonly=True, copy=False
    )
    credit_note_ids = fields.Many2many(
        "account.move", string="Credit Notes", readonly=True, copy=False
    )

    @api.model
    def _distrib_workflow_fields(self):
        """Each step goes through its action (authorize, receive, disposition,
        credit, cancel)."""
        return super()._distrib_workflow_fields() | {
            "state",
            "picking_ids",
            "credit_note_ids",
        }

    @api.model_create_multi
    def create(self, vals_list):
        check_vals(self, vals_list)
        for vals in vals_list:
            # the reference comes from the sequence, whatever a client sends
            if vals.get("name", "/") == "/" or not self.env.su:
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("distrib.return.authorization")
                    or "/"
                )
        return super().create(vals_list)

    def write(self, vals):
        check_vals(self, vals)
        if "order_id" in vals:
            self._distrib_check_lines_editable()
        return super().write(vals)

    def _distrib_notify_order(self, reason):
        for rma in self:
            rma.order_id._distrib_compute_state(
                reason=reason, sources={rma.order_id.id: rma}
            )

    def _check_state(self, states, action):
        for rma in self:
            if rma.state not in states:
                raise UserError(
                    self.env._(
                        "%(rma)s is %(state)s: it cannot be %(action)s.",
                        rma=rma.name,
                        state=dict(self._fields["state"].selection)[rma.state],
                        action=action,
                    )
                )

    def _distrib_check_lines_editable(self, states=("draft",)):
        """The products and quantities are fixed once the return is authorized
        (its receipt follows them); the disposition until it is applied."""
        if self.env.su:
            return
        locked = self.filtered(lambda rma: rma.state not in states)
        if locked:
            raise UserError(
                self.env._(
                    "The lines of %(returns)s cannot change any more: the return "
                    "is past that step.",
                    returns=", ".join(locked.mapped("name")),
                )
            )

    # ------------------------------------------------------------------
    # Step 1: authorization (creates the return receipt)
    # ------------------------------------------------------------------
    @distrib_rpc()
    def action_authorize(self):
        self.check_access("write")
        self._check_state(("draft",), self.env._("authorized"))
        for rma in self:
            rma._check_lines()
            rma._create_receipts()
        self.sudo().write({"state": "authorized"})
        self._distrib_notify_order(self.env._("Return authorized"))
        return True

    def _check_lines(self):
        self.ensure_one()
        if not self.line_ids:
            raise UserError(
                self.env._("Add the products to return on %(rma)s.", rma=self.name)
            )
        returned = defaultdict(float)
        others = self.search(
            [
                ("order_id", "=", self.order_id.id),
                ("state", "in", ("authorized", "received", "disposed")),
                ("id", "!=", self.id),
            ]
        )
        for line in others.line_ids:
            returned[line.sale_line_id.id] += line.quantity
        for line in self.line_ids:
            precision = line.product_uom.rounding
            if float_compare(line.quantity, 0.0, precision_rounding=precision) <= 0:
                raise ValidationError(
                    self.env._(
                        "The quantity to return of %(product)s must be positive "
                        "(got %(qty)s).",
                        product=line.product_id.display_name,
                        qty=line.quantity,
                    )
                )
            returnable = (
                line.sale_line_id.qty_delivered - returned[line.sale_line_id.id]
            )
            if (
                float_compare(line.quantity, returnable, precision_rounding=precision)
                > 0
            ):
                raise ValidationError(
                    self.env._(
                        "%(qty)s %(product)s cannot be returned on %(order)s: only "
                        "%(returnable)s were delivered and not returned yet.",
                        qty=line.quantity,
                        product=line.product_id.display_name,
                        order=self.order_id.name,
                        returnable=returnable,
                    )
                )

    def _get_returns_location(self):
        self.ensure_one()
        warehouse = self.order_id.warehouse_id
        if not warehouse.distrib_returns_location_id:
            warehouse.sudo().action_distrib_create_status_locations()
        return warehouse.distrib_returns_location_id

    def _create_receipts(self):
        """Return the goods with Odoo's return machinery, into the returns
        location, from the order's done deliveries (latest first)."""
        self.ensure_one()
        location = self._get_returns_location()
        remaining = {
            line.id: line.product_uom._compute_quantity(
                line.quantity, line.product_id.uom_id
            )
            for line in self.line_ids
        }
        deliveries = self.order_id.picking_ids.filtered(
            lambda p: p.state == "done" and p.location_dest_id.usage == "customer"
        ).sorted("date_done", reverse=True)
        receipts = self.env["stock.picking"]
        for delivery in deliveries:
            wizard = (
                RETURN_LOCATION.set_on(self.env["stock.return.picking"], location.id)
                .with_context(active_id=delivery.id, active_model="stock.picking")
                .create({"picking_id": delivery.id})
            )
            to_return = False
            for wizard_line in wizard.product_return_moves:
                move = wizard_line.move_id
                returnable = move.quantity - sum(
                    move.move_dest_ids.filtered(
                        lambda m, move=move: (
                            m.origin_returned_move_id == move and m.state != "cancel"
                        )
                    ).mapped("product_qty")
                )
                quantity = 0.0
                for line in self.line_ids.filtered(
                    lambda rl, move=move: rl.sale_line_id == move.sale_line_id
                ):
                    take = min(remaining[line.id], returnable - quantity)
                    if take > 0:
                        quantity += take
                        remaining[line.id] -= take
                rounding = move.product_id.uom_id.rounding
                quantity = float_round(quantity, precision_rounding=rounding)
                wizard_line.write({"quantity": quantity, "to_refund": True})
                to_return = to_return or not float_is_zero(
                    quantity, precision_rounding=rounding
                )
            if to_return:
                receipts |= wizard._create_return()
            if all(qty <= 0 for qty in remaining.values()):
                break
        if not receipts:
            raise UserError(
                self.env._(
                    "Nothing of %(rma)s can be received: its products were not "
                    "delivered by a done delivery of %(order)s.",
                    rma=self.name,
                    order=self.order_id.name,
                )
            )
        receipts.write({"origin": self.name})
        self.sudo().picking_ids = [Command.link(p.id) for p in receipts]

    # ------------------------------------------------------------------
    # Step 2: receipt (follows the return receipts being done)
    # ------------------------------------------------------------------
    def _distrib_check_received(self):
        received = self.filtered(
            lambda r: (
                r.state == "authorized"
                and r.picking_ids
                and all(p.state in ("done", "cancel") for p in r.picking_ids)
            )
        )
        if received:
            received.sudo().write({"state": "received"})
            received._distrib_notify_order(self.env._("Returned goods received"))

    # ------------------------------------------------------------------
    # Step 3: disposition
    # ------------------------------------------------------------------
    @distrib_rpc()
    def action_apply_disposition(self):
        self.check_access("write")
        self._check_state(("received",), self.env._("dispositioned"))
        for rma in self:
            missing = rma.line_ids.filtered(lambda line: not line.disposition)
            if missing:
                raise UserError(
                    self.env._(
                        "Choose a disposition for %(products)s on %(rma)s.",
                        products=", ".join(missing.product_id.mapped("display_name")),
                        rma=rma.name,
                    )
                )
            rma._apply_dispositions()
        self.sudo().write({"state": "disposed"})
        self._distrib_notify_order(self.env._("Returned goods dispositioned"))
        return True

    def _apply_dispositions(self):
        self.ensure_one()
        warehouse = self.order_id.warehouse_id
        source = self._get_returns_location()
        for line in self.line_ids:
            quantity = line.product_uom._compute_quantity(
                line.quantity, line.product_id.uom_id
            )
            if line.disposition == "scrap":
                scrap = (
                    self.env["stock.scrap"]
                    .with_company(self.company_id)
                    .create(
                        {
                            "product_id": line.product_id.id,
                            "product_uom_id": line.product_id.uom_id.id,
                            "scrap_qty": quantity,
                            "location_id": source.id,
                            "company_id": self.company_id.id,
                            "origin": self.name,
                        }
                    )
                )
                scrap.do_scrap()
                line.sudo().scrap_id = scrap
                continue
            if line.disposition == "vendor":
                destination = self.env.ref("stock.stock_location_suppliers")
                partner = line.product_id.seller_ids[:1].partner_id
            else:
                destination = warehouse.lot_stock_id
                partner = self.env["res.partner"]
            line.sudo().disposition_move_id = self._move_returned_goods(
                line, quantity, source, destination, partner
            )

    def _move_returned_goods(self, line, quantity, source, destination, partner):
        """Move inspected goods out of the returns location, done at once."""
        move = (
            self.env["stock.move"]
            .with_company(self.company_id)
            .create(
                {
                    "name": f"{self.name}: {line.product_id.display_name}",
                    "product_id": line.product_id.id,
                    "product_uom": line.product_id.uom_id.id,
                    "product_uom_qty": quantity,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                    "company_id": self.company_id.id,
                    "partner_id": partner.id,
                    "origin": self.name,
                }
            )
        )
        move._action_confirm()
        move._action_assign()
        move.quantity = quantity
        move.picked = True
        move._action_done()
        return move

    # ------------------------------------------------------------------
    # Step 4: credit note
    # ------------------------------------------------------------------
    @distrib_rpc()
    def action_create_credit_note(self):
        self.check_access("write")
        user = self.env.user
        if not (
            user.has_group("distrib_atp.group_distrib_sales")
            or user.has_group("distrib_atp.group_distrib_finance")
        ):
            raise UserError(
                self.env._(
                    "Only sales or finance can credit a return (%(returns)s).",
                    returns=", ".join(self.mapped("name")),
                )
            )
        self._check_state(("received", "disposed"), self.env._("credited"))
        for rma in self:
            order = rma.order_id.sudo().with_company(rma.company_id)
            credit_notes = self.env["account.move"]
            if order._distrib_lines_to_invoice_on_shipment():
                order._distrib_force_lines_to_invoice_delivered()
                # the net of what shipped, was returned and was invoiced: a
                # credit note for the returned goods
                credit_notes = order._create_invoices(final=True)
                credit_notes.write({"invoice_origin": f"{order.name}, {rma.name}"})
                credit_notes.action_post()
            rma.sudo().write(
                {
                    "state": "credited",
                    "credit_note_ids": [Command.link(m.id) for m in credit_notes],
                }
            )
        self._distrib_notify_order(self.env._("Return credited"))
        return True

    @distrib_rpc()
    def action_cancel(self):
        self.check_access("write")
        self._check_state(("draft", "authorized"), self.env._("cancelled"))
        pickings = self.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        )
        if self.picking_ids.filtered(lambda p: p.state == "done"):
            raise UserError(
                self.env._(
                    "Goods were already received: the return cannot be cancelled."
                )
            )
        pickings.action_cancel()
        self.sudo().write({"state": "cancel"})
        self._distrib_notify_order(self.env._("Return cancelled"))
        return True

    # ------------------------------------------------------------------
    # Smart buttons
    # ------------------------------------------------------------------
    @distrib_rpc(singleton=True)
    def action_view_receipts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock.action_picking_tree_all"
        )
        action["domain"] = [("id", "in", self.picking_ids.ids)]
        return action

    @distrib_rpc(singleton=True)
    def action_view_credit_notes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_refund_type"
        )
        action["domain"] = [("id", "in", self.credit_note_ids.ids)]
        return action
