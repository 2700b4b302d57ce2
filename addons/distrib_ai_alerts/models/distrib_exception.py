from odoo import fields, models

from odoo.addons.distrib_atp.rpc import distrib_rpc


class DistribException(models.Model):
    _inherit = "distrib.exception"

    distrib_ai_alert_ids = fields.One2many(
        "distrib.ai.alert", "exception_id", string="AI Alerts"
    )

    def _distrib_ai_alerts(self):
        return self.distrib_ai_alert_ids.filtered(lambda alert: alert.state == "open")

    @distrib_rpc()
    def action_distrib_ai_mark_expected(self):
        self._distrib_ai_alerts().action_mark_expected()
        return True

    @distrib_rpc()
    def action_distrib_ai_mark_false_positive(self):
        self._distrib_ai_alerts().action_mark_false_positive()
        return True
