"""The order's shared fields, its CRUD and Odoo event points, its actions.

The concerns of the order live in their own files on the same model:
``sale_order_state.py`` (event states and holds), ``sale_order_margin.py``
(margins at order, shipment and invoice), ``sale_order_invoicing.py``
(invoice on shipment) and ``sale_order_checks.py`` (checks at confirmation).
"""

from odoo import api, fields, models

from odoo.addons.distrib_atp.rpc import distrib_rpc
from odoo.addons.distrib_atp.server_flags import NO_NOTIFY

DISTRIB_STATES = [
    ("entered", "Entered"),
    ("validated", "Validated"),
    ("allocated", "Allocated"),
    ("picked", "Picked"),
    ("shipped", "Shipped"),
    ("invoiced", "Invoiced"),
    ("collected", "Collected"),
    ("on_hold", "On Hold"),
    ("disputed", "Disputed"),
    ("return_authorized", "Return Authorized"),
    ("return_received", "Return Received"),
    ("return_disposed", "Return Disposed"),
    ("cancelled", "Cancelled"),
]

# return authorization state -> order state while the return is open


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "distrib.workflow.mixin"]

    distrib_enabled = fields.Boolean(
        related="company_id.distrib_orchestration_enabled",
        string="Event States Enabled",
    )
    distrib_state = fields.Selection(
        DISTRIB_STATES,
        string="Event State",
        readonly=True,
        copy=False,
        index=True,
        help="Where the order stands, set by its documents: confirmation, "
        "reservation, picking, delivery, invoices, payments, disputes and returns.",
    )
    distrib_event_ids = fields.One2many(
        "distrib.order.event", "order_id", string="Timeline", readonly=True
    )
    distrib_hold_reason = fields.Char(
        string="Hold Reason",
        copy=False,
        readonly=True,
        help="Set when a check at confirmation failed: the order stays on hold "
        "until the hold is released.",
    )
    distrib_dispute_ids = fields.One2many(
        "distrib.order.dispute", "order_id", string="Disputes"
    )
    distrib_dispute_count = fields.Integer(compute="_compute_distrib_counts")
    distrib_return_ids = fields.One2many(
        "distrib.return.authorization", "order_id", string="Return Authorizations"
    )
    distrib_return_count = fields.Integer(compute="_compute_distrib_counts")

    @api.model
    def _distrib_workflow_fields(self):
        """The event state and the hold follow the documents."""
        return super()._distrib_workflow_fields() | {
            "distrib_state",
            "distrib_event_ids",
            "distrib_hold_reason",
        }

    @api.depends("distrib_dispute_ids", "distrib_return_ids")
    def _compute_distrib_counts(self):
        for order in self:
            order.distrib_dispute_count = len(order.distrib_dispute_ids)
            order.distrib_return_count = len(order.distrib_return_ids)

    # ------------------------------------------------------------------
    # CRUD and Odoo event points
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders._distrib_compute_state(margins=False)
        return orders

    def action_draft(self):
        res = super().action_draft()
        self._distrib_compute_state(reason=self.env._("Order set back to quotation"))
        return res

    def _action_confirm(self):
        # log "validated" before the deliveries are created and reserved, so the
        # timeline shows each step
        self._distrib_update_expected_margin()
        self._distrib_compute_state(reason=self.env._("Order confirmed"), margins=False)
        return super()._action_confirm()

    def _action_cancel(self):
        # the deliveries are cancelled first: go straight to "cancelled"
        res = super(SaleOrder, NO_NOTIFY.set_on(self))._action_cancel()
        self._distrib_compute_state(reason=self.env._("Order cancelled"))
        return res

    def _distrib_filter_enabled(self):
        """Orders of the companies that opted in to the event states."""
        return self.filtered(lambda o: o.company_id.distrib_orchestration_enabled)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _distrib_order_documents_action(self, xmlid):
        """The action ``xmlid`` restricted to this order, creating for it."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {"default_order_id": self.id}
        return action

    @distrib_rpc(singleton=True)
    def action_distrib_view_disputes(self):
        return self._distrib_order_documents_action(
            "distrib_orchestration.distrib_order_dispute_action"
        )

    @distrib_rpc(singleton=True)
    def action_distrib_view_returns(self):
        return self._distrib_order_documents_action(
            "distrib_orchestration.distrib_return_authorization_action"
        )

    @distrib_rpc(singleton=True)
    def action_distrib_new_return(self):
        self.ensure_one()
        action = self.action_distrib_view_returns()
        action.update({"view_mode": "form", "views": [(False, "form")]})
        return action
