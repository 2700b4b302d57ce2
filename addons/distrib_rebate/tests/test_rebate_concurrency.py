"""Parallel transactions on one agreement: two invoices posted at once both accrue,
and the tier they cross together is trued up once; two settlements at once
credit the customer once.

The data is committed (a transaction case shares one connection, so nothing in
it would run concurrently) and removed afterwards, even when the test fails.
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
from odoo.tools import SQL, mute_logger

MAX_TRIES = 20


@tagged("post_install", "-at_install")
class TestRebateConcurrency(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())

    def setUp(self):
        super().setUp()
        self.ids = {}
        self.addCleanup(self._cleanup)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            company = env.ref("base.main_company")
            self.ids["company"] = company.id
            self.ids["enabled"] = company.distrib_rebate_enabled
            company.distrib_rebate_enabled = True
            suffix = str(random.randint(1000, 9999))
            accounts = env["account.account"].create(
                [
                    {
                        "name": "Race accrued rebates",
                        "code": f"RBR{suffix}",
                        "account_type": "liability_current",
                        "company_ids": [Command.set(company.ids)],
                    },
                    {
                        "name": "Race rebate expense",
                        "code": f"RBX{suffix}",
                        "account_type": "expense",
                        "company_ids": [Command.set(company.ids)],
                    },
                ]
            )
            self.ids["accounts"] = accounts.ids
            partner = env["res.partner"].create(
                {"name": "Rebate race customer", "is_company": True}
            )
            self.ids["partner"] = partner.id
            product = env["product.product"].create(
                {"name": "Rebate race product", "list_price": 100.0, "taxes_id": False}
            )
            self.ids["product"] = product.id
            agreement = env["distrib.rebate.agreement"].create(
                {
                    "name": "Race agreement",
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "date_from": "2026-01-01",
                    "date_to": "2026-12-31",
                    "accrual_account_id": accounts[0].id,
                    "expense_account_id": accounts[1].id,
                    "tier_ids": [
                        Command.create({"threshold": 0.0, "rate": 2.0}),
                        Command.create({"threshold": 100000.0, "rate": 3.0}),
                    ],
                }
            )
            agreement.action_activate()
            self.ids["agreement"] = agreement.id
            invoices = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "company_id": company.id,
                        "partner_id": partner.id,
                        "invoice_date": "2026-04-01",
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "product_id": product.id,
                                    "quantity": 600,
                                    "price_unit": 100.0,
                                    "tax_ids": [Command.clear()],
                                }
                            )
                        ],
                    }
                    for _i in range(2)
                ]
            )
            self.ids["invoices"] = invoices.ids

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            company = env["res.company"].browse(self.ids.get("company"))
            if not company:
                return
            company.distrib_rebate_enabled = False
            agreement_id = self.ids.get("agreement")
            moves = env["account.move"].browse(self.ids.get("invoices", []))
            if agreement_id:
                cr.execute(
                    SQL(
                        "SELECT DISTINCT move_id FROM distrib_rebate_accrual "
                        "WHERE agreement_id = %s AND move_id IS NOT NULL",
                        agreement_id,
                    )
                )
                moves |= env["account.move"].browse(r[0] for r in cr.fetchall())
                cr.execute(
                    SQL(
                        "DELETE FROM distrib_rebate_accrual WHERE agreement_id = %s",
                        agreement_id,
                    )
                )
            moves = moves.exists()
            moves.filtered(lambda m: m.state == "posted").button_draft()
            moves.with_context(force_delete=True).unlink()
            if agreement_id:
                cr.execute(
                    SQL(
                        "DELETE FROM distrib_rebate_agreement WHERE id = %s",
                        agreement_id,
                    )
                )
            env["account.account"].browse(self.ids.get("accounts", [])).unlink()
            env["product.product"].browse(self.ids.get("product")).exists().unlink()
            env["res.partner"].browse(self.ids.get("partner")).exists().unlink()
            company.distrib_rebate_enabled = self.ids.get("enabled", False)

    def _post_in_parallel(self):
        invoice_ids = self.ids["invoices"]
        barrier = threading.Barrier(len(invoice_ids))
        outcomes = {}
        retries = {"count": 0}

        def post(invoice_id):
            barrier.wait()
            for _try in range(MAX_TRIES):
                try:
                    with self.registry.cursor() as cr:
                        env = api.Environment(cr, SUPERUSER_ID, {})
                        env["account.move"].browse(invoice_id).action_post()
                    outcomes[invoice_id] = "posted"
                    return
                except OperationalError:
                    # serialization failure: Odoo replays the request; so do we
                    retries["count"] += 1
                    time.sleep(random.uniform(0.01, 0.1))
            outcomes[invoice_id] = "gave up"

        threads = [threading.Thread(target=post, args=(i,)) for i in invoice_ids]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        return outcomes, retries["count"]

    @mute_logger("odoo.sql_db", "odoo.service.model")
    def test_parallel_postings_accrue_both_and_true_up_once(self):
        outcomes, retries = self._post_in_parallel()
        self.assertEqual(set(outcomes.values()), {"posted"}, outcomes)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            records = env["distrib.rebate.accrual"].search(
                [("agreement_id", "=", self.ids["agreement"])]
            )
            accruals = records.filtered(lambda r: r.kind == "invoice")
            trueups = records.filtered(lambda r: r.kind == "trueup")
            self.assertEqual(
                sorted(accruals.invoice_id.ids), sorted(self.ids["invoices"])
            )
            self.assertEqual(len(trueups), 1)
            # 120,000 at 3 %: the second posting accrued 1,800 at 3 %, the
            # first 1,200 at 2 %, the true-up the first's 1 %
            self.assertAlmostEqual(sum(records.mapped("amount")), 3600.0)
            self.assertAlmostEqual(trueups.amount, 600.0)
            # the posting that waited for the lock was replayed
            self.assertGreaterEqual(retries, 1)

    @mute_logger("odoo.sql_db", "odoo.service.model")
    def test_parallel_settlements_settle_a_period_once(self):
        """Two finance users settle the same agreement at the same time: one
        credit note; the other is told there is nothing left to settle."""
        outcomes, _retries = self._post_in_parallel()
        self.assertEqual(set(outcomes.values()), {"posted"}, outcomes)
        barrier = threading.Barrier(2)
        results = []

        def settle():
            barrier.wait()
            for _try in range(MAX_TRIES):
                try:
                    with self.registry.cursor() as cr:
                        env = api.Environment(cr, SUPERUSER_ID, {})
                        agreement = env["distrib.rebate.agreement"].browse(
                            self.ids["agreement"]
                        )
                        results.append(("settled", agreement.action_settle()))
                    return
                except OperationalError:
                    time.sleep(random.uniform(0.01, 0.1))
                except UserError as error:
                    results.append(("refused", str(error)))
                    return
            results.append(("gave up", None))

        threads = [threading.Thread(target=settle) for _i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        kinds = sorted(kind for kind, _detail in results)
        self.assertEqual(kinds, ["refused", "settled"], results)
        refused = next(detail for kind, detail in results if kind == "refused")
        self.assertIn("nothing left to settle", refused)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            settlements = env["distrib.rebate.accrual"].search(
                [
                    ("agreement_id", "=", self.ids["agreement"]),
                    ("kind", "=", "settlement"),
                ]
            )
            self.assertEqual(len(settlements), 1)
            # 120,000 at 3 %
            self.assertAlmostEqual(settlements.amount, -3600.0)
            self.assertEqual(settlements.move_id.move_type, "out_refund")
