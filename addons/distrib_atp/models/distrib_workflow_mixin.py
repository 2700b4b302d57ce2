from odoo import api, models
from odoo.exceptions import UserError


class DistribWorkflowMixin(models.AbstractModel):
    """Fields that only the workflow writes.

    A state, a hold reason or a margin is the system's reading of the documents:
    clients (RPC, the web client, server actions run as a user) cannot write them,
    even with write access to the record. The workflow's actions check the rights
    and the transition, then write them as superuser (``sudo()``), the private
    path.
    """

    _name = "distrib.workflow.mixin"
    _description = "Fields Set by a Workflow"

    @api.model_create_multi
    def create(self, vals_list):
        self._distrib_check_workflow_vals(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._distrib_check_workflow_vals([vals])
        return super().write(vals)

    @api.model
    def _distrib_workflow_fields(self):
        """Names of the fields that only the workflow writes (extension point:
        add yours to ``super()``'s)."""
        return set()

    @api.model
    def _distrib_check_workflow_vals(self, vals_list):
        """Refuse values of workflow fields given by anyone but the workflow."""
        if self.env.su:
            return
        protected = self._distrib_workflow_fields()
        names = {name for vals in vals_list for name in vals if name in protected}
        if not names:
            return
        labels = ", ".join(
            sorted(self._fields[name]._description_string(self.env) for name in names)
        )
        raise UserError(
            self.env._(
                "%(fields)s of %(records)s cannot be written directly: the workflow "
                "sets them. Use the document's actions (buttons) instead.",
                fields=labels,
                records=", ".join(self.mapped("display_name")) or self._description,
            )
        )
