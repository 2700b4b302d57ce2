"""Intercompany confirmation under real concurrency.

A transaction case shares one connection, so nothing in it runs concurrently: the
data here is committed (a second company, its intercompany users and rule, the
orders) and confirmed from threads, each on its own cursor and connection, retried
on serialization failures as Odoo replays a request. Everything committed is
removed afterwards, even when a test fails.
"""

import random
import threading
import time

from psycopg2 import OperationalError

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tests import tagged
from odoo.tests.common import BaseCase, get_db_name
from odoo.tools import SQL

from odoo.addons.distrib_atp.server_flags import IC_SYNCING

# the groups of an intercompany user (sales, purchase, stock, invoicing)
IC_GROUPS = (
    "base.group_user",
    "sales_team.group_sale_salesman_all_leads",
    "purchase.group_purchase_user",
    "stock.group_stock_user",
    "account.group_account_invoice",
)


MAX_TRIES = 10


@tagged("post_install", "-at_install")
class TestIntercompanyConcurrency(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.ids = {}
        cls.addClassCleanup(cls._cleanup)
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            cls._setup_data(env)

    @classmethod
    def _setup_data(cls, env):
        ids = cls.ids
        # notifications and cron wake-ups queued by the test are removed too
        for table in ("bus_bus", "ir_cron_trigger"):
            env.cr.execute(
                SQL("SELECT COALESCE(MAX(id), 0) FROM %s", SQL.identifier(table))
            )
            ids[table] = env.cr.fetchone()[0]
        multi_company = env.ref("base.group_multi_company")
        ids["multi_company_users"] = multi_company.users.ids
        inter_company = env.ref("stock.stock_location_inter_company")
        ids["inter_company_active"] = inter_company.active
        company_a = env.ref("base.main_company")
        ids["company_a"] = company_a.id
        # the orders are confirmed by a real user, not the superuser
        ids["admin"] = env.ref("base.user_admin").id
        company_b = env["res.company"].create(
            {"name": "IC race B", "currency_id": company_a.currency_id.id}
        )
        ids["company_b"] = company_b.id
        ids["company_b_partner"] = company_b.partner_id.id
        ids["company_b_calendar"] = company_b.resource_calendar_id.id
        ids["company_b_sequences"] = company_b.batch_payment_sequence_id.ids
        if not env["stock.warehouse"].search([("company_id", "=", company_b.id)]):
            env["stock.warehouse"].create(
                {"name": "IC race B", "code": "ICRB", "company_id": company_b.id}
            )
        companies = company_a | company_b
        groups = [env.ref(xmlid).id for xmlid in IC_GROUPS]
        users = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                [
                    {
                        "name": f"IC race {company.name}",
                        "login": f"ic_race_{company.id}",
                        "email": f"ic_race_{company.id}@example.com",
                        "company_id": company.id,
                        "company_ids": [Command.set(companies.ids)],
                        "groups_id": [Command.set(groups)],
                    }
                    for company in companies
                ]
            )
        )
        ids["users"] = users.ids
        ids["user_partners"] = users.partner_id.ids
        rule = env["distrib.intercompany.rule"].create(
            {
                "company_id": company_a.id,
                "supplier_company_id": company_b.id,
                "markup_percent": 10.0,
                "user_id": users[0].id,
                "supplier_user_id": users[1].id,
            }
        )
        ids["rule"] = rule.id
        product = env["product.product"].create(
            {"name": "IC race product", "is_storable": True, "list_price": 50.0}
        )
        product.with_company(company_b).standard_price = 20.0
        ids["product"] = product.id
        customers = env["res.partner"].create(
            [
                {"name": "IC race customer"},
                # a customer of A only: B cannot deliver it (direct ship)
                {"name": "IC race customer of A", "company_id": company_a.id},
            ]
        )
        ids["customers"] = customers.ids

    @classmethod
    def _cleanup(cls):
        ids = cls.ids
        with cls.registry.cursor() as cr:
            env = api.Environment(
                cr,
                SUPERUSER_ID,
                {
                    "tracking_disable": True,
                    "active_test": False,
                    "disable_cancel_warning": True,
                },
            )
            # cancelling here must not sync the other side as its intercompany users
            # (deleted below, before the commit that writes their notifications)
            env = IC_SYNCING.set_on(env["res.company"]).env
            company_b = env["res.company"].browse(ids.get("company_b")).exists()
            customers = env["res.partner"].browse(ids.get("customers", [])).exists()
            orders = env["sale.order"].search([("partner_id", "in", customers.ids)])
            purchases = env["purchase.order"].search(
                [("distrib_ic_customer_order_id", "in", orders.ids)]
            )
            if company_b:
                orders |= env["sale.order"].search([("company_id", "=", company_b.id)])
                purchases |= env["purchase.order"].search(
                    [("partner_id", "=", company_b.partner_id.id)]
                )
            pickings = orders.picking_ids | purchases.picking_ids
            groups = orders.procurement_group_id | purchases.group_id
            pickings.move_ids._action_cancel()
            pickings.move_ids.unlink()
            pickings.unlink()
            orders._action_cancel()
            purchases.button_cancel()
            orders.unlink()
            purchases.unlink()
            groups.unlink()
            env["distrib.intercompany.rule"].browse(ids.get("rule")).exists().unlink()
            env["res.users"].browse(ids.get("users", [])).exists().unlink()
            product = env["product.product"].browse(ids.get("product")).exists()
            product.product_tmpl_id.unlink()
            env["res.partner"].browse(
                ids.get("user_partners", []) + customers.ids
            ).exists().unlink()
            if company_b:
                cls._unlink_company(env, company_b)
            cls._restore_settings(env)
        # last, once the cleanup's own notifications are queued (at its commit)
        with cls.registry.cursor() as cr:
            for table in ("bus_bus", "ir_cron_trigger"):
                if table in ids:
                    cr.execute(
                        SQL(
                            "DELETE FROM %s WHERE id > %s",
                            SQL.identifier(table),
                            ids[table],
                        )
                    )

    @classmethod
    def _unlink_company(cls, env, company):
        """Remove the company and what Odoo created with it."""
        company_id = company.id
        warehouses = env["stock.warehouse"].search([("company_id", "=", company_id)])
        picking_types = env["stock.picking.type"].search(
            [("company_id", "=", company_id)]
        )
        routes = env["stock.route"].search([("company_id", "=", company_id)])
        rules = env["stock.rule"].search([("company_id", "=", company_id)])
        locations = env["stock.location"].search(
            [("company_id", "=", company_id)], order="parent_path desc"
        )
        sequences = env["ir.sequence"].search([("company_id", "=", company_id)])
        sequences |= env["ir.sequence"].browse(cls.ids.get("company_b_sequences", []))
        rules.unlink()
        warehouses.unlink()
        picking_types.exists().unlink()
        routes.exists().unlink()
        company.unlink()
        locations.exists().unlink()
        sequences.exists().unlink()
        env["resource.calendar"].browse(
            cls.ids.get("company_b_calendar")
        ).exists().unlink()
        env["res.partner"].browse(cls.ids.get("company_b_partner")).exists().unlink()
        # company-dependent values stored for the company (jsonb keyed by its id)
        key = str(company_id)
        for model in env.values():
            if not model._auto or model._abstract:
                continue
            for field in model._fields.values():
                if field.company_dependent and field.store:
                    env.cr.execute(
                        SQL(
                            "UPDATE %s SET %s = %s - %s WHERE %s ? %s",
                            SQL.identifier(model._table),
                            SQL.identifier(field.name),
                            SQL.identifier(field.name),
                            key,
                            SQL.identifier(field.name),
                            key,
                        )
                    )
        env.registry.clear_cache()

    @classmethod
    def _restore_settings(cls, env):
        if "multi_company_users" in cls.ids:
            group = env.ref("base.group_multi_company")
            added = group.users.filtered(
                lambda user: user.id not in cls.ids["multi_company_users"]
            )
            if added:
                group.write({"users": [Command.unlink(user.id) for user in added]})
        if "inter_company_active" in cls.ids:
            env.ref("stock.stock_location_inter_company").active = cls.ids[
                "inter_company_active"
            ]

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _set_mode(self, mode):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["distrib.intercompany.rule"].browse(self.ids["rule"]).write(
                {"fulfilment_mode": mode}
            )

    def _create_orders(self, count, customer_index=0):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            company_a = env["res.company"].browse(self.ids["company_a"])
            warehouse = env["stock.warehouse"].search(
                [("company_id", "=", company_a.id)], limit=1
            )
            orders = env["sale.order"].create(
                [
                    {
                        "partner_id": self.ids["customers"][customer_index],
                        "company_id": company_a.id,
                        "warehouse_id": warehouse.id,
                        "order_line": [
                            Command.create(
                                {
                                    "product_id": self.ids["product"],
                                    "product_uom_qty": 2.0,
                                    "price_unit": 50.0,
                                    "distrib_ic_supplier_company_id": self.ids[
                                        "company_b"
                                    ],
                                }
                            )
                        ],
                    }
                    for _index in range(count)
                ]
            )
            return orders.ids

    def _confirm_in_parallel(self, order_ids):
        """Confirm each order id in its own thread and transaction, at once.

        Returns [(order id, outcome, tries)]: outcome "confirmed" or the
        UserError's message.
        """
        barrier = threading.Barrier(len(order_ids))
        outcomes = [None] * len(order_ids)

        def confirm(index, order_id):
            barrier.wait(timeout=30)
            for tries in range(1, MAX_TRIES + 1):
                try:
                    with self.registry.cursor() as cr:
                        env = api.Environment(
                            cr,
                            self.ids["admin"],
                            {
                                "tracking_disable": True,
                                "allowed_company_ids": [self.ids["company_a"]],
                            },
                        )
                        env["sale.order"].browse(order_id).action_confirm()
                    outcomes[index] = (order_id, "confirmed", tries)
                    return
                except UserError as error:
                    outcomes[index] = (order_id, str(error), tries)
                    return
                except OperationalError:
                    # serialization failure: Odoo replays the request; so do we
                    time.sleep(random.uniform(0.05, 0.2))
                except Exception as error:  # reported by the test
                    outcomes[index] = (order_id, f"error: {error!r}", tries)
                    return
            outcomes[index] = (order_id, "gave up", MAX_TRIES)

        threads = [
            threading.Thread(target=confirm, args=(index, order_id))
            for index, order_id in enumerate(order_ids)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        return outcomes

    def _documents(self, order_ids):
        """{order id: (state, purchases, B's sales)} read on a fresh cursor."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
            result = {}
            for order in env["sale.order"].browse(order_ids):
                purchases = env["purchase.order"].search(
                    [("distrib_ic_customer_order_id", "=", order.id)]
                )
                sales = env["sale.order"].search(
                    [("distrib_ic_purchase_order_id", "in", purchases.ids)]
                )
                result[order.id] = (
                    order.state,
                    [(po.id, po.state) for po in purchases],
                    [(so.id, so.state, so.company_id.id) for so in sales],
                    order.order_line.distrib_ic_purchase_line_id.order_id.ids,
                )
            result["b_documents"] = self._count_b_documents(env)
            return result

    def _count_b_documents(self, env=None):
        """(B's sales, A's purchases from B), linked to an order or not."""
        if env is None:
            with self.registry.cursor() as cr:
                return self._count_b_documents(api.Environment(cr, SUPERUSER_ID, {}))
        return (
            env["sale.order"].search_count(
                [("company_id", "=", self.ids["company_b"])]
            ),
            env["purchase.order"].search_count(
                [("partner_id", "=", self.ids["company_b_partner"])]
            ),
        )

    # ------------------------------------------------------------------
    # tests
    # ------------------------------------------------------------------
    def test_same_order_confirmed_twice_at_once(self):
        """Two transactions confirm the same order (a double click, a retried
        request): one pair of intercompany orders, whatever the interleaving;
        a replay afterwards creates nothing."""
        self._set_mode("transfer")
        (order_id,) = self._create_orders(1)
        sales_before, purchases_before = self._count_b_documents()
        outcomes = self._confirm_in_parallel([order_id, order_id])
        confirmed = [outcome for outcome in outcomes if outcome[1] == "confirmed"]
        self.assertEqual(len(confirmed), 1, outcomes)
        # the loser waited for the winner, was replayed and found it confirmed
        loser = next(outcome for outcome in outcomes if outcome[1] != "confirmed")
        self.assertIn("not in a state requiring confirmation", loser[1], outcomes)
        self.assertGreater(loser[2], 1, outcomes)
        documents = self._documents([order_id])
        state, purchases, sales, linked = documents[order_id]
        self.assertEqual(state, "sale")
        self.assertEqual(len(purchases), 1, documents)
        self.assertEqual(purchases[0][1], "purchase")
        self.assertEqual(len(sales), 1, documents)
        self.assertEqual(sales[0][1:], ("sale", self.ids["company_b"]))
        self.assertEqual(linked, [purchases[0][0]])
        self.assertEqual(
            documents["b_documents"], (sales_before + 1, purchases_before + 1)
        )
        # the replay of the documents' creation, in parallel too
        barrier = threading.Barrier(2)
        created = []

        def replay():
            barrier.wait(timeout=30)
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                order = env["sale.order"].browse(order_id)
                created.append(order._distrib_ic_create_documents().ids)

        threads = [threading.Thread(target=replay) for _index in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertEqual(created, [[], []])
        self.assertEqual(self._documents([order_id]), documents)

    def test_parallel_orders_all_or_nothing(self):
        """Five orders sourced from B confirmed at once: each gets its own
        purchase and B's sale; the one B cannot serve (a customer of A only,
        shipped directly) is refused and leaves nothing behind, not even the
        purchase created before B's sale failed."""
        self._set_mode("direct")
        good = self._create_orders(4)
        bad = self._create_orders(1, customer_index=1)
        order_ids = good + bad
        sales_before, purchases_before = self._count_b_documents()
        outcomes = self._confirm_in_parallel(order_ids)
        by_order = {order_id: outcome for order_id, outcome, _tries in outcomes}
        for order_id in good:
            self.assertEqual(by_order[order_id], "confirmed", outcomes)
        self.assertIn("could not be created", by_order[bad[0]], outcomes)
        documents = self._documents(order_ids)
        purchase_ids, sale_ids = set(), set()
        for order_id in good:
            state, purchases, sales, linked = documents[order_id]
            self.assertEqual(state, "sale")
            self.assertEqual([po[1] for po in purchases], ["purchase"], documents)
            self.assertEqual([so[1] for so in sales], ["sale"], documents)
            self.assertEqual(linked, [purchases[0][0]])
            purchase_ids.add(purchases[0][0])
            sale_ids.add(sales[0][0])
        self.assertEqual((len(purchase_ids), len(sale_ids)), (4, 4))
        self.assertEqual(documents[bad[0]], ("draft", [], [], []))
        # nothing else was created in B, nor bought from B
        self.assertEqual(
            documents["b_documents"], (sales_before + 4, purchases_before + 4)
        )
