import math
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from odoo.addons.distrib_atp.rpc import distrib_rpc

from ..scoring.stockout import (
    KEEP_DAYS,
    explain_option,
    explain_stockout,
    score_stockout,
)

# days of deliveries the daily demand is measured on
DEMAND_DAYS = 60
PENDING = ("confirmed", "waiting", "partially_available", "assigned")
# days a person's decision on a risk holds before the pair is scored again
DECIDED_DAYS = 30


class DistribStockoutRisk(models.Model):
    """A product likely to run out in a warehouse before its next receipt,
    with the cheapest fix in words (a transfer from a warehouse with excess, a
    purchase, or new min/max on Odoo's reordering rule). Refreshed by cron;
    the fix is applied only by a person (``action_apply``), or dismissed with
    a reason; both are recorded."""

    _name = "distrib.stockout.risk"
    _description = "Stockout Risk"
    _inherit = ["mail.thread"]
    _order = "probability desc, id"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, readonly=True)
    warehouse_id = fields.Many2one(
        "stock.warehouse", required=True, readonly=True, check_company=True
    )
    product_id = fields.Many2one("product.product", required=True, readonly=True)
    probability = fields.Float(string="Stockout Risk (%)", readonly=True)
    days_of_cover = fields.Float(readonly=True)
    daily_demand = fields.Float(readonly=True)
    available_qty = fields.Float(string="Available", readonly=True)
    explanation = fields.Text(readonly=True)
    proposal = fields.Char(string="Proposed Fix", readonly=True)
    proposal_kind = fields.Selection(
        [
            ("transfer", "Transfer"),
            ("group", "Transfer From a Group Company"),
            ("purchase", "Purchase"),
            ("minmax", "Reordering Rule"),
        ],
        readonly=True,
    )
    proposal_qty = fields.Float(readonly=True)
    source_warehouse_id = fields.Many2one(
        "stock.warehouse", readonly=True, check_company=True
    )
    source_company_id = fields.Many2one(
        "res.company",
        string="Group Company",
        readonly=True,
        help="The group company asked for the stock (a transfer from a group "
        "company): only the quantity it can give is shown.",
    )
    supplier_id = fields.Many2one("res.partner", readonly=True)
    orderpoint_id = fields.Many2one("stock.warehouse.orderpoint", readonly=True)
    proposal_min = fields.Float(readonly=True)
    proposal_max = fields.Float(readonly=True)
    state = fields.Selection(
        [
            ("open", "Open"),
            ("applied", "Fix Applied"),
            ("dismissed", "Dismissed"),
            ("cleared", "No Longer at Risk"),
        ],
        default="open",
        readonly=True,
        tracking=True,
    )
    options = fields.Json(
        readonly=True,
        help="Every fix possible, cheapest first: kind, quantity, source and "
        "the fix in words.",
    )
    options_text = fields.Text(string="Other Fixes", compute="_compute_options_text")
    option_kinds = fields.Char(compute="_compute_options_text")
    decided_by_id = fields.Many2one("res.users", readonly=True)
    decision_date = fields.Datetime(readonly=True)
    decision_note = fields.Text(readonly=True)
    applied_reference = fields.Char(string="Document Created", readonly=True)

    _sql_constraints = [
        (
            "warehouse_product_uniq",
            "unique(warehouse_id, product_id)",
            "One stockout risk per warehouse and product.",
        )
    ]

    @api.depends("options")
    def _compute_options_text(self):
        for risk in self:
            risk.options_text = "\n".join(
                option["text"] for option in (risk.options or [])[1:]
            )
            risk.option_kinds = ",".join(o["kind"] for o in risk.options or [])

    # ------------------------------------------------------------------
    # cron and refresh
    # ------------------------------------------------------------------
    @api.model
    def _cron_refresh(self):
        for company in self.env["res.company"].search(
            [("distrib_ai_stockout_check", "=", True)]
        ):
            with self.env.cr.savepoint():
                self.sudo()._refresh(company)

    def _query(self, query):
        self.env.flush_all()
        self.env.cr.execute(query)
        return self.env.cr.fetchall()

    @api.model
    def _group_companies(self, company):
        """The other companies whose stock may cover ``company``'s shortages,
        and whether distrib_intercompany is installed.

        Only companies that share their availability (distrib_atp: their
        figures, never their documents) are read; with distrib_intercompany
        installed (detected in the registry: this addon does not depend on
        it), only those ``company`` has an allowed intercompany rule with."""
        others = (
            self.env["res.company"]
            .sudo()
            .search(
                [("id", "!=", company.id), ("distrib_share_availability", "=", True)]
            )
        )
        if "distrib.intercompany.rule" not in self.env or not others:
            return others, False
        rules = (
            self.env["distrib.intercompany.rule"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("supplier_company_id", "in", others.ids),
                    ("allowed", "=", True),
                ]
            )
        )
        return rules.supplier_company_id, True

    @api.model
    def _daily_demand(self, companies):
        """``{(product, warehouse): units a day}`` delivered from the
        warehouses of ``companies`` over the last ``DEMAND_DAYS``."""
        return {
            (product, warehouse): qty / DEMAND_DAYS
            for product, warehouse, qty in self._query(
                SQL(
                    """
                    SELECT sm.product_id, spt.warehouse_id, SUM(sm.product_qty)
                      FROM stock_move sm
                      JOIN stock_picking_type spt ON spt.id = sm.picking_type_id
                     WHERE sm.company_id = ANY(%s) AND sm.state = 'done'
                       AND spt.code = 'outgoing' AND spt.warehouse_id IS NOT NULL
                       AND sm.date >= %s
                  GROUP BY 1, 2
                    """,
                    companies.ids,
                    fields.Datetime.now() - timedelta(days=DEMAND_DAYS),
                )
            )
        }

    @api.model
    def _next_suppliers(self, company, products):
        """``{(product, warehouse): vendor}`` of the first pending purchase
        receipt: whose lateness the horizon adds."""
        return {
            (product, warehouse): supplier
            for product, warehouse, supplier in self._query(
                SQL(
                    """
                    SELECT sm.product_id, spt.warehouse_id,
                           (ARRAY_AGG(po.partner_id ORDER BY sm.date))[1]
                      FROM stock_move sm
                      JOIN stock_picking_type spt ON spt.id = sm.picking_type_id
                      JOIN purchase_order_line pol ON pol.id = sm.purchase_line_id
                      JOIN purchase_order po ON po.id = pol.order_id
                     WHERE sm.company_id = %s AND sm.state IN %s
                       AND spt.code = 'incoming' AND sm.product_id = ANY(%s)
                  GROUP BY 1, 2
                    """,
                    company.id,
                    PENDING,
                    products,
                )
            )
        }

    @api.model
    def _projection_figures(self, projection, horizon_of, today):
        """What the ATP projection says for one product in one warehouse:
        ``(available, committed, receipt_days, receipt_qty)``.

        ``available`` is the free stock less the demand already promised
        (confirmed deliveries not yet reserved) due by the end of the horizon,
        which ``horizon_of(receipt_days)`` gives; ``receipt_days`` is the
        number of days until the first scheduled receipt (None: nothing
        coming)."""
        receipts = sorted(
            day for day, quantities in projection.events.items() if quantities[0] > 0
        )
        receipt_days = (receipts[0] - today).days if receipts else None
        receipt_qty = projection.events[receipts[0]][0] if receipts else 0.0
        end = today + timedelta(days=math.ceil(horizon_of(receipt_days)))
        committed = projection.outgoing(end)
        return projection.free - committed, committed, receipt_days, receipt_qty

    @api.model
    def _stockout_rows(self, company):
        """Per (product, warehouse) of ``company`` with demand: the scorer's
        input rows, from one ATP projection of every pair scored (and of the
        group companies' warehouses that could give stock)."""
        group, intercompany = self._group_companies(company)
        demand = self._daily_demand(company | group)
        Warehouse = self.env["stock.warehouse"].sudo()
        warehouses = Warehouse.search([("company_id", "=", company.id)])
        group_warehouses = Warehouse.search([("company_id", "in", group.ids)])
        products = sorted(
            {product for product, warehouse in demand if warehouse in warehouses.ids}
        )
        if not products:
            return [], {}
        today = fields.Date.context_today(self.with_company(company))
        projections = self.env["distrib.atp"]._distrib_projections(
            products, (warehouses | group_warehouses).ids
        )
        next_suppliers = self._next_suppliers(company, products)
        Product = self.env["product.product"].with_company(company)
        sellers = {}
        for product in Product.browse(products):
            seller = product.seller_ids.filtered(
                lambda s: not s.company_id or s.company_id == company
            )[:1]
            sellers[product.id] = seller
        late_model = (
            self.env["distrib.ai.model"]
            .sudo()
            .search(
                [("company_id", "=", company.id), ("detector", "=", "late_risk")],
                limit=1,
            )
        )
        late_params = late_model.params or {}
        p80 = late_params.get("supplier_p80") or {}
        population = late_params.get("population_p80") or 0.0
        orderpoints = {
            (op.product_id.id, op.warehouse_id.id): op
            for op in self.env["stock.warehouse.orderpoint"]
            .sudo()
            .search([("company_id", "=", company.id), ("product_id", "in", products)])
        }
        choices = self.env["distrib.ai.choice"]._recent(company, "stockout")

        def spare(product, warehouse):
            """Units a warehouse can give without starving its own planned
            deliveries nor its next 30 days of demand."""
            return (
                projections[product, warehouse].promisable(today)
                - demand.get((product, warehouse), 0.0) * KEEP_DAYS
            )

        rows = []
        context = {}
        for product in products:
            seller = sellers[product]
            for warehouse in warehouses:
                rate = demand.get((product, warehouse.id))
                if not rate:
                    continue
                supplier = (
                    next_suppliers.get((product, warehouse.id))
                    or seller.partner_id.id
                    or None
                )
                late = p80.get(str(supplier), population) if supplier else 0.0
                lead = seller.delay if seller else 0.0

                def horizon_of(receipt_days, late=late, lead=lead):
                    if receipt_days is not None:
                        return max(max(receipt_days, 0.0) + late, 1.0)
                    return max(lead, 1.0) + late

                available, committed, receipt_days, receipt_qty = (
                    self._projection_figures(
                        projections[product, warehouse.id], horizon_of, today
                    )
                )
                excess, sources = [], {}
                for other in warehouses - warehouse:
                    units = spare(product, other.id)
                    if units > 0:
                        excess.append((other.display_name, units))
                        sources[other.display_name] = other.id
                offers, group_sources = [], {}
                for other in group_warehouses:
                    units = spare(product, other.id)
                    if units > 0:
                        # the group company's name and warehouse, and what it
                        # can give: the only figures of it the text shows
                        offers.append((other.company_id.name, other.name, units))
                        group_sources[other.name] = (other.id, other.company_id.id)
                orderpoint = orderpoints.get((product, warehouse.id))
                key = f"{product}/{warehouse.id}"
                history = choices.get(key, [])
                preferred = next(
                    (
                        option
                        for choice, option, _date in history
                        if choice in ("accept", "correct")
                    ),
                    None,
                )
                rows.append(
                    {
                        "key": key,
                        "available": available,
                        "committed": committed,
                        "rate": rate,
                        "receipt_days": receipt_days,
                        "receipt_qty": receipt_qty,
                        "lead": lead,
                        "late": late,
                        "excess": excess,
                        "group": offers,
                        "intercompany": intercompany,
                        "supplier": seller.partner_id.display_name if seller else None,
                        "orderpoint": (
                            orderpoint.product_min_qty,
                            orderpoint.product_max_qty,
                        )
                        if orderpoint
                        else None,
                        "dismissed": sum(
                            1 for choice, _o, _d in history if choice == "dismiss"
                        ),
                        "preferred": preferred,
                    }
                )
                context[key] = {
                    "product": product,
                    "warehouse": warehouse.id,
                    "supplier": seller.partner_id.id if seller else False,
                    "orderpoint": orderpoint.id if orderpoint else False,
                    "sources": sources,
                    "group_sources": group_sources,
                }
        return rows, context

    @api.model
    def _option_vals(self, option, info, translate):
        """One scored fix as stored on the risk (``options``)."""
        source = company = False
        if option["kind"] == "transfer":
            source = info["sources"].get(option["source"], False)
        elif option["kind"] == "group":
            source, company = info["group_sources"].get(option["source"], (0, 0))
        return {
            "kind": option["kind"],
            "qty": option["qty"],
            "min": option.get("min", 0.0),
            "max": option.get("max", 0.0),
            "source_warehouse_id": source or False,
            "source_company_id": company or False,
            "text": explain_option(option, translate),
        }

    @api.model
    def _refresh(self, company):
        """Recompute ``company``'s risks (superuser); returns the open ones.

        A risk a person decided (fix applied or dismissed) stays decided for
        ``DECIDED_DAYS``; then it is scored again, with what the decision
        taught (a dismissal raises the pair's threshold, the fix chosen is
        ranked first)."""
        rows, context = self._stockout_rows(company)
        by_key = {row["key"]: row for row in rows}
        found = score_stockout(
            rows, threshold=company.distrib_ai_stockout_threshold / 100.0
        )
        existing = {
            (risk.product_id.id, risk.warehouse_id.id): risk
            for risk in self.search([("company_id", "=", company.id)])
        }
        translate = self.env._
        decided_before = fields.Datetime.now() - timedelta(days=DECIDED_DAYS)
        result = self.browse()
        for item in found:
            info = context[item["key"]]
            row = by_key[item["key"]]
            reasons, proposal = explain_stockout(item, translate)
            options = [
                self._option_vals(option, info, translate) for option in item["options"]
            ]
            first = options[0]
            vals = {
                "probability": round(item["probability"] * 100.0, 1),
                "days_of_cover": item["cover"],
                "daily_demand": row["rate"],
                "available_qty": row["available"],
                "explanation": reasons,
                "proposal": proposal,
                "proposal_kind": first["kind"],
                "proposal_qty": first["qty"],
                "source_warehouse_id": first["source_warehouse_id"]
                if first["kind"] == "transfer"
                else False,
                "source_company_id": first["source_company_id"],
                "supplier_id": info["supplier"],
                "orderpoint_id": info["orderpoint"],
                "proposal_min": first["min"],
                "proposal_max": first["max"],
                "options": options,
            }
            risk = existing.pop((info["product"], info["warehouse"]), None)
            if risk:
                if risk.state in ("open", "cleared"):
                    risk.write(dict(vals, state="open"))
                    result |= risk
                elif risk.decision_date and risk.decision_date < decided_before:
                    risk.write(
                        dict(
                            vals,
                            state="open",
                            decided_by_id=False,
                            decision_date=False,
                            decision_note=False,
                            applied_reference=False,
                        )
                    )
                    result |= risk
                continue
            result |= self.create(
                dict(
                    vals,
                    company_id=company.id,
                    product_id=info["product"],
                    warehouse_id=info["warehouse"],
                )
            )
        cleared = self.browse([r.id for r in existing.values() if r.state == "open"])
        if cleared:
            cleared.write({"state": "cleared"})
            self.env["distrib.exception"]._resolve_for(
                cleared,
                "stockout_risk",
                note=self.env._("No longer at risk of running out."),
            )
        for risk in result:
            self.env["distrib.exception"]._raise_for(
                risk,
                "stockout_risk",
                severity="high" if risk.probability >= 80 else "medium",
                summary=self.env._(
                    "%(product)s in %(warehouse)s: %(pct)s%% stockout risk; %(fix)s",
                    product=risk.product_id.display_name,
                    warehouse=risk.warehouse_id.name,
                    pct=f"{risk.probability:.0f}",
                    fix=risk.proposal,
                )[:250],
                details=risk.explanation,
            )
        return result

    # ------------------------------------------------------------------
    # a person's choice
    # ------------------------------------------------------------------
    def _check_decider(self):
        if not (
            self.env.su
            or self.env.user.has_group("distrib_atp.group_distrib_procurement")
            or self.env.user.has_group("distrib_atp.group_distrib_warehouse")
        ):
            raise AccessError(
                self.env._(
                    "Only procurement or warehouse users can act on stockout risks."
                )
            )
        self.check_access("read")
        closed = self.filtered(lambda r: r.state != "open")
        if closed:
            raise UserError(
                self.env._(
                    "%(risks)s is no longer open.",
                    risks=", ".join(closed.mapped("display_name")),
                )
            )

    @distrib_rpc()
    def action_apply(self, kind=None):
        """Apply the proposed fix (a draft transfer or request for quotation,
        or the new min/max on the reordering rule), or, with ``kind``,
        another of the fixes listed in ``options``: a correction, which the
        next run learns from (that kind of fix is ranked first for the pair).
        Only documents of the risk's own company are created."""
        kind = kind or self.env.context.get("distrib_fix_kind")
        if kind is not None and (
            not isinstance(kind, str)
            or kind not in dict(self._fields["proposal_kind"].selection)
        ):
            raise UserError(
                self.env._(
                    "%(kind)s is not a kind of fix: use one of %(kinds)s.",
                    kind=repr(kind)[:40],
                    kinds=", ".join(dict(self._fields["proposal_kind"].selection)),
                )
            )
        self._check_decider()
        for risk in self:
            option = risk._chosen_option(kind)
            corrected = option["kind"] != risk.proposal_kind
            reference = getattr(risk.sudo(), f"_apply_{option['kind']}")(option)
            risk.sudo().write(
                {
                    "state": "applied",
                    "decided_by_id": self.env.user.id,
                    "decision_date": fields.Datetime.now(),
                    "applied_reference": reference,
                }
            )
            self.env["distrib.ai.choice"]._record(
                risk.company_id,
                "stockout",
                risk._choice_key(),
                "correct" if corrected else "accept",
                option=option["kind"],
                subject=risk.display_name,
                note=option["text"],
            )
            self.env["distrib.exception"].sudo()._resolve_for(
                risk,
                "stockout_risk",
                note=self.env._(
                    "%(user)s applied the fix: %(fix)s",
                    user=self.env.user.name,
                    fix=option["text"],
                ),
            )
        return True

    @distrib_rpc()
    def action_dismiss(self, reason=None):
        """Dismiss the risk with a reason. Learned from: the pair alerts again
        only above a raised threshold (each dismissal of the last 90 days
        halves the distance to 100%)."""
        if not isinstance(reason, str) or not reason.strip():
            raise UserError(self.env._("Give the reason for dismissing the risk."))
        self._check_decider()
        self.sudo().write(
            {
                "state": "dismissed",
                "decided_by_id": self.env.user.id,
                "decision_date": fields.Datetime.now(),
                "decision_note": reason.strip(),
            }
        )
        for risk in self:
            self.env["distrib.ai.choice"]._record(
                risk.company_id,
                "stockout",
                risk._choice_key(),
                "dismiss",
                option=risk.proposal_kind,
                subject=risk.display_name,
                note=reason.strip(),
            )
        self.env["distrib.exception"].sudo()._resolve_for(
            self, "stockout_risk", note=reason.strip()
        )
        return True

    def _choice_key(self):
        self.ensure_one()
        return f"{self.product_id.id}/{self.warehouse_id.id}"

    @api.depends("product_id", "warehouse_id")
    def _compute_display_name(self):
        for risk in self:
            risk.display_name = self.env._(
                "%(product)s in %(warehouse)s",
                product=risk.product_id.display_name,
                warehouse=risk.warehouse_id.name,
            )

    def _chosen_option(self, kind):
        """The stored option of ``kind`` (default: the proposal)."""
        self.ensure_one()
        options = self.options or []
        if kind is None:
            kind = self.proposal_kind
        option = next((o for o in options if o["kind"] == kind), None)
        if option is None and kind == self.proposal_kind:
            # a risk stored before the options were: its proposal
            option = {
                "kind": kind,
                "qty": self.proposal_qty,
                "min": self.proposal_min,
                "max": self.proposal_max,
                "source_warehouse_id": self.source_warehouse_id.id,
                "source_company_id": self.source_company_id.id,
                "text": self.proposal,
            }
        if option is None:
            raise UserError(
                self.env._(
                    "%(risk)s cannot be fixed by %(kind)s: the possible fixes are "
                    "%(kinds)s.",
                    risk=self.display_name,
                    kind=dict(self._fields["proposal_kind"].selection)[kind],
                    kinds=", ".join(o["kind"] for o in options),
                )
            )
        return option

    def _apply_transfer(self, option):
        source = self.env["stock.warehouse"].browse(option["source_warehouse_id"])
        if source.company_id != self.company_id:
            raise UserError(
                self.env._("A transfer between warehouses stays in one company.")
            )
        picking = (
            self.env["stock.picking"]
            .with_company(self.company_id)
            .create(
                {
                    "picking_type_id": source.int_type_id.id,
                    "location_id": source.lot_stock_id.id,
                    "location_dest_id": self.warehouse_id.lot_stock_id.id,
                    "origin": self.env._("Stockout risk"),
                    "move_ids": [
                        fields.Command.create(
                            {
                                "name": self.product_id.display_name,
                                "product_id": self.product_id.id,
                                "product_uom_qty": option["qty"],
                                "product_uom": self.product_id.uom_id.id,
                                "location_id": source.lot_stock_id.id,
                                "location_dest_id": self.warehouse_id.lot_stock_id.id,
                            }
                        )
                    ],
                }
            )
        )
        return picking.name

    def _apply_group(self, option):
        """A draft request for quotation of the risk's company to the group
        company, received in the risk's warehouse: what a buyer would create.
        Nothing is created in the group company: with distrib_intercompany,
        its rule prices the request; the group company confirms the sale."""
        group = self.env["res.company"].browse(option["source_company_id"])
        if not group or group == self.company_id:
            raise UserError(self.env._("Choose the group company to ask first."))
        line = {
            "product_id": self.product_id.id,
            "product_qty": option["qty"],
        }
        vals = {
            "partner_id": group.partner_id.id,
            "company_id": self.company_id.id,
            "picking_type_id": self.warehouse_id.in_type_id.id,
            "origin": self.env._("Stockout risk"),
        }
        rule = (
            self.env["distrib.intercompany.rule"]._distrib_get_rule(
                self.company_id, group, raise_if_missing=False
            )
            if "distrib.intercompany.rule" in self.env
            else None
        )
        if rule:
            price, currency = rule._distrib_unit_price(
                self.product_id,
                option["qty"],
                self.product_id.uom_id,
                fields.Date.context_today(self),
            )
            line["price_unit"] = price
            vals["currency_id"] = currency.id
        vals["order_line"] = [fields.Command.create(line)]
        order = self.env["purchase.order"].with_company(self.company_id).create(vals)
        if rule:
            order.order_line.price_unit = line["price_unit"]
        return order.name

    def _apply_purchase(self, option):
        if not self.supplier_id:
            raise UserError(
                self.env._(
                    "%(product)s has no supplier: add one on the product first.",
                    product=self.product_id.display_name,
                )
            )
        order = (
            self.env["purchase.order"]
            .with_company(self.company_id)
            .create(
                {
                    "partner_id": self.supplier_id.id,
                    "picking_type_id": self.warehouse_id.in_type_id.id,
                    "origin": self.env._("Stockout risk"),
                    "order_line": [
                        fields.Command.create(
                            {
                                "product_id": self.product_id.id,
                                "product_qty": option["qty"],
                            }
                        )
                    ],
                }
            )
        )
        return order.name

    def _apply_minmax(self, option):
        if not self.orderpoint_id:
            raise UserError(
                self.env._(
                    "%(risk)s has no reordering rule to change.",
                    risk=self.display_name,
                )
            )
        self.orderpoint_id.write(
            {
                "product_min_qty": option["min"],
                "product_max_qty": option["max"],
            }
        )
        return self.orderpoint_id.display_name
