from odoo import models

from .. import tiers as scale_math


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._distrib_rebate_accrue()
        return posted

    def button_draft(self):
        self._distrib_rebate_reverse()
        return super().button_draft()

    # ------------------------------------------------------------------
    # the rebate an invoice earns, booked in its own transaction
    # ------------------------------------------------------------------
    def _distrib_rebate_invoices(self):
        return self.filtered(
            lambda m: (
                m.state == "posted"
                and m.move_type in ("out_invoice", "out_refund")
                and m.company_id.distrib_rebate_enabled
            )
        )

    def _distrib_rebate_lines(self):
        """The product lines of the invoices that count toward a rebate."""
        return self.invoice_line_ids.filtered(
            lambda line: line.display_type == "product" and line.product_id
        )

    def _distrib_rebate_base(self, line, agreement):
        """What ``line`` adds to the period's volume of ``agreement``: its
        quantity (product unit) or its untaxed value in the company currency
        (the invoice's own conversion, at its date); negative for a credit
        note."""
        if agreement.basis == "volume":
            sign = -1.0 if line.move_id.move_type == "out_refund" else 1.0
            return sign * line.product_uom_id._compute_quantity(
                line.quantity, line.product_id.uom_id
            )
        return -line.balance

    def _distrib_rebate_postings(self, pairs):
        """``{(line id, agreement id): (accrued, reversed)}``: how many times
        each pair was accrued and reversed (one query)."""
        if not pairs:
            return {}
        rows = (
            self.env["distrib.rebate.accrual"]
            .sudo()
            ._read_group(
                [
                    ("invoice_line_id", "in", list({line for line, _a in pairs})),
                    ("kind", "in", ("invoice", "reversal")),
                ],
                groupby=["invoice_line_id", "agreement_id", "kind"],
                aggregates=["__count"],
            )
        )
        result = {}
        for line, agreement, kind, count in rows:
            accrued, reversed_ = result.get((line.id, agreement.id), (0, 0))
            if kind == "invoice":
                accrued += count
            else:
                reversed_ += count
            result[line.id, agreement.id] = (accrued, reversed_)
        return result

    def _distrib_rebate_accrue(self):
        """Book the rebate the posted customer invoices and credit notes earn
        under their agreements: per invoice one accrual entry (expense debited,
        accrued rebates credited), one ledger record per line and agreement,
        and one true-up per period whose volume crosses a tier. Idempotent: a
        line accrued and not reversed since is skipped."""
        invoices = self._distrib_rebate_invoices().sorted(lambda m: (m.date, m.id))
        Agreement = self.env["distrib.rebate.agreement"]
        Accrual = self.env["distrib.rebate.accrual"]
        for company in invoices.company_id:
            company_invoices = invoices.filtered(lambda m, c=company: m.company_id == c)
            lines = company_invoices._distrib_rebate_lines()
            matched = Agreement._rebate_match(
                company,
                [
                    (line.id, line.move_id.partner_id, line.product_id, line.date)
                    for line in lines
                ],
            )
            if not matched:
                continue
            agreements = Agreement.browse({a.id for a in matched.values()})
            agreements._rebate_lock()
            postings = self._distrib_rebate_postings(
                [(line_id, agreement.id) for line_id, agreement in matched.items()]
            )
            volumes = agreements._rebate_period_volumes()
            currency = company.currency_id
            for invoice in company_invoices:
                partner = invoice.partner_id.commercial_partner_id
                groups = {}
                for line in invoice._distrib_rebate_lines():
                    agreement = matched.get(line.id)
                    if not agreement:
                        continue
                    accrued, reversed_ = postings.get((line.id, agreement.id), (0, 0))
                    if accrued > reversed_:
                        continue
                    period = agreement._rebate_period(invoice.date)
                    groups.setdefault((agreement, period), []).append(
                        (line, accrued + 1)
                    )
                if not groups:
                    continue
                records, amounts, crossings = [], [], []
                for (agreement, period), group in groups.items():
                    key = (agreement.id, partner.id, period[0])
                    before = volumes.get(key, (0.0, 0.0))
                    bases = [
                        self._distrib_rebate_base(line, agreement) for line, _n in group
                    ]
                    values = [-line.balance for line, _n in group]
                    after = (before[0] + sum(bases), before[1] + sum(values))
                    volumes[key] = after
                    rate = scale_math.rate_at(
                        agreement._rebate_scale(), max(before[0], after[0])
                    )
                    total = 0.0
                    for (line, number), base, value in zip(
                        group, bases, values, strict=True
                    ):
                        amount = currency.round(value * rate / 100.0)
                        total += amount
                        records.append(
                            {
                                "agreement_id": agreement.id,
                                "partner_id": partner.id,
                                "kind": "invoice",
                                "period_start": period[0],
                                "period_end": period[1],
                                "date": invoice.date,
                                "invoice_id": invoice.id,
                                "invoice_line_id": line.id,
                                "product_id": line.product_id.id,
                                "posting_number": number,
                                "base": base,
                                "value": value,
                                "rate": rate,
                                "amount": amount,
                            }
                        )
                    amounts.append((agreement, total))
                    crossings.append((agreement, period, before, after))
                move = Agreement._rebate_create_entry(
                    invoice.date,
                    self.env._("Rebate accrual %(invoice)s", invoice=invoice.name),
                    amounts,
                    partner,
                )
                for vals in records:
                    vals["move_id"] = move.id
                Accrual._rebate_create(records)
                for agreement, period, before, after in crossings:
                    agreement._rebate_true_up(
                        partner, period, invoice.date, before, after, invoice.name
                    )

    def _distrib_rebate_reverse(self):
        """Reverse the accruals of invoices reset to draft (their ledger
        records and accrual entries stay: a reversal record and a reversal
        entry cancel them), then true up the periods that fall back below a
        tier. Posting the invoice again accrues it anew."""
        invoices = self._distrib_rebate_invoices()
        if not invoices:
            return
        Accrual = self.env["distrib.rebate.accrual"].sudo()
        records = Accrual.search(
            [
                ("invoice_id", "in", invoices.ids),
                ("kind", "in", ("invoice", "reversal")),
            ]
        )
        if not records:
            return
        records.agreement_id._rebate_lock()
        postings = self._distrib_rebate_postings(
            [(r.invoice_line_id.id, r.agreement_id.id) for r in records]
        )
        volumes = records.agreement_id._rebate_period_volumes()
        to_reverse = records.filtered(
            lambda r: (
                r.kind == "invoice"
                and r.posting_number
                == postings.get((r.invoice_line_id.id, r.agreement_id.id), (0, 0))[0]
                and postings[r.invoice_line_id.id, r.agreement_id.id][1]
                < r.posting_number
            )
        )
        for invoice in invoices:
            mine = to_reverse.filtered(lambda r, i=invoice: r.invoice_id == i)
            if not mine:
                continue
            reversal = mine.move_id._reverse_moves(
                default_values_list=[
                    {
                        "date": move.date,
                        "ref": self.env._(
                            "Reversal of %(entry)s: %(invoice)s reset to draft",
                            entry=move.name,
                            invoice=invoice.name,
                        ),
                    }
                    for move in mine.move_id
                ]
            )
            reversal._post(soft=False)
            reversal_of = {move.reversed_entry_id: move for move in reversal}
            Accrual._rebate_create(
                [
                    {
                        "agreement_id": record.agreement_id.id,
                        "partner_id": record.partner_id.id,
                        "kind": "reversal",
                        "period_start": record.period_start,
                        "period_end": record.period_end,
                        "date": record.date,
                        "invoice_id": invoice.id,
                        "invoice_line_id": record.invoice_line_id.id,
                        "product_id": record.product_id.id,
                        "posting_number": record.posting_number,
                        "base": -record.base,
                        "value": -record.value,
                        "rate": record.rate,
                        "amount": -record.amount,
                        "move_id": reversal_of[record.move_id].id,
                    }
                    for record in mine
                ]
            )
            groups = {}
            for record in mine:
                key = (record.agreement_id, record.partner_id, record.period_start)
                group = groups.setdefault(key, [record.period_end, 0.0, 0.0])
                group[1] += record.base
                group[2] += record.value
            for (agreement, partner, start), (end, base, value) in groups.items():
                volume_key = (agreement.id, partner.id, start)
                before = volumes.get(volume_key, (0.0, 0.0))
                after = (before[0] - base, before[1] - value)
                volumes[volume_key] = after
                agreement._rebate_true_up(
                    partner,
                    (start, end),
                    invoice.date,
                    before,
                    after,
                    self.env._("%(invoice)s reset to draft", invoice=invoice.name),
                )
