import socketserver
import threading

from odoo.exceptions import UserError
from odoo.tests import tagged, users

from ..tools.ami_client import _encode
from .common import TelephonyCase


class _FakeAsterisk(socketserver.StreamRequestHandler):
    """Answers Challenge, Login, Originate and Logoff like Asterisk and
    records the actions it got."""

    def handle(self):
        server = self.server
        self.wfile.write(b"Asterisk Call Manager/6.0.0\r\n")
        action = {}
        for raw in self.rfile:
            line = raw.decode().rstrip("\r\n")
            if line:
                key, _sep, value = line.partition(": ")
                action.setdefault(key, value)
                continue
            server.actions.append(action)
            reply = [("Response", "Success"), ("ActionID", action.get("ActionID", ""))]
            name = action.get("Action")
            if name == "Challenge":
                reply.append(("Challenge", "840515283"))
            elif name == "Login" and action.get("Username") != "grid":
                reply = [
                    ("Response", "Error"),
                    ("ActionID", action.get("ActionID", "")),
                ]
                reply.append(("Message", "Authentication failed"))
            elif name == "Originate" and server.reject_originate:
                reply = [
                    ("Response", "Error"),
                    ("ActionID", action.get("ActionID", "")),
                ]
                reply.append(("Message", "Originate failed"))
            elif name == "Originate":
                reply.append(("Message", "Originate successfully queued"))
            self.wfile.write(_encode(reply))
            if name == "Logoff":
                return
            action = {}


@tagged("post_install", "-at_install")
class TestClickToDial(TelephonyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _FakeAsterisk)
        cls.server.daemon_threads = True
        cls.server.actions = []
        cls.server.reject_originate = False
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.addClassCleanup(cls.server.server_close)
        cls.addClassCleanup(cls.server.shutdown)
        cls.provider.write(
            {
                "ami_host": "127.0.0.1",
                "ami_port": cls.server.server_address[1],
                "ami_username": "grid",
                "ami_secret": "ami-secret",
                "ami_channel_template": "PJSIP/{extension}",
                "ami_context": "from-internal",
            }
        )

    def setUp(self):
        super().setUp()
        self.server.actions.clear()
        self.server.reject_originate = False

    def _originate(self):
        return next(a for a in self.server.actions if a.get("Action") == "Originate")

    @users("tel_operator")
    def test_consumer_dialled_from_agent_extension(self):
        consumer = self.consumer.with_user(self.env.user)
        action = consumer.with_context(grid_dial_field="phone").action_grid_dial()
        self.assertEqual(action["tag"], "display_notification")
        originate = self._originate()
        self.assertEqual(originate["Channel"], "PJSIP/101")
        self.assertEqual(originate["Exten"], "84012556677")
        self.assertEqual(originate["Context"], "from-internal")
        self.assertEqual(originate["Async"], "true")
        login = next(a for a in self.server.actions if a.get("Action") == "Login")
        self.assertEqual(login["AuthType"], "MD5")
        self.assertNotIn("Secret", login)
        call = self.env["grid.call"].search(
            [("external_call_id", "=", originate["ChannelId"])]
        )
        self.assertEqual(originate["ActionID"], originate["ChannelId"])
        self.assertEqual(call.direction, "outbound")
        self.assertEqual(call.source, "click_to_dial")
        self.assertEqual(call.agent_id, self.env.user)
        self.assertEqual(call.partner_id, self.consumer)

    @users("tel_operator")
    def test_service_point_and_interaction_dialled(self):
        self.service_point.phone = "+7 911 222-33-44"
        self.service_point.with_user(self.env.user).action_grid_dial()
        self.assertEqual(self._originate()["Exten"], "89112223344")
        self.server.actions.clear()
        interaction = self.env["grid.interaction"].create(
            {
                "partner_id": self.consumer.id,
                "caller_phone": "8 (4012) 55-66-77",
                "topic_id": self.env.ref("grid_contact_center.topic_8").id,
            }
        )
        interaction.action_grid_dial()
        call = self.env["grid.call"].search(
            [("external_call_id", "=", self._originate()["ChannelId"])]
        )
        self.assertEqual(call.interaction_id, interaction)

    def test_call_events_of_dialled_call_update_it(self):
        self.consumer.with_user(self.operator).action_grid_dial()
        channel_id = self._originate()["ChannelId"]
        self.process(
            [
                self.event(
                    "answered",
                    channel_id,
                    10,
                    direction="outbound",
                    caller_number="101",
                    called_number="84012556677",
                ),
                self.event(
                    "ended", channel_id, 70, direction="outbound", outcome="answered"
                ),
            ]
        )
        call = self.call(channel_id)
        self.assertEqual(len(call), 1)
        self.assertEqual(call.outcome, "answered")
        self.assertEqual(call.partner_id, self.consumer)

    @users("tel_operator_2")
    def test_rejected_originate_is_a_clear_error(self):
        self.server.reject_originate = True
        with self.assertRaisesRegex(UserError, "Originate failed"):
            self.consumer.with_user(self.env.user).action_grid_dial()

    def test_user_without_extension_gets_error(self):
        with self.assertRaisesRegex(UserError, "no phone extension"):
            self.consumer.with_user(self.supervisor).action_grid_dial()

    def test_unreachable_pbx_is_a_clear_error(self):
        self.provider.ami_port = 1
        with self.assertRaisesRegex(UserError, "cannot connect to the AMI"):
            self.consumer.with_user(self.operator).action_grid_dial()

    @users("tel_operator")
    def test_notice_call_task_dialled(self):
        campaign = (
            self.env["grid.notice.campaign"]
            .sudo()
            .create(
                {"name": "Planned work", "source": "partners", "channel_mode": "call"}
            )
        )
        task = (
            self.env["grid.notice.recipient"]
            .sudo()
            .create(
                {
                    "campaign_id": campaign.id,
                    "company_id": self.company.id,
                    "partner_id": self.consumer.id,
                    "service_point_id": self.service_point.id,
                    "channel": "call",
                    "phone": "+74012556677",
                }
            )
        )
        task.with_env(self.env).action_take()
        task.with_env(self.env).action_grid_dial()
        originate = self._originate()
        self.assertEqual(originate["Channel"], "PJSIP/101")
        self.assertEqual(originate["Exten"], "84012556677")
        call = self.env["grid.call"].search(
            [("external_call_id", "=", originate["ChannelId"])]
        )
        self.assertEqual(call.partner_id, self.consumer)
        self.assertEqual(call.service_point_id, self.service_point)
