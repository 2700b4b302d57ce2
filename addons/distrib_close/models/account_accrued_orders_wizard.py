from odoo import models


class AccountAccruedOrdersWizard(models.TransientModel):
    _inherit = "account.accrued.orders.wizard"

    def _get_computed_account(self, order, product, is_purchase):
        """For a company with the close enabled, goods valued in real time were
        already credited to their stock input (interim) account at receipt: the
        accrual moves that balance to the received-not-billed liability instead
        of booking an expense a second time."""
        if (
            is_purchase
            and order.company_id.distrib_close_enabled
            and product.is_storable
            and product.with_company(order.company_id).valuation == "real_time"
        ):
            accounts = product.with_company(
                order.company_id
            ).product_tmpl_id.get_product_accounts(fiscal_pos=order.fiscal_position_id)
            if accounts.get("stock_input"):
                return accounts["stock_input"]
        return super()._get_computed_account(order, product, is_purchase)
