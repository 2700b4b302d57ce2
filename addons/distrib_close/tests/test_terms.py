from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import DistribCloseCommon


@tagged("post_install", "-at_install")
class TestLandedCostTerms(DistribCloseCommon):
    def test_most_specific_term_wins(self):
        belgium = self.env.ref("base.be")
        self.vendor.country_id = belgium
        child = self.env["product.category"].create(
            {"name": "Child", "parent_id": self.accounts["goods_categ"].id}
        )
        self.product.categ_id = child
        Term = self.env["distrib.landed.cost.term"]
        country = self._create_term(
            self.company, "BE", "percent", 3.0, country_id=belgium.id
        )
        parent_categ = self._create_term(
            self.company,
            "Goods",
            "percent",
            4.0,
            categ_id=self.accounts["goods_categ"].id,
        )
        child_categ = self._create_term(
            self.company, "Child", "percent", 6.0, categ_id=child.id
        )
        order = self._create_po(qty=1.0)
        move = order.order_line.move_ids
        chosen = Term._terms_for_moves(self.company, self.vendor, move)[move]
        self.assertEqual(chosen["freight"], child_categ)
        vendor_term = self._create_term(
            self.company, "Vendor", "per_unit", 1.0, partner_id=self.vendor.id
        )
        chosen = Term._terms_for_moves(self.company, self.vendor, move)[move]
        self.assertEqual(chosen["freight"], vendor_term)
        # another vendor from Belgium, product outside the categories: country
        other = self.env["res.partner"].create(
            {"name": "BE Co", "country_id": belgium.id}
        )
        self.product.categ_id = self.category
        chosen = Term._terms_for_moves(self.company, other, move)[move]
        self.assertEqual(chosen["freight"], country)
        self.assertLess(country.specificity, parent_categ.specificity)
        self.assertLess(parent_categ.specificity, child_categ.specificity)
        # one term per cost type: a duty term applies next to the freight one
        duty = self._create_term(self.company, "Duty", "percent", 2.0, cost_type="duty")
        chosen = Term._terms_for_moves(self.company, other, move)[move]
        self.assertEqual(chosen["duty"], duty)

    def test_bad_terms_refused(self):
        with self.assertRaisesRegex(ValidationError, "needs a basis"):
            self._create_term(self.company, "No basis", False, 5.0)
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self._create_term(self.company, "Negative", "per_unit", -1.0)
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            self._create_term(self.company, "Too much", "percent", 150.0)
        with self.assertRaisesRegex(ValidationError, "marked as a landed cost"):
            self._create_term(
                self.company, "Goods", "percent", 1.0, product_id=self.product.id
            )
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            self.company.distrib_lc_variance_tolerance = 120.0
        with self.assertRaisesRegex(ValidationError, "not a valid value"):
            self.env["distrib.landed.cost.term"].create(
                {
                    "name": "Bad",
                    "basis": "per_unit",
                    "rate": "a lot",
                    "product_id": self.freight.id,
                }
            )
