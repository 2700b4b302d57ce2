from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    distrib_substitute_ids = fields.One2many(
        "distrib.product.substitute",
        "product_tmpl_id",
        string="Approved Substitutes",
        help="Products that may replace this one on a short order line.",
    )
