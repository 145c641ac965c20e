import base64
from collections import Counter

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged, users

from .common import TelephonyCase
from .samples import sample_bytes

MASTER = "asterisk_cdr/ru_city_pbx_Master_21col.csv"


@tagged("post_install", "-at_install")
class TestCdrImport(TelephonyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider.write({"pbx_timezone": "UTC", "default_area_code": "3952"})
        cls.master = sample_bytes(MASTER)
        cls.caller = cls.env["res.partner"].create(
            {
                "name": "Звонящий с городского",
                "consumer_category": "household",
                "phone": "8 (3952) 22-21-58",
            }
        )
        cls.operator.grid_phone_extension = "301"

    def _import(self, data, user=None, ignore_zone_mismatch=False):
        wizard = Form(
            self.env["grid.call.cdr.import"].with_user(user or self.supervisor)
        )
        wizard.provider_id = self.provider
        wizard.cdr_file = base64.b64encode(data)
        wizard.ignore_zone_mismatch = ignore_zone_mismatch
        record = wizard.save()
        record.filename = "Master.csv"
        record.action_import()
        return record

    def _calls(self):
        return self.env["grid.call"].search([("provider_id", "=", self.provider.id)])

    def test_master_csv_imported(self):
        record = self._import(self.master)
        calls = self._calls()
        self.assertEqual(len(calls), 36)
        self.assertEqual(
            Counter(calls.mapped("outcome")),
            {"answered": 30, "abandoned": 3, "no_answer": 2, "busy": 1},
        )
        self.assertEqual(set(calls.mapped("state")), {"ended"})
        self.assertIn("84 rows read", record.result)
        self.assertIn("36 new", record.result)
        call = calls.filtered(lambda c: c.external_call_id == "1706412893.79")
        self.assertEqual(call.agent_id, self.operator)
        self.assertEqual(call.talk_seconds, 79)
        self.assertEqual(str(call.arrived_at), "2024-01-28 03:34:53")
        # A six-digit city number completed with the provider's area code.
        city = calls.filtered(lambda c: c.caller_number == "222158")
        self.assertEqual(city.partner_id, self.caller)
        self.assertEqual(city.caller_e164, "+73952222158")

    def test_same_file_twice_changes_nothing(self):
        self._import(self.master)
        before = {
            call.external_call_id: (call.write_date, call.outcome, call.wait_seconds)
            for call in self._calls()
        }
        record = self._import(self.master)
        self.assertIn("0 new, 0 completed, 36 unchanged", record.result)
        after = {
            call.external_call_id: (call.write_date, call.outcome, call.wait_seconds)
            for call in self._calls()
        }
        self.assertEqual(before, after)

    def test_live_call_completed_not_duplicated(self):
        self.process(
            [
                self.event(
                    "started",
                    "1706412893.79",
                    caller_number="89002393709",
                    called_number="202985",
                )
            ]
        )
        record = self._import(self.master)
        self.assertIn("35 new, 1 completed", record.result)
        call = self.call("1706412893.79")
        self.assertEqual(call.state, "ended")
        self.assertEqual(call.outcome, "answered")
        self.assertEqual(call.source, "webhook")

    def test_broken_lines_reported(self):
        lines = self.master.splitlines()
        damaged = b"\n".join([lines[0], b'"broken","line', *lines[1:]])
        record = self._import(damaged)
        self.assertIn("1 lines skipped", record.result)
        self.assertIn("line 2:", record.result)
        self.assertEqual(len(self._calls()), 36)

    def test_line_with_nul_bytes_reported(self):
        lines = self.master.splitlines()
        damaged = b"\n".join([lines[0], b"\x00\x00x\x00", *lines[1:]])
        record = self._import(damaged)
        self.assertIn("line 2: the line contains NUL bytes: x", record.result)
        self.assertEqual(len(self._calls()), 36)

    def test_unreadable_files_rejected(self):
        utf16 = self.master.decode("latin-1").encode("utf-16")
        for data, expected in ((utf16, "UTF-16"), (b"\n", "the file is empty")):
            with self.subTest(expected=expected):
                with self.assertRaisesRegex(UserError, expected):
                    self._import(data)
                self.assertFalse(self._calls())

    def test_result_and_errors_in_russian(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        wizards = (
            self.env["grid.call.cdr.import"]
            .with_user(self.supervisor)
            .with_context(lang="ru_RU")
        )
        lines = self.master.splitlines()
        damaged = b"\n".join([lines[0], b'"broken","line', *lines[1:]])
        record = wizards.create(
            {"provider_id": self.provider.id, "cdr_file": base64.b64encode(damaged)}
        )
        record.action_import()
        self.assertIn("столбцов: 21", record.result)
        self.assertNotIn("columns", record.result)
        self.assertNotIn("where the layout has", record.result)
        undetectable = wizards.create(
            {
                "provider_id": self.provider.id,
                "cdr_file": base64.b64encode(b"a,b,c\nd,e,f\n"),
            }
        )
        with self.assertRaises(UserError) as caught:
            undetectable.action_import()
        self.assertNotIn("cannot be recognised", str(caught.exception))
        self.assertIn("start, disposition", str(caught.exception))

    def test_time_zone_mismatch_rejected(self):
        self.provider.pbx_timezone = "Europe/Kaliningrad"
        with self.assertRaises(UserError) as caught:
            self._import(self.master)
        message = str(caught.exception)
        self.assertIn("times are in UTC+0", message)
        self.assertIn("Europe/Kaliningrad (UTC+2)", message)
        self.assertIn("Set the provider's PBX time zone", message)
        self.assertFalse(self._calls())
        # With the zone set right, the same file gives the right times.
        self.provider.pbx_timezone = "UTC"
        self._import(self.master)
        call = self._calls().filtered(lambda c: c.external_call_id == "1706368044.0")
        self.assertEqual(str(call.arrived_at), "2024-01-27 15:07:24")

    def test_time_zone_mismatch_ignored(self):
        self.provider.pbx_timezone = "Asia/Irkutsk"
        record = self._import(self.master, ignore_zone_mismatch=True)
        self.assertIn("times are in UTC+0", record.result)
        self.assertIn("the time zone check was off", record.result)
        call = self._calls().filtered(lambda c: c.external_call_id == "1706368044.0")
        self.assertEqual(str(call.arrived_at), "2024-01-27 07:07:24")

    @users("tel_operator")
    def test_operator_cannot_import(self):
        with self.assertRaises(AccessError):
            self.env["grid.call.cdr.import"].create(
                {"provider_id": self.provider.id, "cdr_file": base64.b64encode(b"x")}
            )
