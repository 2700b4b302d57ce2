"""The order events' hash chain: sealed when recorded, checked on demand."""

import itertools
import threading

from psycopg2 import OperationalError, errorcodes

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tests import tagged
from odoo.tests.common import BaseCase, get_db_name
from odoo.tools import SQL

from .common import DistribOrchestrationCommon

RETRY_CODES = (
    errorcodes.SERIALIZATION_FAILURE,
    errorcodes.DEADLOCK_DETECTED,
    errorcodes.LOCK_NOT_AVAILABLE,
)


@tagged("post_install", "-at_install")
class TestEventChain(DistribOrchestrationCommon):
    def _check(self):
        return self.env["distrib.order.event"]._distrib_check_chain(self.company)

    def test_events_form_a_chain(self):
        order = self._create_order()
        order.action_confirm()
        other = self._create_order()
        events = self.env["distrib.order.event"].search(
            [("company_id", "=", self.company.id)], order="chain_sequence"
        )
        self.assertEqual(len(events), 4)
        self.assertEqual(events.mapped("chain_sequence"), [1, 2, 3, 4])
        self.assertFalse(events[0].previous_hash)
        for previous, event in itertools.pairwise(events):
            self.assertEqual(event.previous_hash, previous.event_hash)
        self.assertEqual(events[-1].order_name, other.name)
        result = self._check()
        self.assertTrue(result["intact"], result)
        self.assertEqual(result["count"], 4)

    def test_altered_or_removed_event_is_reported(self):
        order = self._create_order()
        order.action_confirm()
        first, second, third = order.distrib_event_ids.sorted("chain_sequence")
        self.env.cr.execute(
            "UPDATE distrib_order_event SET to_state = 'collected' WHERE id = %s",
            [second.id],
        )
        result = self._check()
        self.assertFalse(result["intact"])
        self.assertEqual(result["broken_event_id"], second.id)
        self.assertIn("its content was changed", result["message"])
        self.env.cr.execute(
            "UPDATE distrib_order_event SET to_state = 'validated' WHERE id = %s",
            [second.id],
        )
        self.assertTrue(self._check()["intact"])
        self.env.cr.execute(
            "DELETE FROM distrib_order_event WHERE id = %s", [second.id]
        )
        result = self._check()
        self.assertEqual(result["broken_event_id"], third.id)
        self.assertIn("events 2 to 2 of the chain are missing", result["message"])
        self.env.cr.execute("DELETE FROM distrib_order_event WHERE id = %s", [third.id])
        result = self._check()
        self.assertFalse(result["intact"])
        self.assertIn("the last events were deleted", result["message"])
        self.assertTrue(first.exists())

    def test_deleted_order_keeps_its_trail(self):
        order = self._create_order()
        order._action_cancel()
        name, events = order.name, order.distrib_event_ids
        self.assertEqual(
            events.sorted("id").mapped("to_state"), ["entered", "cancelled"]
        )
        order.unlink()
        self.assertEqual(len(events.exists()), 2)
        events.invalidate_recordset()
        self.assertFalse(events.order_id)
        self.assertEqual(set(events.mapped("order_name")), {name})
        self.assertEqual(events.company_id, self.company)
        self.assertTrue(self._check()["intact"])


@tagged("post_install", "-at_install")
class TestEventChainConcurrency(BaseCase):
    """Two transactions record events of one company at the same time: the
    second, which started before the first committed, is replayed (as Odoo
    replays a request on a serialization failure) and chains after the first.
    Committed rows are removed afterwards."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.ids = {}
        cls.addClassCleanup(cls._cleanup)
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env["res.company"].search([], order="id", limit=1)
            cls.ids["company"] = company.id
            cr.execute(
                SQL(
                    "SELECT last_sequence, last_hash FROM distrib_order_event_chain"
                    " WHERE company_id = %s",
                    company.id,
                )
            )
            cls.ids["head"] = cr.fetchone()

    @classmethod
    def _cleanup(cls):
        with cls.registry.cursor() as cr:
            if cls.ids.get("events"):
                cr.execute(
                    SQL(
                        "DELETE FROM distrib_order_event WHERE id IN %s",
                        tuple(cls.ids["events"]),
                    )
                )
            head = cls.ids.get("head")
            if head:
                cr.execute(
                    SQL(
                        "UPDATE distrib_order_event_chain SET last_sequence = %s,"
                        " last_hash = %s WHERE company_id = %s",
                        head[0],
                        head[1],
                        cls.ids["company"],
                    )
                )
            else:
                cr.execute(
                    SQL(
                        "DELETE FROM distrib_order_event_chain WHERE company_id = %s",
                        cls.ids["company"],
                    )
                )

    def _record(self, name, started, first_sealed, release, tries):
        """Record one event; the first transaction waits before committing until
        the second one has started."""
        for _attempt in range(5):
            tries[name] = tries.get(name, 0) + 1
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    cr.execute("SELECT 1")  # the snapshot starts here
                    if name == "second":
                        started.set()
                        first_sealed.wait(10)
                    event = env["distrib.order.event"].create(
                        {
                            "company_id": self.ids["company"],
                            "order_name": f"race {name}",
                            "to_state": "entered",
                        }
                    )
                    self.ids.setdefault("events", []).append(event.id)
                    if name == "first":
                        first_sealed.set()
                        started.wait(10)
                        release.wait(1)
                return event.id
            except OperationalError as error:
                if error.pgcode not in RETRY_CODES:
                    raise
        raise AssertionError(f"{name} never committed")

    def test_parallel_events_chain_in_commit_order(self):
        started, first_sealed, release = (threading.Event() for _i in range(3))
        tries, results, errors = {}, {}, []

        def run(name):
            try:
                results[name] = self._record(
                    name, started, first_sealed, release, tries
                )
            except Exception as error:
                errors.append(error)

        threads = [
            threading.Thread(target=run, args=(name,)) for name in ("first", "second")
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        self.assertFalse(errors, errors)
        self.assertGreater(tries["second"], 1, "the transactions did not overlap")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            first = env["distrib.order.event"].browse(results["first"])
            second = env["distrib.order.event"].browse(results["second"])
            self.assertEqual(second.chain_sequence, first.chain_sequence + 1)
            self.assertEqual(second.previous_hash, first.event_hash)
            company = env["res.company"].browse(self.ids["company"])
            result = env["distrib.order.event"]._distrib_check_chain(company)
            self.assertTrue(result["intact"], result)
