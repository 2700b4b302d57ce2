from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import DistribAiCommon


@tagged("post_install", "-at_install")
class TestStockoutRisk(DistribAiCommon):
    """Issue #16, item 7: products likely to run out before their next
    receipt, with the cheapest fix in words, applied only by a person."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.distrib_ai_stockout_check = True
        cls.vendor = cls.env["res.partner"].create({"name": "Gasket Works"})
        cls.env["product.supplierinfo"].create(
            {
                "partner_id": cls.vendor.id,
                "product_tmpl_id": cls.product.product_tmpl_id.id,
                "delay": 7,
                "price": 50.0,
            }
        )
        cls.buyer = cls._distrib_user(
            "ai_buyer",
            "base.group_user,procurement,purchase.group_purchase_user,"
            "stock.group_stock_user",
            cls.company,
        )
        stock = cls.warehouse.lot_stock_id
        customers = cls.env.ref("stock.stock_location_customers")
        # 120 units delivered over the last 60 days: 2 a day
        cls._distrib_stock(cls.product, stock, 120.0)
        now = fields.Datetime.now()
        for day in range(0, 60, 5):
            move = cls.env["stock.move"].create(
                {
                    "name": "delivery",
                    "product_id": cls.product.id,
                    "product_uom_qty": 10.0,
                    "product_uom": cls.product.uom_id.id,
                    "location_id": stock.id,
                    "location_dest_id": customers.id,
                    "picking_type_id": cls.warehouse.out_type_id.id,
                }
            )
            move._action_confirm()
            move._action_assign()
            move.write({"quantity": 10.0, "picked": True})
            move._action_done()
            move.date = now - timedelta(days=day)
        cls._distrib_stock(cls.product, stock, 5.0)
        cls.Risk = cls.env["distrib.stockout.risk"]

    def _risks(self):
        self.Risk.sudo()._refresh(self.company)
        return self.Risk.search(
            [("company_id", "=", self.company.id), ("state", "=", "open")]
        )

    def test_clear_case_purchase_applied_by_a_person(self):
        risk = self._risks()
        self.assertEqual(len(risk), 1)
        self.assertEqual(
            (risk.product_id, risk.warehouse_id), (self.product, self.warehouse)
        )
        self.assertGreater(risk.probability, 90.0)
        self.assertAlmostEqual(risk.daily_demand, 2.0)
        self.assertIn("5 available for 2.0 a day: 2.5 days of cover", risk.explanation)
        self.assertIn("no receipt coming: a purchase takes 7 days", risk.explanation)
        self.assertEqual(risk.proposal_kind, "purchase")
        self.assertIn("buy", risk.proposal)
        self.assertIn("Gasket Works", risk.proposal)
        exception = self.env["distrib.exception"]._get_open_for(
            risk, exception_types=["stockout_risk"]
        )
        self.assertEqual(len(exception), 1)
        # nothing is applied without a person
        self.assertFalse(
            self.env["purchase.order"].search([("partner_id", "=", self.vendor.id)])
        )
        with self.assertRaises(AccessError):
            risk.with_user(self.sales_user).action_apply()
        risk.with_user(self.buyer).action_apply()
        order = self.env["purchase.order"].search([("partner_id", "=", self.vendor.id)])
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.order_line.product_qty, risk.proposal_qty)
        self.assertEqual(risk.state, "applied")
        self.assertEqual(risk.decided_by_id, self.buyer)
        self.assertEqual(risk.applied_reference, order.name)
        self.assertEqual(exception.state, "resolved")
        with self.assertRaises(UserError):
            risk.with_user(self.buyer).action_apply()

    def test_transfer_from_a_warehouse_with_excess(self):
        north = self.env["stock.warehouse"].create(
            {"name": "North", "code": "NRT", "company_id": self.company.id}
        )
        self._distrib_stock(self.product, north.lot_stock_id, 500.0)
        risk = self._risks().filtered(lambda r: r.warehouse_id == self.warehouse)
        self.assertEqual(risk.proposal_kind, "transfer")
        self.assertEqual(risk.source_warehouse_id, north)
        self.assertIn("transfer", risk.proposal)
        self.assertIn("North", risk.proposal)
        risk.with_user(self.buyer).action_apply()
        picking = self.env["stock.picking"].search(
            [("name", "=", risk.applied_reference)]
        )
        self.assertEqual(picking.state, "draft")
        self.assertEqual(picking.location_id, north.lot_stock_id)
        self.assertEqual(picking.move_ids.product_uom_qty, risk.proposal_qty)

    def test_reordering_rule_too_low(self):
        orderpoint = self.env["stock.warehouse.orderpoint"].create(
            {
                "product_id": self.product.id,
                "warehouse_id": self.warehouse.id,
                "location_id": self.warehouse.lot_stock_id.id,
                "product_min_qty": 1.0,
                "product_max_qty": 2.0,
                "trigger": "manual",
            }
        )
        risk = self._risks()
        self.assertEqual(risk.proposal_kind, "minmax")
        self.assertIn("set the reordering rule to min", risk.proposal)
        risk.with_user(self.buyer).action_apply()
        self.assertEqual(orderpoint.product_min_qty, risk.proposal_min)
        self.assertGreater(orderpoint.product_max_qty, orderpoint.product_min_qty)

    def test_enough_stock_no_risk_and_risk_clears(self):
        risk = self._risks()
        self._distrib_stock(self.product, self.warehouse.lot_stock_id, 1000.0)
        self.assertFalse(self._risks())
        self.assertEqual(risk.state, "cleared")

    def test_dismiss_needs_a_reason(self):
        risk = self._risks()
        for bad in (None, "", "  ", 3):
            with self.assertRaises(UserError):
                risk.with_user(self.buyer).action_dismiss(bad)
        # the form's Dismiss button: the reason is asked in a dialog
        wizard = Form(
            self.env["distrib.ai.dismiss.wizard"]
            .with_user(self.buyer)
            .with_context(default_stockout_risk_ids=risk.ids)
        )
        wizard.reason = "Product discontinued"
        wizard.save().action_confirm()
        self.assertEqual(risk.state, "dismissed")
        self.assertEqual(risk.decided_by_id, self.buyer)
        self.assertEqual(risk.decision_note, "Product discontinued")
        # a dismissed risk stays dismissed on the next run
        self._risks()
        self.assertEqual(risk.state, "dismissed")

    def test_dismiss_dialog_on_a_risk_gone_since(self):
        risk = self._risks()
        Wizard = self.env["distrib.ai.dismiss.wizard"].with_user(self.buyer)
        gone = risk.id + 100000
        for value in ([gone], [Command.set([risk.id, gone])], [Command.link(gone)]):
            with self.assertRaisesRegex(UserError, "no longer exist"):
                Wizard.create({"stockout_risk_ids": value, "reason": "x"})
        for value in ([Command.set(["x"])], [2**40], "x", 3, [Command.set(3)]):
            with self.assertRaisesRegex(UserError, "is not a valid value"):
                Wizard.create({"stockout_risk_ids": value, "reason": "x"})
        self.assertFalse(Wizard.search([]))
        self.assertEqual(risk.state, "open")

    def test_other_company_and_no_history(self):
        other = self._distrib_other_company("Other Co")
        other.distrib_ai_stockout_check = True
        self.assertFalse(self.Risk.sudo()._refresh(other))
        self._risks()
        outsider = self._distrib_user("ai_out", "base.group_user,procurement", other)
        self.assertFalse(
            self.Risk.with_user(outsider).search([("company_id", "=", self.company.id)])
        )

    # ------------------------------------------------------------------
    # the ATP projection (issue #16, item 7)
    # ------------------------------------------------------------------
    def _incoming(self, quantity, days):
        """A confirmed receipt of ``quantity`` due in ``days`` days."""
        move = self.env["stock.move"].create(
            {
                "name": "receipt",
                "product_id": self.product.id,
                "product_uom_qty": quantity,
                "product_uom": self.product.uom_id.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": self.warehouse.lot_stock_id.id,
                "picking_type_id": self.warehouse.in_type_id.id,
                "date": fields.Datetime.now() + timedelta(days=days),
            }
        )
        move._action_confirm()
        move.date = fields.Datetime.now() + timedelta(days=days)
        return move

    def _outgoing(self, quantity, days):
        """A confirmed delivery of ``quantity`` due in ``days`` days, not
        reserved: demand already promised."""
        move = self.env["stock.move"].create(
            {
                "name": "promised",
                "product_id": self.product.id,
                "product_uom_qty": quantity,
                "product_uom": self.product.uom_id.id,
                "location_id": self.warehouse.lot_stock_id.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "picking_type_id": self.warehouse.out_type_id.id,
                "date": fields.Datetime.now() + timedelta(days=days),
            }
        )
        move._action_confirm()
        move.date = fields.Datetime.now() + timedelta(days=days)
        return move

    def test_a_scheduled_receipt_in_time_clears_the_risk(self):
        # 5 units for 2 a day, 100 arriving in 2 days: about 4 units needed
        self._incoming(100.0, 2)
        self.assertFalse(self._risks())

    def test_a_late_scheduled_receipt_is_the_horizon(self):
        self._incoming(100.0, 10)
        risk = self._risks()
        self.assertEqual(len(risk), 1)
        self.assertIn("next receipt in 10.0 days (100 units)", risk.explanation)
        self.assertNotIn("no receipt coming", risk.explanation)

    def test_committed_demand_lowers_what_is_available(self):
        # 12 units: 64% risk over the 7 days of lead time; 6 of them promised
        # to an order due in 3 days leave 6
        self._distrib_stock(self.product, self.warehouse.lot_stock_id, 7.0)
        before = self._risks()
        self.assertAlmostEqual(before.available_qty, 12.0)
        probability = before.probability
        self._outgoing(6.0, 3)._do_unreserve()
        risk = self._risks()
        self.assertEqual(risk, before)
        self.assertAlmostEqual(risk.available_qty, 6.0)
        self.assertGreater(risk.probability, probability)
        self.assertIn(
            "6 already promised to orders due before the receipt", risk.explanation
        )

    def test_one_projection_call_for_every_pair(self):
        north = self.env["stock.warehouse"].create(
            {"name": "North", "code": "NRT", "company_id": self.company.id}
        )
        self._distrib_stock(self.product, north.lot_stock_id, 500.0)
        Atp = type(self.env["distrib.atp"])
        calls = []
        original = Atp._distrib_projections

        def counted(this, product_ids, warehouse_ids, roundings=None):
            calls.append((list(product_ids), list(warehouse_ids)))
            return original(this, product_ids, warehouse_ids, roundings=roundings)

        Atp._distrib_projections = counted
        try:
            self._risks()
        finally:
            Atp._distrib_projections = original
        self.assertEqual(len(calls), 1)
        self.assertEqual(set(calls[0][1]), {self.warehouse.id, north.id})

    # ------------------------------------------------------------------
    # a group company's stock (issue #16, item 7)
    # ------------------------------------------------------------------
    def _group_company(self, share=True, rule=True):
        """A second company with 500 units; with distrib_intercompany
        installed (and ``rule``), an allowed rule lets this company buy from
        it."""
        other = self._distrib_other_company(
            "Atlas West", distrib_share_availability=share
        )
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", other.id)], limit=1
        )
        self._distrib_stock(self.product, warehouse.lot_stock_id, 500.0, company=other)
        self.product.with_company(other).standard_price = 100.0
        if rule and "distrib.intercompany.rule" in self.env:
            self._intercompany_rule(other)
        return other, warehouse

    def _intercompany_rule(self, other):
        both = self.company | other
        groups = "base.group_user,stock.group_stock_user,account.group_account_invoice"
        user_a = self._distrib_user(
            "ic_a_so", f"{groups},purchase.group_purchase_manager", self.company, both
        )
        user_b = self._distrib_user(
            "ic_b_so",
            f"{groups},sales_team.group_sale_salesman_all_leads",
            other,
            both,
        )
        return self.env["distrib.intercompany.rule"].create(
            {
                "company_id": self.company.id,
                "supplier_company_id": other.id,
                "markup_percent": 10.0,
                "user_id": user_a.id,
                "supplier_user_id": user_b.id,
            }
        )

    def test_transfer_from_a_group_company(self):
        other, warehouse = self._group_company()
        risk = self._risks()
        self.assertEqual(risk.proposal_kind, "group", "cheaper than a purchase")
        self.assertEqual(risk.source_company_id, other)
        self.assertFalse(risk.source_warehouse_id)
        self.assertIn("ask the group company Atlas West for", risk.proposal)
        self.assertIn(warehouse.name, risk.proposal)
        self.assertIn("500 available beyond its own 30 days", risk.proposal)
        if "distrib.intercompany.rule" in self.env:
            self.assertIn("at the intercompany price", risk.proposal)
        else:
            # without distrib_intercompany, the action says what to do
            self.assertIn("Intercompany is not installed", risk.proposal)
        self.assertEqual([o["kind"] for o in risk.options], ["group", "purchase"])
        self.assertIn("buy", risk.options_text)
        # the buyer of this company reads the risk and acts in it only
        values = risk.with_user(self.buyer).web_read(
            {
                "proposal": {},
                "source_company_id": {"fields": {"display_name": {}}},
                "options_text": {},
            }
        )[0]
        self.assertEqual(values["source_company_id"]["display_name"], "Atlas West")
        risk.with_user(self.buyer).action_apply()
        order = self.env["purchase.order"].search(
            [("name", "=", risk.applied_reference)]
        )
        self.assertEqual(order.company_id, self.company)
        self.assertEqual(order.partner_id, other.partner_id)
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.picking_type_id, self.warehouse.in_type_id)
        self.assertEqual(order.order_line.product_qty, risk.proposal_qty)
        for model in ("purchase.order", "sale.order", "stock.picking"):
            self.assertFalse(
                self.env[model].search([("company_id", "=", other.id)]),
                f"nothing created in the group company ({model})",
            )

    def test_a_company_that_does_not_share_is_not_asked(self):
        self._group_company(share=False)
        risk = self._risks()
        self.assertEqual(risk.proposal_kind, "purchase")
        self.assertNotIn("Atlas West", risk.proposal + (risk.options_text or ""))

    def test_an_own_warehouse_comes_before_a_group_company(self):
        self._group_company()
        north = self.env["stock.warehouse"].create(
            {"name": "North", "code": "NRT", "company_id": self.company.id}
        )
        self._distrib_stock(self.product, north.lot_stock_id, 500.0)
        risk = self._risks().filtered(lambda r: r.warehouse_id == self.warehouse)
        self.assertEqual(
            [o["kind"] for o in risk.options], ["transfer", "group", "purchase"]
        )

    # ------------------------------------------------------------------
    # every choice is learned from (issue #16, item 9)
    # ------------------------------------------------------------------
    def _age_decision(self, risk, days=31):
        risk.sudo().decision_date = fields.Datetime.now() - timedelta(days=days)

    def test_a_dismissal_raises_the_pair_threshold(self):
        # 12 units: a 64% risk, above the company's 50% threshold
        self._distrib_stock(self.product, self.warehouse.lot_stock_id, 7.0)
        risk = self._risks()
        self.assertTrue(60.0 < risk.probability < 75.0, risk.probability)
        risk.with_user(self.buyer).action_dismiss("Slow season")
        choice = self.env["distrib.ai.choice"].search(
            [("company_id", "=", self.company.id), ("kind", "=", "stockout")]
        )
        self.assertEqual(
            (choice.choice, choice.user_id, choice.note),
            ("dismiss", self.buyer, "Slow season"),
        )
        # once the decision has aged, the same 64% no longer alerts: the
        # pair's threshold is 75% now
        self._age_decision(risk)
        self.assertFalse(self._risks())
        self.assertEqual(risk.state, "dismissed")
        # a worse case alerts again, saying why the bar is higher
        self._distrib_stock(self.product, self.warehouse.lot_stock_id, -7.0)
        self.assertEqual(self._risks(), risk)
        self.assertEqual(risk.state, "open")
        self.assertFalse(risk.decided_by_id)
        self.assertIn(
            "dismissed 1 time(s) here in the last 90 days: alerts only above 75.0%",
            risk.explanation,
        )
        risk.with_user(self.buyer).action_dismiss("Still slow")
        self._age_decision(risk)
        self._risks()
        self.assertIn("dismissed 2 time(s)", risk.explanation)
        self.assertIn("above 87.5%", risk.explanation)
        with self.assertRaises(UserError):
            choice.write({"note": "rewritten"})
        with self.assertRaises(UserError):
            choice.unlink()

    def test_the_fix_a_person_chose_is_ranked_first_next_time(self):
        north = self.env["stock.warehouse"].create(
            {"name": "North", "code": "NRT", "company_id": self.company.id}
        )
        self._distrib_stock(self.product, north.lot_stock_id, 500.0)
        risk = self._risks().filtered(lambda r: r.warehouse_id == self.warehouse)
        self.assertEqual(risk.proposal_kind, "transfer")
        for bad in ("teleport", 3, "minmax"):
            with self.assertRaises(UserError):
                risk.with_user(self.buyer).action_apply(bad)
        self.assertEqual(risk.state, "open")
        # the buyer prefers to buy: a correction
        risk.with_user(self.buyer).action_apply("purchase")
        order = self.env["purchase.order"].search([("partner_id", "=", self.vendor.id)])
        self.assertEqual(order.name, risk.applied_reference)
        choice = self.env["distrib.ai.choice"].search(
            [("company_id", "=", self.company.id), ("kind", "=", "stockout")]
        )
        self.assertEqual((choice.choice, choice.option), ("correct", "purchase"))
        order.button_cancel()
        self._age_decision(risk)
        self._risks()
        self.assertEqual(risk.state, "open")
        self.assertEqual(risk.proposal_kind, "purchase")
        self.assertIn(
            "a purchase ranked first: the fix chosen here last time", risk.explanation
        )
        self.assertIn("transfer", risk.options_text)
        # accepting the proposal is recorded too
        risk.with_user(self.buyer).action_apply()
        self.assertEqual(
            self.env["distrib.ai.choice"]
            .search([("company_id", "=", self.company.id)], limit=1)
            .choice,
            "accept",
        )

    def test_one_data_point_and_no_supplier(self):
        """One delivery in the history, no stock left, no supplier: a risk
        over one day, a purchase proposed, and a clear error when applied."""
        lonely = self._distrib_product("Lonely Valve", taxes=False)
        stock = self.warehouse.lot_stock_id
        self._distrib_stock(lonely, stock, 60.0)
        move = self.env["stock.move"].create(
            {
                "name": "delivery",
                "product_id": lonely.id,
                "product_uom_qty": 60.0,
                "product_uom": lonely.uom_id.id,
                "location_id": stock.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "picking_type_id": self.warehouse.out_type_id.id,
            }
        )
        move._action_confirm()
        move._action_assign()
        move.write({"quantity": 60.0, "picked": True})
        move._action_done()
        risk = self._risks().filtered(lambda r: r.product_id == lonely)
        self.assertEqual(len(risk), 1)
        self.assertAlmostEqual(risk.daily_demand, 1.0)
        self.assertEqual(risk.available_qty, 0.0)
        self.assertEqual(risk.proposal_kind, "purchase")
        self.assertIn("the usual supplier", risk.proposal)
        with self.assertRaises(UserError):
            risk.with_user(self.buyer).action_apply()
        self.assertEqual(risk.state, "open")
        self.assertFalse(
            self.env["distrib.ai.choice"].search([("company_id", "=", self.company.id)])
        )

    def test_group_company_through_intercompany(self):
        """With distrib_intercompany installed (softly detected), the request
        for quotation to the group company carries its rule's price."""
        if "distrib.intercompany.rule" not in self.env:
            self.skipTest("distrib_intercompany is not installed")
        other, _warehouse = self._group_company(rule=False)
        # without an allowed rule, the group company is not asked
        self.assertEqual(self._risks().proposal_kind, "purchase")
        self._intercompany_rule(other)
        risk = self._risks()
        self.assertEqual(risk.proposal_kind, "group")
        self.assertIn("at the intercompany price", risk.proposal)
        self.assertNotIn("not installed", risk.proposal)
        risk.with_user(self.buyer).action_apply()
        order = self.env["purchase.order"].search(
            [("name", "=", risk.applied_reference)]
        )
        self.assertEqual(
            (order.company_id, order.partner_id), (self.company, other.partner_id)
        )
        self.assertAlmostEqual(order.order_line.price_unit, 110.0)
        self.assertFalse(self.env["sale.order"].search([("company_id", "=", other.id)]))
