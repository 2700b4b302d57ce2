from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    distrib_barcode_enabled = fields.Boolean(
        string="Warehouse Scanning",
        help="Warehouse staff receive, pick, count, move and hold stock by "
        "scanning in the Warehouse app (phones and handheld scanners).",
    )
