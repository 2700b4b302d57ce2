import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import float_compare

_logger = logging.getLogger(__name__)


class PurchaseOrder(models.Model):
    _name = "purchase.order"
    _inherit = ["purchase.order", "distrib.exception.source.mixin"]

    @api.model
    def _cron_distrib_delayed_receipts(self):
        """Raise (or refresh) a delayed-receipt exception per late purchase
        order of each company that opted in; resolve the cleared ones. One
        failing company or order is logged and skipped."""
        stats = {"raised": 0, "resolved": 0, "failures": 0}
        companies = self.env["res.company"].search(
            [("distrib_delayed_receipt_check", "=", True)]
        )
        for company in companies:
            try:
                with self.env.cr.savepoint():
                    result = self.with_company(company)._distrib_check_delayed_receipts(
                        company
                    )
                for key, value in result.items():
                    stats[key] += value
            except Exception:
                stats["failures"] += 1
                _logger.exception("Delayed receipts of company %s failed", company.id)
        return stats

    @api.model
    def _distrib_late_lines(self, company):
        limit = fields.Datetime.now() - timedelta(
            days=company.distrib_delayed_receipt_grace_days
        )
        lines = self.env["purchase.order.line"].search(
            [
                ("company_id", "=", company.id),
                ("order_id.state", "in", ("purchase", "done")),
                ("display_type", "=", False),
                ("date_planned", "<", limit),
                ("product_id.type", "=", "consu"),
            ]
        )
        return lines.filtered(
            lambda line: (
                float_compare(
                    line.qty_received,
                    line.product_qty,
                    precision_rounding=line.product_uom.rounding,
                )
                < 0
            )
        )

    @api.model
    def _distrib_waiting_sale_orders(self, lines):
        """``{purchase line: sale orders}`` waiting on each line: the orders down
        its move chain, and the open orders of the same products shipped from
        the same warehouse."""
        SaleLine = self.env["sale.order.line"]
        warehouses = lines.order_id.picking_type_id.warehouse_id
        demand = SaleLine.search(
            [
                ("product_id", "in", lines.product_id.ids),
                ("order_id.state", "=", "sale"),
                ("order_id.warehouse_id", "in", warehouses.ids),
            ]
        ).filtered(
            lambda sol: (
                float_compare(
                    sol.qty_delivered,
                    sol.product_uom_qty,
                    precision_rounding=sol.product_uom.rounding,
                )
                < 0
            )
        )
        by_key = {}
        for sol in demand:
            key = (sol.product_id, sol.order_id.warehouse_id)
            by_key[key] = by_key.get(key, self.env["sale.order"]) | sol.order_id
        result = {}
        for line in lines:
            orders = by_key.get(
                (line.product_id, line.order_id.picking_type_id.warehouse_id),
                self.env["sale.order"],
            )
            frontier = line.move_ids.filtered(lambda m: m.state != "cancel")
            seen = frontier
            while frontier:
                orders |= frontier.sale_line_id.order_id
                frontier = frontier.move_dest_ids - seen
                seen |= frontier
            result[line] = orders
        return result

    @api.model
    def _distrib_check_delayed_receipts(self, company):
        Exception_ = self.env["distrib.exception"]
        late_lines = self._distrib_late_lines(company)
        waiting = self._distrib_waiting_sale_orders(late_lines)
        rule = self.env["distrib.exception.rule"]._get_api_rule(
            company, "delayed_receipt"
        )
        stats = {"raised": 0, "resolved": 0, "failures": 0}
        late_orders = late_lines.order_id
        for order in late_orders:
            try:
                with self.env.cr.savepoint():
                    order._distrib_raise_delayed_receipt(
                        late_lines.filtered(lambda line, o=order: line.order_id == o),
                        waiting,
                        rule,
                    )
                stats["raised"] += 1
            except Exception:
                stats["failures"] += 1
                _logger.exception("Delayed receipt of %s failed", order.name)
        cleared = Exception_.search(
            [
                ("company_id", "=", company.id),
                ("exception_type", "=", "delayed_receipt"),
                ("res_model", "=", "purchase.order"),
                ("res_id", "not in", late_orders.ids),
                ("state", "in", Exception_._open_states()),
            ]
        )
        cleared._close(
            "resolved",
            note=self.env._(
                "Resolved automatically: the goods were received or rescheduled."
            ),
        )
        stats["resolved"] = len(cleared)
        return stats

    def _distrib_raise_delayed_receipt(self, lines, waiting, rule):
        self.ensure_one()
        Exception_ = self.env["distrib.exception"]
        company = self.company_id
        rows = []
        impact = 0.0
        customers_orders = self.env["sale.order"]
        for line in lines:
            missing = line.product_qty - line.qty_received
            orders = waiting.get(line, self.env["sale.order"])
            customers_orders |= orders
            impact += self.currency_id._convert(
                missing * line.price_unit,
                company.currency_id,
                company,
                fields.Date.context_today(self),
            )
            rows.append(
                (
                    line.product_id.display_name,
                    fields.Date.to_string(line.date_planned.date()),
                    f"{line.product_qty:g}",
                    f"{line.qty_received:g}",
                    ", ".join(orders.mapped("name")) or "-",
                )
            )
        details = Exception_._format_table(
            [
                self.env._("Product"),
                self.env._("Planned"),
                self.env._("Ordered"),
                self.env._("Received"),
                self.env._("Customer Orders Waiting"),
            ],
            rows,
            intro=self.env._(
                "%(order)s from %(vendor)s is late.",
                order=self.name,
                vendor=self.partner_id.display_name,
            ),
        )
        summary = self.env._(
            "%(order)s late: %(count)s line(s), %(waiting)s customer order(s) waiting",
            order=self.name,
            count=len(lines),
            waiting=len(customers_orders),
        )
        return Exception_._raise_for(
            self,
            "delayed_receipt",
            summary=summary,
            details=details,
            impact_amount=impact,
            owner=None if rule else self.user_id or None,
            severity="high" if customers_orders else None,
        )
