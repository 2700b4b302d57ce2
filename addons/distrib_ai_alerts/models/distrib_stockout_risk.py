from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from odoo.addons.distrib_atp.rpc import distrib_rpc

from ..scoring.stockout import KEEP_DAYS, explain_stockout, score_stockout

# days of deliveries the daily demand is measured on
DEMAND_DAYS = 60
PENDING = ("confirmed", "waiting", "partially_available", "assigned")


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
            ("purchase", "Purchase"),
            ("minmax", "Reordering Rule"),
        ],
        readonly=True,
    )
    proposal_qty = fields.Float(readonly=True)
    source_warehouse_id = fields.Many2one(
        "stock.warehouse", readonly=True, check_company=True
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
    def _stockout_rows(self, company):
        """Per (product, warehouse) with demand: the scorer's input rows."""
        now = fields.Datetime.now()
        demand = {
            (product, warehouse): qty / DEMAND_DAYS
            for product, warehouse, qty in self._query(
                SQL(
                    """
                    SELECT sm.product_id, spt.warehouse_id, SUM(sm.product_qty)
                      FROM stock_move sm
                      JOIN stock_picking_type spt ON spt.id = sm.picking_type_id
                     WHERE sm.company_id = %s AND sm.state = 'done'
                       AND spt.code = 'outgoing' AND spt.warehouse_id IS NOT NULL
                       AND sm.date >= %s
                  GROUP BY 1, 2
                    """,
                    company.id,
                    now - timedelta(days=DEMAND_DAYS),
                )
            )
        }
        if not demand:
            return [], {}
        products = list({product for product, _wh in demand})
        available = {
            (product, warehouse): qty
            for product, warehouse, qty in self._query(
                SQL(
                    """
                    SELECT q.product_id, loc.warehouse_id,
                           SUM(q.quantity - q.reserved_quantity)
                      FROM stock_quant q
                      JOIN stock_location loc ON loc.id = q.location_id
                     WHERE q.company_id = %s AND loc.usage = 'internal'
                       AND loc.warehouse_id IS NOT NULL AND q.product_id IN %s
                  GROUP BY 1, 2
                    """,
                    company.id,
                    tuple(products),
                )
            )
        }
        # what pending deliveries still need beyond what they reserved
        for product, warehouse, qty in self._query(
            SQL(
                """
                SELECT sm.product_id, spt.warehouse_id,
                       SUM(GREATEST(sm.product_qty - sm.quantity, 0))
                  FROM stock_move sm
                  JOIN stock_picking_type spt ON spt.id = sm.picking_type_id
                 WHERE sm.company_id = %s AND sm.state IN %s
                   AND spt.code = 'outgoing' AND sm.product_id IN %s
              GROUP BY 1, 2
                """,
                company.id,
                PENDING,
                tuple(products),
            )
        ):
            key = (product, warehouse)
            available[key] = available.get(key, 0.0) - qty
        incoming = {
            (product, warehouse): (date, qty, supplier)
            for product, warehouse, date, qty, supplier in self._query(
                SQL(
                    """
                    SELECT sm.product_id, spt.warehouse_id, MIN(sm.date),
                           SUM(sm.product_qty),
                           (ARRAY_AGG(po.partner_id ORDER BY sm.date))[1]
                      FROM stock_move sm
                      JOIN stock_picking_type spt ON spt.id = sm.picking_type_id
                 LEFT JOIN purchase_order_line pol ON pol.id = sm.purchase_line_id
                 LEFT JOIN purchase_order po ON po.id = pol.order_id
                     WHERE sm.company_id = %s AND sm.state IN %s
                       AND spt.code = 'incoming' AND sm.product_id IN %s
                  GROUP BY 1, 2
                    """,
                    company.id,
                    PENDING,
                    tuple(products),
                )
            )
        }
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
        warehouses = self.env["stock.warehouse"].search(
            [("company_id", "=", company.id)]
        )
        names = {wh.id: wh.display_name for wh in warehouses}
        rows = []
        context = {}
        for (product, warehouse), rate in demand.items():
            seller = sellers.get(product)
            coming = incoming.get((product, warehouse))
            supplier = (coming and coming[2]) or seller.partner_id.id or None
            excess = []
            for other in warehouses.ids:
                if other == warehouse:
                    continue
                spare = (
                    available.get((product, other), 0.0)
                    - demand.get((product, other), 0.0) * KEEP_DAYS
                )
                if spare > 0:
                    excess.append((names[other], spare))
            orderpoint = orderpoints.get((product, warehouse))
            key = f"{product}/{warehouse}"
            rows.append(
                {
                    "key": key,
                    "available": available.get((product, warehouse), 0.0),
                    "rate": rate,
                    "receipt_days": (coming[0] - now).total_seconds() / 86400.0
                    if coming
                    else None,
                    "receipt_qty": coming[1] if coming else 0.0,
                    "lead": seller.delay if seller else 0.0,
                    "late": p80.get(str(supplier), population) if supplier else 0.0,
                    "excess": excess,
                    "supplier": seller.partner_id.display_name if seller else None,
                    "orderpoint": (
                        orderpoint.product_min_qty,
                        orderpoint.product_max_qty,
                    )
                    if orderpoint
                    else None,
                }
            )
            context[key] = {
                "product": product,
                "warehouse": warehouse,
                "supplier": seller.partner_id.id if seller else False,
                "orderpoint": orderpoint.id if orderpoint else False,
                "names": {name: wh for wh, name in names.items()},
            }
        return rows, context

    @api.model
    def _refresh(self, company):
        """Recompute ``company``'s risks (superuser); returns the open ones."""
        rows, context = self._stockout_rows(company)
        found = score_stockout(
            rows, threshold=company.distrib_ai_stockout_threshold / 100.0
        )
        existing = {
            (risk.product_id.id, risk.warehouse_id.id): risk
            for risk in self.search([("company_id", "=", company.id)])
        }
        translate = self.env._
        result = self.browse()
        for item in found:
            info = context[item["key"]]
            reasons, proposal = explain_stockout(item, translate)
            kind = item["proposal"]["kind"]
            vals = {
                "probability": round(item["probability"] * 100.0, 1),
                "days_of_cover": item["cover"],
                "daily_demand": next(
                    r["rate"] for r in rows if r["key"] == item["key"]
                ),
                "available_qty": next(
                    r["available"] for r in rows if r["key"] == item["key"]
                ),
                "explanation": reasons,
                "proposal": proposal,
                "proposal_kind": kind,
                "proposal_qty": item["proposal"]["qty"],
                "source_warehouse_id": info["names"].get(item["proposal"].get("source"))
                or False,
                "supplier_id": info["supplier"],
                "orderpoint_id": info["orderpoint"],
                "proposal_min": item["proposal"].get("min", 0.0),
                "proposal_max": item["proposal"].get("max", 0.0),
            }
            risk = existing.pop((info["product"], info["warehouse"]), None)
            if risk:
                if risk.state in ("open", "cleared"):
                    risk.write(dict(vals, state="open"))
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
    def action_apply(self):
        """Apply the proposed fix: a draft transfer or request for quotation,
        or the new min/max on the reordering rule."""
        self._check_decider()
        for risk in self:
            reference = getattr(risk.sudo(), f"_apply_{risk.proposal_kind}")()
            risk.sudo().write(
                {
                    "state": "applied",
                    "decided_by_id": self.env.user.id,
                    "decision_date": fields.Datetime.now(),
                    "applied_reference": reference,
                }
            )
            self.env["distrib.exception"].sudo()._resolve_for(
                risk,
                "stockout_risk",
                note=self.env._(
                    "%(user)s applied the fix: %(fix)s",
                    user=self.env.user.name,
                    fix=risk.proposal,
                ),
            )
        return True

    @distrib_rpc()
    def action_dismiss(self, reason=None):
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
        self.env["distrib.exception"].sudo()._resolve_for(
            self, "stockout_risk", note=reason.strip()
        )
        return True

    def _apply_transfer(self):
        source = self.source_warehouse_id
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
                                "product_uom_qty": self.proposal_qty,
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

    def _apply_purchase(self):
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
                                "product_qty": self.proposal_qty,
                            }
                        )
                    ],
                }
            )
        )
        return order.name

    def _apply_minmax(self):
        self.orderpoint_id.write(
            {
                "product_min_qty": self.proposal_min,
                "product_max_qty": self.proposal_max,
            }
        )
        return self.orderpoint_id.display_name
