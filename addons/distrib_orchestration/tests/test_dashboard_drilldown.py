import xmlrpc.client
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from .common import DistribOrchestrationCommon


@tagged("post_install", "-at_install")
class TestDashboardDrilldown(DistribOrchestrationCommon):
    """Each figure of the dashboard opens the records behind it, and every role
    finds in the list the number it read on the tile."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        users = {
            "sales": "distrib_atp.group_distrib_sales",
            "manager": "distrib_atp.group_distrib_manager",
        }
        for login, group in users.items():
            setattr(
                cls,
                f"{login}_user",
                new_test_user(
                    cls.env,
                    login=f"dash_{login}",
                    groups=f"base.group_user,{group}",
                    company_id=cls.company.id,
                    company_ids=[Command.set(cls.company.ids)],
                ),
            )
        cls.admin_user = cls.env.ref("base.user_admin")
        cls.admin_user.company_ids |= cls.company
        cls.other_rep = new_test_user(
            cls.env,
            login="dash_other_rep",
            groups="base.group_user,distrib_atp.group_distrib_sales",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.reason = cls.env["distrib.return.reason"].create(
            {"name": "Damaged in transit", "default_disposition": "scrap"}
        )

    def _shipped_order(self, rep, days_late=0):
        now = fields.Datetime.now()
        order = self._create_order(
            quantity=5,
            user_id=rep.id,
            commitment_date=now + timedelta(days=3 - days_late),
        )
        order.action_confirm()
        self._deliver(order.picking_ids)
        return order

    def _scenario(self):
        own = self._shipped_order(self.sales_user)
        self._invoice(own)
        other = self._shipped_order(self.other_rep, days_late=5)
        self._invoice(other)
        held = self._create_order(quantity=1, user_id=self.sales_user.id)
        held._distrib_put_on_hold("Credit limit exceeded")
        quote = self._create_order(quantity=2, user_id=self.other_rep.id)
        # open exceptions of several ages, filed by the exception cron
        Exception_ = self.env["distrib.exception"]
        now = fields.Datetime.now()
        for order, age in ((own, 10), (other, 0), (quote, 2)):
            with freeze_time(now - timedelta(days=age)):
                Exception_._raise_for(order, "shortage", summary="Short")
        Exception_._refresh_age_buckets()
        # a return already closed still counts among the period's returns
        rma = self.env["distrib.return.authorization"].create(
            {
                "order_id": own.id,
                "reason_id": self.reason.id,
                "line_ids": [
                    Command.create({"sale_line_id": own.order_line.id, "quantity": 1})
                ],
            }
        )
        rma.action_cancel()
        self.env.flush_all()
        return own, other

    def _kpis(self, user):
        return (
            self.env["distrib.kpi.dashboard"]
            .with_user(user)
            .with_context(allowed_company_ids=self.company.ids)
            .get_kpis()
        )

    def _assert_tiles_match_lists(self, user):
        """For each tile and panel: the number shown equals the number of records
        its action opens for ``user``, and so does each row of a panel."""
        kpis = self._kpis(user)
        # what goes back over RPC: no None, plain types only
        xmlrpc.client.dumps((kpis,), allow_none=False)
        env = self.env(user=user, context={"allowed_company_ids": self.company.ids})
        self.assertTrue(kpis["actions"])
        for key, action in kpis["actions"].items():
            with self.subTest(user=user.login, tile=key):
                Model = env[action["res_model"]]
                self.assertEqual(
                    Model.search_count(action["domain"]), kpis["counts"][key]
                )
                # no default filter narrows the list below the tile's number
                self.assertFalse(
                    [name for name in action["context"] if "search_default" in name]
                )
                for row in kpis.get(key) if isinstance(kpis.get(key), list) else []:
                    self.assertEqual(
                        Model.search_count(action["domain"] + row["domain"]),
                        row["count"],
                        row["label"],
                    )
        return kpis

    def test_each_tile_opens_its_records_for_every_role(self):
        own, other = self._scenario()
        admin = self._assert_tiles_match_lists(self.admin_user)
        sales = self._assert_tiles_match_lists(self.sales_user)
        manager = self._assert_tiles_match_lists(self.manager_user)
        # the tiles open their own records, not all the same pivot
        actions = admin["actions"]
        self.assertEqual(
            {actions[key]["res_model"] for key in ("cycle_days", "pipeline", "dso")},
            {"distrib.order.kpi.report", "sale.order", "account.move.line"},
        )
        self.assertNotEqual(actions["cycle_days"], actions["fill_rate"])
        self.assertNotEqual(actions["fill_by_warehouse"], actions["fill_by_segment"])
        # the closed return is behind "Return reasons: 1"
        self.assertEqual(
            [(row["label"], row["count"]) for row in admin["return_reasons"]],
            [("Damaged in transit", 1)],
        )
        # open exceptions by age, youngest first
        self.assertEqual(
            [row["label"] for row in admin["exception_aging"]],
            ["< 1 day", "1-3 days", "> 7 days"],
        )
        # the manager sees every order of the company, as the admin does
        self.assertEqual(manager["counts"]["pipeline"], 4)
        self.assertEqual(manager["counts"], admin["counts"])
        self.assertEqual(manager["orders"], admin["orders"])
        # a sales rep sees the figures of their own orders, tile and list alike
        self.assertEqual(sales["counts"]["pipeline"], 2)
        self.assertEqual(sales["counts"]["cycle_days"], 1)
        self.assertEqual(admin["counts"]["cycle_days"], 2)
        self.assertEqual(sales["orders"]["on_time_percent"], 100.0)
        self.assertEqual(admin["orders"]["on_time_percent"], 50.0)
        self.assertGreater(sales["dso"], 0.0)
        self.assertEqual(sales["counts"]["dso"], 1)
        self.assertTrue(
            self.env["sale.order"]
            .with_user(self.sales_user)
            .search_count([("id", "=", own.id)])
        )
        self.assertFalse(
            self.env["sale.order"]
            .with_user(self.sales_user)
            .search_count([("id", "=", other.id)])
        )
