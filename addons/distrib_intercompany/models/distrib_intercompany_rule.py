from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

PRICE_METHODS = [
    ("cost_markup", "Cost + markup"),
    ("pricelist", "Pricelist"),
]
FULFILMENT_MODES = [
    ("transfer", "Transfer to the selling company's warehouse first"),
    ("direct", "Ship directly to the customer"),
]


class DistribIntercompanyRule(models.Model):
    """How one company (the seller, A) may source its sales from another (B).

    One rule per ordered pair of companies. Without an allowed rule, a line of A
    cannot be sourced from B and nothing intercompany happens.
    """

    _name = "distrib.intercompany.rule"
    _description = "Intercompany Rule"
    _inherit = ["mail.thread"]
    _order = "company_id, supplier_company_id"
    _rec_names_search = ["company_id", "supplier_company_id"]

    name = fields.Char(compute="_compute_name", store=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        string="Selling Company",
        required=True,
        default=lambda self: self.env.company,
        tracking=True,
        help="Company that sells to the customer and buys from the supplying company.",
    )
    supplier_company_id = fields.Many2one(
        "res.company",
        string="Supplying Company",
        required=True,
        tracking=True,
        help="Company whose stock fulfils the sale.",
    )
    allowed = fields.Boolean(
        default=True,
        tracking=True,
        help="Untick to forbid sourcing the selling company's sales from the "
        "supplying company.",
    )
    price_method = fields.Selection(
        PRICE_METHODS,
        string="Transfer Price",
        required=True,
        default="cost_markup",
        tracking=True,
    )
    markup_percent = fields.Float(
        string="Markup (%)",
        tracking=True,
        help="Added to the supplying company's cost of the product.",
    )
    pricelist_id = fields.Many2one(
        "product.pricelist",
        tracking=True,
        help="Pricelist of the supplying company used to price its sale to the "
        "selling company.",
    )
    fulfilment_mode = fields.Selection(
        FULFILMENT_MODES,
        required=True,
        default="transfer",
        tracking=True,
        help="Transfer: the supplying company delivers to the selling company's "
        "warehouse, which then delivers the customer. Direct: the supplying "
        "company ships to the customer's address; the selling company's purchase "
        "receipt goes straight to the customer and counts as the customer's "
        "delivery.",
    )
    auto_validate = fields.Boolean(
        string="Auto-validation",
        default=True,
        tracking=True,
        help="Validate the selling company's receipt when the supplying company "
        "ships, and post its vendor bill when the supplying company posts its "
        "invoice. Unticked, they are prepared and left to validate.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Selling Company's Intercompany User",
        tracking=True,
        help="The selling company's purchase orders, receipts and bills are "
        "created as this user.",
    )
    supplier_user_id = fields.Many2one(
        "res.users",
        string="Supplying Company's Intercompany User",
        tracking=True,
        help="The supplying company's sale orders are created as this user.",
    )
    purchase_journal_id = fields.Many2one(
        "account.journal",
        string="Vendor Bills Journal",
        domain="[('type', '=', 'purchase'), ('company_id', '=', company_id)]",
        help="Journal of the selling company's vendor bills (empty: the default "
        "purchase journal).",
    )
    sale_journal_id = fields.Many2one(
        "account.journal",
        string="Customer Invoices Journal",
        domain="[('type', '=', 'sale'), ('company_id', '=', supplier_company_id)]",
        help="Journal of the supplying company's invoices (empty: the default "
        "sales journal).",
    )
    expense_account_id = fields.Many2one(
        "account.account",
        string="Bill Lines Account",
        domain="[('company_ids', 'in', company_id), "
        "('account_type', 'not in', ('asset_receivable', 'liability_payable'))]",
        help="Account of the vendor bill lines in the selling company (empty: the "
        "product's expense account).",
    )

    _sql_constraints = [
        (
            "pair_unique",
            "unique(company_id, supplier_company_id)",
            "There is already a rule for this pair of companies.",
        ),
    ]

    @api.depends("company_id.name", "supplier_company_id.name")
    def _compute_name(self):
        for rule in self:
            rule.name = self.env._(
                "%(seller)s from %(supplier)s",
                seller=rule.company_id.name or "?",
                supplier=rule.supplier_company_id.name or "?",
            )

    @api.constrains(
        "company_id",
        "supplier_company_id",
        "allowed",
        "price_method",
        "markup_percent",
        "pricelist_id",
        "user_id",
        "supplier_user_id",
        "purchase_journal_id",
        "sale_journal_id",
        "expense_account_id",
    )
    def _check_rule(self):
        for rule in self:
            seller, supplier = rule.company_id, rule.supplier_company_id
            if seller == supplier:
                raise ValidationError(
                    self.env._(
                        "A company cannot source from itself: %(company)s is both "
                        "the selling and the supplying company.",
                        company=seller.name,
                    )
                )
            if rule.markup_percent < 0:
                raise ValidationError(
                    self.env._(
                        "The markup of %(rule)s cannot be negative (%(markup)s %%).",
                        rule=rule.name,
                        markup=rule.markup_percent,
                    )
                )
            if rule.price_method == "pricelist" and not rule.pricelist_id:
                raise ValidationError(
                    self.env._(
                        "%(rule)s prices with a pricelist: choose one.",
                        rule=rule.name,
                    )
                )
            pricelist = rule.pricelist_id
            if pricelist.company_id and pricelist.company_id != supplier:
                raise ValidationError(
                    self.env._(
                        "Pricelist %(pricelist)s belongs to %(company)s, not to the "
                        "supplying company %(supplier)s.",
                        pricelist=pricelist.name,
                        company=pricelist.company_id.name,
                        supplier=supplier.name,
                    )
                )
            rule._check_accounting()
            if not rule.allowed:
                continue
            for user, company, label in (
                (rule.user_id, seller, self.env._("selling")),
                (rule.supplier_user_id, supplier, self.env._("supplying")),
            ):
                if not user:
                    raise ValidationError(
                        self.env._(
                            "%(rule)s: choose the intercompany user of the %(side)s "
                            "company %(company)s; its documents are created as "
                            "that user.",
                            rule=rule.name,
                            side=label,
                            company=company.name,
                        )
                    )
                if company not in user.company_ids:
                    raise ValidationError(
                        self.env._(
                            "User %(user)s cannot work in %(company)s: add the "
                            "company to the user's allowed companies or choose "
                            "another user.",
                            user=user.name,
                            company=company.name,
                        )
                    )

    def _check_accounting(self):
        """Journals and account of the rule belong to the right company and fit.

        Vendor Bills Journal: a purchase journal of the selling company; Customer
        Invoices Journal: a sale journal of the supplying company; Bill Lines
        Account: an account of the selling company that a bill line can use
        (not a receivable or payable account).
        """
        self.ensure_one()
        seller, supplier = self.company_id, self.supplier_company_id
        for fname, company, journal_type in (
            ("purchase_journal_id", seller, "purchase"),
            ("sale_journal_id", supplier, "sale"),
        ):
            journal = self[fname]
            if not journal:
                continue
            field = self._fields[fname]._description_string(self.env)
            if journal.company_id != company:
                raise ValidationError(
                    self.env._(
                        "%(field)s of %(rule)s: journal %(journal)s belongs to "
                        "%(other)s, not to %(company)s.",
                        field=field,
                        rule=self.name,
                        journal=journal.display_name,
                        other=journal.company_id.name,
                        company=company.name,
                    )
                )
            if journal.type != journal_type:
                types = dict(journal._fields["type"]._description_selection(self.env))
                raise ValidationError(
                    self.env._(
                        "%(field)s of %(rule)s: journal %(journal)s is a "
                        "%(type)s journal; choose a %(expected)s journal.",
                        field=field,
                        rule=self.name,
                        journal=journal.display_name,
                        type=types.get(journal.type, journal.type),
                        expected=types[journal_type],
                    )
                )
        account = self.expense_account_id
        if not account:
            return
        field = self._fields["expense_account_id"]._description_string(self.env)
        if seller not in account.company_ids:
            raise ValidationError(
                self.env._(
                    "%(field)s of %(rule)s: account %(account)s is not an account "
                    "of %(company)s.",
                    field=field,
                    rule=self.name,
                    account=account.display_name,
                    company=seller.name,
                )
            )
        if account.account_type in ("asset_receivable", "liability_payable"):
            raise ValidationError(
                self.env._(
                    "%(field)s of %(rule)s: account %(account)s is a receivable or "
                    "payable account; choose the account that bill lines are "
                    "booked to (an expense or stock account).",
                    field=field,
                    rule=self.name,
                    account=account.display_name,
                )
            )

    @api.model
    def _distrib_get_rule(self, seller, supplier, raise_if_missing=True):
        """The allowed rule of the pair (seller buys from supplier), read in sudo.

        Rules are configuration: any user who sells in ``seller`` may know them.
        """
        rule = (
            self.sudo()
            .with_context(active_test=True)
            .search(
                [
                    ("company_id", "=", seller.id),
                    ("supplier_company_id", "=", supplier.id),
                    ("allowed", "=", True),
                ],
                limit=1,
            )
        )
        if not rule and raise_if_missing:
            raise UserError(
                self.env._(
                    "%(seller)s may not source from %(supplier)s: no allowed "
                    "intercompany rule for this pair (Distribution > Configuration "
                    "> Intercompany Rules).",
                    seller=seller.name,
                    supplier=supplier.name,
                )
            )
        return rule

    def _distrib_env(self, user, company):
        """Environment of ``user`` working in ``company`` only (no superuser)."""
        return self.with_user(user).with_context(allowed_company_ids=company.ids).env

    def _distrib_unit_price(self, product, quantity, uom, date):
        """Transfer price of one unit in the supplying company's currency.

        Read as the supplying company's intercompany user: the seller's user may
        not read the supplier's costs.
        """
        self.ensure_one()
        supplier = self.supplier_company_id
        env = self._distrib_env(self.supplier_user_id, supplier)
        product = product.with_env(env)
        if self.price_method == "pricelist":
            pricelist = self.pricelist_id.with_env(env)
            price = pricelist._get_product_price(product, quantity, uom=uom, date=date)
            return price, pricelist.currency_id
        cost = product.uom_id._compute_price(product.standard_price, uom)
        return cost * (1.0 + self.markup_percent / 100.0), supplier.currency_id
