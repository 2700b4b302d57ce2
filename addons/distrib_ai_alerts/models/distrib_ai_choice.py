from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

CHOICE_KINDS = [
    ("stockout", "Stockout Risk"),
    ("collections", "Collections Priority"),
]
CHOICES = [
    ("accept", "Accepted"),
    ("correct", "Corrected"),
    ("dismiss", "Dismissed"),
]
# days a person's choice is learned from
CHOICE_DAYS = 90


class DistribAiChoice(models.Model):
    """A person's choice on a suggestion (a stockout risk's fix, a customer's
    place in the collections list): accepted as proposed, corrected, or
    dismissed. The next run learns from the choices of the last 90 days and
    says so in its explanation. An audit record: never edited nor deleted."""

    _name = "distrib.ai.choice"
    _description = "Choice on a Suggestion"
    _order = "date desc, id desc"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, index=True)
    kind = fields.Selection(CHOICE_KINDS, required=True, index=True)
    key = fields.Char(
        required=True, index=True, help="What the next suggestions share."
    )
    subject = fields.Char(help="What the suggestion was about, in words.")
    choice = fields.Selection(CHOICES, required=True)
    option = fields.Char(help="The fix applied, or the direction of a correction.")
    note = fields.Text()
    user_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, required=True
    )
    date = fields.Datetime(default=fields.Datetime.now, required=True)

    def write(self, vals):
        if vals:
            raise UserError(
                self.env._(
                    "A choice on a suggestion is an audit record: it cannot be edited."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "A choice on a suggestion is an audit record: it cannot be deleted."
            )
        )

    @api.model
    def _record(self, company, kind, key, choice, **vals):
        """Record a person's choice (superuser: the caller checked the rights)."""
        return self.sudo().create(
            dict(
                vals,
                company_id=company.id,
                kind=kind,
                key=key,
                choice=choice,
                user_id=self.env.user.id,
            )
        )

    @api.model
    def _recent(self, company, kind, keys=None):
        """``{key: [(choice, option, date), ...]}`` of the last 90 days, the
        latest first. One query."""
        domain = [
            ("company_id", "=", company.id),
            ("kind", "=", kind),
            ("date", ">=", fields.Datetime.now() - timedelta(days=CHOICE_DAYS)),
        ]
        if keys is not None:
            domain.append(("key", "in", list(keys)))
        result = {}
        for row in self.sudo().search_fetch(
            domain, ["key", "choice", "option", "date"]
        ):
            result.setdefault(row.key, []).append((row.choice, row.option, row.date))
        return result
