# pylint: disable=consider-merging-classes-inherited
# (one step file per domain on distrib.scenario, on purpose: see the readme)
from datetime import timedelta

from odoo import Command, api, models
from odoo.tools import SQL


class DistribScenario(models.AbstractModel):
    _inherit = "distrib.scenario"

    @api.model
    def _scenario_steps(self):
        steps = super()._scenario_steps()
        # switch the event states on before any order exists, so that every demo
        # order gets its timeline from its real documents
        position = steps.index("companies") + 1 if "companies" in steps else 0
        steps.insert(position, "orchestration_optin")
        steps.append("orchestration")
        return steps

    def _scenario_orchestration_optin(self, data):
        companies = self.env["res.company"].concat(*data["companies"])
        companies.write({"distrib_orchestration_enabled": True})

    def _scenario_orchestration(self, data):
        """Orders in every event state: picked, on hold, disputed, cancelled,
        returns at each step, invoice on shipment; timelines at business dates."""
        companies = self.env["res.company"].concat(*data["companies"])
        data["warehouses"].action_distrib_create_status_locations()
        stages = data.get("sale_order_stages", {})
        orchestration = data.setdefault("orchestration", {})
        # picked: reserved deliveries whose goods are marked picked
        ready = stages.get("ready", self.env["sale.order"])
        for order in ready[:3]:
            order.picking_ids.filtered(lambda p: p.state == "assigned").move_ids.write(
                {"picked": True}
            )
        orchestration["picked"] = ready[:3]
        # on hold: quotations a check stopped (the checks themselves are a hook)
        drafts = stages.get("draft", self.env["sale.order"])
        hold = drafts[:2]
        for order in hold:
            order._distrib_put_on_hold(
                self.env._("Credit exposure over the customer's limit (demo)")
            )
        orchestration["on_hold"] = hold
        # cancelled: a quotation the customer withdrew
        cancelled = drafts[2:3]
        cancelled._action_cancel()
        orchestration["cancelled"] = cancelled
        # disputed: an invoiced order whose invoice the customer contests
        invoiced = stages.get("invoiced", self.env["sale.order"])
        disputes = self.env["distrib.order.dispute"]
        finance = data.get("users", {}).get("finance")
        for order in invoiced[:2]:
            invoice = order.invoice_ids.filtered(
                lambda m: m.state == "posted" and m.move_type == "out_invoice"
            )[:1]
            if invoice:
                disputes |= disputes.create(
                    {
                        "invoice_id": invoice.id,
                        "reason": self.env._(
                            "The customer says two cartons arrived crushed."
                        ),
                        "owner_id": finance.id if finance else False,
                        "amount_disputed": invoice.amount_untaxed / 10.0,
                    }
                )
        orchestration["disputes"] = disputes
        # returns at each step, on shipped and invoiced orders of the history
        orchestration["returns"] = self._scenario_orchestration_returns(data)
        # invoice on shipment: the first company ships and invoices in one go
        companies[:1].write({"distrib_invoice_on_shipment": True})
        partial = stages.get("partial", self.env["sale.order"]).filtered(
            lambda o: o.company_id == companies[:1]
        )
        for order in partial[:1]:
            backorders = order.picking_ids.filtered(
                lambda p: (
                    p.state == "assigned" and p.location_dest_id.usage == "customer"
                )
            )
            ready_pickings = self._scenario_pick_reserved(backorders)
            self._scenario_validate(
                ready_pickings.with_company(order.company_id), data["today"]
            )
        orchestration["invoiced_on_shipment"] = partial[:1]
        self._scenario_orchestration_event_dates(data)

    def _scenario_orchestration_returns(self, data):
        reasons = self.env["distrib.return.reason"].search([])
        delivered = data.get("history", {}).get("deliveries")
        orders = (
            delivered.filtered(lambda p: p.state == "done").sale_id
            if delivered
            else self.env["sale.order"]
        )
        orders = orders.filtered(
            lambda o: o.distrib_state in ("invoiced", "collected")
        ).sorted("id", reverse=True)
        returns = self.env["distrib.return.authorization"]
        steps = ["authorized", "received", "disposed", "credited", "credited"]
        for index, (order, step) in enumerate(zip(orders, steps, strict=False)):
            line = order.order_line.filtered(
                lambda sol: (
                    sol.product_id.type == "consu"
                    and sol.product_id.tracking == "none"
                    and sol.qty_delivered >= 1
                )
            )[:1]
            if not line or not reasons:
                continue
            reason = reasons[index % len(reasons)]
            rma = returns.create(
                {
                    "order_id": order.id,
                    "reason_id": reason.id,
                    "note": self.env._("Customer call logged by the sales desk."),
                    "line_ids": [
                        Command.create({"sale_line_id": line.id, "quantity": 1.0})
                    ],
                }
            )
            rma.action_authorize()
            if step != "authorized":
                receipts = rma.picking_ids
                for move in receipts.move_ids:
                    move.quantity = move.product_uom_qty
                receipts.move_ids.picked = True
                self._scenario_validate(
                    receipts.with_company(order.company_id), data["today"]
                )
            if step in ("disposed", "credited"):
                rma.action_apply_disposition()
            if step == "credited":
                rma.action_create_credit_note()
            returns |= rma
        return returns

    def _scenario_orchestration_event_dates(self, data):
        """Date the events of the history at the business date of their source
        (the build runs today; the orders span months). Demo data only: the
        events are immutable through the ORM."""
        self.env.flush_all()
        started = data["started_at"]
        self.env.cr.execute(
            SQL(
                """
                UPDATE distrib_order_event AS event
                   SET date = COALESCE(
                       CASE WHEN event.res_model = 'stock.picking' THEN (
                           SELECT picking.date_done FROM stock_picking AS picking
                            WHERE picking.id = event.res_id)
                       END,
                       CASE WHEN event.res_model = 'account.move'
                             AND event.to_state = 'collected' THEN (
                           SELECT MAX(partial.max_date) + INTERVAL '15 hours'
                             FROM account_partial_reconcile AS partial
                             JOIN account_move_line AS line
                               ON line.id IN (partial.debit_move_id,
                                              partial.credit_move_id)
                            WHERE line.move_id = event.res_id)
                       END,
                       CASE WHEN event.res_model = 'account.move' THEN (
                           SELECT move.invoice_date + INTERVAL '15 hours'
                             FROM account_move AS move
                            WHERE move.id = event.res_id)
                       END,
                       sale.date_order
                   )
                  FROM sale_order AS sale
                 WHERE sale.id = event.order_id
                   AND event.date >= %s
                   AND sale.date_order < %s
                """,
                started,
                started - timedelta(days=1),
            )
        )
        self.env["distrib.order.event"].invalidate_model(["date"])
        # the history was rewritten on purpose: seal the chains again
        self.env["distrib.order.event"]._distrib_rebuild_chains()
