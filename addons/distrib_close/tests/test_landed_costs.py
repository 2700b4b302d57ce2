from odoo.tests import tagged

from .common import DistribCloseCommon


@tagged("post_install", "-at_install")
class TestExpectedLandedCosts(DistribCloseCommon):
    def test_receipt_books_expected_cost(self):
        order = self._create_po(qty=10.0, price=10.0)
        picking = self._receive(order)
        cost = self._expected_costs(picking)
        self.assertEqual(cost.state, "done")
        self.assertEqual(cost.amount_total, 5.0)  # 5 % of 100
        self.assertEqual(cost.cost_lines.split_method, "by_current_cost_price")
        # the stock is valued with the freight, and the ledger agrees
        self.assertAlmostEqual(self._layers_value(self.product), 105.0)
        self.assertAlmostEqual(self._balance(self.accounts["valuation"]), 105.0)
        self.assertAlmostEqual(self._balance(self.accounts["lc_interim"]), -5.0)
        self.assertAlmostEqual(self._balance(self.accounts["interim_in"]), -100.0)
        # what ships carries it: the FIFO cost of a unit is 10.50
        self.assertAlmostEqual(
            self.product.with_company(self.company).standard_price, 10.5
        )

    def test_partial_receipts_each_get_their_share(self):
        self._create_term(
            self.company, "Handling", "per_weight", 0.5, cost_type="handling"
        )
        order = self._create_po(qty=10.0, price=10.0)
        first = self._receive(order, qty=4.0, backorder="backorder")
        second = self._receive(order)
        self.assertNotEqual(first, second)
        # 5 % of 40 + 4 units x 2 kg x 0.5; then 5 % of 60 + 6 x 2 x 0.5
        self.assertEqual(self._expected_costs(first).amount_total, 6.0)
        self.assertEqual(self._expected_costs(second).amount_total, 9.0)
        self.assertEqual(
            set(self._expected_costs(second).cost_lines.mapped("split_method")),
            {"by_current_cost_price", "by_weight"},
        )
        self.assertAlmostEqual(self._layers_value(self.product), 115.0)
        self.assertAlmostEqual(self._balance(self.accounts["valuation"]), 115.0)

    def test_term_split_over_the_lines_it_matched(self):
        other = self._distrib_product(
            "Other", taxes=False, categ_id=self.accounts["goods_categ"].id
        )
        special = self.env["product.category"].create(
            {"name": "Special", "parent_id": self.accounts["goods_categ"].id}
        )
        goods = self.accounts["goods_categ"]
        special.write(
            {
                fname: goods[fname]
                for fname in (
                    "property_cost_method",
                    "property_valuation",
                    "property_stock_valuation_account_id",
                    "property_stock_account_input_categ_id",
                    "property_stock_account_output_categ_id",
                    "property_stock_journal",
                )
            }
        )
        other.categ_id = special
        self._create_term(self.company, "Special", "per_unit", 2.0, categ_id=special.id)
        order = self._create_po(qty=10.0, price=10.0)
        order.write(
            {
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": other.id,
                            "product_qty": 5.0,
                            "price_unit": 20.0,
                            "taxes_id": [(5,)],
                        },
                    )
                ]
            }
        )
        picking = self._receive(order)
        cost = self._expected_costs(picking)
        # Crate: 5 % of 100; Other: 5 x 2.00 (its category's term, not 5 %)
        self.assertEqual(cost.amount_total, 15.0)
        adjustments = {
            a.product_id: a.additional_landed_cost
            for a in cost.valuation_adjustment_lines
            if a.additional_landed_cost
        }
        self.assertEqual(adjustments, {self.product: 5.0, other: 10.0})

    def test_not_opted_in_changes_nothing(self):
        self.company.distrib_close_enabled = False
        order = self._create_po(qty=10.0, price=10.0)
        picking = self._receive(order)
        self.assertFalse(self._expected_costs(picking))
        self.assertAlmostEqual(self._layers_value(self.product), 100.0)

    def test_return_to_vendor_after_landed_cost(self):
        order = self._create_po(qty=10.0, price=10.0)
        picking = self._receive(order)
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=picking.id, active_model="stock.picking")
            .create({})
        )
        wizard.product_return_moves.quantity = 4.0
        action = wizard.action_create_returns()
        back = self.env["stock.picking"].browse(action["res_id"])
        self._validate(back)
        self.assertFalse(self._expected_costs(back))
        # 6 units left at 10.50: the return took its landed cost with it
        self.assertAlmostEqual(self._layers_value(self.product), 63.0)
        self.assertAlmostEqual(
            self._balance(self.accounts["valuation"]),
            self._layers_value(self.product),
        )


@tagged("post_install", "-at_install")
class TestExpectedLandedCostsMultiCurrency(DistribCloseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_eur_company()

    def test_eur_company_buys_in_usd(self):
        _order, picking = self._eur_purchase()
        cost = self._expected_costs(picking)
        goods_value = sum(
            picking.move_ids.stock_valuation_layer_ids.filtered(
                lambda layer: not layer.stock_landed_cost_id
            ).mapped("value")
        )
        # 100 USD in EUR at the company's rate, and 10 % of it as freight (EUR)
        expected_goods = self.usd._convert(
            100.0, self.eur, self.eur_company, picking.date_done.date()
        )
        self.assertAlmostEqual(goods_value, expected_goods)
        self.assertAlmostEqual(cost.amount_total, round(expected_goods * 0.1, 2))
        self.assertEqual(cost.currency_id, self.eur)
        # a carrier bill in USD is trued up in EUR
        bill = self._carrier_bill(
            picking, 12.0, currency=self.usd, company=self.eur_company
        )
        self.assertEqual(bill.state, "posted")
        true_up = bill.landed_costs_ids
        billed = abs(bill.invoice_line_ids.balance)
        self.assertAlmostEqual(true_up.amount_total, billed - cost.amount_total)
        self.assertAlmostEqual(
            self._balance(self.eur_accounts["valuation"], self.eur_company),
            self._layers_value(self.eur_product, self.eur_company),
        )
        self.assertAlmostEqual(
            self._balance(self.eur_accounts["lc_interim"], self.eur_company), 0.0
        )
