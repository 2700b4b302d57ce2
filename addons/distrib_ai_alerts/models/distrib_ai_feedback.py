from odoo import api, fields, models
from odoo.exceptions import UserError

from .distrib_ai_model import DETECTORS

VERDICTS = [("expected", "Expected"), ("false_positive", "False Positive")]


class DistribAiFeedback(models.Model):
    """A user's verdict on an alert. Later cases of the same detector and key
    whose value is within the tolerance of this one no longer alert. An audit
    record: never edited nor deleted (deactivate it to alert again)."""

    _name = "distrib.ai.feedback"
    _description = "Alert Feedback"
    _order = "id desc"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, index=True)
    detector = fields.Selection(DETECTORS, required=True, index=True)
    key = fields.Char(required=True, index=True, help="What similar cases share.")
    value = fields.Float(digits=(16, 4), help="The figure of the marked case.")
    tolerance = fields.Float(string="Tolerance (%)")
    verdict = fields.Selection(VERDICTS, required=True)
    alert_id = fields.Many2one("distrib.ai.alert", ondelete="set null", index=True)
    note = fields.Text()
    user_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, required=True
    )
    active = fields.Boolean(default=True)

    def write(self, vals):
        if set(vals) - {"active"}:
            raise UserError(
                self.env._(
                    "Alert feedback is an audit record: it cannot be edited. "
                    "Archive it to alert again on similar cases."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._("Alert feedback is an audit record: it cannot be deleted.")
        )

    @api.model
    def _suppressed(self, company, detector, alerts):
        """Keys of the scored ``alerts`` (dicts with ``key`` and ``value``) that
        an active feedback silences. One query."""
        keys = list({alert["key"] for alert in alerts})
        if not keys:
            return set()
        rules = {}
        for feedback in self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("detector", "=", detector),
                ("key", "in", keys),
            ]
        ):
            rules.setdefault(feedback.key, []).append(
                (feedback.value, feedback.tolerance)
            )
        silenced = set()
        for alert in alerts:
            for value, tolerance in rules.get(alert["key"], []):
                margin = tolerance / 100.0 * max(abs(value), 1.0)
                if abs(alert["value"] - value) <= margin:
                    silenced.add((alert["key"], alert["id"]))
                    break
        return silenced
