# pylint: disable=consider-merging-classes-inherited
# (one concern of sale.order per file, on purpose: see STYLE.md)
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.distrib_atp.models.distrib_atp import PENDING_MOVE_STATES
from odoo.addons.distrib_atp.rpc import distrib_rpc

from ..allocation_flags import DEMAND_AFTER
from ..priorities import DEFAULT_PRIORITY, PRIORITIES, RANKS


class SaleOrder(models.Model):
    _inherit = "sale.order"

    distrib_allocation_priority = fields.Selection(
        PRIORITIES,
        string="Allocation Priority",
        compute="_compute_distrib_allocation_priority",
        store=True,
        index=True,
        help="The customer's priority (or its segment's), or the override given "
        "with a reason. When stock is short, higher priorities are reserved and "
        "promised first.",
    )
    distrib_allocation_rank = fields.Integer(
        string="Allocation Rank",
        compute="_compute_distrib_allocation_priority",
        store=True,
        aggregator=False,
    )
    distrib_priority_override = fields.Selection(
        PRIORITIES,
        string="Priority Override",
        copy=False,
        readonly=True,
        tracking=True,
    )
    distrib_priority_reason = fields.Char(
        string="Priority Override Reason", copy=False, readonly=True, tracking=True
    )

    @api.depends(
        "distrib_priority_override",
        "partner_id.commercial_partner_id.distrib_allocation_priority",
        "partner_id.commercial_partner_id.distrib_segment_id."
        "distrib_allocation_priority",
    )
    def _compute_distrib_allocation_priority(self):
        ranks = self._distrib_priority_ranks()
        for order in self:
            partner = order.partner_id.commercial_partner_id
            priority = (
                order.distrib_priority_override
                or partner.distrib_allocation_priority
                or partner.distrib_segment_id.distrib_allocation_priority
                or DEFAULT_PRIORITY
            )
            order.distrib_allocation_priority = priority
            order.distrib_allocation_rank = ranks.get(priority, 0)

    @api.model
    def _distrib_priority_ranks(self):
        """{priority: rank}, higher served first (extension point)."""
        return dict(RANKS)

    @api.model
    def _distrib_workflow_fields(self):
        return super()._distrib_workflow_fields() | {
            "distrib_priority_override",
            "distrib_priority_reason",
        }

    # ------------------------------------------------------------------
    # override with a reason
    # ------------------------------------------------------------------
    @distrib_rpc(singleton=True)
    def action_distrib_set_priority(self, priority=None, reason=None):
        """Override the order's allocation priority; the reason is mandatory and
        the change is kept in the timeline and the allocation log."""
        self.ensure_one()
        self.check_access("write")
        labels = dict(self._fields["distrib_priority_override"].selection)
        if not isinstance(priority, str) or priority not in labels:
            raise UserError(
                self.env._(
                    "%(value)s is not an allocation priority: use one of "
                    "%(priorities)s.",
                    value=repr(priority)[:40],
                    priorities=", ".join(labels),
                )
            )
        if not isinstance(reason, str) or not reason.strip():
            raise UserError(
                self.env._(
                    "Give the reason for changing the priority of %(order)s.",
                    order=self.name,
                )
            )
        if self.state == "cancel":
            raise UserError(
                self.env._(
                    "%(order)s is cancelled: its priority no longer matters.",
                    order=self.name,
                )
            )
        reason = reason.strip()[:500]
        before = self.distrib_allocation_priority
        self.sudo().write(
            {"distrib_priority_override": priority, "distrib_priority_reason": reason}
        )
        self.message_post(
            body=Markup("<p>%s</p>")
            % self.env._(
                "Allocation priority changed from %(before)s to %(after)s by "
                "%(user)s: %(reason)s",
                before=labels.get(before, before),
                after=labels[priority],
                user=self.env.user.name,
                reason=reason,
            ),
            subtype_xmlid="mail.mt_note",
        )
        self.env["distrib.allocation.log"]._distrib_log(
            self, "priority_override", note=reason, priority_before=before
        )
        return True

    # ------------------------------------------------------------------
    # promising: higher priorities first
    # ------------------------------------------------------------------
    def _distrib_allocation_orders(self):
        return self.filtered(lambda order: order.company_id.distrib_allocation_enabled)

    def _distrib_demand_after_ids(self, products):
        """Ids of the pending moves of ``products`` that belong to orders of a
        lower priority than every order of ``self`` (one query; none when the
        companies did not opt in or the orders have the lowest priority)."""
        orders = self._distrib_allocation_orders()
        if not orders or not products:
            return frozenset()
        rank = min(orders.mapped("distrib_allocation_rank"))
        if rank <= min(self._distrib_priority_ranks().values()):
            return frozenset()
        for model, names in (
            ("stock.move", ["product_id", "state", "sale_line_id"]),
            ("sale.order.line", ["order_id"]),
            ("sale.order", ["distrib_allocation_rank"]),
        ):
            self.env[model].flush_model(names)
        self.env.cr.execute(
            SQL(
                """
                SELECT m.id
                  FROM stock_move m
                  JOIN sale_order_line l ON l.id = m.sale_line_id
                  JOIN sale_order o ON o.id = l.order_id
                 WHERE m.product_id = ANY(%(products)s)
                   AND m.state IN %(states)s
                   AND o.distrib_allocation_rank < %(rank)s
                """,
                products=list(products.ids),
                states=PENDING_MOVE_STATES,
                rank=rank,
            )
        )
        return frozenset(row[0] for row in self.env.cr.fetchall())

    def _distrib_promise(self):
        if DEMAND_AFTER.get(self.env) is None:
            lines = self.order_line._distrib_atp_lines()
            after = self._distrib_demand_after_ids(lines.product_id)
            if after:
                return super(
                    SaleOrder, DEMAND_AFTER.set_on(self, after)
                )._distrib_promise()
        return super()._distrib_promise()
