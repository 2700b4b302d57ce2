from collections import defaultdict

from odoo import Command, fields, models

from odoo.addons.distrib_atp.rpc import distrib_rpc

from .distrib_landed_cost_term import SPLIT_METHODS


class StockPicking(models.Model):
    _inherit = "stock.picking"

    distrib_landed_cost_ids = fields.Many2many(
        "stock.landed.cost",
        compute="_compute_distrib_landed_cost_ids",
        string="Landed Costs",
    )
    distrib_landed_cost_count = fields.Integer(
        compute="_compute_distrib_landed_cost_ids"
    )

    def _compute_distrib_landed_cost_ids(self):
        costs = self.env["stock.landed.cost"].search(
            [("picking_ids", "in", self.ids), ("state", "!=", "cancel")]
        )
        for picking in self:
            picking.distrib_landed_cost_ids = costs.filtered(
                lambda c, p=picking: p in c.picking_ids
            )
            picking.distrib_landed_cost_count = len(picking.distrib_landed_cost_ids)

    def _action_done(self):
        res = super()._action_done()
        self._distrib_book_expected_landed_costs()
        return res

    def _distrib_expected_cost_receipts(self):
        """The done vendor receipts of opted-in companies that have no expected
        landed cost yet (extension point)."""
        receipts = self.filtered(
            lambda p: (
                p.state == "done"
                and p.picking_type_code == "incoming"
                and p.location_id.usage == "supplier"
                and p.company_id.distrib_close_enabled
            )
        )
        if not receipts:
            return receipts
        booked = (
            self.env["stock.landed.cost"]
            .sudo()
            .search(
                [
                    ("picking_ids", "in", receipts.ids),
                    ("distrib_kind", "=", "expected"),
                ]
            )
            .picking_ids
        )
        return receipts - booked

    def _distrib_prepare_expected_costs(self):
        """``[landed cost vals]`` of the expected costs of this receipt: one cost
        line per matching term (over the moves it matched); the expedited terms
        in a landed cost of their own."""
        self.ensure_one()
        company = self.company_id
        moves = self.move_ids.filtered(
            lambda m: (
                m.state == "done"
                and m.quantity
                and m.product_id.with_company(company).cost_method
                in ("fifo", "average")
            )
        )
        partner = self.partner_id or self.purchase_id.partner_id
        if not moves or not partner:
            return []
        Term = self.env["distrib.landed.cost.term"]
        by_term = defaultdict(lambda: {"amount": 0.0, "moves": []})
        for move, terms in Term._terms_for_moves(company, partner, moves).items():
            for term in terms.values():
                amount = term._amount_for_move(move)
                if company.currency_id.is_zero(amount):
                    continue
                by_term[term]["amount"] += amount
                by_term[term]["moves"].append(move.id)
        by_expedite = defaultdict(list)
        for term, data in by_term.items():
            accounts = term.product_id.product_tmpl_id.with_company(
                company
            ).get_product_accounts()
            by_expedite[term.expedite].append(
                Command.create(
                    {
                        "product_id": term.product_id.id,
                        "name": term.name,
                        "price_unit": company.currency_id.round(data["amount"]),
                        "split_method": SPLIT_METHODS[term.basis],
                        "account_id": accounts["stock_input"].id,
                        "distrib_term_id": term.id,
                        "distrib_move_ids": [Command.set(data["moves"])],
                    }
                )
            )
        # the accounting date of the receipt's own valuation (Odoo's
        # force_period_date, e.g. a receipt entered late), else today
        date = fields.Date.to_date(
            self.env.context.get("force_period_date")
        ) or fields.Date.context_today(self)
        return [
            {
                "company_id": company.id,
                "date": date,
                "picking_ids": [Command.set(self.ids)],
                "distrib_kind": "expected",
                "distrib_expedite": expedite,
                "description": self.env._(
                    "Expected landed costs of %(receipt)s", receipt=self.name
                ),
                "cost_lines": lines,
            }
            for expedite, lines in by_expedite.items()
        ]

    def _distrib_book_expected_landed_costs(self):
        """Create and validate the expected landed costs of the validated
        receipts, so that their valuation (and the cost of what ships from them)
        includes freight, duty, insurance and handling from day one."""
        Cost = self.env["stock.landed.cost"].sudo()
        costs = Cost
        for receipt in self._distrib_expected_cost_receipts():
            vals_list = receipt._distrib_prepare_expected_costs()
            if vals_list:
                costs |= Cost.with_company(receipt.company_id).create(vals_list)
        for cost in costs:
            cost.with_company(cost.company_id).button_validate()
        return costs

    @distrib_rpc(singleton=True)
    def action_distrib_view_landed_costs(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "stock_landed_costs.action_stock_landed_cost"
        )
        action["domain"] = [("id", "in", self.distrib_landed_cost_ids.ids)]
        action["context"] = {"create": False}
        return action
