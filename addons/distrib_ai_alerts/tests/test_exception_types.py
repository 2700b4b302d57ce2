from odoo import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG
from odoo.addons.base.tests.common import BaseCommon


@tagged("post_install", "-at_install")
class TestExceptionTypes(BaseCommon):
    """Each addon adds its exception types and approval metrics once; the
    exception, the rule and the root causes see the same list, and
    uninstalling an addon removes what used its values without breaking."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.owner = new_test_user(
            cls.env,
            login="types_owner",
            groups="base.group_user,distrib_atp.group_distrib_finance",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.partner = cls.env["res.partner"].create({"name": "Typed Partner"})

    def _rule(self, exception_type, **vals):
        return self.env["distrib.exception.rule"].create(
            {
                "name": f"Rule {exception_type}",
                "company_id": self.company.id,
                "exception_type": exception_type,
                "owner_id": self.owner.id,
                "sla_hours": 12.0,
                **vals,
            }
        )

    def _remove_value(self, model, field, value):
        """What uninstalling the addon of ``value`` does to its records."""
        self.env["ir.model.fields.selection"].search(
            [
                ("field_id.model", "=", model),
                ("field_id.name", "=", field),
                ("value", "=", value),
            ]
        ).with_context(**{MODULE_UNINSTALL_FLAG: True}).unlink()

    def test_rule_for_late_order_risk(self):
        rule = self._rule("late_order_risk")
        exception = self.env["distrib.exception"]._raise_for(
            self.partner, "late_order_risk"
        )
        self.assertEqual(exception.rule_id, rule)
        self.assertEqual(exception.owner_id, self.owner)
        self.assertTrue(exception.sla_deadline)

    def test_one_list_of_types(self):
        exception_types = self.env["distrib.exception"]._fields["exception_type"]
        rule_types = self.env["distrib.exception.rule"]._fields["exception_type"]
        self.assertEqual(exception_types.selection, rule_types.selection)
        # the types of the addons below this one, in order (addons above it,
        # e.g. distrib_close, append theirs after)
        self.assertEqual(
            [key for key, _label in exception_types.selection][:11],
            [
                "shortage",
                "order_hold",
                "credit_hold",
                "pricing_margin",
                "negative_margin",
                "receipt_variance",
                "cycle_count_variance",
                "unmatched_bill",
                "delayed_receipt",
                "anomaly",
                "late_order_risk",
            ],
        )
        Policy = self.env["distrib.approval.policy"]
        self.assertEqual(
            [key for key, _label in Policy._fields["metric"].selection][:6],
            [
                "margin_percent",
                "discount_percent",
                "credit_over_limit",
                "valuation_impact",
                "receipt_variance_percent",
                "cycle_count_variance",
            ],
        )
        self.assertLessEqual(
            {"margin_percent", "discount_percent", "receipt_variance_percent"},
            set(Policy._percent_metrics()),
        )

    def test_shipped_root_causes_explain_every_addons_types(self):
        expected = {
            "root_cause_supplier": {
                "shortage",
                "receipt_variance",
                "unmatched_bill",
                "delayed_receipt",
            },
            "root_cause_pricing": {
                "pricing_margin",
                "negative_margin",
                "unmatched_bill",
                "anomaly",
            },
            "root_cause_stock": {
                "shortage",
                "receipt_variance",
                "cycle_count_variance",
                "anomaly",
            },
            "root_cause_customer": {"credit_hold", "order_hold", "anomaly"},
            "root_cause_forecast": {"shortage", "delayed_receipt", "order_hold"},
        }
        for xmlid, types in expected.items():
            module = (
                "distrib_orchestration"
                if xmlid == "root_cause_customer"
                else "distrib_exceptions"
            )
            cause = self.env.ref(f"{module}.{xmlid}")
            self.assertEqual(cause._get_exception_types(), types, xmlid)

    def test_uninstalled_type_removes_its_rules_and_exceptions(self):
        rule = self._rule("credit_hold")
        other_rule = self._rule("receipt_variance")
        held = self.env["distrib.exception"]._raise_for(self.partner, "credit_hold")
        kept = self.env["distrib.exception"]._raise_for(
            self.partner, "receipt_variance"
        )
        self.assertEqual(held.rule_id, rule)
        self._remove_value("distrib.exception", "exception_type", "credit_hold")
        self._remove_value("distrib.exception.rule", "exception_type", "credit_hold")
        self.assertFalse(held.exists())
        self.assertFalse(rule.exists())
        self.assertEqual(kept.exists().rule_id, other_rule)

    def test_uninstalled_metric_keeps_the_audited_policies(self):
        Policy = self.env["distrib.approval.policy"]
        used, unused = Policy.create(
            [
                {
                    "name": "Discount",
                    "company_id": self.company.id,
                    "metric": "discount_percent",
                    "threshold": 20.0,
                    "approver_user_id": self.owner.id,
                },
                {
                    "name": "Credit",
                    "company_id": self.company.id,
                    "metric": "credit_over_limit",
                    "threshold": 0.0,
                    "approver_user_id": self.owner.id,
                },
            ]
        )
        request = (
            self.env["distrib.approval.request"]
            .sudo()
            .create(
                {
                    "company_id": self.company.id,
                    "policy_id": used.id,
                    "res_model": "res.partner",
                    "res_id": self.partner.id,
                    "value": 30.0,
                    "threshold": 20.0,
                    "requested_by_id": self.env.user.id,
                }
            )
        )
        for metric in ("discount_percent", "credit_over_limit"):
            self._remove_value("distrib.approval.policy", "metric", metric)
        self.assertFalse(unused.exists())
        self.assertTrue(used.exists())
        self.assertFalse(used.active)
        self.assertEqual(request.policy_id, used)
