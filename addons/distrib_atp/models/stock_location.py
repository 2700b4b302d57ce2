from odoo import api, fields, models

STOCK_STATUSES = [
    ("sellable", "Sellable"),
    ("quarantine", "Quarantine"),
    ("damaged", "Damaged"),
    ("returns", "Returns / inspection"),
    ("transit", "In transit"),
]


class StockLocation(models.Model):
    _inherit = "stock.location"

    distrib_status_override = fields.Selection(
        STOCK_STATUSES,
        string="Stock Status",
        help="Status of the stock kept here. Leave empty to inherit the status of "
        "the parent location. Only sellable stock can be promised to customers.",
    )
    distrib_stock_status = fields.Selection(
        STOCK_STATUSES,
        string="Effective Stock Status",
        compute="_compute_distrib_stock_status",
        store=True,
        recursive=True,
        index=True,
        help="The status set on this location, or else the one of its closest "
        "parent. Internal locations without any status are sellable.",
    )

    @api.depends("usage", "distrib_status_override", "location_id.distrib_stock_status")
    def _compute_distrib_stock_status(self):
        for location in self:
            if location.usage not in ("internal", "transit"):
                location.distrib_stock_status = False
            elif location.distrib_status_override:
                location.distrib_stock_status = location.distrib_status_override
            elif location.usage == "transit":
                location.distrib_stock_status = "transit"
            else:
                parent_status = location.location_id.distrib_stock_status
                location.distrib_stock_status = parent_status or "sellable"
