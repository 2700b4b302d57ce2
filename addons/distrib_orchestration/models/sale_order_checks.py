# pylint: disable=consider-merging-classes-inherited
# (one concern of sale.order per file, on purpose: see STYLE.md)
from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.distrib_atp.rpc import distrib_rpc
from odoo.addons.distrib_atp.server_flags import SKIP_CHECKS


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # Checks at confirmation: the registry
    # ------------------------------------------------------------------
    @api.model
    def _distrib_confirmation_checks(self):
        """The checks an order passes before it confirms (extension point).

        One dict per check:

        - ``method``: name of the order's method that runs it; it returns None
          when the order passes, else a dict with ``value`` (the metric's value),
          ``message`` (why, for the hold reason) and optionally ``impact`` (an
          amount at risk) and ``exception_type`` (to raise another type than the
          check's own);
        - ``metric``: the approval metric whose approved value lets the order
          through (``distrib.approval.policy``);
        - ``exception_type``: the blocking exception raised while the order is
          held (``exception_types``: every type the method may raise, when it
          raises more than one);
        - ``setting``: the company's boolean field that turns the check on.

        Adding a check is one entry here (``super()`` plus yours) and its method.
        """
        return [
            {
                "setting": "distrib_credit_check",
                "method": "_distrib_check_credit",
                "metric": "credit_over_limit",
                "exception_type": "credit_hold",
            },
            {
                "setting": "distrib_margin_check",
                "method": "_distrib_check_discount",
                "metric": "discount_percent",
                "exception_type": "pricing_margin",
            },
            {
                "setting": "distrib_margin_check",
                "method": "_distrib_check_margin",
                "metric": "margin_percent",
                "exception_type": "pricing_margin",
                "exception_types": ("pricing_margin", "negative_margin"),
            },
        ]

    def _distrib_enabled_confirmation_checks(self):
        """The checks the order's company turned on."""
        self.ensure_one()
        company = self.company_id
        return [
            check
            for check in self._distrib_confirmation_checks()
            if not check.get("setting") or company[check["setting"]]
        ]

    # ------------------------------------------------------------------
    # Checks at confirmation: running them
    # ------------------------------------------------------------------
    def action_confirm(self):
        if SKIP_CHECKS.is_on(self.env):
            # a manager released the hold (``action_distrib_release_hold``)
            return super(SaleOrder, SKIP_CHECKS.cleared(self)).action_confirm()
        to_check = self.filtered(
            lambda o: (
                o.state in ("draft", "sent")
                and o._distrib_enabled_confirmation_checks()
            )
        )
        held = to_check._distrib_run_confirmation_checks()
        if not held:
            return super().action_confirm()
        rest = self - held
        if rest:
            super(SaleOrder, rest).action_confirm()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "sticky": True,
                "title": self.env._("Put on hold"),
                "message": "\n".join(
                    f"{order.name}: {order.distrib_hold_reason}" for order in held
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _distrib_run_confirmation_checks(self):
        """Hold the orders that fail a check; return them. The others go on
        (their earlier hold, now approved, is released)."""
        held = self.browse()
        for order in self:
            failures = order._distrib_confirmation_failures()
            if failures:
                order._distrib_hold_for(failures)
                held |= order
            elif order.distrib_hold_reason:
                order._distrib_release_hold_and_exceptions(
                    self.env._("Checks passed or approved")
                )
        return held

    def _distrib_confirmation_failures(self):
        """Run every enabled check; return the failed ones: dicts with
        ``exception_type``, ``metric``, ``value``, ``message`` and ``impact``.

        A resumed confirmation runs every check again: a failed check passes
        only when the approval being resumed approved its metric for a value
        that covers the current one (an approval of a 35 % discount does not
        confirm the order once it gives 70 %)."""
        self.ensure_one()
        failures = []
        for check in self._distrib_enabled_confirmation_checks():
            result = getattr(self, check["method"])()
            if not result:
                continue
            failure = {
                "metric": check["metric"],
                "exception_type": check["exception_type"],
                "impact": 0.0,
                **result,
            }
            if not self._distrib_is_approved(failure["metric"], failure["value"]):
                failures.append(failure)
        return failures

    def _distrib_is_approved(self, metric, value):
        """Whether the approval resuming this confirmation approved ``metric``
        of this order for a value that covers ``value`` (only the approval's
        own resumption says which one: no context a client sends counts)."""
        self.ensure_one()
        return self.env["distrib.approval.policy"]._is_approved(self, metric, value)

    # credit ------------------------------------------------------------
    def _distrib_credit_exposure(self):
        """Exposure of the customer in the order company's currency, this order
        included (``res.partner._distrib_credit_exposure``)."""
        self.ensure_one()
        company = self.company_id
        partner = self.partner_id.commercial_partner_id
        exposure = partner._distrib_credit_exposure(company, exclude_orders=self)
        return exposure + self.currency_id._convert(
            self.amount_total,
            company.currency_id,
            company,
            fields.Date.context_today(self),
        )

    def _distrib_check_credit(self):
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        limit = partner.sudo().with_company(self.company_id).credit_limit
        if not limit:
            raise UserError(
                self.env._(
                    "%(order)s cannot be confirmed: the credit check of %(company)s "
                    "is on and %(partner)s has no credit limit. Set the customer's "
                    "credit limit (Accounting tab) first.",
                    order=self.name,
                    company=self.company_id.name,
                    partner=partner.display_name,
                )
            )
        exposure = self._distrib_credit_exposure()
        over = exposure - limit
        currency = self.company_id.currency_id
        if currency.compare_amounts(over, 0.0) <= 0:
            return None
        return {
            "value": over,
            "impact": over,
            "message": self.env._(
                "credit exposure %(exposure)s exceeds the limit %(limit)s of "
                "%(partner)s by %(over)s",
                exposure=currency.format(exposure),
                limit=currency.format(limit),
                partner=partner.display_name,
                over=currency.format(over),
            ),
        }

    # pricing and margin --------------------------------------------------
    def _distrib_goods_lines(self):
        return self.order_line.filtered(
            lambda line: (
                not line.display_type and line.product_id and not line.is_downpayment
            )
        )

    def _distrib_check_discount(self):
        self.ensure_one()
        company = self.company_id
        offending = []
        highest = 0.0
        for line in self._distrib_goods_lines():
            limit = (
                line.product_id.categ_id.with_company(
                    company
                ).distrib_max_discount_percent
                or company.distrib_max_discount_percent
            )
            if limit and line.discount > limit:
                offending.append(
                    self.env._(
                        "%(product)s %(discount)s%% (limit %(limit)s%%)",
                        product=line.product_id.display_name,
                        discount=line.discount,
                        limit=limit,
                    )
                )
                highest = max(highest, line.discount)
        if not offending:
            return None
        return {
            "value": highest,
            "impact": 0.0,
            "message": self.env._(
                "discount above the limit: %(lines)s", lines=", ".join(offending)
            ),
        }

    def _distrib_line_rebate_percent(self, line):
        """Rebate (%) the customer is expected to earn on ``line``; extension
        point for rebate agreements. Default: the customer's flat rebate."""
        partner = self.partner_id.commercial_partner_id.with_company(self.company_id)
        return partner.distrib_rebate_percent or 0.0

    def _distrib_line_margin_after_costs(self, line):
        """(net revenue, margin) of a line in the order currency, after the
        customer's rebate and the estimated freight."""
        company = self.company_id
        revenue = line.price_subtotal
        rebate = revenue * self._distrib_line_rebate_percent(line) / 100.0
        freight = revenue * (company.distrib_freight_percent or 0.0) / 100.0
        cost = 0.0
        if line.product_id.type == "consu":
            qty = line.product_uom._compute_quantity(
                line.product_uom_qty, line.product_id.uom_id
            )
            cost = company.currency_id._convert(
                line.product_id.with_company(company).standard_price * qty,
                self.currency_id,
                company,
                self.date_order or fields.Date.context_today(self),
            )
        return revenue, revenue - rebate - freight - cost

    def _distrib_check_margin(self):
        self.ensure_one()
        company = self.company_id
        partner_min = self.partner_id.commercial_partner_id.with_company(
            company
        ).distrib_min_margin_percent
        offending = []
        total_revenue = total_margin = 0.0
        for line in self._distrib_goods_lines():
            revenue, margin = self._distrib_line_margin_after_costs(line)
            total_revenue += revenue
            total_margin += margin
            minimum = (
                partner_min
                or line.product_id.categ_id.with_company(
                    company
                ).distrib_min_margin_percent
                or company.distrib_min_margin_percent
            )
            percent = margin / revenue * 100.0 if revenue else 0.0
            if (minimum and percent < minimum) or margin < 0:
                offending.append(
                    self.env._(
                        "%(product)s %(percent)s%% (minimum %(minimum)s%%)",
                        product=line.product_id.display_name,
                        percent=round(percent, 1),
                        minimum=minimum,
                    )
                )
        if not offending:
            return None
        order_percent = total_margin / total_revenue * 100.0 if total_revenue else 0.0
        return {
            "exception_type": "negative_margin"
            if total_margin < 0
            else "pricing_margin",
            "value": order_percent,
            "impact": -total_margin if total_margin < 0 else 0.0,
            "message": self.env._(
                "margin after freight and rebate below the minimum: %(lines)s",
                lines=", ".join(offending),
            ),
        }

    # hold, exception, approval --------------------------------------------
    def _distrib_hold_for(self, failures):
        self.ensure_one()
        reason = "; ".join(failure["message"] for failure in failures)
        reason = reason[:1].upper() + reason[1:]
        self._distrib_put_on_hold(reason)
        for failure in failures:
            self._distrib_raise_hold_exception(failure)
            self._distrib_request_approval(failure)

    def _distrib_raise_hold_exception(self, failure):
        """Raise (or refresh) the blocking exception of a failed check."""
        return self.env["distrib.exception"]._raise_for(
            self,
            failure["exception_type"],
            severity="high",
            summary=self.env._(
                "%(order)s on hold: %(reason)s",
                order=self.name,
                reason=failure["message"],
            ),
            impact_amount=failure.get("impact") or 0.0,
            blocking=True,
        )

    def _distrib_request_approval(self, failure):
        """Ask for the approval that resumes the confirmation (None when no
        policy of the company covers the metric: a manager releases the hold)."""
        return self.env["distrib.approval.policy"]._check_value(
            self,
            failure["metric"],
            failure["value"],
            resume_method="action_confirm",
        )

    @api.model
    def _distrib_hold_exception_types(self):
        """The exceptions a hold raises: every check's, and a manual hold's."""
        types = []
        for check in self._distrib_confirmation_checks():
            for exception_type in check.get("exception_types") or (
                check["exception_type"],
            ):
                if exception_type not in types:
                    types.append(exception_type)
        return (*types, "order_hold")

    def _distrib_release_hold_and_exceptions(self, note):
        Exception_ = self.env["distrib.exception"]
        for exception_type in self._distrib_hold_exception_types():
            Exception_._resolve_for(self, exception_type, note=note)
        self.sudo().write({"distrib_hold_reason": False})
        self._distrib_compute_state(reason=note)

    @distrib_rpc()
    def action_distrib_release_hold(self):
        """Manager: release the hold and confirm without the checks."""
        if not self.env.user.has_group("distrib_atp.group_distrib_manager"):
            raise UserError(
                self.env._("Only a distribution manager can release a hold.")
            )
        held = self.filtered("distrib_hold_reason")
        note = self.env._("Hold released by %(user)s", user=self.env.user.name)
        for order in held:
            order._distrib_release_hold_and_exceptions(note)
        SKIP_CHECKS.set_on(
            held.filtered(lambda o: o.state in ("draft", "sent"))
        ).action_confirm()
        return True
