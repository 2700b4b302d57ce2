from odoo import fields, models

# The control points of this addon; the addons above add the types they raise.
EXCEPTION_TYPES = [
    ("receipt_variance", "Receipt Variance"),
    ("cycle_count_variance", "Cycle-Count Variance"),
    ("unmatched_bill", "Unmatched Vendor Bill"),
    ("delayed_receipt", "Delayed Receipt"),
]


def remove_exception_type(records):
    """``ondelete`` policy of an exception type added by another addon: when that
    addon is uninstalled, the exceptions and rules of its type go with it."""
    records._distrib_remove_exception_type()


class DistribExceptionTypeMixin(models.AbstractModel):
    """The list of exception types, one for the exceptions and their rules.

    An addon that raises a new type adds it here, once::

        class DistribExceptionTypeMixin(models.AbstractModel):
            _inherit = "distrib.exception.type.mixin"

            exception_type = fields.Selection(
                selection_add=[("rebate_gap", "Rebate Gap")],
                ondelete={"rebate_gap": remove_exception_type},
            )

    and raises it with ``env["distrib.exception"]._raise_for(records,
    "rebate_gap", ...)``. Rules (owner, team, SLA, escalation) and root causes
    can then be configured for it.
    """

    _name = "distrib.exception.type.mixin"
    _description = "Distribution Exception Type"

    exception_type = fields.Selection(EXCEPTION_TYPES, string="Type", required=True)

    def _distrib_remove_exception_type(self):
        """The records of a type whose addon is uninstalled (extension point)."""
        self.sudo().unlink()
