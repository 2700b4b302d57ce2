from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.distrib_atp.rpc import distrib_rpc


class DistribException(models.Model):
    _inherit = "distrib.exception"

    def _distrib_hours_open(self):
        """Hours from raising to now (or to the resolution)."""
        self.ensure_one()
        end = self.date_resolved or fields.Datetime.now()
        return max((end - self.date_raised).total_seconds() / 3600.0, 0.0)

    @distrib_rpc(singleton=True)
    def action_distrib_shortage_options(self):
        """One click from a shortage exception: the ranked sourcing options of
        the order's short lines, each with its Apply button."""
        self.ensure_one()
        if (
            self.exception_type != "shortage"
            or self.res_model != "sale.order"
            or self.state not in self._open_states()
        ):
            raise UserError(
                self.env._(
                    "%(name)s is not an open shortage of a sales order: it has no "
                    "sourcing options.",
                    name=self.display_name,
                )
            )
        order = self.env["sale.order"].browse(self.res_id).exists()
        if not order or order.state not in ("draft", "sent"):
            raise UserError(
                self.env._(
                    "The order of %(name)s is no longer a quotation: its lines "
                    "cannot change source.",
                    name=self.display_name,
                )
            )
        result = order.action_distrib_sourcing_options()
        if result is not True:
            return result
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Sourcing Options of %(order)s", order=order.name),
            "res_model": "distrib.sourcing.option",
            "view_mode": "list",
            "views": [
                (
                    self.env.ref(
                        "distrib_allocation.distrib_sourcing_option_view_list"
                    ).id,
                    "list",
                )
            ],
            "domain": [("order_id", "=", order.id)],
            "target": "new",
        }
