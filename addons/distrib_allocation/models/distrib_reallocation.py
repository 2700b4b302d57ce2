from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare, float_round

from odoo.addons.distrib_atp.rpc import check_vals, distrib_rpc

from ..allocation_flags import REALLOCATING

STATES = [
    ("draft", "Draft"),
    ("to_approve", "Waiting Approval"),
    ("done", "Done"),
    ("cancel", "Cancelled"),
]
# the groups whose users re-allocate (planners)
PLANNER_GROUPS = (
    "distrib_atp.group_distrib_procurement",
    "distrib_atp.group_distrib_warehouse",
    "distrib_atp.group_distrib_manager",
)
# the fields a planner sets on a draft
DRAFT_FIELDS = {"order_id", "product_id", "warehouse_id", "quantity", "note"}


class DistribReallocation(models.Model):
    """Units reserved for lower-priority orders given to a higher-priority one.

    A planner names the order, the product and the quantity; ``action_compute``
    shows which orders lose what and their new promise dates; ``action_apply``
    locks the stock, re-reads it, asks the approval above the company's threshold
    (metric "Re-allocation Value") and moves the reservations. The record is the
    audit of the decision: it cannot change or be deleted once applied.
    """

    _name = "distrib.reallocation"
    _description = "Re-allocation"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(readonly=True, default="/", copy=False)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    order_id = fields.Many2one(
        "sale.order",
        string="For Order",
        required=True,
        check_company=True,
        domain="[('state', '=', 'sale')]",
        tracking=True,
    )
    priority = fields.Selection(related="order_id.distrib_allocation_priority")
    partner_id = fields.Many2one(related="order_id.partner_id")
    product_id = fields.Many2one("product.product", required=True, tracking=True)
    warehouse_id = fields.Many2one(
        "stock.warehouse", required=True, check_company=True, tracking=True
    )
    quantity = fields.Float(
        required=True, digits="Product Unit of Measure", tracking=True
    )
    missing_qty = fields.Float(
        string="Missing", readonly=True, digits="Product Unit of Measure"
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    value = fields.Monetary(
        readonly=True, help="Cost of the units re-allocated (what the approval sees)."
    )
    state = fields.Selection(
        STATES, default="draft", required=True, readonly=True, tracking=True
    )
    line_ids = fields.One2many(
        "distrib.reallocation.line", "reallocation_id", string="Orders Losing Units"
    )
    approval_request_id = fields.Many2one(
        "distrib.approval.request", readonly=True, copy=False
    )
    date_done = fields.Datetime(readonly=True, copy=False)
    user_id = fields.Many2one(
        "res.users", string="Planner", readonly=True, default=lambda self: self.env.user
    )
    note = fields.Text(string="Reason")

    @api.model_create_multi
    def create(self, vals_list):
        check_vals(self, vals_list)
        for vals in vals_list:
            if not self.env.su:
                self._distrib_check_client_vals(vals)
            order = self.env["sale.order"].browse(vals.get("order_id")).exists()
            if order:
                vals.setdefault("company_id", order.company_id.id)
                vals.setdefault("warehouse_id", order.warehouse_id.id)
        records = super().create(vals_list)
        for record in records:
            record.sudo().name = self.env["ir.sequence"].next_by_code(
                "distrib.reallocation"
            ) or self.env._("Re-allocation %(id)s", id=record.id)
        return records

    def write(self, vals):
        check_vals(self, vals)
        if not self.env.su:
            self._distrib_check_client_vals(vals)
        if DRAFT_FIELDS.intersection(vals):
            # the audit of a decision: even the workflow does not rewrite it
            if any(record.state != "draft" for record in self):
                raise UserError(
                    self.env._(
                        "%(names)s: only a draft re-allocation can be changed.",
                        names=", ".join(self.mapped("name")),
                    )
                )
        if DRAFT_FIELDS.intersection(vals) - {"note"}:
            # what was computed no longer holds
            self.sudo().line_ids.unlink()
        return super().write(vals)

    def unlink(self):
        if any(record.state in ("to_approve", "done") for record in self):
            raise UserError(
                self.env._(
                    "A re-allocation waiting for approval or done is part of the "
                    "audit trail: it cannot be deleted (cancel a draft instead)."
                )
            )
        return super().unlink()

    @api.model
    def _distrib_check_client_vals(self, vals):
        other = set(vals) - DRAFT_FIELDS - {"company_id"}
        other = {name for name in other if not name.startswith("message_")}
        if other:
            raise UserError(
                self.env._(
                    "%(fields)s of a re-allocation are set by its workflow (use "
                    "Compute and Apply).",
                    fields=", ".join(
                        sorted(
                            self._fields[name]._description_string(self.env)
                            for name in other
                            if name in self._fields
                        )
                        or sorted(other)
                    ),
                )
            )

    # ------------------------------------------------------------------
    # checks
    # ------------------------------------------------------------------
    def _distrib_check_planner(self):
        self.check_access("write")
        if not self.env.su and not any(
            self.env.user.has_group(group) for group in PLANNER_GROUPS
        ):
            raise UserError(
                self.env._(
                    "Only a planner (procurement, warehouse or distribution "
                    "manager) can re-allocate reserved stock."
                )
            )

    def _distrib_check_request(self):
        self.ensure_one()
        order = self.order_id
        if order.state != "sale":
            raise UserError(
                self.env._(
                    "%(order)s is not a confirmed order: only confirmed orders "
                    "have reservations to complete.",
                    order=order.name,
                )
            )
        if not order.company_id.distrib_allocation_enabled:
            raise UserError(
                self.env._(
                    "Allocation by priority is off for %(company)s (Settings).",
                    company=order.company_id.name,
                )
            )
        rounding = self.product_id.uom_id.rounding
        if float_compare(self.quantity, 0.0, precision_rounding=rounding) <= 0:
            raise UserError(
                self.env._(
                    "The quantity to re-allocate must be positive, not %(qty)s.",
                    qty=self.quantity,
                )
            )

    def _distrib_target_moves(self):
        """The order's moves of the product that leave the warehouse's stock and
        are not fully reserved."""
        self.ensure_one()
        return self.env["stock.move"].search(
            [
                ("sale_line_id.order_id", "=", self.order_id.id),
                ("product_id", "=", self.product_id.id),
                ("state", "in", ["confirmed", "waiting", "partially_available"]),
                ("location_id", "child_of", self.warehouse_id.lot_stock_id.id),
            ],
            order="id",
        )

    def _distrib_donor_moves(self):
        """Reserved moves of the product in the warehouse's stock for orders of a
        lower priority, the ones to take from first: the lowest priority, the
        latest requested date, the latest order."""
        self.ensure_one()
        moves = self.env["stock.move"].search(
            [
                ("product_id", "=", self.product_id.id),
                ("state", "in", ["assigned", "partially_available"]),
                ("location_id", "child_of", self.warehouse_id.lot_stock_id.id),
                ("picked", "=", False),
                ("sale_line_id", "!=", False),
                (
                    "sale_line_id.order_id.distrib_allocation_rank",
                    "<",
                    self.order_id.distrib_allocation_rank,
                ),
                ("company_id", "=", self.company_id.id),
            ]
        )
        return moves.sorted(
            lambda move: (
                move.sale_line_id.order_id.distrib_allocation_rank,
                -(move.date_deadline or move.date).timestamp(),
                -move.sale_line_id.order_id.date_order.timestamp(),
                -move.id,
            )
        )

    @staticmethod
    def _distrib_missing(moves):
        """Quantity the moves still miss, in the product's unit."""
        return sum(
            move.product_qty
            - move.product_uom._compute_quantity(
                move.quantity, move.product_id.uom_id, round=False
            )
            for move in moves
        )

    @staticmethod
    def _distrib_reserved(move):
        return move.product_uom._compute_quantity(
            move.quantity, move.product_id.uom_id, round=False
        )

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------
    @distrib_rpc(singleton=True)
    def action_compute(self):
        """Which lower-priority orders lose what, and their new promise dates."""
        self.ensure_one()
        self._distrib_check_planner()
        if self.state != "draft":
            raise UserError(
                self.env._("%(name)s is no longer a draft.", name=self.name)
            )
        self._distrib_check_request()
        product = self.product_id
        rounding = product.uom_id.rounding
        missing = self._distrib_missing(self._distrib_target_moves())
        if float_compare(self.quantity, missing, precision_rounding=rounding) > 0:
            raise UserError(
                self.env._(
                    "%(order)s misses %(missing)s %(uom)s of %(product)s in "
                    "%(warehouse)s: %(qty)s cannot be re-allocated to it.",
                    order=self.order_id.name,
                    missing=float_round(missing, precision_rounding=rounding),
                    uom=product.uom_id.name,
                    product=product.display_name,
                    warehouse=self.warehouse_id.name,
                    qty=self.quantity,
                )
            )
        remaining = self.quantity
        vals_list = []
        projection = self.env["distrib.atp"]._distrib_projections(
            product.ids, self.warehouse_id.ids
        )[product.id, self.warehouse_id.id]
        today = fields.Date.context_today(self)
        taken_total = 0.0
        for move in self._distrib_donor_moves():
            if float_compare(remaining, 0.0, precision_rounding=rounding) <= 0:
                break
            reserved = self._distrib_reserved(move)
            take = min(reserved, remaining)
            if float_compare(take, 0.0, precision_rounding=rounding) <= 0:
                continue
            remaining -= take
            taken_total += take
            line = move.sale_line_id
            vals_list.append(
                {
                    "reallocation_id": self.id,
                    "sequence": len(vals_list) + 1,
                    "move_id": move.id,
                    "order_id": line.order_id.id,
                    "reserved_qty": reserved,
                    "quantity": take,
                    "date_before": line.distrib_promised_date
                    or fields.Date.to_date(move.date_deadline or move.date),
                    "date_after": projection.next_available_date(taken_total, today),
                }
            )
        if float_compare(remaining, 0.0, precision_rounding=rounding) > 0:
            raise UserError(
                self.env._(
                    "Orders of a lower priority than %(order)s hold only %(held)s "
                    "%(uom)s of %(product)s reserved in %(warehouse)s: %(qty)s "
                    "cannot be re-allocated.",
                    order=self.order_id.name,
                    held=float_round(taken_total, precision_rounding=rounding),
                    uom=product.uom_id.name,
                    product=product.display_name,
                    warehouse=self.warehouse_id.name,
                    qty=self.quantity,
                )
            )
        company = self.company_id
        value = self.quantity * product.with_company(company).standard_price
        self.sudo().line_ids.unlink()
        self.env["distrib.reallocation.line"].sudo().create(vals_list)
        self.sudo().write({"missing_qty": missing, "value": value})
        return True

    @distrib_rpc(singleton=True)
    def action_apply(self):
        """Lock, re-read, ask the approval above the threshold, then move the
        reservations and tell everyone whose promise moved."""
        self.ensure_one()
        self._distrib_check_planner()
        if self.state not in ("draft", "to_approve"):
            raise UserError(
                self.env._("%(name)s is already applied or cancelled.", name=self.name)
            )
        if not self.line_ids:
            raise UserError(
                self.env._(
                    "Compute %(name)s first: it shows which orders lose what.",
                    name=self.name,
                )
            )
        self._distrib_check_request()
        # concurrent planners wait here, then read the reservations as they are
        # now: a stale snapshot fails on the lock row and Odoo replays the call
        # (see distrib_atp/models/distrib_atp_lock.py)
        self.env["distrib.atp.lock"]._distrib_lock(
            {(self.product_id.id, self.warehouse_id.id)}
        )
        donors = self.line_ids.move_id
        targets = self._distrib_target_moves()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM stock_move WHERE id = ANY(%s) ORDER BY id FOR UPDATE",
                sorted((donors | targets).ids),
            )
        )
        self.env.invalidate_all()
        self._distrib_check_still_applies(targets)
        request = self.env["distrib.approval.policy"]._check_value(
            self, "reallocation_value", self.value, resume_method="action_apply"
        )
        if request:
            self.sudo().write(
                {"state": "to_approve", "approval_request_id": request.id}
            )
            self.message_post(
                body=self.env._(
                    "Waiting for approval %(request)s: the value %(value)s is above "
                    "the company's threshold.",
                    request=request.name,
                    value=self.currency_id.format(self.value),
                )
            )
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "warning",
                    "message": self.env._(
                        "%(name)s waits for approval %(request)s.",
                        name=self.name,
                        request=request.name,
                    ),
                    "next": {"type": "ir.actions.client", "tag": "soft_reload"},
                },
            }
        # the reservations it moves tell the orders through its own notice
        self._distrib_move_reservations(
            REALLOCATING.set_on(donors), REALLOCATING.set_on(targets)
        )
        self._distrib_notify()
        self.sudo().write({"state": "done", "date_done": fields.Datetime.now()})
        return True

    @distrib_rpc()
    def action_cancel(self):
        self._distrib_check_planner()
        if any(record.state == "done" for record in self):
            raise UserError(self.env._("A re-allocation done cannot be cancelled."))
        self.sudo().write({"state": "cancel"})
        return True

    # ------------------------------------------------------------------
    # applying
    # ------------------------------------------------------------------
    def _distrib_check_still_applies(self, targets):
        """After the lock: the planned units are still reserved by the orders
        losing them, and the order still misses them."""
        self.ensure_one()
        product = self.product_id
        rounding = product.uom_id.rounding
        for line in self.line_ids:
            move = line.move_id
            reserved = (
                self._distrib_reserved(move)
                if move.exists() and move.state in ("assigned", "partially_available")
                else 0.0
            )
            if float_compare(reserved, line.quantity, precision_rounding=rounding) < 0:
                raise UserError(
                    self.env._(
                        "%(order)s now has %(reserved)s %(uom)s of %(product)s "
                        "reserved, not the %(qty)s planned: the stock moved since "
                        "%(name)s was computed. Compute it again.",
                        order=line.order_id.name,
                        reserved=float_round(reserved, precision_rounding=rounding),
                        uom=product.uom_id.name,
                        product=product.display_name,
                        qty=line.quantity,
                        name=self.name,
                    )
                )
        missing = self._distrib_missing(targets)
        if float_compare(self.quantity, missing, precision_rounding=rounding) > 0:
            raise UserError(
                self.env._(
                    "%(order)s now misses %(missing)s %(uom)s of %(product)s, not "
                    "%(qty)s: the stock moved since %(name)s was computed. Compute "
                    "it again.",
                    order=self.order_id.name,
                    missing=float_round(missing, precision_rounding=rounding),
                    uom=product.uom_id.name,
                    product=product.display_name,
                    qty=self.quantity,
                    name=self.name,
                )
            )

    def _distrib_move_reservations(self, donors, targets):
        """Unreserve the donors, reserve the order, re-reserve the donors for
        what is left; refuse (roll back) if the order did not get the units."""
        self.ensure_one()
        rounding = self.product_id.uom_id.rounding
        before = sum(self._distrib_reserved(move) for move in targets)
        donors.sudo()._do_unreserve()
        remaining = self.quantity
        for move in targets:
            if float_compare(remaining, 0.0, precision_rounding=rounding) <= 0:
                break
            take = min(self._distrib_missing(move), remaining)
            move.sudo()._action_assign(
                force_qty=self.product_id.uom_id._compute_quantity(
                    take, move.product_uom, round=False
                )
            )
            remaining -= take
        donors.sudo()._action_assign()
        after = sum(self._distrib_reserved(move) for move in targets)
        if (
            float_compare(after - before, self.quantity, precision_rounding=rounding)
            < 0
        ):
            raise UserError(
                self.env._(
                    "%(order)s could get only %(got)s of the %(qty)s units: the "
                    "stock moved. Compute %(name)s again.",
                    order=self.order_id.name,
                    got=float_round(after - before, precision_rounding=rounding),
                    qty=self.quantity,
                    name=self.name,
                )
            )

    def _distrib_notify(self):
        """Both orders' timelines, the salespeople of the orders whose promise
        moved, the allocation log (the orders losing units are told through
        ``sale.order._distrib_announce_new_promise``, in one batch)."""
        self.ensure_one()
        Log = self.env["distrib.allocation.log"]
        product = self.product_id
        uom = product.uom_id.name
        rows = []
        entries = []
        order_field = self.order_id._fields["distrib_allocation_priority"]
        priority = dict(order_field._description_selection(self.env)).get(
            self.order_id.distrib_allocation_priority, "-"
        )
        for line in self.line_ids:
            order = line.order_id
            after = fields.Date.to_string(line.date_after) or self.env._(
                "no planned receipt"
            )
            sale_line = line.move_id.sale_line_id
            if sale_line and line.date_after:
                sale_line.sudo().write({"distrib_promised_date": line.date_after})
            entries.append(
                {
                    "order": order,
                    "text": self.env._(
                        "%(qty)s %(uom)s of %(product)s re-allocated to %(target)s "
                        "(priority %(priority)s) by %(user)s (%(name)s). New "
                        "promise: %(date)s.",
                        qty=line.quantity,
                        uom=uom,
                        product=product.display_name,
                        target=self.order_id.name,
                        priority=priority,
                        user=self.env.user.name,
                        name=self.name,
                        date=after,
                    ),
                    "event": "reallocated_out",
                    "product": product,
                    "line": sale_line,
                    "quantity": line.quantity,
                    "reallocation": self,
                    "note": self.name,
                }
            )
            rows.append(
                [
                    order.name,
                    order.partner_id.display_name,
                    line.quantity,
                    fields.Date.to_string(line.date_before) or "-",
                    after,
                ]
            )
        self.env["sale.order"]._distrib_announce_new_promise(entries)
        table = self.env["distrib.exception"]._format_table(
            [
                self.env._("Order"),
                self.env._("Customer"),
                self.env._("Taken"),
                self.env._("Promise before"),
                self.env._("New promise"),
            ],
            rows,
            intro=self.env._(
                "%(qty)s %(uom)s of %(product)s re-allocated to this order by "
                "%(user)s (%(name)s), from:",
                qty=self.quantity,
                uom=uom,
                product=product.display_name,
                user=self.env.user.name,
                name=self.name,
            ),
        )
        self.order_id.message_post(body=table, subtype_xmlid="mail.mt_note")
        self.message_post(body=Markup(table))
        Log._distrib_log(
            self.order_id,
            "reallocated_in",
            product=product,
            quantity=self.quantity,
            amount=self.value,
            reallocation=self,
            note=self.note or self.name,
        )
