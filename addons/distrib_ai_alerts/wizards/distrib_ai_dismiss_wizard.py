from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.distrib_atp.rpc import MAX_ID, check_vals, distrib_rpc


def _command_ids(value):
    """The ids a many2many value (ids or commands) links; None when the value
    is neither."""
    if value in (None, False):
        return set()
    if not isinstance(value, list | tuple):
        return None
    ids = set()
    for command in value:
        if isinstance(command, int) and not isinstance(command, bool):
            ids.add(command)
        elif isinstance(command, list | tuple) and command:
            if command[0] == Command.SET and len(command) > 2:
                if not isinstance(command[2], list | tuple):
                    return None
                ids.update(command[2])
            elif command[0] == Command.LINK and len(command) > 1:
                ids.add(command[1])
    return ids


class DistribAiDismissWizard(models.TransientModel):
    """Dismiss a stockout risk or a customer of the collections list, with the
    reason the next scoring run learns from."""

    _name = "distrib.ai.dismiss.wizard"
    _description = "Dismiss a Suggestion"

    stockout_risk_ids = fields.Many2many(
        "distrib.stockout.risk", string="Stockout Risks", readonly=True
    )
    collection_ids = fields.Many2many(
        "distrib.collection.priority", string="Customers to Collect", readonly=True
    )
    reason = fields.Text(required=True)

    @api.model_create_multi
    def create(self, vals_list):
        check_vals(self, vals_list)
        # a suggestion refreshed away while the dialog was open (or an id that
        # never was one) gets words, not a foreign key error
        for fname in ("stockout_risk_ids", "collection_ids"):
            ids = set()
            for vals in vals_list:
                linked = (
                    _command_ids(vals.get(fname)) if isinstance(vals, dict) else set()
                )
                if linked is None or not all(
                    isinstance(record_id, int)
                    and not isinstance(record_id, bool)
                    and 0 < record_id <= MAX_ID
                    for record_id in linked
                ):
                    raise UserError(
                        self.env._("Choose the suggestions to dismiss by id.")
                    )
                ids |= linked
            comodel = self.env[self._fields[fname].comodel_name]
            if ids - set(comodel.browse(ids).exists().ids):
                raise UserError(
                    self.env._(
                        "Some of the %(what)s to dismiss no longer exist: the list "
                        "was refreshed since it was opened. Reload it and try again.",
                        what=self._fields[fname].string.lower(),
                    )
                )
        return super().create(vals_list)

    @distrib_rpc(singleton=True)
    def action_confirm(self):
        if self.stockout_risk_ids:
            self.stockout_risk_ids.action_dismiss(self.reason)
        if self.collection_ids:
            self.collection_ids.action_dismiss(self.reason)
        return {"type": "ir.actions.act_window_close"}
