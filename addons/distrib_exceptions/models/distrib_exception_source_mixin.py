from odoo import api, fields, models

from odoo.addons.distrib_atp.rpc import distrib_rpc

from .distrib_exception import OPEN_STATES


class DistribExceptionSourceMixin(models.AbstractModel):
    """Smart button of the open exceptions on a source document."""

    _name = "distrib.exception.source.mixin"
    _description = "Document With Distribution Exceptions"

    distrib_exception_count = fields.Integer(
        string="Open Exceptions", compute="_compute_distrib_exception_count"
    )

    @api.depends_context("uid")
    def _compute_distrib_exception_count(self):
        Exception_ = self.env["distrib.exception"]
        counts = {}
        if self.ids and Exception_.has_access("read"):
            counts = dict(
                Exception_._read_group(
                    [
                        ("res_model", "=", self._name),
                        ("res_id", "in", self.ids),
                        ("state", "in", list(OPEN_STATES)),
                    ],
                    groupby=["res_id"],
                    aggregates=["__count"],
                )
            )
        for record in self:
            record.distrib_exception_count = counts.get(record.id, 0)

    @distrib_rpc()
    def action_distrib_view_exceptions(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "distrib_exceptions.distrib_exception_action"
        )
        action["domain"] = [("res_model", "=", self._name), ("res_id", "in", self.ids)]
        action["context"] = {"search_default_filter_open": 1, "create": False}
        return action
