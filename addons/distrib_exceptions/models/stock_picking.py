from odoo import models
from odoo.tools import float_compare, float_is_zero, float_round

RESUME_CONTEXT_KEYS = (
    "skip_backorder",
    "picking_ids_not_to_backorder",
    "cancel_backorder",
)


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "distrib.exception.source.mixin"]

    def _distrib_receipt_variance_lines(self):
        """``{picking: [line dict]}`` of the purchase receipts whose done
        quantities differ from the demand beyond the company tolerance."""
        result = {}
        for picking in self:
            company = picking.company_id
            if not (
                company.distrib_receipt_variance_check
                and picking.picking_type_code == "incoming"
                and picking.purchase_id
            ):
                continue
            tolerance = company.distrib_receipt_variance_tolerance
            lines = []
            for move in picking.move_ids:
                if move.state in ("done", "cancel") or not move.purchase_line_id:
                    continue
                rounding = move.product_uom.rounding
                expected, done = move.product_uom_qty, move.quantity
                if float_compare(expected, done, precision_rounding=rounding) == 0:
                    continue
                if float_is_zero(expected, precision_rounding=rounding):
                    percent = 100.0
                else:
                    percent = (done - expected) / expected * 100.0
                if abs(percent) <= tolerance:
                    continue
                diff = move.product_uom._compute_quantity(
                    done - expected, move.product_id.uom_id
                )
                unit_price = move.purchase_line_id._get_stock_move_price_unit()
                lines.append(
                    {
                        "move": move,
                        "product": move.product_id,
                        "expected": expected,
                        "done": done,
                        "uom": move.product_uom,
                        "percent": percent,
                        "impact": company.currency_id.round(diff * unit_price),
                    }
                )
            if lines:
                result[picking] = lines
        return result

    def _pre_action_done_hook(self):
        res = super()._pre_action_done_hook()
        if res is not True:
            return res
        variances = self._distrib_receipt_variance_lines()
        if not variances:
            return res
        Policy = self.env["distrib.approval.policy"]
        requests = self.env["distrib.approval.request"]
        resume_context = {
            key: self.env.context[key]
            for key in RESUME_CONTEXT_KEYS
            if key in self.env.context
        }
        for picking, lines in variances.items():
            impact = sum(abs(line["impact"]) for line in lines)
            request = Policy._check_value(
                picking,
                "valuation_impact",
                impact,
                resume_method="button_validate",
                resume_context=resume_context,
            )
            if request:
                requests |= request
        if requests:
            return requests._action_show()
        return res

    def _action_done(self):
        variances = self._distrib_receipt_variance_lines()
        res = super()._action_done()
        if variances:
            self._distrib_raise_receipt_variances(variances)
        return res

    def _distrib_raise_receipt_variances(self, variances):
        Exception_ = self.env["distrib.exception"]
        for picking, lines in variances.items():
            company = picking.company_id
            short = any(line["percent"] < 0 for line in lines)
            if not short:
                rest = self.env._("More than ordered was received.")
            elif picking.backorder_ids:
                rest = self.env._(
                    "The rest is expected in backorder %(names)s.",
                    names=", ".join(picking.backorder_ids.mapped("name")),
                )
            else:
                rest = self.env._("The rest was cancelled (no backorder).")
            rows = [
                (
                    line["product"].display_name,
                    f"{line['expected']:g} {line['uom'].name}",
                    f"{line['done']:g} {line['uom'].name}",
                    f"{float_round(line['percent'], 2):+g} %",
                    company.currency_id.format(line["impact"]),
                )
                for line in lines
            ]
            details = Exception_._format_table(
                [
                    self.env._("Product"),
                    self.env._("Expected"),
                    self.env._("Received"),
                    self.env._("Variance"),
                    self.env._("Valuation Impact"),
                ],
                rows,
                intro=self.env._(
                    "Receipt %(picking)s of %(order)s differs from the order "
                    "beyond the %(tolerance)s %% tolerance. %(rest)s The vendor "
                    "bills of %(order)s are held until this exception is resolved.",
                    picking=picking.name,
                    order=picking.purchase_id.name,
                    tolerance=company.distrib_receipt_variance_tolerance,
                    rest=rest,
                ),
            )
            rule = self.env["distrib.exception.rule"]._get_api_rule(
                company, "receipt_variance"
            )
            exception = Exception_._raise_for(
                picking,
                "receipt_variance",
                summary=self.env._(
                    "Receipt %(picking)s differs from %(order)s",
                    picking=picking.name,
                    order=picking.purchase_id.name,
                ),
                details=details,
                impact_amount=sum(abs(line["impact"]) for line in lines),
                owner=None if rule else picking.purchase_id.user_id or None,
                blocking=True,
            )
            exception.sudo()._distrib_notify_finance()
