import threading
from concurrent.futures import ThreadPoolExecutor

from psycopg2 import errors as pg_errors

import odoo
from odoo.modules.registry import Registry
from odoo.tests.common import BaseCase, get_db_name, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestRaiseConcurrency(BaseCase):
    """Two transactions raising the same exception at once: one wins, the other
    gets a serialization failure (Odoo retries it), whose retry refreshes the
    exception instead of duplicating it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.addClassCleanup(cls._cleanup)
        with cls.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            cls.partner_id = env["res.partner"].create({"name": "Race Partner"}).id

    @classmethod
    def _cleanup(cls):
        with cls.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            env["distrib.exception"].search(
                [("res_model", "=", "res.partner"), ("res_id", "=", cls.partner_id)]
            ).unlink()
            env["res.partner"].browse(cls.partner_id).unlink()

    def _raise(self):
        with self.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            return (
                env["distrib.exception"]
                ._raise_for(env["res.partner"].browse(self.partner_id), "anomaly")
                .id
            )

    @mute_logger("odoo.sql_db")
    def test_concurrent_raise_keeps_one_open_exception(self):
        barrier = threading.Barrier(2)

        def run():
            with self.registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                partner = env["res.partner"].browse(self.partner_id)
                self.assertFalse(env["distrib.exception"]._get_open_for(partner))
                barrier.wait(timeout=5)
                try:
                    env["distrib.exception"]._raise_for(partner, "anomaly")
                except pg_errors.SerializationFailure:
                    return True
            return False

        with ThreadPoolExecutor(max_workers=2) as executor:
            futures = [executor.submit(run) for _i in range(2)]
            retried = [future.result(timeout=20) for future in futures]
        self.assertEqual(sorted(retried), [False, True])
        # the retry of the losing transaction refreshes the winner's exception
        exception_id = self._raise()
        with self.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            exceptions = env["distrib.exception"].search(
                [("res_model", "=", "res.partner"), ("res_id", "=", self.partner_id)]
            )
            self.assertEqual(exceptions.ids, [exception_id])
            self.assertEqual(exceptions.occurrence_count, 2)
