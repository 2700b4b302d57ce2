from odoo import api, models


class DistribAiModel(models.Model):
    """The price detector run on a document before it posts (an invoice) or
    when it is confirmed (an order): see ``account_move.py`` and
    ``sale_order.py``."""

    _inherit = "distrib.ai.model"

    @api.model
    def _precheck_model(self, company):
        """The trained price model of ``company`` when the company checks its
        documents before they post, else an empty recordset. Internal: runs as
        superuser, the caller shows only its own documents' results."""
        if not (company.distrib_ai_price_check and company.distrib_ai_precheck):
            return self.browse()
        model = self.sudo().search(
            [("company_id", "=", company.id), ("detector", "=", "price")], limit=1
        )
        return model if model.params else self.browse()

    def _precheck(self, columns):
        """The cases the price detector finds in ``columns``, less those a
        person's feedback silenced."""
        self.ensure_one()
        spec = self._spec()
        if self.params.get("version", 1) < spec.version:
            self._train()
        found = spec.score(self.params, columns, threshold=self._threshold())
        silenced = self.env["distrib.ai.feedback"]._suppressed(
            self.company_id, self.detector, found
        )
        return [f for f in found if (f["key"], f["id"]) not in silenced]
