from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_is_zero

from odoo.addons.distrib_atp.server_flags import IC_SYNCING


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    distrib_source_kind = fields.Selection(
        selection_add=[("company", "Other company"), ("substitute",)],
        ondelete={"company": "set null"},
    )
    distrib_ic_supplier_company_id = fields.Many2one(
        "res.company",
        string="Sourced From Company",
        copy=False,
        help="Another company of the group that fulfils this line: on "
        "confirmation, a purchase order to it and its sale order are created.",
    )
    distrib_ic_purchase_line_id = fields.Many2one(
        "purchase.order.line",
        string="Intercompany Purchase Line",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="Line of the purchase order to the supplying company that fulfils "
        "this customer line.",
    )
    distrib_ic_origin_purchase_line_id = fields.Many2one(
        "purchase.order.line",
        string="Intercompany Origin",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="On the supplying company's sale line: the buying company's purchase "
        "line it answers.",
    )

    @api.constrains("distrib_ic_supplier_company_id", "company_id")
    def _check_distrib_ic_supplier_company(self):
        for line in self:
            if line.distrib_ic_supplier_company_id == line.company_id:
                raise ValidationError(
                    self.env._(
                        "Line %(product)s cannot be sourced from its own company "
                        "%(company)s through intercompany.",
                        product=line.product_id.display_name,
                        company=line.company_id.name,
                    )
                )

    def write(self, vals):
        if "distrib_ic_supplier_company_id" in vals:
            locked = self.filtered(
                lambda line: (
                    line.distrib_ic_purchase_line_id
                    and line.distrib_ic_purchase_line_id.state != "cancel"
                )
            )
            if locked:
                raise UserError(
                    self.env._(
                        "Line %(product)s already has its intercompany purchase "
                        "%(po)s: cancel it before changing the supplying company.",
                        product=locked[0].product_id.display_name,
                        po=locked[0].distrib_ic_purchase_line_id.order_id.name,
                    )
                )
        if "product_uom_qty" not in vals or IC_SYNCING.is_on(self.env):
            return super().write(vals)
        linked = self.filtered(
            lambda line: (
                line.state == "sale"
                and (
                    line.distrib_ic_purchase_line_id
                    or line.sudo().distrib_ic_origin_purchase_line_id
                )
            )
        )
        result = super().write(vals)
        linked._distrib_ic_sync_quantity()
        return result

    def _distrib_ic_other_line(self):
        """The supplying company's sale line answering this customer line (sudo)."""
        self.ensure_one()
        return (
            self.env["sale.order.line"]
            .sudo()
            .search(
                [
                    (
                        "distrib_ic_origin_purchase_line_id",
                        "=",
                        self.distrib_ic_purchase_line_id.id,
                    ),
                    ("state", "!=", "cancel"),
                ],
                limit=1,
            )
        )

    def _distrib_ic_sync_quantity(self):
        """A quantity changed on one side: the other side follows, or refuses.

        On the customer's line (A): A's purchase line and B's sale line take the
        new quantity, refused below what B already shipped. On B's line: A's
        purchase line follows, refused below what A already received, and the
        customer's order gets a note.
        """
        self.check_access("write")
        Rule = self.env["distrib.intercompany.rule"]
        for line in self:
            if line.distrib_ic_purchase_line_id:
                po_line = line.distrib_ic_purchase_line_id
                b_line = line._distrib_ic_other_line()
                rule = Rule._distrib_get_rule(
                    line.company_id, line.distrib_ic_supplier_company_id
                )
            else:
                po_line = line.sudo().distrib_ic_origin_purchase_line_id
                b_line = line.sudo()
                rule = Rule._distrib_get_rule(po_line.company_id, line.company_id)
            quantity = line.product_uom_qty
            if b_line.qty_delivered > quantity:
                raise UserError(
                    self.env._(
                        "%(company)s already shipped %(shipped)s %(product)s on "
                        "%(order)s: the quantity cannot go below that.",
                        company=b_line.company_id.name,
                        shipped=b_line.qty_delivered,
                        product=line.product_id.display_name,
                        order=b_line.order_id.name,
                    )
                )
            po_line = po_line.with_env(rule._distrib_env(rule.user_id, rule.company_id))
            if po_line.qty_received > quantity:
                raise UserError(
                    self.env._(
                        "%(company)s already received %(received)s %(product)s on "
                        "%(order)s: the quantity cannot go below that.",
                        company=po_line.company_id.name,
                        received=po_line.qty_received,
                        product=line.product_id.display_name,
                        order=po_line.order_id.name,
                    )
                )
            IC_SYNCING.set_on(po_line).product_qty = quantity
            if line.distrib_ic_purchase_line_id:
                b_env = rule._distrib_env(
                    rule.supplier_user_id, rule.supplier_company_id
                )
                IC_SYNCING.set_on(b_line.with_env(b_env)).product_uom_qty = quantity
            else:
                customer_line = po_line.distrib_ic_customer_line_id
                customer_line.order_id.message_post(
                    body=self.env._(
                        "%(company)s changed the quantity of %(product)s it supplies "
                        "to %(qty)s (%(order)s).",
                        company=line.company_id.name,
                        product=line.product_id.display_name,
                        qty=quantity,
                        order=po_line.order_id.name,
                    )
                )

    def _distrib_company_options(self, context):
        """Source from a warehouse of another company: its options, one per
        company (the warehouse with the most stock) that can promise the whole
        line after the intercompany lead time."""
        self.ensure_one()
        company = self.company_id
        need = self._distrib_need()
        own_cost = self._distrib_unit_cost()
        days = company.distrib_intercompany_days
        markup = company.distrib_intercompany_markup_percent / 100.0
        options = []
        best = {}
        for warehouse in context["warehouses"]:
            if warehouse.company_id == company:
                continue
            projection = context["projections"][self.product_id.id, warehouse.id]
            date = self._distrib_option_date(days, context["today"])
            available = projection.promisable(date)
            if available < need:
                continue
            # one option per company: its warehouse with the most stock
            if available > best.get(warehouse.company_id, (None, -1))[1]:
                best[warehouse.company_id] = (warehouse, available, date)
        for other, (warehouse, _available, date) in best.items():
            cost = need * self._distrib_unit_cost(company=other) * (1.0 + markup)
            cost = other.currency_id._convert(
                cost, company.currency_id, company, context["today"]
            )
            options.append(
                {
                    "kind": "company",
                    "warehouse_id": warehouse.id,
                    "company_id": other.id,
                    "product_id": self.product_id.id,
                    "quantity": self.product_uom_qty,
                    "lead_days": days,
                    "promise_date": date,
                    "cost": cost,
                    "margin_impact": need * own_cost - cost,
                }
            )
        return options

    def _distrib_apply_company_option(self, option):
        self.ensure_one()
        self.env["distrib.intercompany.rule"]._distrib_get_rule(
            self.company_id, option.company_id
        )
        self.write(
            {
                "distrib_source_kind": "company",
                "distrib_ic_supplier_company_id": option.company_id.id,
                "distrib_source_warehouse_id": option.warehouse_id.id,
                "distrib_promised_date": option.promise_date,
            }
        )

    def _distrib_promise_warehouse(self):
        """A line sourced from another company ships from that company's stock.

        The warehouse of the "Other company" option applied to it; a line given
        a supplying company by hand: that company's first active warehouse. Read
        as figures only (sudo), as the sourcing options read them.
        """
        self.ensure_one()
        supplier = self.distrib_ic_supplier_company_id
        if not supplier:
            return super()._distrib_promise_warehouse()
        warehouse = self.distrib_source_warehouse_id.sudo()
        if warehouse.company_id != supplier:
            warehouse = (
                self.env["stock.warehouse"]
                .sudo()
                .search([("company_id", "=", supplier.id)], limit=1)
            )
        return warehouse or super()._distrib_promise_warehouse()

    def _distrib_ic_rule(self):
        self.ensure_one()
        return self.env["distrib.intercompany.rule"]._distrib_get_rule(
            self.company_id, self.distrib_ic_supplier_company_id
        )

    def _distrib_ic_is_direct(self):
        self.ensure_one()
        if not self.distrib_ic_supplier_company_id:
            return False
        rule = self.env["distrib.intercompany.rule"]._distrib_get_rule(
            self.company_id, self.distrib_ic_supplier_company_id, raise_if_missing=False
        )
        return rule.fulfilment_mode == "direct"

    def _action_launch_stock_rule(self, previous_product_uom_qty=False):
        """Direct-ship lines are delivered by the supplying company, not from A."""
        direct = self.filtered(lambda line: line._distrib_ic_is_direct())
        return super(SaleOrderLine, self - direct)._action_launch_stock_rule(
            previous_product_uom_qty=previous_product_uom_qty
        )

    def _compute_qty_to_invoice(self):
        """The supplying company's intercompany sale (B) invoices what it
        delivered, whatever the product's invoicing policy: the buying company
        is billed for what it received, and a return credited to it is not
        invoiced again."""
        result = super()._compute_qty_to_invoice()
        for line in self:
            if (
                line.state == "sale"
                and not line.display_type
                and line.distrib_ic_origin_purchase_line_id
            ):
                line.qty_to_invoice = line.qty_delivered - line.qty_invoiced
        return result

    def _get_outgoing_incoming_moves(self, strict=True):
        """A direct-ship return goes back to the supplying company.

        The customer's line (A) is delivered by A's receipt from the supplying
        company; its return goes from the customer to the Inter-company transit
        location, which Odoo counts as one more delivery. It is a return: it
        lowers the delivered quantity.
        """
        outgoing, incoming = super()._get_outgoing_incoming_moves(strict=strict)
        if not self.distrib_ic_purchase_line_id:
            return outgoing, incoming
        returns = outgoing.filtered(
            lambda move: (
                move.origin_returned_move_id and move.location_id.usage == "customer"
            )
        )
        return outgoing - returns, incoming | returns.filtered("to_refund")

    def _distrib_ic_qty_to_credit(self):
        """Quantity of this intercompany sale line (B) billed but not delivered.

        Posted invoices count, and credit notes that are not cancelled (a draft
        credit note is already on its way): what a return may still credit.
        """
        self.ensure_one()
        invoiced = 0.0
        for invoice_line in self.invoice_lines:
            move = invoice_line.move_id
            quantity = invoice_line.product_uom_id._compute_quantity(
                invoice_line.quantity, self.product_uom
            )
            if move.move_type == "out_invoice" and move.state == "posted":
                invoiced += quantity
            elif move.move_type == "out_refund" and move.state != "cancel":
                invoiced -= quantity
        excess = invoiced - self.qty_delivered
        if float_is_zero(excess, precision_rounding=self.product_uom.rounding):
            return 0.0
        return max(excess, 0.0)
