from collections import defaultdict

from odoo import Command, api, models
from odoo.exceptions import UserError
from odoo.tools import float_round

from odoo.addons.distrib_atp.rpc import distrib_rpc

METRIC = "landed_cost_variance"


class AccountMove(models.Model):
    _inherit = "account.move"

    # ------------------------------------------------------------------
    # Odoo's manual landed costs from a bill: the lines tied to a receipt are
    # trued up when the bill posts, never allocated a second time by hand
    # ------------------------------------------------------------------
    @api.depends(
        "line_ids", "line_ids.is_landed_costs_line", "line_ids.distrib_lc_picking_id"
    )
    def _compute_landed_costs_visible(self):
        res = super()._compute_landed_costs_visible()
        for move in self.filtered("landed_costs_visible"):
            if move.company_id.distrib_close_enabled:
                move.landed_costs_visible = any(
                    line.is_landed_costs_line and not line.distrib_lc_picking_id
                    for line in move.line_ids
                )
        return res

    def button_create_landed_costs(self):
        tied = self.line_ids.filtered(
            lambda line: line.is_landed_costs_line and line.distrib_lc_picking_id
        )
        if tied and self.company_id.distrib_close_enabled:
            raise UserError(
                self.env._(
                    "The landed-cost lines of %(bill)s tied to receipt(s) "
                    "%(receipts)s are trued up against the expected landed costs "
                    "when the bill is posted. Clear their receipt to allocate them "
                    "by hand.",
                    bill=self.display_name,
                    receipts=", ".join(tied.distrib_lc_picking_id.mapped("name")),
                )
            )
        return super().button_create_landed_costs()

    # ------------------------------------------------------------------
    # Posting: variance control, approval, true-up
    # ------------------------------------------------------------------
    def action_post(self):
        variances = self._distrib_lc_variances()
        if variances:
            self._distrib_raise_lc_variances(variances)
            requests = self.env["distrib.approval.request"]
            Policy = self.env["distrib.approval.policy"]
            for bill, rows in variances.items():
                request = Policy._check_value(
                    bill,
                    METRIC,
                    bill._distrib_lc_variance_value(rows),
                    resume_method="action_post",
                )
                if request:
                    requests |= request
            if requests:
                return requests._action_show()
        return super().action_post()

    def _post(self, soft=True):
        variances = self._distrib_lc_variances()
        Policy = self.env["distrib.approval.policy"]
        for bill, rows in variances.items():
            value = bill._distrib_lc_variance_value(rows)
            policy = Policy._get_policy(bill.company_id, METRIC)
            if (
                policy
                and policy._required_level(value)
                and not Policy._is_approved(bill, METRIC, value)
            ):
                raise UserError(
                    self.env._(
                        "%(bill)s cannot be posted: its landed costs differ from "
                        "the expected ones by %(value)s, above the approval "
                        "threshold of %(threshold)s. Post it from the bill to ask "
                        "for the approval.",
                        bill=bill.display_name,
                        value=bill.company_id.currency_id.format(value),
                        threshold=bill.company_id.currency_id.format(policy.threshold),
                    )
                )
        posted = super()._post(soft=soft)
        trued = {
            bill: rows for bill, rows in variances.items() if bill.state == "posted"
        }
        if trued:
            self._distrib_book_true_ups(trued)
        return posted

    def _distrib_lc_bill_lines(self):
        """The landed-cost lines of vendor bills of opted-in companies that are
        tied to a receipt."""
        return self.filtered(
            lambda m: (
                m.move_type in ("in_invoice", "in_refund")
                and m.state == "draft"
                and m.company_id.distrib_close_enabled
            )
        ).line_ids.filtered(
            lambda line: (
                line.display_type == "product"
                and line.is_landed_costs_line
                and line.distrib_lc_picking_id
                and line.product_id.landed_cost_ok
            )
        )

    def _distrib_lc_variances(self):
        """``{bill: [row]}``, one row per receipt and landed-cost product of the
        bill: ``billed`` (this bill and the posted ones), ``booked`` (expected
        plus earlier true-ups), ``estimate`` (expected only), ``difference`` and
        ``percent`` against the estimate; amounts in the company currency. A
        fixed number of queries, whatever the number of bills."""
        lines = self._distrib_lc_bill_lines()
        if not lines:
            return {}
        pickings = lines.distrib_lc_picking_id
        products = lines.product_id
        booked, estimate = defaultdict(float), defaultdict(float)
        split = {}
        cost_lines = (
            self.env["stock.landed.cost.lines"]
            .sudo()
            .search(
                [
                    ("cost_id.picking_ids", "in", pickings.ids),
                    ("cost_id.state", "=", "done"),
                    ("cost_id.distrib_kind", "in", ("expected", "true_up")),
                    ("product_id", "in", products.ids),
                ]
            )
        )
        for cost_line in cost_lines:
            for picking in cost_line.cost_id.picking_ids & pickings:
                key = (picking, cost_line.product_id)
                booked[key] += cost_line.price_unit
                if cost_line.cost_id.distrib_kind == "expected":
                    estimate[key] += cost_line.price_unit
                    moves, method = split.get(key, (self.env["stock.move"], None))
                    split[key] = (
                        moves | cost_line.distrib_move_ids,
                        method or cost_line.split_method,
                    )
        billed_before = defaultdict(float)
        for picking, product, balance in (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    ("distrib_lc_picking_id", "in", pickings.ids),
                    ("product_id", "in", products.ids),
                    ("parent_state", "=", "posted"),
                    ("is_landed_costs_line", "=", True),
                    ("display_type", "=", "product"),
                    ("move_id", "not in", self.ids),
                ],
                groupby=["distrib_lc_picking_id", "product_id"],
                aggregates=["balance:sum"],
            )
        ):
            billed_before[(picking, product)] += balance
        here = defaultdict(lambda: defaultdict(float))
        for line in lines:
            here[line.move_id][(line.distrib_lc_picking_id, line.product_id)] += (
                line.balance
            )
        result = {}
        for bill, amounts in here.items():
            currency = bill.company_id.currency_id
            rows = []
            for key, amount in amounts.items():
                picking, product = key
                billed = billed_before[key] + amount
                difference = currency.round(billed - booked[key])
                moves, method = split.get(key, (self.env["stock.move"], None))
                rows.append(
                    {
                        "picking": picking,
                        "product": product,
                        "billed": billed,
                        "booked": booked[key],
                        "estimate": estimate[key],
                        "difference": difference,
                        "percent": (
                            (billed - estimate[key]) / estimate[key] * 100.0
                            if estimate[key]
                            else 100.0
                        ),
                        "moves": moves,
                        "split_method": method or "by_current_cost_price",
                    }
                )
            result[bill] = rows
        return result

    def _distrib_lc_variance_value(self, rows):
        """The value the approval policy judges: the sum of the absolute
        differences, in the company currency."""
        self.ensure_one()
        return self.company_id.currency_id.round(
            sum(abs(row["difference"]) for row in rows)
        )

    def _distrib_raise_lc_variances(self, variances):
        """A landed-cost variance exception for finance on each bill whose
        difference against the estimate is beyond the company tolerance."""
        Exception_ = self.env["distrib.exception"]
        exceptions = Exception_
        for bill, rows in variances.items():
            company = bill.company_id
            tolerance = company.distrib_lc_variance_tolerance
            beyond = [row for row in rows if abs(row["percent"]) > tolerance]
            if not beyond:
                continue
            currency = company.currency_id
            details = Exception_._format_table(
                [
                    self.env._("Receipt"),
                    self.env._("Cost"),
                    self.env._("Expected"),
                    self.env._("Billed"),
                    self.env._("Variance"),
                ],
                [
                    (
                        row["picking"].name,
                        row["product"].display_name,
                        currency.format(row["estimate"]),
                        currency.format(row["billed"]),
                        f"{float_round(row['percent'], 2):+g} %",
                    )
                    for row in beyond
                ],
                intro=self.env._(
                    "%(bill)s differs from the expected landed costs beyond the "
                    "%(tolerance)s %% tolerance. The difference is booked as a "
                    "further landed cost (stock for what is still in stock, cost "
                    "of goods sold for what has shipped); explain it to resolve "
                    "this exception.",
                    bill=bill._distrib_bill_label(),
                    tolerance=tolerance,
                ),
            )
            exceptions |= Exception_._raise_for(
                bill,
                "landed_cost_variance",
                summary=self.env._(
                    "%(bill)s: landed costs of %(receipts)s differ from the estimate",
                    bill=bill._distrib_bill_label(),
                    receipts=", ".join(row["picking"].name for row in beyond),
                ),
                details=details,
                impact_amount=sum(abs(row["difference"]) for row in beyond),
            )
        return exceptions

    def _distrib_book_true_ups(self, variances):
        """One validated landed cost per bill and receipt with the difference
        between what was billed and what was booked (negative when the bill is
        lower), split over the lines the estimate was split over."""
        Cost = self.env["stock.landed.cost"].sudo()
        costs = Cost
        for bill, rows in variances.items():
            company = bill.company_id
            by_picking = defaultdict(list)
            for row in rows:
                if not company.currency_id.is_zero(row["difference"]):
                    by_picking[row["picking"]].append(row)
            for picking, picking_rows in by_picking.items():
                lines = []
                for row in picking_rows:
                    accounts = (
                        row["product"]
                        .product_tmpl_id.with_company(company)
                        .get_product_accounts()
                    )
                    lines.append(
                        Command.create(
                            {
                                "product_id": row["product"].id,
                                "name": self.env._(
                                    "True-up of %(product)s",
                                    product=row["product"].name,
                                ),
                                "price_unit": row["difference"],
                                "split_method": row["split_method"],
                                "account_id": accounts["stock_input"].id,
                                "distrib_move_ids": [Command.set(row["moves"].ids)],
                            }
                        )
                    )
                estimate = sum(row["estimate"] for row in picking_rows)
                billed = sum(row["billed"] for row in picking_rows)
                costs |= Cost.with_company(company).create(
                    {
                        "company_id": company.id,
                        "date": bill.date,
                        "picking_ids": [Command.set(picking.ids)],
                        "vendor_bill_id": bill.id,
                        "distrib_kind": "true_up",
                        "distrib_expected_amount": estimate,
                        "distrib_variance_percent": (
                            (billed - estimate) / estimate * 100.0
                            if estimate
                            else 100.0
                        ),
                        "description": self.env._(
                            "True-up of the landed costs of %(receipt)s from %(bill)s",
                            receipt=picking.name,
                            bill=bill.name,
                        ),
                        "cost_lines": lines,
                    }
                )
        for cost in costs:
            cost.with_company(cost.company_id).button_validate()
        return costs

    @distrib_rpc(singleton=True)
    def action_distrib_view_true_ups(self):
        self.ensure_one()
        return self.action_view_landed_costs()
