from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_round

from odoo.addons.distrib_atp.server_flags import POST_CHECKED


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "distrib.exception.source.mixin"]

    def action_post(self):
        self._distrib_check_receipt_hold()
        mismatches = self._distrib_three_way_differences()
        if mismatches:
            exceptions = self._distrib_raise_unmatched(mismatches)
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "danger",
                    "sticky": True,
                    "title": self.env._("Not posted: three-way match failed"),
                    "message": self.env._(
                        "%(bills)s differ(s) from the purchase order or the "
                        "received quantities; see exception(s) %(exceptions)s.",
                        bills=", ".join(b.display_name for b in mismatches),
                        exceptions=", ".join(exceptions.mapped("name")),
                    ),
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        matched = self.filtered(
            lambda m: (
                m.move_type == "in_invoice" and m.company_id.distrib_three_way_match
            )
        )
        if matched:
            self.env["distrib.exception"]._resolve_for(
                matched,
                "unmatched_bill",
                note=self.env._("The bill matches the order and the receipts."),
            )
        checked = POST_CHECKED.get(self.env, ())
        return super(
            AccountMove, POST_CHECKED.set_on(self, (*checked, *self.ids))
        ).action_post()

    def _post(self, soft=True):
        """The same controls for every other posting path (the auto-post cron,
        other modules): a held or unmatched bill is refused with the reason."""
        checked = set(POST_CHECKED.get(self.env, ()))
        unchecked = self.filtered(lambda move: move.id not in checked)
        if unchecked:
            unchecked._distrib_check_receipt_hold()
            mismatches = unchecked._distrib_three_way_differences()
            if mismatches:
                raise UserError(
                    self.env._(
                        "%(bills)s cannot be posted: it differs from the purchase "
                        "order or the received quantities beyond the three-way "
                        "match tolerances. Post it from the bill to see the "
                        "differences.",
                        bills=", ".join(b.display_name for b in mismatches),
                    )
                )
        return super()._post(soft=soft)

    def _distrib_purchase_bills(self):
        return self.filtered(lambda m: m.move_type in ("in_invoice", "in_refund"))

    def _distrib_check_receipt_hold(self):
        """Refuse to post the vendor bills of an order whose receipt has an open
        receipt-variance exception."""
        bills = self._distrib_purchase_bills().filtered(
            lambda m: m.company_id.distrib_receipt_variance_check
        )
        if not bills:
            return
        pickings_by_bill = {
            bill: bill.sudo().invoice_line_ids.purchase_line_id.order_id.picking_ids
            for bill in bills
        }
        all_pickings = (
            self.env["stock.picking"].sudo().union(*pickings_by_bill.values())
        )
        if not all_pickings:
            return
        blocked = self.env["distrib.exception"]._has_blocking(
            all_pickings, exception_types=["receipt_variance"]
        )
        for bill, pickings in pickings_by_bill.items():
            held = pickings.filtered(lambda p: blocked.get(p.id))
            if held:
                exceptions = (
                    self.env["distrib.exception"]
                    .sudo()
                    ._get_open_for(held, exception_types=["receipt_variance"])
                )
                raise UserError(
                    self.env._(
                        "Bill %(bill)s is held: receipt %(pickings)s differs from "
                        "the purchase order (exception %(exceptions)s). Resolve "
                        "the exception before posting the bill.",
                        bill=bill.display_name,
                        pickings=", ".join(held.mapped("name")),
                        exceptions=", ".join(exceptions.mapped("name")),
                    )
                )

    def _distrib_three_way_differences(self):
        """``{bill: [difference dict]}`` of the vendor bills whose quantities or
        prices differ from the order and the receipts beyond the tolerances."""
        result = {}
        bills = self.filtered(
            lambda m: (
                m.move_type == "in_invoice"
                and m.state == "draft"
                and m.company_id.distrib_three_way_match
            )
        )
        for bill in bills:
            company = bill.company_id
            qty_tolerance = company.distrib_match_qty_tolerance / 100.0
            price_tolerance = company.distrib_match_price_tolerance
            differences = []
            for line in bill.invoice_line_ids.filtered("purchase_line_id"):
                pol = line.purchase_line_id
                rounding = pol.product_uom.rounding
                billed_here = line.product_uom_id._compute_quantity(
                    line.quantity, pol.product_uom
                )
                billed_elsewhere = sum(
                    other.product_uom_id._compute_quantity(
                        other.quantity, pol.product_uom
                    )
                    * (1 if other.move_id.move_type == "in_invoice" else -1)
                    for other in pol.invoice_lines
                    if other.move_id != bill and other.move_id.state == "posted"
                )
                billed = billed_here + billed_elsewhere
                reference = (
                    pol.qty_received
                    if pol.product_id.type == "consu"
                    else pol.product_qty
                )
                allowed = min(reference, pol.product_qty) * (1 + qty_tolerance)
                if float_compare(billed, allowed, precision_rounding=rounding) > 0:
                    differences.append(
                        {
                            "line": line,
                            "kind": "quantity",
                            "billed": billed,
                            "ordered": pol.product_qty,
                            "received": pol.qty_received,
                            "impact": (billed - min(reference, pol.product_qty))
                            * pol.price_unit,
                        }
                    )
                price = line.product_uom_id._compute_price(
                    line.price_unit, pol.product_uom
                )
                if bill.currency_id != pol.currency_id:
                    price = bill.currency_id._convert(
                        price,
                        pol.currency_id,
                        company,
                        bill.invoice_date or fields.Date.context_today(self),
                    )
                if pol.price_unit:
                    percent = (price - pol.price_unit) / pol.price_unit * 100.0
                else:
                    percent = 100.0 if price else 0.0
                if abs(percent) > price_tolerance:
                    differences.append(
                        {
                            "line": line,
                            "kind": "price",
                            "billed_price": price,
                            "ordered_price": pol.price_unit,
                            "percent": percent,
                            "impact": (price - pol.price_unit) * billed_here,
                        }
                    )
            if differences:
                result[bill] = differences
        return result

    def _distrib_bill_label(self):
        """How exceptions name the bill: its number, or for a draft (which has
        none yet) the vendor and the vendor's reference."""
        self.ensure_one()
        if self.name and self.name != "/":
            return self.env._("Bill %(number)s", number=self.name)
        return self.env._(
            "Draft bill %(reference)s from %(vendor)s",
            reference=self.ref or f"#{self.id}",
            vendor=self.partner_id.display_name,
        )

    def _distrib_raise_unmatched(self, mismatches):
        Exception_ = self.env["distrib.exception"]
        exceptions = Exception_
        for bill, differences in mismatches.items():
            currency = bill.currency_id
            rows = []
            for diff in differences:
                line = diff["line"]
                pol = line.purchase_line_id
                if diff["kind"] == "quantity":
                    rows.append(
                        (
                            pol.order_id.name,
                            line.product_id.display_name,
                            self.env._("Quantity"),
                            f"{diff['billed']:g}",
                            self.env._(
                                "ordered %(ordered)s, received %(received)s",
                                ordered=f"{diff['ordered']:g}",
                                received=f"{diff['received']:g}",
                            ),
                        )
                    )
                else:
                    rows.append(
                        (
                            pol.order_id.name,
                            line.product_id.display_name,
                            self.env._("Unit Price"),
                            pol.currency_id.format(diff["billed_price"]),
                            self.env._(
                                "ordered %(price)s (%(percent)s %%)",
                                price=pol.currency_id.format(diff["ordered_price"]),
                                percent=f"{float_round(diff['percent'], 2):+g}",
                            ),
                        )
                    )
            details = Exception_._format_table(
                [
                    self.env._("Order"),
                    self.env._("Product"),
                    self.env._("Difference"),
                    self.env._("Billed"),
                    self.env._("Expected"),
                ],
                rows,
                intro=self.env._(
                    "%(bill)s does not match its purchase order and receipts "
                    "(tolerances: quantity %(qty)s %%, price %(price)s %%). It "
                    "cannot be posted until corrected.",
                    bill=bill._distrib_bill_label(),
                    qty=bill.company_id.distrib_match_qty_tolerance,
                    price=bill.company_id.distrib_match_price_tolerance,
                ),
            )
            impact = sum(abs(diff["impact"]) for diff in differences)
            exceptions |= Exception_._raise_for(
                bill,
                "unmatched_bill",
                summary=self.env._(
                    "%(bill)s: %(count)s difference(s) with %(orders)s",
                    bill=bill._distrib_bill_label(),
                    count=len(differences),
                    orders=", ".join(
                        bill.invoice_line_ids.purchase_line_id.order_id.mapped("name")
                    ),
                ),
                details=details,
                impact_amount=currency._convert(
                    impact,
                    bill.company_id.currency_id,
                    bill.company_id,
                    bill.invoice_date or fields.Date.context_today(self),
                ),
                blocking=True,
            )
        return exceptions
