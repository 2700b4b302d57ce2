from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.distrib_atp.rpc import distrib_rpc

from ..scoring import DETECTORS as REGISTRY
from .distrib_ai_model import DETECTORS

STATES = [
    ("open", "Open"),
    ("expected", "Expected"),
    ("false_positive", "False Positive"),
    ("resolved", "Resolved"),
]
SEVERITIES = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
    ("critical", "Critical"),
]


class DistribAiAlert(models.Model):
    """One case a detector found unusual, with its score, severity, expected
    financial impact and explanation. Each open alert has an exception in the
    distribution exception queue (type anomaly or late-order risk)."""

    _name = "distrib.ai.alert"
    _inherit = "distrib.source.reference.mixin"
    _description = "Explained Alert"
    _order = "impact_amount desc, score desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id", store=True)
    detector = fields.Selection(DETECTORS, required=True, index=True, readonly=True)
    model_id = fields.Many2one(
        "distrib.ai.model", readonly=True, ondelete="set null", check_company=True
    )
    res_model = fields.Char(required=True)
    res_id = fields.Many2oneReference(required=True)
    source_name = fields.Char(string="Source Document", readonly=True)
    partner_id = fields.Many2one("res.partner", readonly=True, index=True)
    product_id = fields.Many2one("product.product", readonly=True, index=True)
    key = fields.Char(readonly=True, help="What similar cases share (feedback).")
    value = fields.Float(digits=(16, 4), readonly=True)
    score = fields.Float(readonly=True, aggregator="avg", help="0 to 100.")
    severity = fields.Selection(SEVERITIES, required=True, readonly=True)
    impact_amount = fields.Monetary(
        string="Expected Impact", currency_field="currency_id", readonly=True
    )
    explanation = fields.Text(readonly=True)
    reasons = fields.Json(readonly=True)
    recommended_action = fields.Char(readonly=True)
    state = fields.Selection(STATES, default="open", required=True, index=True)
    exception_id = fields.Many2one(
        "distrib.exception", readonly=True, ondelete="set null", index=True
    )
    feedback_id = fields.Many2one("distrib.ai.feedback", readonly=True)
    date_detected = fields.Datetime(default=fields.Datetime.now, readonly=True)
    date_last_seen = fields.Datetime(readonly=True)

    def write(self, vals):
        # scoring and feedback write as superuser; a client changes an alert
        # only through its feedback actions
        if not self.env.su:
            self.check_access("write")
            raise UserError(
                self.env._(
                    "Alerts cannot be edited: mark them as expected or as false "
                    "positives."
                )
            )
        return super().write(vals)

    @api.depends("detector", "source_name")
    def _compute_name(self):
        labels = dict(DETECTORS)
        for alert in self:
            alert.name = f"{labels.get(alert.detector, '')}: {alert.source_name or ''}"

    def _get_source_action_record(self, record):
        # a line opens in its document
        if record._name == "sale.order.line":
            return record.order_id
        if record._name == "account.move.line":
            return record.move_id
        return super()._get_source_action_record(record)

    @distrib_rpc()
    def action_mark_expected(self):
        return self._distrib_feedback("expected")

    @distrib_rpc()
    def action_mark_false_positive(self):
        return self._distrib_feedback("false_positive")

    def _distrib_feedback(self, verdict):
        closed = self.filtered(lambda alert: alert.state != "open")
        if closed:
            raise UserError(
                self.env._(
                    "These alerts are already closed: %(names)s.",
                    names=", ".join(closed.mapped("name")),
                )
            )
        # any role that sees the alert gives its verdict; the alert itself is
        # read-only to them, so the verdict is written in sudo
        self.check_access("read")
        labels = dict(self.env["distrib.ai.feedback"]._fields["verdict"].selection)
        for alert in self:
            feedback = (
                self.env["distrib.ai.feedback"]
                .sudo()
                .create(
                    {
                        "company_id": alert.company_id.id,
                        "detector": alert.detector,
                        "key": alert.key,
                        "value": alert.value,
                        "tolerance": alert.company_id.distrib_ai_feedback_tolerance,
                        "verdict": verdict,
                        "alert_id": alert.id,
                        "user_id": self.env.user.id,
                    }
                )
            )
            alert.sudo().write({"state": verdict, "feedback_id": feedback.id})
            if alert.exception_id:
                alert._resolve_exceptions(
                    self.env._(
                        "Marked as %(verdict)s by %(user)s: similar cases no "
                        "longer alert.",
                        verdict=labels[verdict],
                        user=self.env.user.name,
                    )
                )
        return True

    def _resolve_exceptions(self, note):
        """Resolve the open exceptions of the alerts' source records through
        the queue's API (``_resolve_for``), with ``note``. Internal: the
        callers checked the user's rights on the alerts."""
        Exception_ = self.env["distrib.exception"].sudo()
        groups = {}
        for alert in self:
            spec = REGISTRY[alert.detector]
            key = (alert.res_model, spec.exception_type)
            groups.setdefault(key, []).append(alert.res_id)
        for (res_model, exception_type), res_ids in groups.items():
            records = self.env[res_model].sudo().browse(res_ids)
            Exception_._resolve_for(records, exception_type, note=note)

    def _details_html(self):
        self.ensure_one()
        items = Markup("").join(
            Markup("<li>%s</li>") % escape(part)
            for part in (self.explanation or "").split("; ")
        )
        html = Markup("<p>%s</p><ul>%s</ul>") % (
            self.env._(
                "Score %(score)s / 100, expected impact %(impact)s %(currency)s.",
                score=round(self.score, 1),
                impact=round(self.impact_amount, 2),
                currency=self.currency_id.name,
            ),
            items,
        )
        if self.recommended_action:
            html += Markup("<p><b>%s</b> %s</p>") % (
                self.env._("Recommended action:"),
                self.recommended_action,
            )
        return html
