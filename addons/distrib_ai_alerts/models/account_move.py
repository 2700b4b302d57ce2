from collections import defaultdict

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.distrib_atp.rpc import distrib_rpc
from odoo.addons.distrib_atp.server_flags import ServerFlag

from ..scoring import explain

# the override records that only ``action_distrib_ai_override`` creates
AI_OVERRIDING = ServerFlag("distrib_ai_overriding")
SEVERITY_ORDER = ["low", "medium", "high", "critical"]


class AccountMove(models.Model):
    """Customer invoices scored by the price detector when they post: the
    company warns (the invoice posts, with a message and an alert) or holds
    (it stays draft with a blocking exception until a finance user overrides
    the check with a reason, recorded in ``distrib.ai.post.override``)."""

    _inherit = "account.move"

    distrib_ai_override_ids = fields.One2many(
        "distrib.ai.post.override",
        "move_id",
        string="Price Check Overrides",
        readonly=True,
    )
    distrib_ai_held = fields.Boolean(
        string="Held by the Price Check",
        compute="_compute_distrib_ai_held",
        help="The price check found unusual prices or discounts: the invoice "
        "posts once a finance user overrides the check with a reason.",
    )

    @api.depends_context("uid")
    def _compute_distrib_ai_held(self):
        stored = self.filtered("id")
        # any user who opens an invoice sees whether it is held
        held = (
            self.env["distrib.exception"]
            .sudo()
            ._has_blocking(stored.sudo(), exception_types=["anomaly"])
        )
        for move in self:
            move.distrib_ai_held = bool(
                move.id and move.state == "draft" and held.get(move.id)
            )

    def _post(self, soft=True):
        held, warned = self._distrib_ai_precheck()
        to_post = self - held
        posted = super(AccountMove, to_post)._post(soft=soft) if to_post else to_post
        for model, columns, found in warned:
            posted_lines = set(posted.invoice_line_ids.ids)
            found = [f for f in found if f["id"] in posted_lines]
            if found:
                model.with_company(model.company_id)._raise_alerts(columns, found)
        return posted

    # ------------------------------------------------------------------
    # the check
    # ------------------------------------------------------------------
    def _distrib_ai_precheck(self):
        """Score the draft customer invoices of the companies that check
        prices before posting. Returns ``(held moves, [(model, columns,
        found)])``: the moves that stay draft, and the cases whose alerts are
        raised once their invoice posted."""
        held = self.browse()
        warned = []
        invoices = self.filtered(
            lambda m: (
                m.move_type == "out_invoice"
                and m.state == "draft"
                and m.company_id.distrib_ai_precheck
            )
        )
        Model = self.env["distrib.ai.model"]
        for company, moves in invoices.grouped("company_id").items():
            model = Model._precheck_model(company)
            if not model:
                continue
            lines = moves.invoice_line_ids.filtered(
                lambda line: line.display_type == "product" and line.product_id
            )
            columns = model.with_company(company)._fetch_price(line_ids=lines.ids)
            found = model._precheck(columns)
            if not found:
                continue
            move_of = {line.id: line.move_id for line in lines}
            by_move = defaultdict(list)
            for item in found:
                by_move[move_of[item["id"]]].append(item)
            overridden = moves._distrib_ai_overridden()
            for move, items in by_move.items():
                if company.distrib_ai_precheck == "hold" and move not in overridden:
                    move._distrib_ai_hold(items)
                    held |= move
                else:
                    move._distrib_ai_warn(items)
            kept = [f for f in found if move_of[f["id"]] not in held]
            if kept:
                warned.append((model, columns, kept))
        if held:
            self.env.user._bus_send(
                "simple_notification",
                {
                    "type": "warning",
                    "title": self.env._("Held by the price check"),
                    "message": self.env._(
                        "%(invoices)s stay(s) in draft: unusual prices or "
                        "discounts; a finance user can post with a reason.",
                        invoices=", ".join(held.mapped("display_name")),
                    ),
                },
            )
        return held, warned

    def _distrib_ai_overridden(self):
        """The moves a finance user overrode the check of, at their current
        total (a changed invoice is checked again)."""
        overrides = (
            self.env["distrib.ai.post.override"]
            .sudo()
            .search([("move_id", "in", self.ids)])
        )
        return overrides.filtered(
            lambda o: (
                o.move_id.currency_id.compare_amounts(
                    o.amount_total, o.move_id.amount_total
                )
                == 0
            )
        ).move_id

    def _distrib_ai_reasons(self, items):
        """HTML list and plain first sentence of the cases of this move."""
        self.ensure_one()
        lines = self.env["account.move.line"].browse([f["id"] for f in items])
        names = {line.id: line.product_id.display_name for line in lines}
        translate = self.env._
        texts = [
            f"{names.get(item['id'], '')}: {explain(item['reasons'], translate)}"
            for item in items
        ]
        html = Markup("<ul>%s</ul>") % Markup("").join(
            Markup("<li>%s</li>") % escape(text) for text in texts
        )
        return html, texts[0]

    def _distrib_ai_hold(self, items):
        self.ensure_one()
        html, first = self._distrib_ai_reasons(items)
        severity = max((item["severity"] for item in items), key=SEVERITY_ORDER.index)
        self.env["distrib.exception"].sudo()._raise_for(
            self,
            "anomaly",
            severity=severity,
            summary=self.env._("Held before posting: %(reason)s", reason=first)[:250],
            details=html,
            impact_amount=sum(item["impact"] for item in items),
            blocking=True,
        )
        self.sudo().message_post(
            body=Markup("%s%s")
            % (
                self.env._(
                    "Not posted: the price check found unusual prices or "
                    "discounts. A finance user can post it with a reason."
                ),
                html,
            )
        )

    def _distrib_ai_warn(self, items):
        self.ensure_one()
        html, _first = self._distrib_ai_reasons(items)
        self.sudo().message_post(
            body=Markup("%s%s")
            % (
                self.env._("The price check found unusual prices or discounts:"),
                html,
            )
        )

    # ------------------------------------------------------------------
    # the override
    # ------------------------------------------------------------------
    @distrib_rpc()
    def action_distrib_ai_override(self, reason=None):
        """Post invoices the price check holds, with ``reason`` (recorded in
        an audit record nobody can change). Finance users only."""
        if not isinstance(reason, str) or not reason.strip():
            raise UserError(
                self.env._(
                    "Give the reason for posting despite the price check (a text)."
                )
            )
        if not (
            self.env.su or self.env.user.has_group("distrib_atp.group_distrib_finance")
        ):
            raise AccessError(
                self.env._("Only the finance team can override the price check.")
            )
        self.check_access("write")
        not_held = self.filtered(lambda m: not m.distrib_ai_held)
        if not_held:
            raise UserError(
                self.env._(
                    "%(invoices)s is not held by the price check.",
                    invoices=", ".join(not_held.mapped("display_name")),
                )
            )
        exceptions = (
            self.env["distrib.exception"]
            .sudo()
            ._get_open_for(self, exception_types=["anomaly"])
        )
        by_move = defaultdict(list)
        for exception in exceptions:
            by_move[exception.res_id].append(exception.summary or "")
        AI_OVERRIDING.set_on(self.env["distrib.ai.post.override"].sudo()).create(
            [
                {
                    "move_id": move.id,
                    "user_id": self.env.user.id,
                    "reason": reason.strip(),
                    "explanation": "\n".join(by_move.get(move.id, [])),
                    "amount_total": move.amount_total,
                }
                for move in self
            ]
        )
        self.env["distrib.exception"].sudo()._resolve_for(
            self,
            "anomaly",
            note=self.env._(
                "Posted by %(user)s despite the price check: %(reason)s",
                user=self.env.user.name,
                reason=reason.strip(),
            ),
        )
        self.action_post()
        return True

    @distrib_rpc()
    def action_distrib_ai_open_override(self):
        """The wizard that asks the reason of an override."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Post despite the Price Check"),
            "res_model": "distrib.ai.post.override.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_ids": self.ids},
        }
