# pylint: disable=consider-merging-classes-inherited
# (one concern of sale.order per file, on purpose: see STYLE.md)
import logging

from psycopg2 import OperationalError

from odoo import models
from odoo.tools import float_is_zero

_logger = logging.getLogger(__name__)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # Invoice on shipment
    # ------------------------------------------------------------------
    def _distrib_lines_to_invoice_on_shipment(self):
        """Lines with goods shipped and not invoiced yet (drafts included)."""
        precision = self.env["decimal.precision"].precision_get(
            "Product Unit of Measure"
        )
        return self.order_line.filtered(
            lambda line: (
                line.state == "sale"
                and not line.display_type
                and line.product_id.type == "consu"
                and not float_is_zero(
                    line.qty_delivered - line.qty_invoiced, precision_digits=precision
                )
            )
        )

    def _distrib_force_lines_to_invoice_delivered(self):
        """Invoice what shipped whatever the products' invoicing policy (the same
        idiom as Odoo's ``_force_lines_to_invoice_policy_order``)."""
        for line in self._distrib_lines_to_invoice_on_shipment():
            line.qty_to_invoice = line.qty_delivered - line.qty_invoiced

    def _distrib_invoice_shipped(self, source=None):
        """Create and post the invoice (or credit note) of what shipped.

        Idempotent: an order whose shipped quantities are all invoiced gets
        nothing. A failure never blocks the delivery: it is rolled back to a
        savepoint and reported through ``_distrib_report_invoicing_failure``.
        """
        invoices = self.env["account.move"]
        for order in self:
            if not order._distrib_lines_to_invoice_on_shipment():
                continue
            try:
                with self.env.cr.savepoint():
                    order_sudo = order.sudo().with_company(order.company_id)
                    order_sudo._distrib_force_lines_to_invoice_delivered()
                    moves = order_sudo._create_invoices(final=True)
                    moves.action_post()
                    invoices |= moves
            except OperationalError:
                # serialization failures and deadlocks: let Odoo replay the call
                raise
            except Exception as error:
                _logger.info("Invoice on shipment failed for %s: %s", order.name, error)
                order._distrib_report_invoicing_failure(error, source=source)
        return invoices

    def _distrib_report_invoicing_failure(self, error, source=None):
        """Tell someone the automatic invoice failed (hook: distrib_exceptions
        raises an exception here once wired)."""
        self.ensure_one()
        self.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Invoice on shipment failed"),
            note=self.env._(
                "The invoice of %(document)s could not be created: %(error)s",
                document=source.display_name if source else self.name,
                error=str(error),
            ),
            user_id=(self.user_id or self.env.user).id,
        )
