"""All five addons install together: the test database of `make test` has them all."""

from odoo.tests import TransactionCase, tagged

from .conftest import DISTRIB_ADDONS


@tagged("post_install", "-at_install")
class TestSuiteInstalled(TransactionCase):
    def test_all_five_addons_installed_together(self):
        modules = self.env["ir.module.module"].search([("name", "in", DISTRIB_ADDONS)])
        self.assertEqual(
            sorted(modules.filtered(lambda m: m.state == "installed").mapped("name")),
            sorted(DISTRIB_ADDONS),
        )

    def test_distribution_app_and_roles(self):
        menu = self.env.ref("distrib_atp.distrib_menu_root")
        self.assertEqual(menu.name, "Distribution")
        manager = self.env.ref("distrib_atp.group_distrib_manager")
        for role in ("sales", "warehouse", "procurement", "finance"):
            group = self.env.ref(f"distrib_atp.group_distrib_{role}")
            self.assertIn(group, manager.implied_ids)
        self.assertIn(self.env.ref("base.user_admin"), manager.users)
