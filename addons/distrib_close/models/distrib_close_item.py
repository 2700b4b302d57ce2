import calendar
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.distrib_atp.rpc import check_vals, distrib_rpc


class DistribCloseItem(models.Model):
    """One item of a period's close checklist: checked from the data (``auto``,
    by the cockpit's refresh) or by its owner (``manual``, by its due day)."""

    _name = "distrib.close.item"
    _description = "Close Checklist Item"
    _order = "period_id, sequence, id"
    _check_company_auto = True

    period_id = fields.Many2one(
        "distrib.close.period", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="period_id.company_id", store=True)
    sequence = fields.Integer(default=100)
    name = fields.Char(required=True, translate=True)
    kind = fields.Selection(
        [("auto", "Checked from the Data"), ("manual", "Manual")],
        required=True,
        default="manual",
        readonly=True,
    )
    code = fields.Char(
        readonly=True, help="The check of an automatic item (_close_check_<code>)."
    )
    mandatory = fields.Boolean(
        default=True, help="The period cannot be locked until this item is done."
    )
    state = fields.Selection(
        [("todo", "To Do"), ("done", "Done"), ("blocked", "Blocked")],
        default="todo",
        required=True,
        readonly=True,
    )
    detail = fields.Text(readonly=True, help="What blocks the item, or its result.")
    owner_id = fields.Many2one(
        "res.users",
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    due_day = fields.Integer(
        help="Day of the month after the period end by which the item is due."
    )
    due_date = fields.Date(compute="_compute_due_date", store=True)
    done_by_id = fields.Many2one("res.users", readonly=True)
    done_date = fields.Datetime(readonly=True)
    note = fields.Text()

    @api.depends("due_day", "period_id.date_end")
    def _compute_due_date(self):
        for item in self:
            end = item.period_id.date_end
            if not (end and item.due_day):
                item.due_date = False
                continue
            first = end + timedelta(days=1)
            last_day = calendar.monthrange(first.year, first.month)[1]
            item.due_date = first.replace(day=min(item.due_day, last_day))

    @api.constrains("kind", "owner_id", "due_day")
    def _check_manual_item(self):
        for item in self:
            if item.kind != "manual":
                continue
            if not item.owner_id:
                raise ValidationError(
                    self.env._(
                        "Checklist item %(item)s needs an owner: who does it?",
                        item=item.name,
                    )
                )
            if not 1 <= item.due_day <= 31:
                raise ValidationError(
                    self.env._(
                        "Checklist item %(item)s: the due day is a day of the "
                        "month after the period end, from 1 to 31 (not "
                        "%(day)s).",
                        item=item.name,
                        day=item.due_day,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        check_vals(self, vals_list)
        if not self.env.su:
            for vals in vals_list:
                if vals.get("kind", "manual") != "manual" or vals.get("code"):
                    raise UserError(
                        self.env._(
                            "Only manual checklist items can be added; the "
                            "automatic ones come with the period."
                        )
                    )
        items = super().create(vals_list)
        items.period_id._check_open()
        return items

    def write(self, vals):
        check_vals(self, [vals])
        if not self.env.su:
            self.period_id._check_open()
            if any(item.kind == "auto" for item in self):
                raise UserError(
                    self.env._(
                        "Automatic checklist items are checked from the data: "
                        "refresh the close instead of editing them."
                    )
                )
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            self.period_id._check_open()
            if any(item.kind == "auto" for item in self):
                raise UserError(
                    self.env._("Automatic checklist items cannot be deleted.")
                )
        return super().unlink()

    def _check_can_tick(self):
        for item in self:
            if item.kind != "manual":
                raise UserError(
                    self.env._(
                        "%(item)s is checked from the data: refresh the close.",
                        item=item.name,
                    )
                )
            item.period_id._check_open()
            user = self.env.user
            if user != item.owner_id and not (
                user.has_group("distrib_atp.group_distrib_finance")
                or user.has_group("account.group_account_manager")
            ):
                raise UserError(
                    self.env._(
                        "%(item)s belongs to %(owner)s: only its owner or finance "
                        "can tick it.",
                        item=item.name,
                        owner=item.owner_id.name,
                    )
                )

    @distrib_rpc()
    def action_done(self):
        self._check_can_tick()
        self.sudo().write(
            {
                "state": "done",
                "done_by_id": self.env.user.id,
                "done_date": fields.Datetime.now(),
            }
        )
        for item in self:
            item.period_id.message_post(
                body=self.env._("%(item)s done.", item=item.name)
            )
        return True

    @distrib_rpc()
    def action_reopen(self):
        self._check_can_tick()
        self.sudo().write({"state": "todo", "done_by_id": False, "done_date": False})
        return True
