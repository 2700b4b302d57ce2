from odoo import fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    distrib_min_margin_percent = fields.Float(
        string="Minimum Margin (%)",
        company_dependent=True,
        help="Minimum margin after freight and rebate for the products of this "
        "category (0: the company's minimum).",
    )
    distrib_max_discount_percent = fields.Float(
        string="Maximum Discount (%)",
        company_dependent=True,
        help="Highest discount allowed without approval on the products of this "
        "category (0: the company's limit).",
    )
