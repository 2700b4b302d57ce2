import datetime
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from ..rpc import distrib_rpc


class SaleOrder(models.Model):
    _inherit = "sale.order"

    distrib_sourcing_option_ids = fields.One2many(
        "distrib.sourcing.option", "order_id", string="Sourcing Options"
    )
    distrib_short_line_count = fields.Integer(
        string="Short Lines",
        compute="_compute_distrib_short_line_count",
        help="Lines that cannot be fully promised from their warehouse in time.",
    )

    @api.depends("order_line.distrib_atp_state")
    def _compute_distrib_short_line_count(self):
        for order in self:
            order.distrib_short_line_count = len(
                order.order_line.filtered(
                    lambda line: line.distrib_atp_state in ("partial", "short")
                )
            )

    @distrib_rpc()
    def action_distrib_sourcing_options(self):
        """Recompute the ranked sourcing options of the short lines."""
        # the options are the order's working data: only who may change it
        self.check_access("write")
        self.distrib_sourcing_option_ids.unlink()
        vals_list = self.order_line._distrib_sourcing_options()
        self.env["distrib.sourcing.option"].create(vals_list)
        if not vals_list:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "info",
                    "message": self.env._(
                        "No line needs another source, or none is available."
                    ),
                },
            }
        return True

    def action_confirm(self):
        promising = self.filtered(
            lambda order: (
                order.state in ("draft", "sent")
                and order.company_id.distrib_atp_promise
            )
        )
        if promising:
            promising._distrib_promise()
        return super().action_confirm()

    # ------------------------------------------------------------------
    # promising
    # ------------------------------------------------------------------
    def _distrib_promise(self):
        """Lock, re-read the available-to-promise stock, then promise or refuse.

        Locks every (product, warehouse) the orders sell in a fixed order, re-reads
        the stock with fresh SQL and records on each line what is promised for
        when. A line that cannot be promised in full by its requested date blocks
        the confirmation (policy "block"), or is promised what is free and
        backordered for the rest (policies "allow" and "warn").
        """
        lines = self.order_line._distrib_atp_lines()
        if not lines:
            return
        # the warehouse each line ships from, as its sourcing option chose it
        sources = {line: line._distrib_promise_warehouse() for line in lines}
        self.env["distrib.atp.lock"]._distrib_lock(
            {(line.product_id.id, sources[line].id) for line in lines}
        )
        projections = self.env["distrib.atp"]._distrib_projections(
            lines.product_id.ids, list({source.id for source in sources.values()})
        )
        today = fields.Date.context_today(self)
        consumed = defaultdict(float)
        failures = defaultdict(list)
        line_vals = {}
        for line in lines.sorted(
            lambda line: (line.order_id.id, line.sequence, line.id)
        ):
            product = line.product_id
            source = sources[line]
            projection = projections[product.id, source.id]
            need = line._distrib_need()
            before = consumed[product.id, source.id]
            consumed[product.id, source.id] += need
            requested = line._distrib_target_date(today)
            available = projection.promisable(requested) - before
            rounding = product.uom_id.rounding
            if float_compare(available, need, precision_rounding=rounding) >= 0:
                promised, date = need, requested
            else:
                promised = max(min(available, need), 0.0)
                date = projection.next_available_date(before + need, today)
                failures[line.order_id].append(
                    (line, line._distrib_to_line_uom(promised), date, source)
                )
            line_vals[line] = {
                "distrib_promised_qty": line._distrib_to_line_uom(promised),
                "distrib_backorder_qty": line._distrib_to_line_uom(need - promised),
                "distrib_promised_date": max(date, line.distrib_promised_date or date)
                if date
                else False,
                "distrib_source_kind": line.distrib_source_kind or "stock",
                "distrib_source_warehouse_id": source.id,
            }
        blocking = [
            order
            for order in failures
            if order.company_id.distrib_atp_policy == "block"
        ]
        if blocking:
            raise UserError(self._distrib_block_message(blocking, failures))
        # the promise is the workflow's reading of the stock (readonly to clients)
        for line, vals in line_vals.items():
            line.sudo().write(vals)
        for order, order_failures in failures.items():
            order._distrib_report_backorders(order_failures)
        self._distrib_update_commitment_date()

    def _distrib_failure_reason(self, line, promised, date, source=None):
        if date:
            when = self.env._("available on %(date)s", date=fields.Date.to_string(date))
        else:
            when = self.env._("no planned receipt covers it")
        return self.env._(
            "%(product)s: %(qty)s %(uom)s ordered for %(requested)s, %(promised)s "
            "promisable from %(warehouse)s, %(when)s",
            product=line.product_id.display_name,
            qty=line.product_uom_qty,
            uom=line.product_uom.name,
            requested=fields.Date.to_string(
                line._distrib_target_date(fields.Date.context_today(line))
            ),
            promised=promised,
            # another company's warehouse: its name only, as the figures
            warehouse=(source or line.warehouse_id).sudo().name,
            when=when,
        )

    def _distrib_block_message(self, orders, failures):
        blocks = []
        for order in orders:
            lines = self.env["sale.order.line"].concat(
                *(failure[0] for failure in failures[order])
            )
            options = defaultdict(list)
            for vals in lines._distrib_sourcing_options():
                options[vals["line_id"]].append(vals)
            text = [
                self.env._(
                    "%(order)s cannot be confirmed: these lines cannot be promised "
                    "by their requested date.",
                    order=order.name,
                )
            ]
            kinds = dict(self.env["distrib.sourcing.option"]._fields["kind"].selection)
            for failure in failures[order]:
                line = failure[0]
                text.append("- " + self._distrib_failure_reason(*failure))
                for vals in options[line.id]:
                    text.append(
                        "    "
                        + self.env._(
                            "option %(rank)s: %(kind)s %(where)s, promise %(date)s",
                            rank=vals["rank"],
                            kind=kinds[vals["kind"]],
                            where=self.env["stock.warehouse"]
                            .sudo()
                            .browse(vals["warehouse_id"])
                            .name,
                            date=fields.Date.to_string(vals["promise_date"]) or "-",
                        )
                    )
                if not options[line.id]:
                    text.append("    " + self.env._("no other source has it in time"))
            blocks.append("\n".join(text))
        blocks.append(
            self.env._(
                'Use "Sourcing Options" on the order to apply one, or change the '
                "quantities or the delivery date."
            )
        )
        return "\n\n".join(blocks)

    def _distrib_report_backorders(self, order_failures):
        """Tell the salesperson which lines are backordered, and until when."""
        self.ensure_one()
        items = Markup("").join(
            Markup("<li>%s</li>") % self._distrib_failure_reason(*failure)
            for failure in order_failures
        )
        body = Markup("<p>%s</p><ul>%s</ul>") % (
            self.env._(
                "Confirmed with backorders: these lines could not be promised in full "
                "by their requested date."
            ),
            items,
        )
        self.message_post(body=body, subtype_xmlid="mail.mt_note")
        if self.company_id.distrib_atp_policy == "warn":
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=self.user_id.id or self.env.uid,
                summary=self.env._("Tell the customer about backordered lines"),
                note=body,
            )

    def _distrib_update_commitment_date(self):
        """The delivery date follows the latest promised date (companies opted in)."""
        for order in self.filtered("company_id.distrib_atp_commitment_date"):
            dates = [
                line.distrib_promised_date
                for line in order.order_line
                if not line.display_type and line.distrib_promised_date
            ]
            if dates:
                order.commitment_date = datetime.datetime.combine(
                    max(dates), datetime.time(12, 0)
                )
