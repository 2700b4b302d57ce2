from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.distrib_atp.rpc import distrib_rpc

from ..scoring.disputes import (
    CONFIRMED_WEIGHT,
    FACT_LABELS,
    SEED_EXAMPLES,
    fit_classifier,
    suggest,
)


class DistribOrderDispute(models.Model):
    """Disputes get a category and an owning team suggested from their text
    and their order's facts (a price alert, a short or late delivery), with the
    confidence and the words that drove it; a person confirms or corrects it
    (``action_set_category``), and the confirmed disputes train the next
    suggestions of the company."""

    _inherit = "distrib.order.dispute"

    category_id = fields.Many2one(
        "distrib.dispute.category",
        tracking=True,
        readonly=True,
        help="Set by confirming or correcting the suggestion.",
    )
    suggested_category_id = fields.Many2one("distrib.dispute.category", readonly=True)
    suggested_team_id = fields.Many2one("distrib.exception.team", readonly=True)
    suggestion_confidence = fields.Float(string="Confidence (%)", readonly=True)
    suggestion_explanation = fields.Char(string="Why", readonly=True)
    category_feedback = fields.Selection(
        [("accepted", "Suggestion Accepted"), ("corrected", "Corrected")],
        readonly=True,
        tracking=True,
    )
    category_decided_by_id = fields.Many2one(
        "res.users", string="Category Set By", readonly=True
    )

    @api.model
    def _distrib_workflow_fields(self):
        """The suggestion and the decision are written by the server."""
        return super()._distrib_workflow_fields() | {
            "category_id",
            "suggested_category_id",
            "suggested_team_id",
            "suggestion_confidence",
            "suggestion_explanation",
            "category_feedback",
            "category_decided_by_id",
        }

    @api.model_create_multi
    def create(self, vals_list):
        disputes = super().create(vals_list)
        disputes._distrib_suggest_category()
        return disputes

    # ------------------------------------------------------------------
    # the suggestion
    # ------------------------------------------------------------------
    def _distrib_dispute_facts(self):
        """``{dispute id: {fact, ...}}`` from the invoice and the order: a price
        alert on the invoice, less delivered than invoiced, a late delivery."""
        facts = {dispute.id: set() for dispute in self}
        invoices = self.invoice_id
        alerted = {
            line.move_id.id
            for line in self.env["account.move.line"].browse(
                self.env["distrib.ai.alert"]
                .sudo()
                .search(
                    [
                        ("res_model", "=", "account.move.line"),
                        ("res_id", "in", invoices.invoice_line_ids.ids),
                        ("detector", "=", "price"),
                    ]
                )
                .mapped("res_id")
            )
        }
        for dispute in self.sudo():
            order = dispute.order_id
            if dispute.invoice_id.id in alerted:
                facts[dispute.id].add("price_alert")
            if any(line.qty_delivered < line.qty_invoiced for line in order.order_line):
                facts[dispute.id].add("short_delivery")
            promised = order.commitment_date
            for picking in order.picking_ids.filtered(
                lambda p: p.state == "done" and p.picking_type_code == "outgoing"
            ):
                due = promised or picking.scheduled_date
                if due and picking.date_done and picking.date_done > due:
                    facts[dispute.id].add("late_delivery")
        return facts

    @api.model
    def _distrib_category_examples(self, company, categories):
        """The training examples of ``company``: the seed examples of the
        built-in categories and its disputes whose category a person set."""
        by_code = {c.code: c for c in categories if c.code}
        examples = [
            (text, [], str(by_code[code].id), 1.0)
            for code, texts in SEED_EXAMPLES.items()
            if code in by_code
            for text in texts
        ]
        decided = self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("category_id", "in", categories.ids),
                ("category_feedback", "!=", False),
            ]
        )
        facts = decided._distrib_dispute_facts()
        examples += [
            (
                dispute.reason,
                facts[dispute.id],
                str(dispute.category_id.id),
                CONFIRMED_WEIGHT,
            )
            for dispute in decided
        ]
        return examples

    def _distrib_suggest_category(self):
        categories = self.env["distrib.dispute.category"].sudo().search([])
        if not categories:
            return
        for company, disputes in self.grouped("company_id").items():
            model = fit_classifier(self._distrib_category_examples(company, categories))
            if model is None:
                continue
            facts = disputes._distrib_dispute_facts()
            for dispute in disputes:
                label, confidence, drivers = suggest(
                    model, dispute.reason, facts[dispute.id]
                )
                category = categories.browse(int(label))
                dispute.sudo().write(
                    {
                        "suggested_category_id": category.id,
                        "suggested_team_id": category.team_id.id,
                        "suggestion_confidence": round(confidence * 100.0, 1),
                        "suggestion_explanation": dispute._distrib_explain(
                            category, confidence, drivers
                        ),
                    }
                )

    def _distrib_explain(self, category, confidence, drivers):
        words = [d for d in drivers if not d.startswith("fact:")]
        facts = [FACT_LABELS[d[5:]] for d in drivers if d.startswith("fact:")]
        parts = []
        if words:
            parts.append(
                self.env._(
                    "the words %(words)s",
                    words=", ".join(f"“{word}”" for word in words),
                )
            )
        parts += [self.env._(fact) for fact in facts]
        return self.env._(
            "%(category)s (%(confidence)s%%): %(why)s",
            category=category.name,
            confidence=f"{confidence * 100:.0f}",
            why="; ".join(parts) or self.env._("closest to earlier disputes"),
        )[:250]

    # ------------------------------------------------------------------
    # the person's choice
    # ------------------------------------------------------------------
    @distrib_rpc()
    def action_set_category(self, category_id=None):
        """Confirm the suggestion (no ``category_id``) or correct it (the id of
        a category). The choice is recorded and trains the next suggestions."""
        self.check_access("write")
        if category_id is not None and (
            type(category_id) is not int or category_id <= 0
        ):
            raise UserError(
                self.env._(
                    "Give the id of a dispute category, not %(value)r.",
                    value=category_id,
                )
            )
        Category = self.env["distrib.dispute.category"]
        chosen = Category.browse(category_id).exists() if category_id else Category
        if category_id and not (chosen and chosen.active):
            raise UserError(
                self.env._("Dispute category %(id)s does not exist.", id=category_id)
            )
        for dispute in self:
            category = chosen or dispute.suggested_category_id
            if not category:
                raise UserError(
                    self.env._(
                        "%(dispute)s has no suggestion to confirm: choose its "
                        "category.",
                        dispute=dispute.name,
                    )
                )
            dispute.sudo().write(
                {
                    "category_id": category.id,
                    "category_feedback": "accepted"
                    if category == dispute.suggested_category_id
                    else "corrected",
                    "category_decided_by_id": self.env.user.id,
                }
            )
        return True

    @distrib_rpc(singleton=True)
    def action_open_category_wizard(self):
        """The wizard that corrects the category."""
        self.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Correct the Category"),
            "res_model": "distrib.dispute.category.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_dispute_id": self.id,
                "default_category_id": self.category_id.id
                or self.suggested_category_id.id,
            },
        }
