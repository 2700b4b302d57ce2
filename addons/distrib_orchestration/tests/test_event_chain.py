"""The order events' hash chain: sealed just after the recording transaction
commits, checked on demand."""

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

    def _seal(self):
        # what the post-commit step does (a test's transaction never commits)
        return self.env["distrib.order.event"]._distrib_seal_pending()

    def test_events_form_a_chain(self):
        order = self._create_order()
        order.action_confirm()
        other = self._create_order()
        events = self.env["distrib.order.event"].search(
            [("company_id", "=", self.company.id)], order="id"
        )
        self.assertEqual(len(events), 4)
        # recorded, not sealed yet: the check counts them as waiting
        self.assertFalse(any(events.mapped("event_hash")))
        result = self._check()
        self.assertTrue(result["intact"], result)
        self.assertEqual((result["count"], result["pending"]), (0, 4))
        self.assertIn("4 more, recorded since", result["message"])
        self.assertEqual(self._seal(), 4)
        self.assertEqual(events.mapped("chain_sequence"), [1, 2, 3, 4])
        self.assertFalse(events[0].previous_hash)
        for previous, event in itertools.pairwise(events):
            self.assertEqual(event.previous_hash, previous.event_hash)
        self.assertEqual(events[-1].order_name, other.name)
        result = self._check()
        self.assertTrue(result["intact"], result)
        self.assertEqual((result["count"], result["pending"]), (4, 0))
        self.assertNotIn("wait to be sealed", result["message"])
        # later events continue the chain; sealing twice seals nothing twice
        other.action_confirm()
        self.assertEqual(self._seal(), 2)
        self.assertEqual(self._seal(), 0)
        self.assertEqual(
            other.distrib_event_ids.sorted("id").mapped("chain_sequence"), [4, 5, 6]
        )
        self.assertEqual(self._check()["count"], 6)

    def test_cron_seals_what_was_left(self):
        order = self._create_order()
        order.action_confirm()
        self.env["distrib.order.event"]._cron_seal_pending()
        events = order.distrib_event_ids.sorted("id")
        self.assertEqual(events.mapped("chain_sequence"), [1, 2, 3])
        self.assertTrue(all(events.mapped("event_hash")))
        self.assertTrue(self._check()["intact"])

    def test_altered_or_removed_event_is_reported(self):
        order = self._create_order()
        order.action_confirm()
        self._seal()
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
        self._seal()
        result = self._check()
        self.assertTrue(result["intact"], result)
        self.assertEqual(result["count"], 2)


@tagged("post_install", "-at_install")
class TestEventChainConcurrency(BaseCase):
    """Transactions that record events of one company at the same time all
    commit at the first try (none is replayed on a serialization failure, as
    when each one sealed its events itself), and every event is sealed just
    after its commit into one unbroken chain. Committed rows are removed
    afterwards."""

    WRITERS = 6
    EVENTS = 3

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.ids = {"events": []}
        cls.addClassCleanup(cls._cleanup)
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env["res.company"].search([], order="id", limit=1)
            cls.ids["company"] = company.id
            # what earlier committed work left unsealed does not count here
            env["distrib.order.event"]._distrib_seal_pending()
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
            if cls.ids["events"]:
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

    def _record(self, name, recorded, tries):
        """Record EVENTS events in one transaction; every writer's snapshot
        starts, and its events are written, before any of them commits."""
        for _attempt in range(5):
            tries[name] = tries.get(name, 0) + 1
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    cr.execute("SELECT 1")  # the snapshot starts here
                    events = env["distrib.order.event"].create(
                        [
                            {
                                "company_id": self.ids["company"],
                                "order_name": f"race {name} {index}",
                                "to_state": "entered",
                            }
                            for index in range(self.EVENTS)
                        ]
                    )
                    self.ids["events"].extend(events.ids)
                    recorded.wait(10)  # all have written, none has committed
                return events.ids
            except OperationalError as error:
                if error.pgcode not in RETRY_CODES:
                    raise
        raise AssertionError(f"{name} never committed")

    def test_parallel_writers_commit_first_time_and_chain(self):
        recorded = threading.Barrier(self.WRITERS)
        tries, results, errors = {}, {}, []

        def run(name):
            try:
                results[name] = self._record(name, recorded, tries)
            except Exception as error:
                errors.append(error)

        threads = [
            threading.Thread(target=run, args=(f"writer {index}",))
            for index in range(self.WRITERS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        self.assertFalse(errors, errors)
        self.assertEqual(tries, dict.fromkeys(results, 1), "a writer was replayed")
        self.assertEqual(len(results), self.WRITERS)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            events = env["distrib.order.event"].browse(
                [event_id for ids in results.values() for event_id in ids]
            )
            self.assertTrue(all(events.mapped("event_hash")), "an event was not sealed")
            first = self.ids["head"][0] if self.ids["head"] else 0
            total = self.WRITERS * self.EVENTS
            self.assertEqual(
                sorted(events.mapped("chain_sequence")),
                list(range(first + 1, first + total + 1)),
            )
            # each writer's events keep their order in the chain
            for ids in results.values():
                sequences = events.browse(ids).mapped("chain_sequence")
                self.assertEqual(sequences, sorted(sequences))
            company = env["res.company"].browse(self.ids["company"])
            result = env["distrib.order.event"]._distrib_check_chain(company)
            self.assertTrue(result["intact"], result)
            self.assertEqual(result["pending"], 0)
