from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.distrib_atp.rpc import distrib_rpc

from ..allocation_flags import APPLYING_OPTION


class DistribSourcingOption(models.TransientModel):
    """The "Expedite" option (``sale.order.line._distrib_expedite_options``), and
    the shortage exception resolved when a person applies an option."""

    _inherit = "distrib.sourcing.option"

    kind = fields.Selection(
        selection_add=[("expedite", "Expedite"), ("substitute",)],
        ondelete={"expedite": "cascade"},
    )

    def _distrib_expedite_summary(self):
        return self.env._(
            "Express from %(warehouse)s", warehouse=self.warehouse_id.sudo().name
        )

    def _distrib_still_offered(self, vals):
        """Whether ``vals`` (an option computed now) is this option."""
        return (
            vals["kind"] == self.kind
            and vals.get("warehouse_id") == self.warehouse_id.id
            and vals.get("product_id") == self.product_id.id
            and vals.get("company_id", self.company_id.id) == self.company_id.id
            # a split ships what is free now: no more than that
            and (self.kind != "split" or vals.get("quantity", 0.0) >= self.quantity)
        )

    def _distrib_check_still_applies(self):
        """The stock may have moved since the options were computed: the line
        must still be short and the option still offered (one engine pass)."""
        self.ensure_one()
        line = self.line_id
        current = line._distrib_sourcing_options()
        if not any(self._distrib_still_offered(vals) for vals in current):
            raise UserError(
                self.env._(
                    "%(option)s no longer applies to %(product)s: the stock moved "
                    "since the options were computed. Find the sourcing options "
                    "again.",
                    option=self.summary,
                    product=line.product_id.display_name,
                )
            )

    @distrib_rpc(singleton=True)
    def action_apply(self):
        order = self.line_id.order_id
        summary = self.summary
        company = order.company_id
        if company.distrib_allocation_enabled or company.distrib_auto_sourcing:
            self._distrib_check_still_applies()
        result = super(
            DistribSourcingOption, APPLYING_OPTION.set_on(self)
        ).action_apply()
        if order.distrib_shortage_open:
            order.message_post(
                body=self.env._(
                    "Sourcing option applied by %(user)s: %(option)s",
                    user=self.env.user.name,
                    option=summary,
                ),
                subtype_xmlid="mail.mt_note",
            )
            resolved = order._distrib_shortage_recheck(
                "person",
                self.env._(
                    "%(user)s applied a sourcing option: no line is short any more.",
                    user=self.env.user.name,
                ),
            )
            if (
                resolved
                and order.distrib_hold_reason
                and order.state
                in (
                    "draft",
                    "sent",
                )
            ):
                # the decision the confirmation waited for is taken: resume it
                return order.action_confirm()
        return result
