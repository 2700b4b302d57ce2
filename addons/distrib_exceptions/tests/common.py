from odoo import Command
from odoo.tests import Form

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.distrib_atp.tests.common import ROLE_GROUPS, DistribTestMixin

__all__ = ["ROLE_GROUPS", "DistribAccountingCommon", "DistribControlPointCommon"]


class DistribAccountingCommon(DistribTestMixin, AccountTestInvoicingCommon):
    """The accounting layer of the distrib test bases: a company with a chart
    of accounts (``cls.company``) and its warehouse (``cls.warehouse``), mail
    tracking off. Bases needing another accounting parent put it after this
    class, e.g. ``class X(DistribAccountingCommon,
    ValuationReconciliationTestCommon)``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.company_data["company"]
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )


class DistribControlPointCommon(DistribAccountingCommon):
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
        cls.category = cls.env["product.category"].create(
            {"name": "Distrib Valued", "property_cost_method": "standard"}
        )
        cls.product = cls._distrib_product(
            "Widget",
            taxes=False,
            categ_id=cls.category.id,
            standard_price=10.0,
            purchase_method="receive",
        )
        cls.vendor = cls.env["res.partner"].create({"name": "Vendor Co"})
        cls.customer = cls.env["res.partner"].create({"name": "Customer Co"})
        cls.finance_user = cls._distrib_user(
            "exc_finance",
            "base.group_user,finance,stock.group_stock_manager",
            cls.company,
        )
        cls.buyer = cls._distrib_user(
            "exc_buyer",
            "base.group_user,procurement,stock.group_stock_manager,"
            "account.group_account_invoice",
            cls.company,
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
