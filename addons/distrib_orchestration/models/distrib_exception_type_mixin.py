from odoo import fields, models

from odoo.addons.distrib_exceptions.models.distrib_exception_type_mixin import (
    remove_exception_type,
)

# The exceptions the order checks raise: holds, credit, margins, shortages.
ORDER_EXCEPTION_TYPES = [
    ("shortage", "Shortage"),
    ("order_hold", "Order Hold"),
    ("credit_hold", "Credit Hold"),
    ("pricing_margin", "Pricing / Margin"),
    ("negative_margin", "Negative Margin"),
]


class DistribExceptionTypeMixin(models.AbstractModel):
    _inherit = "distrib.exception.type.mixin"

    # listed before the control points of distrib_exceptions, as they always were
    exception_type = fields.Selection(
        selection_add=[*ORDER_EXCEPTION_TYPES, ("receipt_variance",)],
        ondelete=dict.fromkeys(
            [key for key, _label in ORDER_EXCEPTION_TYPES], remove_exception_type
        ),
    )
