from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.distrib_atp.rpc import check_vals, distrib_rpc

from .. import tiers as scale_math

# the terms that define what was accrued: frozen once the agreement is active
TERMS = {
    "company_id",
    "partner_id",
    "segment_id",
    "scope",
    "product_ids",
    "category_ids",
    "date_from",
    "date_to",
    "period_type",
    "basis",
    "mode",
    "accrual_account_id",
    "expense_account_id",
}


class DistribRebateAgreement(models.Model):
    """A customer's (or a customer segment's) rebate agreement for a period.

    Posting a customer invoice books the rebate it earns into the accrual
    account, in the invoice's own transaction (``account.move._post``); a tier
    crossing books one true-up entry; settling the period clears the accrual by
    a credit note or a payable. The ledger (``distrib.rebate.accrual``) is
    append-only; the statement sums it per period.
    """

    _name = "distrib.rebate.agreement"
    _description = "Customer Rebate Agreement"
    _inherit = ["mail.thread", "mail.activity.mixin", "distrib.workflow.mixin"]
    _order = "date_from desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    currency_id = fields.Many2one(
        related="company_id.currency_id",
        string="Currency",
        help="Agreements are kept in the company currency: an invoice in another "
        "currency counts at its company-currency value, converted at the invoice "
        "date with the company's rate (the value its journal items carry).",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index="btree_not_null",
        check_company=True,
        domain="[('is_company', '=', True)]",
        tracking=True,
    )
    segment_id = fields.Many2one(
        "distrib.customer.segment",
        string="Customer Segment",
        index="btree_not_null",
        tracking=True,
        help="The agreement applies to every customer of the segment that has no "
        "agreement of its own for the product.",
    )
    scope = fields.Selection(
        [
            ("all", "All Products"),
            ("category", "Product Categories"),
            ("product", "Products"),
        ],
        required=True,
        default="all",
    )
    product_ids = fields.Many2many(
        "product.product", string="Products", check_company=True
    )
    category_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="The categories and their subcategories.",
    )
    date_from = fields.Date(string="From", required=True, tracking=True)
    date_to = fields.Date(string="To", required=True, tracking=True)
    period_type = fields.Selection(
        [
            ("agreement", "Whole Agreement"),
            ("quarter", "Quarter"),
            ("month", "Month"),
        ],
        string="Settlement Period",
        required=True,
        default="agreement",
        help="The tiers are reached, and the rebate settled, per period.",
    )
    basis = fields.Selection(
        [("value", "Value (untaxed sales)"), ("volume", "Volume (quantity)")],
        required=True,
        default="value",
    )
    mode = fields.Selection(
        [
            ("retroactive", "Retroactive"),
            ("incremental", "Incremental"),
        ],
        required=True,
        default="retroactive",
        help="Retroactive: the tier reached applies to the whole period's sales. "
        "Incremental: each tier's rate applies to the sales inside the tier.",
    )
    tier_ids = fields.One2many("distrib.rebate.tier", "agreement_id", string="Tiers")
    accrual_account_id = fields.Many2one(
        "account.account",
        string="Accrued Rebates Account",
        check_company=True,
        help="Liability account the earned rebates accumulate in until settled.",
    )
    expense_account_id = fields.Many2one(
        "account.account",
        string="Rebate Expense Account",
        check_company=True,
    )
    journal_id = fields.Many2one(
        "account.journal",
        string="Accrual Journal",
        check_company=True,
        domain="[('type', '=', 'general')]",
        help="Empty: the company's rebate journal.",
    )
    settlement_type = fields.Selection(
        [("credit_note", "Credit Note"), ("payable", "Payable to the Customer")],
        required=True,
        default="credit_note",
    )
    discount_tolerance = fields.Float(
        string="Invoice Discount Allowed (%)",
        default=5.0,
        digits=(16, 2),
        help="Invoice discounts up to this percentage on top of the rebate are "
        "usual terms; above it the invoice's effective rebate departs from the "
        "agreement and the price alerts flag it.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("active", "Active"), ("closed", "Closed")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    # bumped under the row lock by every accrual (see ``_rebate_lock``)
    accrual_version = fields.Integer(readonly=True, copy=False)
    accrual_ids = fields.One2many(
        "distrib.rebate.accrual", "agreement_id", string="Ledger", readonly=True
    )
    statement_ids = fields.One2many(
        "distrib.rebate.statement",
        "agreement_id",
        readonly=True,
    )
    accrued_amount = fields.Monetary(
        string="Open Accrual", compute="_compute_accrued_amount"
    )

    # ------------------------------------------------------------------
    # computes and constraints
    # ------------------------------------------------------------------
    def _compute_accrued_amount(self):
        totals = dict(
            self.env["distrib.rebate.accrual"]._read_group(
                [("agreement_id", "in", self.ids)],
                groupby=["agreement_id"],
                aggregates=["amount:sum"],
            )
        )
        for agreement in self:
            agreement.accrued_amount = totals.get(agreement, 0.0)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for agreement in self:
            if agreement.date_to < agreement.date_from:
                raise ValidationError(
                    self.env._(
                        "The period of %(agreement)s ends (%(end)s) before it "
                        "starts (%(start)s).",
                        agreement=agreement.name,
                        end=agreement.date_to,
                        start=agreement.date_from,
                    )
                )

    @api.constrains("partner_id", "segment_id")
    def _check_target(self):
        for agreement in self:
            if bool(agreement.partner_id) == bool(agreement.segment_id):
                raise ValidationError(
                    self.env._(
                        "%(agreement)s must name either a customer or a customer "
                        "segment (one of them, not both).",
                        agreement=agreement.name,
                    )
                )

    @api.constrains("discount_tolerance")
    def _check_discount_tolerance(self):
        for agreement in self:
            if not 0.0 <= agreement.discount_tolerance <= 100.0:
                raise ValidationError(
                    self.env._(
                        "The invoice discount allowed by %(agreement)s must be "
                        "between 0 and 100 %%, not %(value)s.",
                        agreement=agreement.name,
                        value=agreement.discount_tolerance,
                    )
                )

    @api.constrains("tier_ids")
    def _check_tiers(self):
        for agreement in self:
            previous = None
            for tier in agreement.tier_ids.sorted("threshold"):
                if previous and tier.threshold == previous.threshold:
                    raise ValidationError(
                        self.env._(
                            "Two tiers of %(agreement)s start at %(threshold)s.",
                            agreement=agreement.name,
                            threshold=tier.threshold,
                        )
                    )
                if previous and tier.rate < previous.rate:
                    raise ValidationError(
                        self.env._(
                            "The tiers of %(agreement)s are out of order: from "
                            "%(threshold)s the rate is %(rate)s %%, less than the "
                            "%(previous_rate)s %% from %(previous)s. A higher "
                            "tier gives a higher rate.",
                            agreement=agreement.name,
                            threshold=tier.threshold,
                            rate=tier.rate,
                            previous_rate=previous.rate,
                            previous=previous.threshold,
                        )
                    )
                previous = tier

    @api.constrains(
        "partner_id",
        "segment_id",
        "scope",
        "product_ids",
        "category_ids",
        "date_from",
        "date_to",
        "company_id",
    )
    def _check_overlap(self):
        # the agreement's own errors first: they explain better
        self._check_dates()
        self._check_target()
        for agreement in self:
            others = self.sudo().search(
                [
                    ("id", "!=", agreement.id),
                    ("company_id", "=", agreement.company_id.id),
                    ("date_from", "<=", agreement.date_to),
                    ("date_to", ">=", agreement.date_from),
                ]
            )
            for other in others:
                if agreement._rebate_same_customers(
                    other
                ) and agreement._rebate_same_products(other):
                    raise ValidationError(
                        self.env._(
                            "%(agreement)s overlaps %(other)s (%(start)s to "
                            "%(end)s): the same customer and products cannot "
                            "earn two rebates for the same period. Change the "
                            "dates or the products of one of them.",
                            agreement=agreement.name,
                            other=other.name,
                            start=other.date_from,
                            end=other.date_to,
                        )
                    )

    def _rebate_same_customers(self, other):
        """Whether the two agreements can apply to one customer: same customer,
        same segment, or a customer of the other's segment."""
        if self.partner_id and other.partner_id:
            return self.partner_id == other.partner_id
        if self.segment_id and other.segment_id:
            return self.segment_id == other.segment_id
        partner = self.partner_id or other.partner_id
        segment = self.segment_id or other.segment_id
        return partner.distrib_segment_id == segment

    def _rebate_same_products(self, other):
        """Whether a product can be in the scope of both agreements."""
        if "all" in (self.scope, other.scope):
            return True
        if self.scope == other.scope == "product":
            return bool(self.product_ids & other.product_ids)
        if self.scope == other.scope == "category":
            return any(
                a.parent_path.startswith(b.parent_path)
                or b.parent_path.startswith(a.parent_path)
                for a in self.category_ids
                for b in other.category_ids
            )
        products = self.product_ids | other.product_ids
        categories = self.category_ids | other.category_ids
        return any(
            product.categ_id.parent_path.startswith(category.parent_path)
            for product in products
            for category in categories
        )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model
    def _distrib_workflow_fields(self):
        return super()._distrib_workflow_fields() | {"state", "accrual_version"}

    @api.model_create_multi
    def create(self, vals_list):
        check_vals(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_vals(self, vals)
        if TERMS & set(vals):
            self._check_editable_terms()
        return super().write(vals)

    def unlink(self):
        if self.accrual_ids or self.filtered(lambda a: a.state != "draft"):
            raise UserError(
                self.env._(
                    "Only draft agreements without accruals can be deleted: "
                    "%(agreements)s booked rebates.",
                    agreements=", ".join(self.mapped("name")),
                )
            )
        return super().unlink()

    def _check_editable_terms(self):
        frozen = self.filtered(lambda a: a.state != "draft")
        if frozen:
            raise UserError(
                self.env._(
                    "The terms (customer, products, period, tiers, accounts) of "
                    "%(agreements)s cannot change once the agreement is active: "
                    "its accruals were booked on them. Close it and make a new "
                    "agreement.",
                    agreements=", ".join(frozen.mapped("name")),
                )
            )

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------
    def _check_finance(self):
        if not (
            self.env.su
            or self.env.user.has_group("distrib_atp.group_distrib_finance")
            or self.env.user.has_group("distrib_atp.group_distrib_manager")
        ):
            raise UserError(
                self.env._(
                    "Only finance or a distribution manager can activate, settle "
                    "or close rebate agreements."
                )
            )

    @distrib_rpc()
    def action_activate(self):
        """Activate the agreements: from now on posting an invoice of their
        customers accrues the rebate; the posted invoices of the period that
        were not accrued yet are accrued now (catch-up)."""
        self._check_finance()
        self.check_access("write")
        for agreement in self:
            if agreement.state != "draft":
                raise UserError(
                    self.env._(
                        "%(agreement)s is already %(state)s.",
                        agreement=agreement.name,
                        state=dict(
                            self._fields["state"]._description_selection(self.env)
                        )[agreement.state],
                    )
                )
            missing = [
                label
                for label, value in (
                    (self.env._("tiers"), agreement.tier_ids),
                    (
                        self.env._("accrued rebates account"),
                        agreement.accrual_account_id,
                    ),
                    (
                        self.env._("rebate expense account"),
                        agreement.expense_account_id,
                    ),
                    (
                        self.env._("products"),
                        agreement.scope != "product" or agreement.product_ids,
                    ),
                    (
                        self.env._("product categories"),
                        agreement.scope != "category" or agreement.category_ids,
                    ),
                )
                if not value
            ]
            if missing:
                raise UserError(
                    self.env._(
                        "%(agreement)s cannot be activated without its %(missing)s.",
                        agreement=agreement.name,
                        missing=", ".join(missing),
                    )
                )
        self.sudo().write({"state": "active"})
        for agreement in self:
            agreement.sudo()._rebate_catch_up()
        return True

    @distrib_rpc()
    def action_close(self):
        """Close the agreements: no more accruals (an open balance stays until
        settled)."""
        self._check_finance()
        self.check_access("write")
        self.sudo().write({"state": "closed"})
        return True

    @distrib_rpc()
    def action_settle(self, period_start=None):
        """Settle the agreement's periods with an open accrual (the period
        starting on ``period_start`` only, when given): one credit note or
        payable per period, which clears the accrual exactly. Settling a period
        twice is refused. Returns the settlement documents' ids."""
        self._check_finance()
        self.check_access("write")
        if period_start not in (None, False):
            try:
                period_start = fields.Date.to_date(period_start)
            except (TypeError, ValueError):
                period_start = None
            if not period_start:
                raise UserError(
                    self.env._(
                        "Give the start of the period to settle as a date (YYYY-MM-DD)."
                    )
                )
        documents = self.env["account.move"]
        for agreement in self:
            documents |= agreement.sudo()._rebate_settle(period_start)
        return documents.ids

    @distrib_rpc(singleton=True)
    def action_view_ledger(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "distrib_rebate.distrib_rebate_accrual_action"
        )
        action["domain"] = [("agreement_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # matching invoice lines and order lines to agreements
    # ------------------------------------------------------------------
    def _rebate_scale(self):
        self.ensure_one()
        return [(tier.threshold, tier.rate) for tier in self.tier_ids]

    def _rebate_period(self, date):
        """(start, end) of the settlement period of ``date``."""
        self.ensure_one()
        if self.period_type == "month":
            start = date.replace(day=1)
            end = start + relativedelta(months=1, days=-1)
        elif self.period_type == "quarter":
            start = date.replace(month=3 * ((date.month - 1) // 3) + 1, day=1)
            end = start + relativedelta(months=3, days=-1)
        else:
            start, end = self.date_from, self.date_to
        return max(start, self.date_from), min(end, self.date_to)

    @api.model
    def _rebate_match(self, company, items):
        """``{key: agreement}`` for ``items``, (key, partner, product, date)
        tuples: the active agreement of ``company`` that applies to each (the
        customer's own before its segment's). One query whatever the number of
        items."""
        items = [item for item in items if item[1] and item[2] and item[3]]
        if not items or not company.distrib_rebate_enabled:
            return {}
        partners = self.env["res.partner"].browse(
            {item[1].commercial_partner_id.id for item in items}
        )
        segments = partners.distrib_segment_id
        dates = [item[3] for item in items]
        agreements = (
            self.sudo()
            .with_company(company)
            .search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "active"),
                    ("date_from", "<=", max(dates)),
                    ("date_to", ">=", min(dates)),
                    "|",
                    ("partner_id", "in", partners.ids),
                    ("segment_id", "in", segments.ids),
                ],
                order="id",
            )
        )
        if not agreements:
            return {}
        # plain values, looked up by customer and by segment: the items are
        # matched in Python without touching a record per item and agreement
        terms = {}
        by_partner = defaultdict(list)
        by_segment = defaultdict(list)
        for agreement in agreements:
            terms[agreement] = (
                agreement.date_from,
                agreement.date_to,
                agreement.scope,
                frozenset(agreement.product_ids.ids),
                tuple(agreement.category_ids.mapped("parent_path")),
            )
            if agreement.partner_id:
                by_partner[agreement.partner_id.id].append(agreement)
            elif agreement.segment_id:
                by_segment[agreement.segment_id.id].append(agreement)
        paths = {}

        def covers(agreement, product, date):
            date_from, date_to, scope, product_ids, category_paths = terms[agreement]
            if not date_from <= date <= date_to:
                return False
            if scope == "all":
                return True
            if scope == "product":
                return product.id in product_ids
            if product.id not in paths:
                paths[product.id] = product.categ_id.parent_path or ""
            return any(paths[product.id].startswith(p) for p in category_paths)

        result = {}
        for key, partner, product, date in items:
            commercial = partner.commercial_partner_id
            # the customer's own agreements before its segment's, each by id
            for candidates in (
                by_partner.get(commercial.id, ()),
                by_segment.get(commercial.distrib_segment_id.id, ()),
            ):
                match = next((a for a in candidates if covers(a, product, date)), None)
                if match:
                    result[key] = match
                    break
        return result

    def _rebate_period_volumes(self):
        """``{(agreement id, customer id, period start): (volume, value)}`` of the
        agreements, from the ledger (fresh SQL: call it after ``_rebate_lock``).
        Each customer reaches the tiers on its own purchases, also under a
        segment's agreement."""
        if not self:
            return {}
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT agreement_id, partner_id, period_start,
                       COALESCE(SUM(base), 0), COALESCE(SUM(value), 0)
                  FROM distrib_rebate_accrual
                 WHERE agreement_id IN %s AND kind IN ('invoice', 'reversal')
              GROUP BY agreement_id, partner_id, period_start
                """,
                tuple(self.ids),
            )
        )
        return {
            (row[0], row[1], row[2]): (row[3], row[4]) for row in self.env.cr.fetchall()
        }

    def _rebate_period_accrued(self, partner, period_start):
        """Amount accrued (company currency) for the customer's period, every
        kind but the settlement (fresh SQL)."""
        self.ensure_one()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT COALESCE(SUM(amount), 0)
                  FROM distrib_rebate_accrual
                 WHERE agreement_id = %s AND partner_id = %s AND period_start = %s
                   AND kind != 'settlement'
                """,
                self.id,
                partner.id,
                period_start,
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _rebate_expected_rates(self, company, items):
        """``{key: rate %}`` for (key, partner, product, date) items covered by
        an agreement: the rate of the tier its period has reached."""
        matched = self._rebate_match(company, items)
        if not matched:
            return {}
        agreements = self.browse({a.id for a in matched.values()})
        volumes = agreements._rebate_period_volumes()
        by_key = {item[0]: item for item in items}
        rates = {}
        for key, agreement in matched.items():
            _key, partner, _product, date = by_key[key]
            start, _end = agreement._rebate_period(date)
            volume, _value = volumes.get(
                (agreement.id, partner.commercial_partner_id.id, start), (0.0, 0.0)
            )
            rates[key] = scale_math.rate_at(agreement._rebate_scale(), volume)
        return rates

    # ------------------------------------------------------------------
    # concurrency
    # ------------------------------------------------------------------
    def _rebate_lock(self):
        """Lock the agreements' rows (in id order: no deadlock) and bump their
        version, before reading the period volumes a posting accrues on.

        Odoo's transactions run in REPEATABLE READ: a posting that waited for
        the lock still reads the ledger as it was when it started. Because the
        posting that held the lock also updated the row, taking the lock after
        it committed raises a serialization failure, and Odoo replays the call
        with a fresh snapshot: the second posting then sees the first one's
        accruals, and a tier crossed by the two is trued up once.
        """
        if not self:
            return
        self.env.flush_all()
        ids = tuple(sorted(self.ids))
        self.env.cr.execute(
            SQL(
                "SELECT id FROM distrib_rebate_agreement WHERE id IN %s "
                "ORDER BY id FOR UPDATE",
                ids,
            )
        )
        self.env.cr.execute(
            SQL(
                "UPDATE distrib_rebate_agreement "
                "SET accrual_version = COALESCE(accrual_version, 0) + 1 "
                "WHERE id IN %s",
                ids,
            )
        )
        self.invalidate_recordset(["accrual_version"])

    # ------------------------------------------------------------------
    # accrual, true-up, settlement
    # ------------------------------------------------------------------
    def _rebate_journal(self):
        self.ensure_one()
        journal = self.journal_id or self.company_id.distrib_rebate_journal_id
        if not journal:
            journal = self.env["account.journal"].search(
                [
                    *self.env["account.journal"]._check_company_domain(self.company_id),
                    ("type", "=", "general"),
                ],
                limit=1,
            )
        if not journal:
            raise UserError(
                self.env._(
                    "%(company)s has no miscellaneous journal for the rebate "
                    "accruals of %(agreement)s: set the rebate journal in the "
                    "settings.",
                    company=self.company_id.name,
                    agreement=self.name,
                )
            )
        return journal

    def _rebate_catch_up(self):
        """Accrue the posted invoice lines of the agreement's period that no
        agreement accrued yet (an agreement activated after its start)."""
        self.ensure_one()
        if not self.company_id.distrib_rebate_enabled:
            return
        moves = self.env["account.move"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("date", ">=", self.date_from),
                ("date", "<=", self.date_to),
            ],
            order="date, id",
        )
        if moves:
            moves._distrib_rebate_accrue()

    def _rebate_earned(self, volume, value):
        """What a period of ``volume`` (tier measure) and ``value`` (untaxed,
        company currency) earns."""
        self.ensure_one()
        rate = scale_math.earned_rate(self._rebate_scale(), volume, self.mode)
        return self.company_id.currency_id.round(value * rate / 100.0)

    def _rebate_true_up(self, partner, period, date, before, after, origin):
        """Book the true-up of a period whose (volume, value) moved from
        ``before`` to ``after`` with the volume crossing a tier: the accrual is
        brought to what the period earns at its new tier. Returns the ledger
        record, or None."""
        self.ensure_one()
        scale = self._rebate_scale()
        (before, _value_before), (after, value_after) = before, after
        if scale_math.tier_index(scale, before) == scale_math.tier_index(scale, after):
            return None
        currency = self.company_id.currency_id
        accrued = self._rebate_period_accrued(partner, period[0])
        earned = self._rebate_earned(after, value_after)
        difference = currency.round(earned - accrued)
        old_rate = scale_math.rate_at(scale, before)
        new_rate = scale_math.rate_at(scale, after)
        unit = self._rebate_unit_label()
        note = self.env._(
            "%(partner)s, period %(start)s to %(end)s: %(basis)s went from "
            "%(before)s to %(after)s%(unit)s with %(origin)s, %(direction)s "
            "the tier (rate %(old)s %% to %(new)s %%, %(mode)s). The period "
            "earns %(earned)s; %(accrued)s was accrued: true-up %(difference)s.",
            partner=partner.display_name,
            start=period[0],
            end=period[1],
            basis=dict(self._fields["basis"]._description_selection(self.env))[
                self.basis
            ].lower(),
            before=f"{before:,.2f}",
            after=f"{after:,.2f}",
            unit=unit,
            origin=origin,
            direction=self.env._("crossing")
            if after > before
            else self.env._("falling back below"),
            old=old_rate,
            new=new_rate,
            mode=dict(self._fields["mode"]._description_selection(self.env))[
                self.mode
            ].lower(),
            earned=currency.format(earned),
            accrued=currency.format(accrued),
            difference=currency.format(difference),
        )
        move = self.env["account.move"]
        if not currency.is_zero(difference):
            move = self._rebate_create_entry(
                date,
                self.env._("Rebate true-up %(agreement)s", agreement=self.name),
                [(self, difference)],
                partner,
            )
        record = self.env["distrib.rebate.accrual"]._rebate_create(
            [
                {
                    "agreement_id": self.id,
                    "partner_id": partner.id,
                    "kind": "trueup",
                    "period_start": period[0],
                    "period_end": period[1],
                    "date": date,
                    "rate": new_rate,
                    "amount": difference,
                    "move_id": move.id,
                    "note": note,
                }
            ]
        )
        self.message_post(body=note)
        return record

    def _rebate_unit_label(self):
        if self.basis == "value":
            return f" {self.company_id.currency_id.name}"
        return self.env._(" units")

    def _rebate_create_entry(self, date, ref, amounts, partner):
        """Post one journal entry: per (agreement, amount) the expense debited
        and the accrual credited (the other way for a negative amount)."""
        lines = []
        for agreement, amount in amounts:
            if agreement.company_id.currency_id.is_zero(amount):
                continue
            label = self.env._("Rebate %(agreement)s", agreement=agreement.name)
            lines += [
                fields.Command.create(
                    {
                        "name": label,
                        "account_id": agreement.expense_account_id.id,
                        "debit": max(amount, 0.0),
                        "credit": max(-amount, 0.0),
                        "partner_id": partner.id or False,
                    }
                ),
                fields.Command.create(
                    {
                        "name": label,
                        "account_id": agreement.accrual_account_id.id,
                        "debit": max(-amount, 0.0),
                        "credit": max(amount, 0.0),
                        "partner_id": partner.id or False,
                    }
                ),
            ]
        if not lines:
            return self.env["account.move"]
        first = amounts[0][0]
        move = (
            self.env["account.move"]
            .sudo()
            .with_company(first.company_id)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": first._rebate_journal().id,
                    "date": date,
                    "ref": ref,
                    "line_ids": lines,
                }
            )
        )
        move._post(soft=False)
        return move

    def _rebate_settle(self, period_start=None):
        """Settle the open periods (or the one starting on ``period_start``),
        one document per customer and period. Returns the credit notes /
        payable entries."""
        self.ensure_one()
        if self.state == "draft":
            raise UserError(
                self.env._(
                    "%(agreement)s is a draft: activate it first.", agreement=self.name
                )
            )
        self._rebate_lock()
        Accrual = self.env["distrib.rebate.accrual"]
        self.env.flush_all()
        rows = Accrual._read_group(
            [("agreement_id", "=", self.id)],
            groupby=["partner_id", "period_start:day", "period_end:day", "kind"],
            aggregates=["base:sum", "value:sum", "amount:sum", "__count"],
        )
        currency = self.company_id.currency_id
        periods = {}
        settled = {}
        settlements = {}
        for partner, start, end, kind, base, value, amount, count in rows:
            start, end = fields.Date.to_date(start), fields.Date.to_date(end)
            if kind == "settlement":
                settled[partner, start] = settled.get((partner, start), 0.0) - amount
                settlements[partner, start] = count
                continue
            period = periods.setdefault(
                (partner, start),
                {"end": end, "base": 0.0, "value": 0.0, "accrued": 0.0},
            )
            period["accrued"] += amount
            if kind in ("invoice", "reversal"):
                period["base"] += base
                period["value"] += value
        # a period is open until settled, and again when an invoice or a credit
        # note posted into it after its settlement left a balance
        todo = sorted(
            (
                key
                for key, period in periods.items()
                if key not in settled
                or not currency.is_zero(period["accrued"] - settled[key])
            ),
            key=lambda key: (key[1], key[0].id),
        )
        if period_start:
            done = [key for key in settled if key[1] == period_start]
            if done and not [key for key in todo if key[1] == period_start]:
                settlement = Accrual.search(
                    [
                        ("agreement_id", "=", self.id),
                        ("period_start", "=", period_start),
                        ("kind", "=", "settlement"),
                    ],
                    limit=1,
                )
                raise UserError(
                    self.env._(
                        "The period of %(agreement)s starting %(start)s was "
                        "already settled on %(date)s by %(document)s.",
                        agreement=self.name,
                        start=period_start,
                        date=settlement.date,
                        document=settlement.move_id.display_name,
                    )
                )
            todo = [key for key in todo if key[1] == period_start]
            if not todo:
                raise UserError(
                    self.env._(
                        "%(agreement)s has no accrual for a period starting %(start)s.",
                        agreement=self.name,
                        start=period_start,
                    )
                )
        elif not todo:
            raise UserError(
                self.env._(
                    "%(agreement)s has nothing left to settle: every period "
                    "with accruals is already settled.",
                    agreement=self.name,
                )
            )
        documents = self.env["account.move"]
        today = fields.Date.context_today(self)
        for partner, start in todo:
            period = (start, periods[partner, start]["end"])
            accrued = self._rebate_period_accrued(partner, start)
            earned = self._rebate_earned(
                periods[partner, start]["base"], periods[partner, start]["value"]
            )
            if not currency.is_zero(earned - accrued):
                # rounding of the per-invoice accruals: bring them to the
                # earned amount before clearing
                move = self._rebate_create_entry(
                    today,
                    self.env._("Rebate true-up %(agreement)s", agreement=self.name),
                    [(self, earned - accrued)],
                    partner,
                )
                Accrual._rebate_create(
                    [
                        {
                            "agreement_id": self.id,
                            "partner_id": partner.id,
                            "kind": "trueup",
                            "period_start": period[0],
                            "period_end": period[1],
                            "date": today,
                            "amount": currency.round(earned - accrued),
                            "move_id": move.id,
                            "note": self.env._("Rounding before settlement"),
                        }
                    ]
                )
                accrued = earned
            documents |= self._rebate_settle_period(
                partner,
                period,
                accrued - settled.get((partner, start), 0.0),
                today,
                number=settlements.get((partner, start), 0) + 1,
            )
        return documents

    def _rebate_settle_period(self, partner, period, amount, date, number=1):
        """The credit note (or payable) of the customer's period, for what it
        accrued and was not settled yet; the settlement ledger record clears the
        accrual. A negative amount (a credit note posted into a settled period
        lowered what it earned) is claimed back from the customer."""
        self.ensure_one()
        currency = self.company_id.currency_id
        if currency.is_zero(amount):
            return self.env["account.move"]
        label = self.env._(
            "Rebate %(agreement)s, %(start)s to %(end)s",
            agreement=self.name,
            start=period[0],
            end=period[1],
        )
        document = self._rebate_settlement_document(partner, amount, label, date)
        self.env["distrib.rebate.accrual"]._rebate_create(
            [
                {
                    "agreement_id": self.id,
                    "kind": "settlement",
                    "posting_number": number,
                    "partner_id": partner.id,
                    "period_start": period[0],
                    "period_end": period[1],
                    "date": date,
                    "amount": -amount,
                    "move_id": document.id,
                    "note": label,
                }
            ]
        )
        self.message_post(
            body=self.env._(
                "%(label)s, %(partner)s: %(amount)s settled by %(document)s.",
                label=label,
                partner=partner.display_name,
                amount=currency.format(amount),
                document=document.name,
            )
        )
        return document

    def _rebate_settlement_document(self, partner, amount, label, date):
        self.ensure_one()
        company = self.company_id
        Move = self.env["account.move"].sudo().with_company(company)
        if self.settlement_type == "credit_note":
            # what was over-credited comes back on an invoice
            document = Move.create(
                {
                    "move_type": "out_refund" if amount > 0 else "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": date,
                    "ref": label,
                    "invoice_line_ids": [
                        fields.Command.create(
                            {
                                "name": label,
                                "account_id": self.accrual_account_id.id,
                                "quantity": 1.0,
                                "price_unit": abs(amount),
                                "tax_ids": [fields.Command.clear()],
                            }
                        )
                    ],
                }
            )
        else:
            payable = partner.with_company(company).property_account_payable_id
            document = Move.create(
                {
                    "move_type": "entry",
                    "journal_id": self._rebate_journal().id,
                    "date": date,
                    "ref": label,
                    "line_ids": [
                        fields.Command.create(
                            {
                                "name": label,
                                "account_id": self.accrual_account_id.id,
                                "debit": max(amount, 0.0),
                                "credit": max(-amount, 0.0),
                                "partner_id": partner.id,
                            }
                        ),
                        fields.Command.create(
                            {
                                "name": label,
                                "account_id": payable.id,
                                "debit": max(-amount, 0.0),
                                "credit": max(amount, 0.0),
                                "partner_id": partner.id,
                            }
                        ),
                    ],
                }
            )
        document._post(soft=False)
        return document
