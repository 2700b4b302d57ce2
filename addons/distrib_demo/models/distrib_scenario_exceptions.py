# pylint: disable=consider-merging-classes-inherited
# (one step file per domain on distrib.scenario, on purpose: see the readme)
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.tools import float_round

# (exception type, team key, SLA hours, severity)
DEMO_RULES = [
    ("shortage", "sales", 24, "high"),
    ("order_hold", "sales", 8, "medium"),
    ("credit_hold", "finance", 8, "high"),
    ("pricing_margin", "sales", 24, "medium"),
    ("negative_margin", "finance", 24, "high"),
    ("receipt_variance", "procurement", 48, "medium"),
    ("cycle_count_variance", "warehouse", 48, "medium"),
    ("unmatched_bill", "finance", 72, "medium"),
    ("delayed_receipt", "procurement", 24, "high"),
    ("anomaly", "finance", 72, "low"),
]
DEMO_TEAMS = [
    ("sales", "Sales Desk"),
    ("warehouse", "Warehouse Control"),
    ("procurement", "Purchasing"),
    ("finance", "Finance Control"),
]


class DistribScenario(models.AbstractModel):
    _inherit = "distrib.scenario"

    @api.model
    def _scenario_steps(self):
        return [*super()._scenario_steps(), "exceptions"]

    def _scenario_exceptions(self, data):
        """Teams, rules, approval policies and control points for every company;
        open exceptions of every type, approvals pending and decided, through
        the real flows where one exists."""
        users = data["users"]
        data["exception_teams"] = self.env["distrib.exception.team"]
        data["approval_requests"] = self.env["distrib.approval.request"]
        for index, company in enumerate(data["companies"]):
            scenario = self.with_company(company)
            teams = scenario._scenario_exception_config(data, company)
            data["exception_teams"] |= self.env["distrib.exception.team"].concat(
                *teams.values()
            )
            scenario._scenario_exception_sales(data, company)
            scenario._scenario_exception_purchases(data, company, decide=index == 0)
            scenario._scenario_exception_counts(data, company)
            scenario._scenario_exception_bills(data, company)
            scenario._scenario_exception_discounts(data, company, users)
        self._scenario_exception_history(data)
        data["exceptions"] = self.env["distrib.exception"].search(
            [("company_id", "in", [c.id for c in data["companies"]])]
        )

    def _scenario_exception_config(self, data, company):
        users = data["users"]
        manager = users["manager"]
        teams = {}
        for key, name in DEMO_TEAMS:
            teams[key] = self.env["distrib.exception.team"].create(
                {
                    "name": name,
                    "company_id": company.id,
                    "leader_id": users[key].id,
                    "member_ids": [Command.set([users[key].id, manager.id])],
                }
            )
        type_labels = dict(
            self.env["distrib.exception.rule"]._fields["exception_type"].selection
        )
        self.env["distrib.exception.rule"].create(
            [
                {
                    "name": type_labels[exception_type],
                    "company_id": company.id,
                    "exception_type": exception_type,
                    "condition": "api",
                    "team_id": teams[team].id,
                    "owner_id": users[team].id,
                    "sla_hours": sla,
                    "severity": severity,
                    "blocking": exception_type in ("credit_hold", "receipt_variance"),
                    "escalation_user_id": manager.id,
                }
                for exception_type, team, sla, severity in DEMO_RULES
            ]
        )
        self.env["distrib.exception.rule"].create(
            {
                "name": "Quotations without answer for 30 days",
                "company_id": company.id,
                "exception_type": "anomaly",
                "condition": "domain",
                "model_id": self.env["ir.model"]._get_id("sale.order"),
                "domain": "[('state', 'in', ('draft', 'sent')), ('date_order', '<', "
                "(context_today() - datetime.timedelta(days=30)).strftime("
                "'%Y-%m-%d'))]",
                "team_id": teams["sales"].id,
                "sla_hours": 72,
                "severity": "low",
                "escalation_team_id": teams["sales"].id,
            }
        )
        finance_group = self.env.ref("distrib_atp.group_distrib_finance")
        amount = 1.0 if company.currency_id.name != "EUR" else 0.9
        Policy = self.env["distrib.approval.policy"]
        for metric, direction, threshold, level2 in (
            ("valuation_impact", "above", 500.0 * amount, 5000.0 * amount),
            ("cycle_count_variance", "above", 200.0 * amount, 2000.0 * amount),
            ("discount_percent", "above", 15.0, 30.0),
            ("margin_percent", "below", 10.0, 0.0),
            ("credit_over_limit", "above", 0.0, 10000.0 * amount),
            ("receipt_variance_percent", "above", 10.0, 25.0),
        ):
            Policy.create(
                {
                    "name": dict(Policy._fields["metric"].selection)[metric],
                    "company_id": company.id,
                    "metric": metric,
                    "direction": direction,
                    "threshold": threshold,
                    "approver_group_id": finance_group.id,
                    "use_level2": True,
                    "level2_threshold": level2,
                    "level2_user_id": data["users"]["manager"].id,
                }
            )
        company.write(
            {
                "distrib_receipt_variance_check": True,
                "distrib_receipt_variance_tolerance": 5.0,
                "distrib_three_way_match": True,
                "distrib_match_qty_tolerance": 0.0,
                "distrib_match_price_tolerance": 2.0,
                "distrib_cycle_count_approval": True,
                "distrib_delayed_receipt_check": True,
                "distrib_delayed_receipt_grace_days": 1,
            }
        )
        return teams

    def _scenario_exception_sales(self, data, company):
        """Sales-side exceptions (raised by higher addons in real life)."""
        Exception_ = self.env["distrib.exception"]
        stages = data.get("sale_order_stages", {})
        orders = data["sale_orders"].filtered(lambda o: o.company_id == company)
        waiting = stages.get("waiting", orders).filtered(
            lambda o: o.company_id == company
        )
        confirmed = orders.filtered(lambda o: o.state == "sale")
        if not confirmed:
            return
        currency = company.currency_id

        def pick(count):
            return (
                confirmed[:count]
                if len(confirmed) < count
                else confirmed.browse(
                    [o.id for o in data["rng"].sample(list(confirmed), count)]
                )
            )

        for order in waiting or confirmed[:1]:
            Exception_._raise_for(
                order,
                "shortage",
                summary=f"{order.name}: lines not available before the promise date",
                impact_amount=order.amount_untaxed,
            )
        for order in pick(2):
            Exception_._raise_for(
                order,
                "order_hold",
                summary=f"{order.name} held: delivery address to confirm",
            )
        for order in pick(1):
            Exception_._raise_for(
                order,
                "credit_hold",
                summary=f"{order.partner_id.name} over its credit limit",
                impact_amount=currency.round(order.amount_total * 0.4),
                root_cause=self.env.ref("distrib_orchestration.root_cause_customer"),
            )
        for order in pick(2):
            Exception_._raise_for(
                order,
                "pricing_margin",
                summary=f"{order.name}: margin below the segment target",
                impact_amount=currency.round(order.amount_untaxed * 0.05),
            )
        for order in pick(1):
            Exception_._raise_for(
                order,
                "negative_margin",
                summary=f"{order.name}: a line sells below cost",
                impact_amount=currency.round(order.amount_untaxed * 0.02),
                root_cause=self.env.ref("distrib_exceptions.root_cause_pricing"),
            )
        for order in pick(1):
            Exception_._raise_for(
                order,
                "anomaly",
                summary=f"{order.name}: quantity far above the customer's habit",
            )

    def _scenario_exception_purchases(self, data, company, decide):
        """Delayed receipts from the cron; a short receipt of a confirmed order,
        held for its valuation impact (approved in the first company)."""
        self.env["purchase.order"]._distrib_check_delayed_receipts(company)
        stages = data.get("purchase_order_stages", {})
        orders = stages.get("confirmed", data["purchase_orders"]).filtered(
            lambda o: o.company_id == company and o.state == "purchase"
        )
        pickings = orders.picking_ids.filtered(
            lambda p: (
                p.state == "assigned"
                and p.picking_type_code == "incoming"
                and all(product.tracking == "none" for product in p.move_ids.product_id)
            )
        )[:1]
        if not pickings:
            return
        for move in pickings.move_ids:
            move.quantity = float_round(
                move.product_uom_qty / 2, precision_rounding=move.product_uom.rounding
            )
        pickings.move_ids.picked = True
        result = pickings.with_context(skip_backorder=True).button_validate()
        if isinstance(result, dict) and result.get("res_model") == (
            "distrib.approval.request"
        ):
            request = self.env["distrib.approval.request"].browse(result["res_id"])
            data["approval_requests"] |= request
            if decide and request.max_level == 1:
                request.with_user(data["users"]["finance"]).action_approve(
                    "Supplier short-shipped; the rest comes in the backorder."
                )

    def _scenario_exception_counts(self, data, company):
        """Three counts with a large variance: approved, rejected, pending."""
        warehouse = data["warehouses"].filtered(lambda w: w.company_id == company)[:1]
        quants = self.env["stock.quant"].search(
            [
                ("location_id", "=", warehouse.lot_stock_id.id),
                ("quantity", ">", 20),
                ("lot_id", "=", False),
            ],
            order="id",
            limit=3,
        )
        requests = self.env["distrib.approval.request"]
        for quant in quants:
            # named as planted: the detectors' evaluation tells it from history
            quant = quant.with_context(
                inventory_mode=True, inventory_name="Count with a large variance (demo)"
            )
            quant.inventory_quantity = float_round(
                quant.quantity * 0.6, precision_rounding=quant.product_uom_id.rounding
            )
            result = quant.action_apply_inventory()
            if isinstance(result, dict) and result.get("res_id"):
                requests |= self.env["distrib.approval.request"].browse(
                    result["res_id"]
                )
        data["approval_requests"] |= requests
        # the last one stays pending; before it, one approved and one rejected
        finance = data["users"]["finance"]
        level1 = requests[:-1].filtered(lambda r: r.max_level == 1)
        if level1:
            level1[0].with_user(finance).action_approve("Breakage confirmed")
        if len(level1) > 1:
            level1[1].with_user(finance).action_reject(
                "Count the aisle again with a second person."
            )

    def _scenario_exception_bills(self, data, company):
        """A vendor bill priced above its order: the three-way match refuses it."""
        stages = data.get("purchase_order_stages", {})
        orders = stages.get("received", data["purchase_orders"]).filtered(
            lambda o: o.company_id == company and o.invoice_status == "to invoice"
        )[:1]
        if not orders:
            return
        action = orders.action_create_invoice()
        bill = self.env["account.move"].browse(action["res_id"])
        bill.invoice_date = data["today"]
        line = bill.invoice_line_ids.filtered("purchase_line_id")[:1]
        line.price_unit = float_round(line.price_unit * 1.08, precision_digits=2)
        bill.action_post()

    def _scenario_exception_discounts(self, data, company, users):
        """Discount approvals on quotations: approved (the order confirms),
        waiting for level 2, rejected."""
        quotations = data["sale_orders"].filtered(
            lambda o: o.company_id == company and o.state in ("draft", "sent")
        )
        Policy = self.env["distrib.approval.policy"]
        finance, manager = users["finance"], users["manager"]
        for position, order in enumerate(quotations[:3]):
            value = (22.0, 35.0, 18.0)[position]
            request = Policy._check_value(
                order, "discount_percent", value, resume_method="action_confirm"
            )
            if not request:
                continue
            data["approval_requests"] |= request
            if position == 0:
                request.with_user(finance).action_approve("Strategic customer")
            elif position == 1:
                request.with_user(finance).action_approve("Fine for finance")
            else:
                request.with_user(manager).action_reject(
                    "Discount only with a 12-month volume commitment."
                )

    def _scenario_exception_history(self, data):
        """Spread the exceptions in age, escalate the ones past their SLA and
        close some with a root cause, keeping one open of every type."""
        rng = data["rng"]
        Exception_ = self.env["distrib.exception"]
        exceptions = Exception_.search(
            [("company_id", "in", [c.id for c in data["companies"]])], order="id"
        )
        now = fields.Datetime.now()
        root_causes = self.env["distrib.exception.root.cause"].search([])
        kept_open = set()
        for exception in exceptions:
            age_hours = rng.choice([2, 10, 30, 60, 100, 200, 400])
            raised = now - timedelta(hours=age_hours)
            sla = exception.rule_id.sla_hours or 24
            vals = {
                "date_raised": raised,
                "sla_deadline": raised + timedelta(hours=sla),
            }
            if exception.state in ("new", "assigned") and rng.random() < 0.3:
                vals["state"] = "in_progress"
            causes = self._scenario_root_causes_for(root_causes, exception)
            if rng.random() < 0.5 and causes:
                vals["root_cause_id"] = rng.choice(causes).id
            # backdated history: dates and states are the workflow's fields
            exception.sudo().write(vals)
        Exception_._cron_escalate()
        for exception in exceptions:
            key = (exception.company_id.id, exception.exception_type)
            if exception.state not in ("resolved", "cancelled") and (
                key not in kept_open
            ):
                kept_open.add(key)
                continue
            if exception.state in ("resolved", "cancelled") or rng.random() > 0.3:
                continue
            causes = self._scenario_root_causes_for(root_causes, exception)
            exception.write(
                {
                    "root_cause_id": exception.root_cause_id.id
                    or (rng.choice(causes).id if causes else False),
                    "resolution_note": "Handled with the supplier and the customer.",
                }
            )
            exception.action_resolve()

    def _scenario_root_causes_for(self, root_causes, exception):
        """The root causes that explain ``exception``'s type: the ones meant for
        it, else the ones that fit every type ("Other")."""
        exception_type = exception.exception_type
        fitting = [cause for cause in root_causes if cause._fits(exception_type)]
        meant = [cause for cause in fitting if cause._get_exception_types()]
        return meant or fitting
