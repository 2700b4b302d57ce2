from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestDashboardUi(HttpCase):
    def test_dashboard_renders(self):
        self.env.ref("base.main_company").distrib_orchestration_enabled = True
        self.browser_js(
            "/odoo/action-distrib_orchestration.distrib_dashboard_action",
            "console.log('test successful')",
            ready="document.querySelectorAll("
            "'.o_distrib_orchestration_dashboard .o_distrib_orchestration_tile'"
            ").length >= 4",
            login="admin",
        )
