# pylint: disable=consider-merging-classes-inherited
# (one concern of sale.order per file, on purpose: see STYLE.md)
from collections import defaultdict

from odoo import api, fields, models

from ..allocation_flags import LINE_WRITES
from ..priorities import SEVERITIES


class SaleOrder(models.Model):
    _inherit = "sale.order"

    distrib_shortage_open = fields.Boolean(
        string="Shortage to Resolve",
        copy=False,
        readonly=True,
        help="A line could not be sourced within policy at confirmation: a "
        "planner decides (shortage exception).",
    )

    @api.model
    def _distrib_workflow_fields(self):
        return super()._distrib_workflow_fields() | {"distrib_shortage_open"}

    # ------------------------------------------------------------------
    # the confirmation step: resolve what policy allows, route the rest
    # ------------------------------------------------------------------
    @api.model
    def _distrib_confirmation_checks(self):
        return [
            *super()._distrib_confirmation_checks(),
            {
                "setting": "distrib_auto_sourcing",
                "method": "_distrib_check_shortage",
                "metric": "shortage_value",
                "exception_type": "shortage",
            },
        ]

    def _distrib_short_lines(self):
        """{line: (state, promisable)} of the lines that cannot be promised in
        full by their requested date (one engine pass)."""
        lines = self.order_line._distrib_atp_lines()
        if not lines:
            return {}
        return {
            line: (state, promisable)
            for line, (state, promisable, _date) in lines._distrib_atp_check().items()
            if state != "available"
        }

    def _distrib_check_shortage(self):
        """Short lines take the best option the sourcing policy allows; the rest
        holds the order with one shortage exception (ranked options inside)."""
        self.ensure_one()
        short = self._distrib_short_lines()
        if not short:
            return None
        lines = self.env["sale.order.line"].concat(*short)
        options = lines._distrib_sourcing_options()
        if self._distrib_auto_source(lines, options):
            short = self._distrib_short_lines()
            if not short:
                return None
            lines = self.env["sale.order.line"].concat(*short)
            options = lines._distrib_sourcing_options()
        company = self.company_id
        value = 0.0
        names = []
        for line, (_state, promisable) in short.items():
            missing = max(line.product_uom_qty - max(promisable, 0.0), 0.0)
            if line.product_uom_qty:
                value += line.price_subtotal * missing / line.product_uom_qty
            names.append(
                self.env._(
                    "%(product)s (%(missing)s %(uom)s)",
                    product=line.product_id.display_name,
                    missing=round(missing, 4),
                    uom=line.product_uom.name,
                )
            )
        value = self._distrib_to_company_currency(value)
        return {
            "value": value,
            "impact": value,
            "message": self.env._(
                "short lines no sourcing option within policy resolves: %(lines)s",
                lines=", ".join(names),
            ),
            "exception_type": "shortage",
            "details": self._distrib_shortage_details(lines, options, company),
        }

    def _distrib_shortage_details(self, lines, options, company):
        """The ranked options of the short lines, as an HTML table."""
        kinds = dict(
            self.env["distrib.sourcing.option"]
            ._fields["kind"]
            ._description_selection(self.env)
        )
        currency = company.currency_id
        by_line = defaultdict(list)
        for vals in options:
            by_line[vals["line_id"]].append(vals)
        rows = []
        for line in lines:
            line_options = sorted(by_line[line.id], key=lambda vals: vals["rank"])
            if not line_options:
                rows.append(
                    [
                        line.product_id.display_name,
                        "-",
                        self.env._("none"),
                        "",
                        "",
                        "",
                        "",
                    ]
                )
            for vals in line_options:
                warehouse = (
                    self.env["stock.warehouse"].sudo().browse(vals.get("warehouse_id"))
                )
                rows.append(
                    [
                        line.product_id.display_name,
                        vals["rank"],
                        "%s: %s"
                        % (kinds.get(vals["kind"], vals["kind"]), warehouse.name or ""),
                        vals.get("lead_days", 0),
                        fields.Date.to_string(vals.get("promise_date")) or "-",
                        currency.format(vals.get("cost", 0.0)),
                        currency.format(vals.get("margin_impact", 0.0)),
                    ]
                )
        return self.env["distrib.exception"]._format_table(
            [
                self.env._("Product"),
                self.env._("Rank"),
                self.env._("Option"),
                self.env._("Lead (days)"),
                self.env._("Promise"),
                self.env._("Cost"),
                self.env._("Margin impact"),
            ],
            rows,
            intro=self.env._(
                "Apply an option from the order (Sourcing Options) or from this "
                "exception; the exception resolves itself when no line is short."
            ),
        )

    def _distrib_auto_source(self, lines, options):
        """Apply to each short line the best option the policy allows; return
        the lines sourced."""
        self.ensure_one()
        policies = {
            policy.kind: policy
            for policy in self.company_id.distrib_sourcing_policy_ids
        }
        if not policies or not options:
            return self.env["sale.order.line"]
        by_line = defaultdict(list)
        for vals in options:
            by_line[vals["line_id"]].append(vals)
        chosen = []
        for line in lines:
            for vals in sorted(by_line[line.id], key=lambda vals: vals["rank"]):
                policy = policies.get(vals["kind"])
                if policy and policy._distrib_allows(line, vals):
                    chosen.append(vals)
                    break
        if not chosen:
            return self.env["sale.order.line"]
        records = self.env["distrib.sourcing.option"].sudo().create(chosen)
        rows = [
            [
                option.line_id.product_id.display_name,
                option.summary,
                fields.Date.to_string(option.promise_date) or "-",
                option.currency_id.format(option.margin_impact),
            ]
            for option in records
        ]
        self._distrib_apply_options(records)
        self.message_post(
            body=self.env["distrib.exception"]._format_table(
                [
                    self.env._("Product"),
                    self.env._("Option applied"),
                    self.env._("Promise"),
                    self.env._("Margin impact"),
                ],
                rows,
                intro=self.env._(
                    "Short lines sourced automatically within the sourcing policy:"
                ),
            ),
            subtype_xmlid="mail.mt_note",
        )
        self.env["distrib.allocation.log"]._distrib_log_options(records)
        sourced = records.line_id
        records.unlink()
        return sourced

    @api.model
    def _distrib_batched_option_kinds(self):
        """Kinds of sourcing option whose ``_distrib_apply_<kind>_option`` is one
        write of the line with values that depend only on the option's kind,
        warehouse and promise date (and the order's company): applied to many
        lines at once (extension point)."""
        return {"warehouse", "expedite"}

    def _distrib_apply_options(self, options):
        """Apply the options (of this order's lines) through their kind's
        method. The options of a batched kind that share the warehouse and the
        promise date are applied to the first line, whose write gives the other
        lines the same values in one write; any other option (or a method that
        wrote more than its line once) applies line by line."""
        self.ensure_one()
        batched = self._distrib_batched_option_kinds()
        groups = defaultdict(list)
        for option in options:
            key = (
                (option.kind, option.warehouse_id.id, option.promise_date)
                if option.kind in batched
                else (option.id,)
            )
            groups[key].append(option)
        for group in groups.values():
            first, rest = group[0], group[1:]
            line = first.line_id.sudo()
            method = f"_distrib_apply_{first.kind}_option"
            if not rest:
                getattr(line, method)(first)
                continue
            writes = []
            getattr(LINE_WRITES.set_on(line, writes), method)(first)
            if len(writes) == 1 and writes[0][0] == line.ids:
                self.env["sale.order.line"].sudo().concat(
                    *(option.line_id for option in rest)
                ).write(writes[0][1])
                continue
            for option in rest:
                getattr(option.line_id.sudo(), method)(option)

    # ------------------------------------------------------------------
    # the shortage exception
    # ------------------------------------------------------------------
    def _distrib_raise_hold_exception(self, failure):
        if failure.get("exception_type") != "shortage":
            return super()._distrib_raise_hold_exception(failure)
        company = self.company_id
        priority = self.distrib_allocation_priority
        exception = self.env["distrib.exception"]._raise_for(
            self,
            "shortage",
            severity=SEVERITIES.get(priority, "medium"),
            summary=self.env._(
                "%(order)s on hold: %(reason)s",
                order=self.name,
                reason=failure["message"],
            ),
            details=failure.get("details"),
            impact_amount=failure.get("impact") or 0.0,
            blocking=True,
            team=company.distrib_shortage_team_id or None,
        )
        if not self.distrib_shortage_open:
            hours = company._distrib_shortage_sla_hours(priority)
            if hours:
                exception.sudo().write(
                    {"sla_deadline": exception._sla_deadline_from_hours(hours)}
                )
            self.sudo().write({"distrib_shortage_open": True})
            self.env["distrib.allocation.log"]._distrib_log(
                self, "shortage_raised", amount=failure.get("impact") or 0.0
            )
        return exception

    def _distrib_shortage_recheck(self, resolution, note):
        """Resolve the shortage of the orders whose lines are no longer short
        (an option applied, stock arrived, the line changed); return them."""
        resolved = self.browse()
        Exception_ = self.env["distrib.exception"]
        for order in self.filtered(
            lambda o: o.distrib_shortage_open and o.state in ("draft", "sent")
        ):
            if order._distrib_short_lines():
                continue
            opened = Exception_.sudo()._find_open(order, "shortage").get(order.id)
            Exception_._resolve_for(order, "shortage", note=note)
            order.sudo().write({"distrib_shortage_open": False})
            order.message_post(body=note, subtype_xmlid="mail.mt_note")
            self.env["distrib.allocation.log"]._distrib_log(
                order,
                "shortage_resolved",
                resolution=resolution,
                hours=opened._distrib_hours_open() if opened else 0.0,
                note=note,
            )
            resolved |= order
        return resolved

    def _distrib_release_hold_and_exceptions(self, note):
        """A person released or approved the held order: its shortage is
        decided (backordered)."""
        Exception_ = self.env["distrib.exception"].sudo()
        for order in self.filtered("distrib_shortage_open"):
            opened = Exception_._find_open(order, "shortage").get(order.id)
            order.sudo().write({"distrib_shortage_open": False})
            self.env["distrib.allocation.log"]._distrib_log(
                order,
                "shortage_resolved",
                resolution="person",
                hours=opened._distrib_hours_open() if opened else 0.0,
                note=note,
            )
        return super()._distrib_release_hold_and_exceptions(note)

    # ------------------------------------------------------------------
    # the expedite cost in the margin before confirmation
    # ------------------------------------------------------------------
    def _distrib_line_margin_after_costs(self, line):
        revenue, margin = super()._distrib_line_margin_after_costs(line)
        if line.distrib_expedite_cost:
            company = self.company_id
            margin -= company.currency_id._convert(
                line.distrib_expedite_cost,
                self.currency_id,
                company,
                self.date_order or fields.Date.context_today(self),
            )
        return revenue, margin
