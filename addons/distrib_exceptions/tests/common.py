from odoo import Command
from odoo.tests import Form, new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

ROLE_GROUPS = {
    "sales": "distrib_atp.group_distrib_sales",
    "warehouse": "distrib_atp.group_distrib_warehouse",
    "procurement": "distrib_atp.group_distrib_procurement",
    "finance": "distrib_atp.group_distrib_finance",
    "manager": "distrib_atp.group_distrib_manager",
}


class DistribControlPointCommon(AccountTestInvoicingCommon):
    """A company with accounting, a storable product at real-time valuation, a
    vendor and role users; the test user is a purchase/stock/accounting
    manager."""

    @classmethod
    def get_default_groups(cls):
        return (
            super().get_default_groups()
            | cls.env.ref("stock.group_stock_manager")
            | cls.env.ref("purchase.group_purchase_manager")
            | cls.env.ref("distrib_atp.group_distrib_manager")
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.company_data["company"]
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.category = cls.env["product.category"].create(
            {"name": "Distrib Valued", "property_cost_method": "standard"}
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Widget",
                "is_storable": True,
                "categ_id": cls.category.id,
                "standard_price": 10.0,
                "purchase_method": "receive",
                "supplier_taxes_id": [Command.clear()],
                "taxes_id": [Command.clear()],
            }
        )
        cls.vendor = cls.env["res.partner"].create({"name": "Vendor Co"})
        cls.customer = cls.env["res.partner"].create({"name": "Customer Co"})
        cls.finance_user = new_test_user(
            cls.env,
            login="exc_finance",
            groups="base.group_user,distrib_atp.group_distrib_finance,"
            "stock.group_stock_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.buyer = new_test_user(
            cls.env,
            login="exc_buyer",
            groups="base.group_user,distrib_atp.group_distrib_procurement,"
            "stock.group_stock_manager,account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    @classmethod
    def _create_po(cls, qty=10.0, price=10.0, date_planned=None, **vals):
        line_vals = {"date_planned": date_planned} if date_planned else {}
        order = cls.env["purchase.order"].create(
            {
                "partner_id": cls.vendor.id,
                "company_id": cls.company.id,
                "picking_type_id": cls.warehouse.in_type_id.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "product_qty": qty,
                            "price_unit": price,
                            "taxes_id": [Command.clear()],
                            **line_vals,
                        }
                    )
                ],
                **vals,
            }
        )
        order.button_confirm()
        return order

    @classmethod
    def _set_done_qty(cls, picking, qty):
        picking.move_ids.quantity = qty
        picking.move_ids.picked = True

    @classmethod
    def _validate(cls, picking, backorder=None):
        """Validate ``picking``; answer the backorder wizard with ``backorder``
        ("backorder" or "cancel") when it shows."""
        result = picking.button_validate()
        if isinstance(result, dict) and result.get("res_model") == (
            "stock.backorder.confirmation"
        ):
            wizard = Form.from_action(cls.env, result).save()
            if backorder == "cancel":
                return wizard.process_cancel_backorder()
            return wizard.process()
        return result

    @classmethod
    def _create_bill(cls, order, qty=None, price=None):
        action = order.action_create_invoice()
        bill = cls.env["account.move"].browse(action["res_id"])
        bill.invoice_date = bill.invoice_date or "2024-01-01"
        line = bill.invoice_line_ids
        if qty is not None:
            line.quantity = qty
        if price is not None:
            line.price_unit = price
        return bill

    @classmethod
    def _create_policy(cls, metric, threshold, **vals):
        return cls.env["distrib.approval.policy"].create(
            {
                "name": f"{metric} policy",
                "company_id": cls.company.id,
                "metric": metric,
                "threshold": threshold,
                "approver_user_id": cls.finance_user.id,
                **vals,
            }
        )
