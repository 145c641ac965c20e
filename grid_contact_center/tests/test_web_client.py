from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestWebClient(HttpCase):
    def test_operator_web_client_boots_in_browser(self):
        """The backend, with the suite's assets, starts in Chromium for an
        operator without a JavaScript error."""
        new_test_user(
            self.env, "cc_operator", groups="grid_contact_center.group_operator"
        )
        self.browser_js(
            "/odoo",
            "console.log('test successful')",
            "odoo.isReady",
            login="cc_operator",
        )
