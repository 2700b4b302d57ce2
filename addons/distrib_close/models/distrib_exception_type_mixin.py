from odoo import fields, models

from odoo.addons.distrib_exceptions.models.distrib_exception_type_mixin import (
    remove_exception_type,
)

CLOSE_EXCEPTION_TYPES = [
    ("landed_cost_variance", "Landed-Cost Variance"),
    ("intercompany_break", "Intercompany Break"),
]


class DistribExceptionTypeMixin(models.AbstractModel):
    _inherit = "distrib.exception.type.mixin"

    exception_type = fields.Selection(
        selection_add=CLOSE_EXCEPTION_TYPES,
        ondelete=dict.fromkeys(
            [key for key, _label in CLOSE_EXCEPTION_TYPES], remove_exception_type
        ),
    )
