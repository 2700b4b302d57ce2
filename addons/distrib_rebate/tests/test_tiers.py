"""The tier arithmetic, without a database."""

import unittest

from odoo.addons.distrib_rebate import tiers

SCALE = [(0.0, 2.0), (100000.0, 3.0), (250000.0, 4.0)]


class TestTiers(unittest.TestCase):
    def test_rate_and_index(self):
        self.assertEqual(tiers.tier_index(SCALE, 99999.99), 0)
        self.assertEqual(tiers.rate_at(SCALE, 100000.0), 3.0)
        self.assertEqual(tiers.rate_at(SCALE, 1e9), 4.0)
        self.assertEqual(tiers.rate_at([(50.0, 1.0)], 10.0), 0.0)
        self.assertEqual(tiers.tier_index([(50.0, 1.0)], 10.0), -1)

    def test_retroactive(self):
        self.assertAlmostEqual(tiers.earned(SCALE, 90000.0), 1800.0)
        self.assertAlmostEqual(tiers.earned(SCALE, 110000.0), 3300.0)

    def test_incremental(self):
        self.assertAlmostEqual(
            tiers.earned(SCALE, 300000.0, tiers.INCREMENTAL),
            100000 * 0.02 + 150000 * 0.03 + 50000 * 0.04,
        )

    def test_negative_and_empty(self):
        self.assertAlmostEqual(tiers.earned(SCALE, -1000.0), -20.0)
        self.assertEqual(tiers.earned([], 1000.0), 0.0)
        self.assertEqual(tiers.earned([(10.0, 5.0)], -3.0), 0.0)

    def test_earned_rate(self):
        self.assertEqual(tiers.earned_rate(SCALE, 120000.0), 3.0)
        self.assertAlmostEqual(
            tiers.earned_rate(SCALE, 200000.0, tiers.INCREMENTAL), 2.5
        )
        self.assertEqual(tiers.earned_rate(SCALE, -5.0), 2.0)
