from odoo import api, models
from odoo.exceptions import ValidationError


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.constrains("price_unit")
    def _check_distrib_price_not_negative(self):
        for line in self:
            if (
                line.price_unit < 0
                and not line.display_type
                and not line.is_downpayment
                and line.company_id.distrib_orchestration_enabled
            ):
                raise ValidationError(
                    self.env._(
                        "The unit price of %(product)s on %(order)s is %(price)s: "
                        "a negative price is not allowed. Use a discount or a "
                        "credit note instead.",
                        product=line.product_id.display_name or line.name,
                        order=line.order_id.name,
                        price=line.price_unit,
                    )
                )
