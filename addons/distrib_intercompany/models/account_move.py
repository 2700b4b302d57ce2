from collections import defaultdict

from odoo import Command, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    distrib_ic_source_move_id = fields.Many2one(
        "account.move",
        string="Intercompany Invoice",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="On a vendor bill: the supplying company's invoice it mirrors (a "
        "document of the other company).",
    )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._distrib_ic_create_bills()
        return posted

    def _distrib_ic_purchase_lines(self):
        """{invoice line: buying company's purchase line} (read in sudo)."""
        self.ensure_one()
        result = {}
        for line in self.invoice_line_ids:
            po_lines = line.sale_line_ids.sudo().distrib_ic_origin_purchase_line_id
            if po_lines:
                result[line] = po_lines[0]
        return result

    def _distrib_ic_create_bills(self):
        """B posted an invoice of an intercompany sale: A's bill mirrors it.

        Lines, quantities, unit prices, taxes and currency are B's (B's sale
        taxes become A's purchase taxes of the same type and amount); the bill is
        dated like the invoice, so both use the rates of that date. Created as
        A's intercompany user and posted when the rule auto-validates, unless a
        tax of the invoice has no equivalent in A: then it stays in draft with
        the reason in its chatter. Idempotent: a bill already mirroring the
        invoice is not created twice.
        """
        invoices = self.filtered(
            lambda move: (
                move.move_type in ("out_invoice", "out_refund")
                and move.state == "posted"
            )
        )
        bills = self.browse()
        for invoice in invoices:
            po_lines = invoice._distrib_ic_purchase_lines()
            if not po_lines:
                continue
            invoice.check_access("write")
            existing = self.sudo().search_count(
                [
                    ("distrib_ic_source_move_id", "=", invoice.id),
                    ("state", "!=", "cancel"),
                ]
            )
            if existing:
                continue
            by_purchase = defaultdict(dict)
            for line, po_line in po_lines.items():
                by_purchase[po_line.order_id][line] = po_line
            for purchase, lines in by_purchase.items():
                rule = self.env["distrib.intercompany.rule"]._distrib_get_rule(
                    purchase.company_id, invoice.company_id
                )
                env = rule._distrib_env(rule.user_id, rule.company_id)
                taxes, unmatched = invoice._distrib_ic_bill_taxes(rule, lines)
                bill = (
                    env["account.move"]
                    .with_context(default_move_type="in_invoice")
                    .create(invoice._distrib_ic_bill_vals(rule, lines, taxes))
                )
                if unmatched:
                    bill.message_post(
                        body=self.env._(
                            "No purchase tax of %(company)s matches %(taxes)s of "
                            "%(invoice)s (same type, amount and price included): "
                            "those lines got the product's purchase taxes, so the "
                            "total may differ from the invoice. The bill is left "
                            "in draft: create the matching purchase tax or correct "
                            "the taxes, then confirm it.",
                            company=rule.company_id.name,
                            taxes=", ".join(unmatched.mapped("name")),
                            invoice=invoice.name,
                        )
                    )
                elif rule.auto_validate:
                    bill.action_post()
                bills |= bill
        return bills

    def _distrib_ic_bill_taxes(self, rule, lines):
        """A's purchase taxes for ``lines`` of this invoice of B.

        Each sale tax of B maps to the first purchase tax of A (by sequence) with
        the same ``account.tax._distrib_ic_tax_key``. A line with a tax that
        has no match keeps the purchase line's taxes (the product's).
        Returns ({invoice line: A's taxes}, B's taxes without a match).
        """
        self.ensure_one()
        env = rule._distrib_env(rule.user_id, rule.company_id)
        Tax = env["account.tax"]
        candidates = Tax.search(
            [
                *Tax._check_company_domain(rule.company_id),
                ("type_tax_use", "=", "purchase"),
            ]
        )
        by_key = {}
        for tax in candidates:
            by_key.setdefault(tax._distrib_ic_tax_key(), tax)
        result = {}
        unmatched = self.env["account.tax"]
        for line, po_line in lines.items():
            taxes = Tax
            missing = self.env["account.tax"]
            for tax in line.tax_ids:
                match = by_key.get(tax._distrib_ic_tax_key())
                if match:
                    taxes |= match
                else:
                    missing |= tax
            if missing:
                unmatched |= missing
                taxes = po_line.with_env(env).taxes_id
            result[line] = taxes
        return result, unmatched

    def _distrib_ic_bill_vals(self, rule, lines, taxes=None):
        """Values of the buying company's bill mirroring ``lines`` of this invoice.

        ``taxes``: {invoice line: A's taxes} (``_distrib_ic_bill_taxes``);
        without it, the purchase lines' taxes.
        """
        self.ensure_one()
        taxes = taxes or {}
        seller = rule.company_id
        line_commands = []
        for line, po_line in lines.items():
            vals = {
                "product_id": line.product_id.id,
                "name": line.name,
                "quantity": line.quantity,
                "product_uom_id": line.product_uom_id.id,
                "price_unit": line.price_unit,
                "discount": line.discount,
                "purchase_line_id": po_line.id,
                "tax_ids": [
                    Command.set(
                        taxes[line].ids
                        if line in taxes
                        else po_line.sudo().taxes_id.ids
                    )
                ],
            }
            if rule.expense_account_id:
                vals["account_id"] = rule.expense_account_id.id
            line_commands.append(Command.create(vals))
        move_type = "in_refund" if self.move_type == "out_refund" else "in_invoice"
        vals = {
            "move_type": move_type,
            "partner_id": self.company_id.partner_id.id,
            "company_id": seller.id,
            "currency_id": self.currency_id.id,
            "invoice_date": self.invoice_date,
            "date": self.invoice_date,
            "ref": self.name,
            "invoice_origin": next(iter(lines.values())).order_id.name,
            "distrib_ic_source_move_id": self.id,
            "invoice_line_ids": line_commands,
        }
        if rule.purchase_journal_id:
            vals["journal_id"] = rule.purchase_journal_id.id
        return vals
