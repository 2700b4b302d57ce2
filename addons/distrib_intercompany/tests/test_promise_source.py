"""A line sourced from another company is promised from that company's stock.

And a salesperson who works in their own company only finds, applies and
confirms that source through the figures the other company shares, without
reading its records.
"""

import datetime

from odoo import Command, fields
from odoo.tests import tagged

from .common import DistribIntercompanyCommon


@tagged("post_install", "-at_install")
class TestPromiseSource(DistribIntercompanyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls._create_rule()
        cls._stock_b(20)
        cls.company_b.distrib_share_availability = True
        cls.company_a.write(
            {
                "distrib_atp_promise": True,
                "distrib_atp_commitment_date": False,
                "distrib_intercompany_days": 5,
            }
        )
        cls.sales_a.groups_id |= cls.env.ref("distrib_atp.group_distrib_sales")

    def _sales_env(self):
        """The salesperson's environment: their home company only."""
        return self.env(
            user=self.sales_a,
            context=dict(self.env.context, allowed_company_ids=self.company_a.ids),
        )

    def _apply_company_option(self, order):
        order.action_distrib_sourcing_options()
        options = order.distrib_sourcing_option_ids
        option = options.filtered(lambda option: option.kind == "company")
        self.assertEqual(len(option), 1, options.mapped("kind"))
        option.action_apply()
        return option

    def _check_confirmed(self, order):
        today = fields.Date.context_today(order)
        line = order.order_line
        self.assertEqual(order.state, "sale")
        self.assertEqual(line.distrib_source_kind, "company")
        self.assertEqual(line.distrib_promised_qty, 5)
        self.assertEqual(line.distrib_backorder_qty, 0)
        # the option's date: the intercompany lead time
        self.assertEqual(line.distrib_promised_date, today + datetime.timedelta(days=5))
        self.assertEqual(line.sudo().distrib_source_warehouse_id, self.warehouse_b)
        self.assertFalse(
            order.message_ids.filtered(
                lambda message: "backorders" in (message.body or "")
            )
        )
        sale_b = order.sudo().distrib_ic_purchase_ids.distrib_ic_sale_order_id
        self.assertEqual(sale_b.warehouse_id, self.warehouse_b)

    def _check_policy(self, policy):
        self.company_a.distrib_atp_policy = policy
        order = self._customer_order(quantity=5.0, sourced=False)
        self.assertEqual(order.order_line.distrib_atp_state, "short")
        self._apply_company_option(order)
        # the indicator follows the source too
        self.assertEqual(order.order_line.distrib_atp_state, "available")
        order.action_confirm()
        self._check_confirmed(order)

    def test_other_company_allow(self):
        self._check_policy("allow")

    def test_other_company_block(self):
        self._check_policy("block")

    def test_other_company_warn(self):
        self._check_policy("warn")

    def test_sales_user_of_one_company(self):
        """Find, apply and confirm as a salesperson working in company A only."""
        self.company_a.distrib_atp_policy = "block"
        env = self._sales_env()
        order = (
            env["sale.order"]
            .with_context(allowed_company_ids=self.company_a.ids)
            .create(
                {
                    "partner_id": self.customer.id,
                    "warehouse_id": self.warehouse_a.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": 5,
                                "price_unit": 200.0,
                                "tax_id": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        self.assertEqual(order.env.companies, self.company_a)
        order.action_distrib_sourcing_options()
        # what the Sourcing tab shows, read as the user: another company's
        # warehouse appears by its name only
        values = order.web_read(
            {
                "distrib_sourcing_option_ids": {
                    "fields": {"kind": {}, "summary": {}, "source_name": {}}
                }
            }
        )[0]["distrib_sourcing_option_ids"]
        company = [vals for vals in values if vals["kind"] == "company"]
        self.assertEqual(len(company), 1, values)
        self.assertIn(self.warehouse_b.name, company[0]["summary"])
        self.assertIn(self.company_b.name, company[0]["source_name"])
        self._apply_company_option(order)
        order.action_confirm()
        # what the form reads back after the confirmation, as the user
        order.invalidate_recordset()
        order.web_read(
            {
                "state": {},
                "order_line": {
                    "fields": {
                        "distrib_atp_state": {},
                        "distrib_source_kind": {},
                        "distrib_source_warehouse_name": {},
                        "distrib_promised_date": {},
                    }
                },
                "distrib_sourcing_option_ids": {
                    "fields": {"summary": {}, "source_name": {}}
                },
            }
        )
        self._check_confirmed(order.sudo())
