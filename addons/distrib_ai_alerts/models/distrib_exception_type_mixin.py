from odoo import fields, models

from odoo.addons.distrib_exceptions.models.distrib_exception_type_mixin import (
    remove_exception_type,
)

# The exceptions the detectors raise.
ALERT_EXCEPTION_TYPES = [
    ("anomaly", "Anomaly"),
    ("late_order_risk", "Late-Order Risk"),
    ("stockout_risk", "Stockout Risk"),
]


class DistribExceptionTypeMixin(models.AbstractModel):
    _inherit = "distrib.exception.type.mixin"

    exception_type = fields.Selection(
        selection_add=ALERT_EXCEPTION_TYPES,
        ondelete=dict.fromkeys(
            [key for key, _label in ALERT_EXCEPTION_TYPES], remove_exception_type
        ),
    )
