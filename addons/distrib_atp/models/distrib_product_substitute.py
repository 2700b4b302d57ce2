from odoo import api, fields, models
from odoo.exceptions import ValidationError


class DistribProductSubstitute(models.Model):
    _name = "distrib.product.substitute"
    _description = "Approved Product Substitute"
    _order = "product_tmpl_id, priority, id"

    product_tmpl_id = fields.Many2one(
        "product.template",
        string="Product",
        required=True,
        ondelete="cascade",
        index=True,
    )
    substitute_product_id = fields.Many2one(
        "product.product",
        string="Substitute",
        required=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(related="product_tmpl_id.company_id", store=True)
    priority = fields.Integer(
        default=10, help="Lower numbers are offered first when several substitutes fit."
    )
    min_qty = fields.Float(
        string="Min Quantity",
        digits="Product Unit of Measure",
        help="Offer the substitute only for lines of at least this quantity (in "
        "the unit of measure of the product).",
    )
    max_qty = fields.Float(
        string="Max Quantity",
        digits="Product Unit of Measure",
        help="Offer the substitute only for lines of at most this quantity, in the "
        "unit of measure of the product (0: no limit).",
    )
    segment_ids = fields.Many2many(
        "distrib.customer.segment",
        string="Customer Segments",
        help="Offer the substitute only to customers of these segments (empty: all).",
    )
    customer_accept_required = fields.Boolean(
        string="Customer Must Accept",
        help="The salesperson must get the customer's agreement before shipping "
        "the substitute.",
    )
    note = fields.Char()
    active = fields.Boolean(default=True)

    @api.constrains("product_tmpl_id", "substitute_product_id")
    def _check_not_itself(self):
        for substitute in self:
            if substitute.substitute_product_id.product_tmpl_id == (
                substitute.product_tmpl_id
            ):
                raise ValidationError(
                    self.env._(
                        "%(product)s cannot be its own substitute.",
                        product=substitute.product_tmpl_id.display_name,
                    )
                )

    @api.constrains("product_tmpl_id", "substitute_product_id")
    def _check_uom_category(self):
        """A substitute is counted in a unit of the same kind (units, weight,
        volume...): the line's quantity converts to it."""
        for substitute in self:
            product_uom = substitute.product_tmpl_id.uom_id
            substitute_uom = substitute.substitute_product_id.uom_id
            if product_uom.category_id != substitute_uom.category_id:
                raise ValidationError(
                    self.env._(
                        "%(substitute)s cannot replace %(product)s: it is counted "
                        "in %(substitute_uom)s (%(substitute_category)s), %(product)s "
                        "in %(product_uom)s (%(product_category)s). Choose a "
                        "substitute counted in %(product_category)s.",
                        substitute=substitute.substitute_product_id.display_name,
                        product=substitute.product_tmpl_id.display_name,
                        substitute_uom=substitute_uom.name,
                        substitute_category=substitute_uom.category_id.name,
                        product_uom=product_uom.name,
                        product_category=product_uom.category_id.name,
                    )
                )

    @api.constrains("min_qty", "max_qty")
    def _check_quantities(self):
        for substitute in self:
            if substitute.min_qty < 0 or substitute.max_qty < 0:
                raise ValidationError(
                    self.env._(
                        "The quantities of substitute %(product)s cannot be negative.",
                        product=substitute.substitute_product_id.display_name,
                    )
                )
            if substitute.max_qty and substitute.max_qty < substitute.min_qty:
                raise ValidationError(
                    self.env._(
                        "The max quantity of substitute %(product)s (%(max)s) is "
                        "below its min quantity (%(min)s).",
                        product=substitute.substitute_product_id.display_name,
                        max=substitute.max_qty,
                        min=substitute.min_qty,
                    )
                )

    def _distrib_applies(self, quantity, partner):
        """Whether this substitute may be offered for ``quantity`` to ``partner``."""
        self.ensure_one()
        if (
            self.substitute_product_id.uom_id.category_id
            != self.product_tmpl_id.uom_id.category_id
        ):
            # recorded before the check on the units existed: never offered
            return False
        if quantity < self.min_qty or (self.max_qty and quantity > self.max_qty):
            return False
        if self.segment_ids:
            segment = partner.commercial_partner_id.distrib_segment_id
            return segment in self.segment_ids
        return True
