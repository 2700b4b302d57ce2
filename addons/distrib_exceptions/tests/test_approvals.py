from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.base.tests.common import BaseCommon


@tagged("post_install", "-at_install")
class TestApprovals(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Policy = cls.env["distrib.approval.policy"]
        cls.requester = new_test_user(
            cls.env,
            login="apr_requester",
            groups="base.group_user,base.group_partner_manager,"
            "distrib_atp.group_distrib_sales",
        )
        cls.approver = new_test_user(
            cls.env,
            login="apr_approver",
            groups="base.group_user,distrib_atp.group_distrib_finance",
        )
        cls.director = new_test_user(
            cls.env,
            login="apr_director",
            groups="base.group_user,distrib_atp.group_distrib_manager",
        )
        cls.policy = cls.Policy.create(
            {
                "name": "Discounts",
                "metric": "discount_percent",
                "threshold": 10.0,
                "approver_group_id": cls.env.ref(
                    "distrib_atp.group_distrib_finance"
                ).id,
                "use_level2": True,
                "level2_threshold": 25.0,
                "level2_user_id": cls.director.id,
            }
        )
        cls.partner = cls.env["res.partner"].create({"name": "Held Partner"})

    def _check(self, value, user=None, method="action_archive"):
        partner = self.partner.with_user(user or self.requester)
        return partner.env["distrib.approval.policy"]._check_value(
            partner, "discount_percent", value, resume_method=method
        )

    def _assert_invalid(self, pattern, vals):
        with self.assertRaisesRegex(ValidationError, pattern), self.env.cr.savepoint():
            self.Policy.create(vals)

    def test_policy_validation(self):
        base = {
            "name": "Bad",
            "metric": "margin_percent",
            "direction": "below",
            "approver_user_id": self.approver.id,
        }
        self._assert_invalid("between 0 and 100", {**base, "threshold": 120.0})
        self._assert_invalid("between 0 and 100", {**base, "threshold": -5.0})
        self._assert_invalid(
            "must be below",
            {
                **base,
                "threshold": 10.0,
                "use_level2": True,
                "level2_threshold": 15.0,
                "level2_user_id": self.director.id,
            },
        )
        self._assert_invalid(
            "cannot be negative",
            {**base, "metric": "valuation_impact", "threshold": -1.0},
        )
        self._assert_invalid(
            "needs an approver", {**base, "threshold": 5.0, "approver_user_id": False}
        )
        self._assert_invalid(
            "level 2 approver",
            {**base, "threshold": 5.0, "use_level2": True, "level2_threshold": 2.0},
        )

    def test_no_request_within_threshold(self):
        self.assertIsNone(self._check(5.0))
        self.assertIsNone(
            self.Policy._check_value(
                self.partner,
                "margin_percent",
                -50.0,
                resume_method="action_archive",
            ),
            "no policy on this metric",
        )

    def test_approve_resumes_held_action(self):
        request = self._check(15.0)
        self.assertEqual(request.state, "pending")
        self.assertEqual(request.requested_by_id, self.requester)
        self.assertEqual(request.max_level, 1)
        self.assertEqual(self._check(16.0), request, "the pending one is reused")
        self.assertEqual(request.value, 16.0, "the approver decides on the latest")
        with self.assertRaisesRegex(UserError, "someone else must approve"):
            request.with_user(self.requester).action_approve()
        outsider = new_test_user(
            self.env,
            login="apr_outsider",
            groups="base.group_user,distrib_atp.group_distrib_sales",
        )
        with self.assertRaisesRegex(UserError, "not an approver"):
            request.with_user(outsider).action_approve()
        self.assertTrue(self.partner.active)
        request.with_user(self.approver).action_approve("fine this time")
        self.assertEqual(request.state, "approved")
        self.assertFalse(self.partner.active, "the held action resumed by itself")
        decision = request.decision_ids
        self.assertRecordValues(
            decision,
            [
                {
                    "user_id": self.approver.id,
                    "decision": "approved",
                    "value": 16.0,
                    "threshold": 10.0,
                    "comment": "fine this time",
                    "level": 1,
                }
            ],
        )
        with self.assertRaisesRegex(UserError, "already Approved"):
            request.with_user(self.approver).action_approve()

    def test_two_levels(self):
        request = self._check(30.0)
        self.assertEqual(request.max_level, 2)
        request.with_user(self.approver).action_approve()
        self.assertEqual(request.state, "pending")
        self.assertEqual(request.level, 2)
        self.assertEqual(request.threshold, 25.0)
        self.assertTrue(self.partner.active, "held until the second level")
        with self.assertRaisesRegex(UserError, "already approved .* previous level"):
            request.with_user(self.approver).action_approve()
        self.assertIn(self.director, request.activity_ids.user_id)
        request.with_user(self.director).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.decision_ids.mapped("level"), [1, 2])
        self.assertFalse(self.partner.active)

    def test_reject_posts_reason_on_source(self):
        request = self._check(12.0)
        with self.assertRaisesRegex(UserError, "reason"):
            request.with_user(self.approver).action_reject("  ")
        request.with_user(self.approver).action_reject("Too generous")
        self.assertEqual(request.state, "rejected")
        self.assertEqual(request.rejection_reason, "Too generous")
        self.assertTrue(self.partner.active)
        self.assertIn("Too generous", self.partner.message_ids[0].body)
        self.assertEqual(request.decision_ids.decision, "rejected")
        with self.assertRaisesRegex(UserError, "already Rejected"):
            request.with_user(self.approver).action_approve()
        # a new attempt creates a new request
        self.assertNotEqual(self._check(12.0), request)

    def test_decision_wizard(self):
        request = self._check(12.0)
        action = (
            request.with_user(self.approver)
            .with_context(decision="rejected")
            .action_open_decision_wizard()
        )
        wizard = Form.from_action(self.env(user=self.approver), action)
        self.assertEqual(wizard.decision, "rejected")
        wizard.comment = "No"
        wizard.save().action_confirm()
        self.assertEqual(request.state, "rejected")

    def test_resume_failure_fails_the_approval(self):
        request = self._check(12.0)
        with (
            patch.object(
                type(self.partner),
                "action_archive",
                side_effect=UserError("Partner is locked"),
            ),
            self.assertRaisesRegex(UserError, "Partner is locked"),
        ):
            request.with_user(self.approver).action_approve()

    def test_audit_trail_is_immutable(self):
        request = self._check(12.0)
        request.with_user(self.approver).action_approve("ok")
        decision = request.decision_ids
        admin = self.env.ref("base.user_admin")
        # RPC-like calls as the administrator: no access right at all
        with self.assertRaises(AccessError):
            request.with_user(admin).write({"value": 1.0})
        with self.assertRaises(AccessError):
            request.with_user(admin).unlink()
        with self.assertRaises(AccessError):
            decision.with_user(admin).write({"comment": "edited"})
        with self.assertRaises(AccessError):
            decision.with_user(admin).unlink()
        # even bypassing access rights, the ORM refuses
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            request.sudo().write({"value": 1.0})
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            request.sudo().unlink()
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            decision.sudo().write({"comment": "edited"})
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            decision.sudo().unlink()
        with self.assertRaisesRegex(UserError, "never entered by hand"):
            self.env["distrib.approval.decision"].sudo().create(
                {
                    "request_id": request.id,
                    "level": 1,
                    "user_id": admin.id,
                    "decision": "approved",
                }
            )
        # pending requests only change through decisions either
        pending = self._check(13.0)
        with self.assertRaisesRegex(UserError, "only by approving or rejecting"):
            pending.sudo().write({"value": 1.0})
        self.assertEqual(request.value, 12.0)
        self.assertEqual(decision.comment, "ok")

    def test_other_company_cannot_see_requests(self):
        request = self._check(12.0)
        other = self.env["res.company"].create({"name": "Apr Other Co"})
        stranger = new_test_user(
            self.env,
            login="apr_stranger",
            groups="base.group_user,distrib_atp.group_distrib_finance",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        self.assertFalse(
            self.env["distrib.approval.request"]
            .with_user(stranger)
            .search([("id", "=", request.id)])
        )

    def test_values_read_in_their_unit(self):
        request = self._check(15.5)
        self.assertEqual(request.value_display, "15.50 %")
        self.assertEqual(request.threshold_display, "10.00 %")
        request.with_user(self.approver).action_approve()
        self.assertEqual(request.decision_ids.value_display, "15.50 %")
        amounts = self.Policy.create(
            {
                "name": "Counts",
                "metric": "cycle_count_variance",
                "threshold": 50.0,
                "approver_user_id": self.approver.id,
            }
        )
        currency = amounts.company_id.currency_id
        shown = amounts._format_value(1234.5)
        self.assertIn(currency.symbol, shown)
        self.assertIn("1,234.50", shown)
