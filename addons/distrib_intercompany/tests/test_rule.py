from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import DistribIntercompanyCommon


@tagged("post_install", "-at_install")
class TestIntercompanyRule(DistribIntercompanyCommon):
    def test_rule_valid(self):
        rule = self._create_rule()
        self.assertEqual(rule.name, f"{self.company_a.name} from {self.company_b.name}")
        self.assertEqual(
            self.Rule._distrib_get_rule(self.company_a, self.company_b), rule
        )
        # the pair is ordered: B may not source from A
        self.assertFalse(
            self.Rule._distrib_get_rule(
                self.company_b, self.company_a, raise_if_missing=False
            )
        )

    def test_rule_same_company(self):
        with (
            self.assertRaisesRegex(ValidationError, "cannot source from itself"),
            self.cr.savepoint(),
        ):
            self._create_rule(supplier_company_id=self.company_a.id)

    def test_rule_negative_markup(self):
        with (
            self.assertRaisesRegex(ValidationError, "cannot be negative"),
            self.cr.savepoint(),
        ):
            self._create_rule(markup_percent=-5.0)

    def test_rule_missing_user(self):
        with (
            self.assertRaisesRegex(ValidationError, "intercompany user"),
            self.cr.savepoint(),
        ):
            self._create_rule(supplier_user_id=False)
        # a forbidden pair needs no user
        rule = self._create_rule(allowed=False, user_id=False, supplier_user_id=False)
        self.assertFalse(rule.allowed)

    def test_rule_user_of_wrong_company(self):
        with (
            self.assertRaisesRegex(ValidationError, "cannot work in"),
            self.cr.savepoint(),
        ):
            self._create_rule(supplier_user_id=self.sales_a.id)

    def test_rule_pricelist_required(self):
        with self.assertRaisesRegex(ValidationError, "choose one"), self.cr.savepoint():
            self._create_rule(price_method="pricelist")

    def test_rule_journal_of_other_company(self):
        journal_b = self.env["account.journal"].search(
            [("company_id", "=", self.company_b.id), ("type", "=", "purchase")],
            limit=1,
        )
        with self.assertRaisesRegex(ValidationError, "belongs to"), self.cr.savepoint():
            self._create_rule(purchase_journal_id=journal_b.id)

    def test_rule_unique_pair(self):
        self._create_rule()
        with (
            self.assertRaises(IntegrityError),
            self.cr.savepoint(),
            mute_logger("odoo.sql_db"),
        ):
            self._create_rule()

    def test_rule_access(self):
        """A salesperson of a third company never sees A/B's rules; sales can't edit."""
        rule = self._create_rule()
        with self.assertRaises(AccessError):
            rule.with_user(self.sales_a).write({"markup_percent": 50.0})
