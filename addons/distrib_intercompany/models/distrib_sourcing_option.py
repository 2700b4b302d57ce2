from odoo import fields, models


class DistribSourcingOption(models.TransientModel):
    """The "Other company" sourcing option: a warehouse of another company of
    the group ships the line, through the intercompany orders created on
    confirmation (``sale.order.line._distrib_company_options`` and
    ``_distrib_apply_company_option``)."""

    _inherit = "distrib.sourcing.option"

    kind = fields.Selection(
        selection_add=[("company", "Other company"), ("substitute",)],
        ondelete={"company": "cascade"},
    )

    def _distrib_company_summary(self):
        return self.env._(
            "Source from %(company)s (%(warehouse)s)",
            company=self.company_id.sudo().name,
            warehouse=self.warehouse_id.sudo().name,
        )
