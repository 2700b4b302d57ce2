from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.base.tests.common import BaseCommon


@tagged("post_install", "-at_install")
class TestExceptionQueue(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Exception = cls.env["distrib.exception"]
        cls.company = cls.env.company
        cls.other_company = cls.env["res.company"].create({"name": "Other Co"})
        cls.owner = new_test_user(
            cls.env,
            login="exc_owner",
            groups="base.group_user,distrib_atp.group_distrib_procurement",
        )
        cls.boss = new_test_user(
            cls.env,
            login="exc_boss",
            groups="base.group_user,distrib_atp.group_distrib_manager",
        )
        cls.team = cls.env["distrib.exception.team"].create(
            {
                "name": "Purchasing",
                "leader_id": cls.boss.id,
                "member_ids": [Command.set(cls.owner.ids)],
            }
        )
        cls.partners = cls.env["res.partner"].create(
            [{"name": f"EXCTEST {i}", "company_id": cls.company.id} for i in range(3)]
        )

    def _api_rule(self, **vals):
        return self.env["distrib.exception.rule"].create(
            {
                "name": "Shortages",
                "exception_type": "shortage",
                "condition": "api",
                "owner_id": self.owner.id,
                "sla_hours": 8,
                "escalation_user_id": self.boss.id,
                **vals,
            }
        )

    def test_raise_for_is_idempotent_and_assigns(self):
        self._api_rule()
        first = self.Exception._raise_for(
            self.partners[:2], "shortage", summary="Short", impact_amount=50.0
        )
        self.assertEqual(len(first), 2)
        self.assertEqual(first.mapped("state"), ["assigned", "assigned"])
        self.assertEqual(first.owner_id, self.owner)
        self.assertTrue(all(first.mapped("sla_deadline")))
        activity = first[0].activity_ids
        self.assertEqual(activity.user_id, self.owner)
        # Replayed: same exceptions, refreshed, no duplicate, no second activity
        again = self.Exception._raise_for(
            self.partners[:2], "shortage", summary="Still short", impact_amount=70.0
        )
        self.assertEqual(again, first)
        self.assertEqual(first[0].summary, "Still short")
        self.assertEqual(first[0].impact_amount, 70.0)
        self.assertEqual(first[0].occurrence_count, 2)
        self.assertEqual(len(first[0].activity_ids), 1)
        self.assertEqual(
            self.Exception.search_count(
                [("res_model", "=", "res.partner"), ("res_id", "in", self.partners.ids)]
            ),
            2,
        )
        # another type on the same record is another exception
        other = self.Exception._raise_for(self.partners[0], "anomaly")
        self.assertNotEqual(other, first[0])

    def test_raise_for_with_team_and_unknown_type(self):
        exception = self.Exception._raise_for(
            self.partners[0], "credit_hold", team=self.team, blocking=True
        )
        self.assertEqual(exception.team_id, self.team)
        self.assertEqual(exception.owner_id, self.boss, "team leader by default")
        with self.assertRaisesRegex(UserError, "Unknown exception type"):
            self.Exception._raise_for(self.partners[0], "no_such_type")

    def test_open_exception_unique_per_rule_and_record(self):
        rule = self._api_rule()
        self.Exception._raise_for(self.partners[0], "shortage", rule=rule)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.Exception.create(
                    {
                        "summary": "duplicate",
                        "exception_type": "shortage",
                        "rule_id": rule.id,
                        "res_model": "res.partner",
                        "res_id": self.partners[0].id,
                    }
                )
        # once resolved, a new open exception may be raised
        self.Exception._resolve_for(self.partners[0], "shortage", note="Restocked")
        new = self.Exception._raise_for(self.partners[0], "shortage", rule=rule)
        self.assertEqual(new.state, "assigned")
        self.assertEqual(
            self.Exception.search_count([("res_id", "=", self.partners[0].id)]), 2
        )

    def test_resolve_for_and_has_blocking(self):
        blocking = self.Exception._raise_for(
            self.partners[0], "order_hold", blocking=True
        )
        self.Exception._raise_for(self.partners[1], "order_hold")
        self.assertEqual(
            self.Exception._has_blocking(self.partners),
            {
                self.partners[0].id: True,
                self.partners[1].id: False,
                self.partners[2].id: False,
            },
        )
        self.assertFalse(
            self.Exception._has_blocking(self.partners, exception_types=["anomaly"])[
                self.partners[0].id
            ]
        )
        with self.assertQueryCount(1):
            self.Exception._has_blocking(self.partners)
        with self.assertRaisesRegex(UserError, "resolution note is required"):
            self.Exception._resolve_for(self.partners[0], note=" ")
        resolved = self.Exception._resolve_for(self.partners[0], note="Released")
        self.assertEqual(resolved, blocking)
        self.assertEqual(blocking.state, "resolved")
        self.assertEqual(blocking.resolution_note, "Released")
        self.assertTrue(blocking.date_resolved)
        self.assertFalse(
            self.Exception._has_blocking(self.partners[0])[self.partners[0].id]
        )

    def test_resolve_needs_a_note(self):
        exception = self.Exception._raise_for(self.partners[0], "anomaly")
        with self.assertRaisesRegex(UserError, "resolution note"):
            exception.action_resolve()
        exception.resolution_note = "False alarm"
        exception.action_resolve()
        self.assertEqual(exception.state, "resolved")
        exception.action_reopen()
        self.assertEqual(exception.state, "new")

    def test_rule_needs_owner_or_team(self):
        with self.assertRaisesRegex(ValidationError, "needs an owner or a team"):
            self.env["distrib.exception.rule"].create(
                {"name": "Orphan", "exception_type": "anomaly"}
            )
        with self.assertRaisesRegex(ValidationError, "SLA .* cannot be negative"):
            self._api_rule(sla_hours=-1)
        with self.assertRaisesRegex(ValidationError, "invalid domain"):
            self._api_rule(
                condition="domain",
                model_id=self.env["ir.model"]._get_id("res.partner"),
                domain="[('no_such_field', '=', 1)]",
            )
        with self.assertRaisesRegex(ValidationError, "no check method"):
            self._api_rule(condition="hook", check_code="nothing_here")

    def test_escalation_cron(self):
        self._api_rule(team_id=self.team.id)
        with freeze_time("2024-03-01 08:00:00"):
            exception = self.Exception._raise_for(self.partners[0], "shortage")
            self.assertEqual(exception.sla_deadline, datetime(2024, 3, 1, 16, 0))
            self.assertEqual(exception.age_bucket, "lt_1d")
        with freeze_time("2024-03-01 15:00:00"):
            exception.invalidate_recordset(["is_overdue"])
            self.Exception._cron_escalate()
            self.assertEqual(exception.state, "assigned")
            self.assertFalse(exception.is_overdue)
        with freeze_time("2024-03-03 09:00:00"):
            exception.invalidate_recordset(["is_overdue"])
            self.assertTrue(exception.is_overdue)
            self.assertIn(exception, self.Exception.search([("is_overdue", "=", True)]))
            result = self.Exception._cron_escalate()
            self.assertEqual(result, {"escalated": 1, "failures": 0})
            self.assertEqual(exception.state, "escalated")
            self.assertEqual(exception.escalated_to_id, self.boss)
            self.assertIn(self.boss, exception.activity_ids.user_id)
            self.assertIn("SLA breached", exception.message_ids[0].body)
            self.assertEqual(exception.age_bucket, "1_3d")
            # escalated exceptions are not escalated again
            self.assertEqual(self.Exception._cron_escalate()["escalated"], 0)
        with freeze_time("2024-03-10 09:00:00"):
            self.Exception._refresh_age_buckets()
            self.assertEqual(exception.age_bucket, "gt_7d")

    def test_escalation_failure_does_not_stop_cron(self):
        self._api_rule(sla_hours=1)
        exceptions = self.Exception._raise_for(self.partners, "shortage")
        exceptions.sla_deadline = datetime(2020, 1, 1)
        original = type(self.Exception)._escalate

        def failing(records):
            if records.res_id == self.partners[1].id:
                raise ValueError("broken record")
            return original(records)

        with (
            patch.object(type(self.Exception), "_escalate", failing),
            mute_logger("odoo.addons.distrib_exceptions.models.distrib_exception"),
        ):
            result = self.Exception._cron_escalate()
        self.assertEqual(result, {"escalated": 2, "failures": 1})
        self.assertEqual(
            exceptions.mapped("state"), ["escalated", "assigned", "escalated"]
        )

    def test_domain_rule_raises_and_auto_resolves(self):
        rule = self._api_rule(
            name="Test partners",
            exception_type="anomaly",
            condition="domain",
            model_id=self.env["ir.model"]._get_id("res.partner"),
            domain="[('name', '=like', 'EXCTEST%')]",
        )
        stats = rule._evaluate()
        self.assertEqual(stats, {"raised": 3, "resolved": 0, "failures": 0})
        self.assertEqual(rule.open_exception_count, 3)
        # evaluating again refreshes, never duplicates
        rule._evaluate()
        self.assertEqual(rule.open_exception_count, 3)
        self.partners[0].name = "Renamed"
        stats = self.env["distrib.exception.rule"]._cron_evaluate_rules()
        self.assertEqual(stats["resolved"], 1)
        closed = self.Exception.search(
            [("rule_id", "=", rule.id), ("res_id", "=", self.partners[0].id)]
        )
        self.assertEqual(closed.state, "resolved")
        self.assertIn("cleared", closed.resolution_note)
        self.assertEqual(rule.open_exception_count, 2)

    def test_rule_failing_record_does_not_stop_the_others(self):
        rule = self._api_rule(
            exception_type="anomaly",
            condition="domain",
            model_id=self.env["ir.model"]._get_id("res.partner"),
            domain="[('name', '=like', 'EXCTEST%')]",
        )
        original = type(rule)._raise_one

        def failing(this, record, values):
            if record == self.partners[1]:
                raise ValueError("cannot evaluate this one")
            return original(this, record, values)

        with (
            patch.object(type(rule), "_raise_one", failing),
            mute_logger("odoo.addons.distrib_exceptions.models.distrib_exception_rule"),
        ):
            stats = rule._evaluate()
        self.assertEqual(stats["raised"], 2)
        self.assertEqual(stats["failures"], 1)
        self.assertEqual(rule.last_run_failures, 1)
        self.assertEqual(
            set(self.Exception.search([("rule_id", "=", rule.id)]).mapped("res_id")),
            {self.partners[0].id, self.partners[2].id},
        )

    def test_hook_rule(self):
        Rule = type(self.env["distrib.exception.rule"])
        partner = self.partners[2]

        def check(rule):
            return {partner: {"summary": "Hooked", "impact_amount": 12.5}}

        with patch.object(Rule, "_distrib_check_test_hook", check, create=True):
            rule = self._api_rule(
                exception_type="pricing_margin",
                condition="hook",
                check_code="test_hook",
            )
            rule._evaluate()
        exception = self.Exception.search([("rule_id", "=", rule.id)])
        self.assertEqual(exception.summary, "Hooked")
        self.assertEqual(exception.impact_amount, 12.5)
        self.assertEqual(exception.source_name, partner.display_name)
        action = exception.action_open_source()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("res.partner", partner.id)
        )

    def test_access_by_role_and_company(self):
        mine = self.Exception._raise_for(self.partners[0], "anomaly")
        foreign_partner = self.env["res.partner"].create(
            {"name": "Foreign", "company_id": self.other_company.id}
        )
        foreign = self.Exception._raise_for(foreign_partner, "anomaly")
        self.assertEqual(foreign.company_id, self.other_company)
        as_owner = self.Exception.with_user(self.owner)
        self.assertEqual(as_owner.search([("exception_type", "=", "anomaly")]), mine)
        mine.with_user(self.owner).action_take()
        self.assertEqual(mine.owner_id, self.owner)
        with self.assertRaises(AccessError):
            mine.with_user(self.owner).unlink()
        with self.assertRaises(AccessError):
            self.env["distrib.exception.rule"].with_user(self.owner).create(
                {"name": "x", "exception_type": "anomaly", "owner_id": self.owner.id}
            )
        # a user without any distrib role cannot read the queue ...
        plain = new_test_user(self.env, login="exc_plain", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.Exception.with_user(plain).search([])
        # ... but the API works for the records the user can read
        raised = self.Exception.with_user(plain)._raise_for(self.partners[1], "anomaly")
        self.assertEqual(raised.sudo().create_uid, plain)

    def test_smart_button_count(self):
        order = self.env["sale.order"].create({"partner_id": self.partners[0].id})
        self.Exception._raise_for(order, "order_hold")
        self.assertEqual(order.distrib_exception_count, 1)
        action = order.action_distrib_view_exceptions()
        self.assertEqual(self.Exception.search(action["domain"]).res_id, order.id)
        self.assertEqual(
            self.Exception._get_open_for(order).exception_type, "order_hold"
        )
        self.Exception._resolve_for(order, note="ok")
        order.invalidate_recordset(["distrib_exception_count"])
        self.assertEqual(order.distrib_exception_count, 0)

    def test_sla_from_rule_hours(self):
        self._api_rule(sla_hours=0)
        exception = self.Exception._raise_for(self.partners[0], "shortage")
        self.assertFalse(exception.sla_deadline)
        self.assertLess(exception.age, 1.0)
        with freeze_time("2024-03-01 08:00:00"):
            self.assertEqual(
                self.Exception._sla_deadline_from_hours(2), datetime(2024, 3, 1, 10, 0)
            )

    def test_root_cause_fits_its_exception_type(self):
        RootCause = self.env["distrib.exception.root.cause"]
        credit = RootCause.create(
            {"name": "Customer over limit", "exception_types": "credit_hold"}
        )
        stock = RootCause.create(
            {"name": "Miscount", "exception_types": "shortage, cycle_count_variance"}
        )
        anything = RootCause.create({"name": "Anything"})
        shortage = self.Exception._raise_for(self.partners[0], "shortage")
        allowed = shortage.allowed_root_cause_ids
        self.assertIn(stock, allowed)
        self.assertIn(anything, allowed)
        self.assertNotIn(credit, allowed)
        with self.assertRaisesRegex(ValidationError, "does not apply to Shortage"):
            with self.env.cr.savepoint():
                shortage.root_cause_id = credit
        shortage.root_cause_id = stock
        with self.assertRaisesRegex(ValidationError, "stock_count is not"):
            with self.env.cr.savepoint():
                RootCause.create({"name": "Typo", "exception_types": "stock_count"})
