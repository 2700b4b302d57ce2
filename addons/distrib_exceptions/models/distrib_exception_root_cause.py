from odoo import api, fields, models
from odoo.exceptions import ValidationError


class DistribExceptionRootCause(models.Model):
    _name = "distrib.exception.root.cause"
    _description = "Exception Root Cause"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to share the root cause with every company."
    )
    description = fields.Text()
    exception_types = fields.Char(
        string="Exception Type Codes",
        help="Technical codes of the exception types this root cause explains, "
        "separated by commas (e.g. shortage, receipt_variance). Leave empty for "
        "a root cause that fits every type.",
    )
    exception_type_names = fields.Char(
        string="Applies To", compute="_compute_exception_type_names"
    )

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "A root cause code must be unique per company.",
        )
    ]

    def _get_exception_types(self):
        """The exception type codes of the root cause (empty: every type)."""
        self.ensure_one()
        return {code.strip() for code in (self.exception_types or "").split(",")} - {""}

    def _fits(self, exception_type):
        self.ensure_one()
        types = self._get_exception_types()
        return not types or exception_type in types

    @api.model
    def _distrib_add_exception_types(self, types_by_xmlid):
        """For the data of an addon that adds exception types: the root causes
        ``{xmlid: [type code, ...]}`` also explain those types. A root cause
        that fits every type (no codes) stays so."""
        for xmlid, codes in types_by_xmlid.items():
            cause = self.env.ref(xmlid, raise_if_not_found=False)
            if not cause or not cause._get_exception_types():
                continue
            current = [
                code.strip()
                for code in (cause.exception_types or "").split(",")
                if code.strip()
            ]
            added = [code for code in codes if code not in current]
            if added:
                cause.exception_types = ",".join([*current, *added])
        return True

    @api.depends("exception_types")
    def _compute_exception_type_names(self):
        labels = dict(
            self.env["distrib.exception"]
            ._fields["exception_type"]
            ._description_selection(self.env)
        )
        for cause in self:
            types = cause._get_exception_types()
            cause.exception_type_names = (
                ", ".join(sorted(labels.get(code, code) for code in types))
                if types
                else self.env._("Every type")
            )

    @api.constrains("exception_types")
    def _check_exception_types(self):
        known = dict(self.env["distrib.exception"]._fields["exception_type"].selection)
        for cause in self:
            unknown = cause._get_exception_types() - set(known)
            if unknown:
                raise ValidationError(
                    self.env._(
                        "Root cause %(cause)s: %(codes)s is not an exception type "
                        "(known types: %(known)s).",
                        cause=cause.name,
                        codes=", ".join(sorted(unknown)),
                        known=", ".join(sorted(known)),
                    )
                )
