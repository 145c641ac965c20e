from freezegun import freeze_time
from lxml import etree

from odoo.tests import Form, users

from .outage_common import NOW, GridOutageCase


@freeze_time(NOW)
class TestOutageViews(GridOutageCase):
    """Each role opens the forms of its work, which reads every field of the
    view and fails on a field the role may not read."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.outage = cls._outage(cls.tp_1)
        operator_env = cls.env(user=cls.operator)
        interactions = operator_env["grid.interaction"]
        cls.report = interactions.create(
            {"service_point_id": cls.point_c.id, "topic_id": cls.topic_outage.id}
        )
        cls.unmetered = interactions.create({"topic_id": cls.topic_unmetered.id})
        cls.unmetered_details = operator_env["grid.unmetered.report"].create(
            {"interaction_id": cls.unmetered.id, "suspected_address": "ул. Лесная, 3"}
        )
        campaign = cls.env["grid.notice.campaign"].create(
            {"name": "Calls", "outage_id": cls.outage.id, "channel_mode": "call"}
        )
        campaign.action_launch()
        campaign._build_recipients()
        cls.task = campaign.recipient_ids.filtered(
            lambda task: task.state == "pending"
        )[:1]

    def _open(self, record, view=None):
        # Values cached when the records were created would hide a field that
        # the role cannot read.
        self.env.invalidate_all()
        with Form(record.with_user(self.env.user), view=view) as form:
            return form

    @users("cc_dispatcher")
    def test_dispatcher_opens_reports_and_outages(self):
        form = self._open(self.report)
        self.assertEqual(form.state, "forwarded")
        self._open(self.outage)

    @users("cc_inspector")
    def test_inspector_opens_unmetered_report(self):
        self._open(self.unmetered)
        form = self._open(self.unmetered_details)
        self.assertEqual(form.suspected_address, "ул. Лесная, 3")

    @users("cc_operator")
    def test_operator_opens_call_task_and_outage(self):
        form = self._open(
            self.task, "grid_contact_center.grid_notice_recipient_view_form_call"
        )
        self.assertEqual(form.channel, "call")
        self._open(self.outage)
        self._open(self.service_point)

    @users("cc_manager")
    def test_manager_opens_topology_import(self):
        with Form(self.env["grid.element.import"]) as form:
            self.assertEqual(form.state, "draft")
            form.file = "a2luZCxjb2RlLG5hbWUscGFyZW50X2NvZGUK"
        self._open(self.tp_1)

    @users("cc_dispatcher")
    def test_stat_buttons_use_statinfo(self):
        """Every count in the outage form's button box is a stat button, so
        that its value and label are laid out apart."""
        arch = self.env["grid.outage"].get_view(view_type="form")["arch"]
        box = etree.fromstring(arch).xpath("//div[@name='button_box']")[0]
        counts = box.xpath(".//field")
        self.assertIn("partner_count", [field.get("name") for field in counts])
        for field in counts:
            with self.subTest(field=field.get("name")):
                self.assertEqual(field.get("widget"), "statinfo")
                self.assertEqual(field.getparent().tag, "button")
