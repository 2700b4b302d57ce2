from collections import defaultdict

from markupsafe import Markup, escape

from odoo import fields, models

from ..scoring import explain


class SaleOrder(models.Model):
    """Order lines scored by the price detector when the order is confirmed
    (companies that check prices before posting): a message and an anomaly
    exception on the order; the order confirms (its invoice is checked again
    when it posts)."""

    _inherit = "sale.order"

    def action_confirm(self):
        result = super().action_confirm()
        self.filtered(lambda o: o.state == "sale")._distrib_ai_precheck()
        return result

    def _distrib_ai_price_rows(self, model):
        """The rows of the price detector for the order lines: (line id,
        commercial partner id, product id, unit price in company currency,
        discount, quantity, date ordinal). Lines of an order without a
        currency rate are left out (no price to compare)."""
        rows = []
        epoch = fields.Date.to_date("1970-01-01")
        for order in self:
            rate = order.currency_rate
            if not rate:
                continue
            partner = order.partner_id.commercial_partner_id.id
            day = (order.date_order.date() - epoch).days
            for line in order.order_line:
                if (
                    line.display_type
                    or not line.product_id
                    or line.product_uom_qty <= 0
                    or line.price_unit <= 0
                ):
                    continue
                rows.append(
                    (
                        line.id,
                        partner,
                        line.product_id.id,
                        line.price_unit / rate,
                        line.discount or 0.0,
                        line.product_uom_qty,
                        day,
                    )
                )
        return rows

    def _distrib_ai_precheck(self):
        Model = self.env["distrib.ai.model"]
        for company, orders in self.grouped("company_id").items():
            model = Model._precheck_model(company).with_company(company)
            if not model:
                continue
            rows = orders._distrib_ai_price_rows(model)
            if not rows:
                continue
            pricelists = {
                order.partner_id.commercial_partner_id.id: order.pricelist_id.id
                for order in orders
            }
            columns = model._price_columns(
                rows, pricelists=pricelists, rebates=model._price_flat_rebates(rows)
            )
            found = model._precheck(columns)
            if not found:
                continue
            lines = self.env["sale.order.line"].browse([f["id"] for f in found])
            line_of = {line.id: line for line in lines}
            by_order = defaultdict(list)
            for item in found:
                by_order[line_of[item["id"]].order_id].append(item)
            for order, items in by_order.items():
                order._distrib_ai_warn(items, line_of)

    def _distrib_ai_warn(self, items, line_of):
        self.ensure_one()
        translate = self.env._
        texts = [
            f"{line_of[item['id']].product_id.display_name}: "
            f"{explain(item['reasons'], translate)}"
            for item in items
        ]
        html = Markup("<ul>%s</ul>") % Markup("").join(
            Markup("<li>%s</li>") % escape(text) for text in texts
        )
        self.env["distrib.exception"].sudo()._raise_for(
            self,
            "anomaly",
            severity=max(
                (item["severity"] for item in items),
                key=["low", "medium", "high", "critical"].index,
            ),
            summary=self.env._(
                "Price check at confirmation: %(reason)s", reason=texts[0]
            )[:250],
            details=html,
            impact_amount=sum(item["impact"] for item in items),
        )
        self.sudo().message_post(
            body=Markup("%s%s")
            % (self.env._("The price check found unusual prices or discounts:"), html)
        )
