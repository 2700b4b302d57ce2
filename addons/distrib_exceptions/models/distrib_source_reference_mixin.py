from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.distrib_atp.rpc import distrib_rpc


class DistribSourceReferenceMixin(models.AbstractModel):
    """A record that points at a source document by model name and id: an
    exception, an approval request, an alert, an order event.

    Gives the reference fields, the source's name as the current user may see
    it and the action that opens the source. A model that inherits it keeps its
    own extra attributes on the fields (``required``, ``index``) by redefining
    them with those attributes only.
    """

    _name = "distrib.source.reference.mixin"
    _description = "Record Pointing at a Source Document"

    res_model = fields.Char(string="Source Model", readonly=True)
    res_id = fields.Many2oneReference(
        string="Source ID", model_field="res_model", readonly=True
    )
    source_display_name = fields.Char(
        string="Source",
        compute="_compute_source_display_name",
        help="The source document's name, when you can read it.",
    )

    @api.depends_context("uid", "allowed_company_ids")
    @api.depends("res_model", "res_id")
    def _compute_source_display_name(self):
        """With the current user's rights: an unreadable source shows as its
        kind and id, a deleted one as nothing. One query per source model."""
        ids_by_model = {}
        for record in self:
            if record.res_model in self.env and record.res_id:
                ids_by_model.setdefault(record.res_model, set()).add(record.res_id)
        names = {}
        for model, ids in ids_by_model.items():
            existing = self.env[model].browse(ids).exists()
            readable = (
                existing._filtered_access("read")
                if existing.browse().has_access("read")
                else existing.browse()
            )
            for source in readable:
                names[model, source.id] = source.display_name
            if existing - readable:
                label = self.env["ir.model"]._get(model).name
                for source in existing - readable:
                    names[model, source.id] = f"{label} #{source.id}"
        for record in self:
            record.source_display_name = names.get(
                (record.res_model, record.res_id), False
            )

    def _get_source_record(self):
        """The source document, or None when it no longer exists."""
        self.ensure_one()
        if not self.res_model or self.res_model not in self.env or not self.res_id:
            return None
        record = self.env[self.res_model].browse(self.res_id)
        return record if record.exists() else None

    def _get_source_action_record(self, record):
        """The document the source action opens for ``record`` (extension
        point: e.g. the order of an order line)."""
        return record

    @distrib_rpc(singleton=True)
    def action_open_source(self):
        """Open the source document in its form, if the user may read it.
        Returns False for a record without a source."""
        self.ensure_one()
        if not self.res_model or not self.res_id:
            return False
        record = self._get_source_record()
        if not record:
            raise UserError(
                self.env._(
                    "The source document of %(name)s no longer exists.",
                    name=self.display_name,
                )
            )
        record = self._get_source_action_record(record)
        record.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": record.display_name,
            "res_model": record._name,
            "res_id": record.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
