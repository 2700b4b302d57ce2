# pylint: disable=consider-merging-classes-inherited
# (one step file per domain on distrib.scenario, on purpose: see the readme)
import logging

from odoo import Command, api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

AI_SETTINGS = {
    "distrib_ai_price_check": True,
    "distrib_ai_inventory_check": True,
    "distrib_ai_transfer_check": True,
    "distrib_ai_late_risk_check": True,
    "distrib_ai_collections_check": True,
    "distrib_ai_stockout_check": True,
}


class DistribScenario(models.AbstractModel):
    _inherit = "distrib.scenario"

    @api.model
    def _scenario_steps(self):
        return [*super()._scenario_steps(), "ai_alerts"]

    def _scenario_ai_alerts(self, data):
        """Enable the detectors of every company, train them on the history,
        plant an underpriced invoice, an outsized inventory adjustment and an
        outsized transfer in each company, and score: the planted cases show as
        explained alerts in the exception queue (with the late-order risks of
        the open orders); then the collections work list and the stockout
        risks, as the morning crons would leave them."""
        Model = self.env["distrib.ai.model"]
        data["ai_planted"] = {}
        alerts = self.env["distrib.ai.alert"]
        for company in data["companies"]:
            company.write(AI_SETTINGS)
            scenario = self.with_company(company)
            models_ = {
                detector: Model._get_model(company, detector)
                for detector in company._distrib_ai_enabled_detectors()
            }
            for model in models_.values():
                model._train()
            planted = {
                "price": scenario._scenario_ai_plant_price(data, company),
                "inventory": scenario._scenario_ai_plant_inventory(data, company),
                "transfer": scenario._scenario_ai_plant_transfer(data, company),
            }
            data["ai_planted"][company.id] = planted
            for model in models_.values():
                alerts |= model._score()
            scenario._scenario_ai_work_lists(data, company)
        data["ai_alerts"] = alerts

    def _scenario_ai_work_lists(self, data, company):
        """What the morning crons would leave: the collections work list (its
        top cases with an activity for the finance user) and the stockout risks
        with their proposed fixes."""
        finance = data.get("users", {}).get("finance")
        if finance:
            company.distrib_ai_collector_id = finance
        rows = self.env["distrib.collection.priority"].sudo()._refresh(company)
        rows._schedule_activities()
        risks = self.env["distrib.stockout.risk"].sudo()._refresh(company)
        data.setdefault("ai_work_lists", {})[company.id] = (rows, risks)

    def _scenario_ai_plant_price(self, data, company):
        """An invoice of the customer's most invoiced product at 45% under its
        usual price. Returns the invoice line, or None without history."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT am.partner_id, aml.product_id,
                       PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY aml.price_unit)
                  FROM account_move_line aml
                  JOIN account_move am ON am.id = aml.move_id
                 WHERE aml.company_id = %s AND am.move_type = 'out_invoice'
                   AND am.state = 'posted' AND aml.display_type = 'product'
                   AND aml.price_unit > 0
              GROUP BY am.partner_id, aml.product_id
              ORDER BY COUNT(*) DESC, am.partner_id, aml.product_id
                 LIMIT 1
                """,
                company.id,
            )
        )
        row = self.env.cr.fetchone()
        if not row:
            _logger.info("distrib scenario: no invoice history in %s", company.name)
            return None
        partner_id, product_id, price = row
        invoice = (
            self.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner_id,
                    "company_id": company.id,
                    "invoice_date": data["today"],
                    # the mark eval_ai_alerts.py knows the planted cases by
                    "ref": "Underpriced invoice (demo)",
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": product_id,
                                "quantity": 40,
                                "price_unit": round(price * 0.55, 2),
                            }
                        )
                    ],
                }
            )
        )
        invoice.action_post()
        return invoice.invoice_line_ids[:1]

    def _scenario_ai_plant_inventory(self, data, company):
        """A count of the most counted product 600 units over its quantity.

        Its variance crosses the company's count-approval threshold
        (distrib_exceptions): the count waits for approval and moves no stock
        until it is approved. The scenario's approvers approve it, as a finance
        team would after a recount, so the adjustment posts and the detector
        scores it. Returns the adjustment move, or None."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT sm.product_id, sm.location_dest_id
                  FROM stock_move sm
                  JOIN stock_location dest ON dest.id = sm.location_dest_id
                  JOIN product_product pp ON pp.id = sm.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE sm.company_id = %s AND sm.is_inventory AND sm.state = 'done'
                   AND dest.usage = 'internal' AND pt.tracking = 'none'
              GROUP BY sm.product_id, sm.location_dest_id
              ORDER BY COUNT(*) DESC, sm.product_id, sm.location_dest_id
                 LIMIT 10
                """,
                company.id,
            )
        )
        rows = self.env.cr.fetchall()
        warehouses = data["warehouses"].filtered(lambda w: w.company_id == company)
        if not rows and warehouses:
            product = data["products"].filtered(
                lambda p: p.is_storable and p.tracking == "none"
            )[:1]
            rows = [(product.id, warehouses[0].lot_stock_id.id)] if product else []
        Request = self.env["distrib.approval.request"]
        Quant = self.env["stock.quant"].with_company(company)
        for product_id, location_id in rows:
            product = self.env["product.product"].browse(product_id)
            location = self.env["stock.location"].browse(location_id)
            # a count another step left waiting for approval is not recounted
            waiting = Quant._gather(product, location, strict=True).filtered(
                "distrib_count_approval"
            )
            if not waiting:
                break
        else:
            return None
        last_move = self._scenario_ai_last_move_id()
        quant = Quant.with_context(inventory_mode=True).create(
            {
                "product_id": product.id,
                "location_id": location.id,
                "inventory_quantity": product.with_context(
                    location=location.id
                ).qty_available
                + 600,
            }
        )
        quant.with_context(
            inventory_name="Outsized count (demo)"
        ).action_apply_inventory()
        requests = Request.search(
            [
                ("res_model", "=", "stock.quant"),
                ("res_id", "=", quant.id),
                ("state", "=", "pending"),
            ]
        )
        self._scenario_ai_approve(
            data, requests, "Recounted twice: the count is right."
        )
        return self.env["stock.move"].search(
            [
                ("id", ">", last_move),
                ("company_id", "=", company.id),
                ("is_inventory", "=", True),
                ("product_id", "=", product.id),
                ("state", "=", "done"),
            ],
            order="id desc",
            limit=1,
        )

    def _scenario_ai_last_move_id(self):
        self.env.flush_all()
        self.env.cr.execute(SQL("SELECT COALESCE(MAX(id), 0) FROM stock_move"))
        return self.env.cr.fetchone()[0]

    def _scenario_ai_approve(self, data, requests, comment):
        """Approve ``requests`` level by level, each level by one of the
        scenario's users allowed to decide it."""
        users = list((data.get("users") or {}).values())
        for request in requests:
            while request.state == "pending":
                approver = next(
                    (u for u in users if not request._get_decide_error(u)), None
                )
                if not approver:
                    _logger.info(
                        "distrib scenario: nobody can approve %s", request.name
                    )
                    break
                request.with_user(approver).action_approve(comment)

    def _scenario_ai_plant_transfer(self, data, company):
        """A transfer between the company's two warehouses of 25 times the
        largest earlier transfer of its most transferred product."""
        warehouses = data["warehouses"].filtered(lambda w: w.company_id == company)
        if len(warehouses) < 2:
            return None
        source, destination = warehouses[0], warehouses[1]
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT sm.product_id, MAX(sm.product_qty)
                  FROM stock_move sm
                  JOIN stock_location src ON src.id = sm.location_id
                  JOIN stock_location dest ON dest.id = sm.location_dest_id
                  JOIN product_product pp ON pp.id = sm.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE sm.company_id = %s AND sm.state = 'done'
                   AND pt.tracking = 'none'
                   AND src.warehouse_id IS DISTINCT FROM dest.warehouse_id
                   AND src.usage = 'internal' AND dest.usage = 'internal'
              GROUP BY sm.product_id
              ORDER BY COUNT(*) DESC, sm.product_id
                 LIMIT 1
                """,
                company.id,
            )
        )
        row = self.env.cr.fetchone()
        if not row:
            return None
        product = self.env["product.product"].browse(row[0])
        qty = max(row[1], 1.0) * 25
        # the stock it moves comes in on a receipt (done moves match the quants)
        supplier = self.env.ref("stock.stock_location_suppliers")
        self._scenario_ai_done_picking(
            source.in_type_id,
            supplier,
            source.lot_stock_id,
            product,
            qty,
            "Stock for the unusual transfer (demo)",
        )
        picking = self._scenario_ai_done_picking(
            source.int_type_id,
            source.lot_stock_id,
            destination.lot_stock_id,
            product,
            qty,
            "Unusual transfer (demo)",
        )
        return picking.move_ids

    def _scenario_ai_done_picking(
        self, picking_type, source, destination, product, qty, origin
    ):
        """A picking of ``qty`` of ``product``, validated today."""
        company = picking_type.company_id
        picking = (
            self.env["stock.picking"]
            .with_company(company)
            .create(
                {
                    "picking_type_id": picking_type.id,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                    "company_id": company.id,
                    "origin": origin,
                    "move_ids": [
                        Command.create(
                            {
                                "name": product.display_name,
                                "product_id": product.id,
                                "product_uom_qty": qty,
                                "product_uom": product.uom_id.id,
                                "location_id": source.id,
                                "location_dest_id": destination.id,
                                "company_id": company.id,
                            }
                        )
                    ],
                }
            )
        )
        picking.action_confirm()
        picking.action_assign()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        self._scenario_validate(picking, fields.Date.context_today(self))
        return picking
