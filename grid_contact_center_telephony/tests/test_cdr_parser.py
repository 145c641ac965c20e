import csv
import io
from collections import Counter

from odoo.tests import BaseCase

from ..tools.cdr import CdrLayoutError, read_cdr
from .samples import sample_bytes

MASTER = "asterisk_cdr/ru_city_pbx_Master_21col.csv"
CDR_CSV_21 = (
    "accountcode,src,dst,dcontext,clid,channel,dstchannel,lastapp,lastdata,start,"
    "answer,end,duration,billsec,disposition,amaflags,uniqueid,userfield,"
    "peeraccount,linkedid,sequence"
).split(",")


def _rewrite(data: bytes, columns: list[str], header=False) -> bytes:
    """The same rows with other columns, in another order (as cdr_custom can
    write them); the caller id names keep their original bytes."""
    out = io.BytesIO()
    if header:
        out.write(",".join(columns).encode() + b"\n")
    for raw in data.splitlines():
        text = raw.decode("latin-1")
        row = dict(zip(CDR_CSV_21, next(csv.reader([text])), strict=True))
        buffer = io.StringIO()
        csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\n").writerow(
            [row[name] for name in columns]
        )
        out.write(buffer.getvalue().encode("latin-1"))
    return out.getvalue()


class TestCdrParser(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.master = sample_bytes(MASTER)

    def test_master_csv_gives_calls_and_outcomes(self):
        result = read_cdr(self.master, "UTC")
        self.assertEqual(result.layout_source, "cdr_csv")
        self.assertEqual(len(result.layout), 21)
        self.assertEqual(result.rows, 84)
        self.assertEqual(result.errors, [])
        # 84 legs of 36 calls: forked dials and Local channels merge by linkedid.
        self.assertEqual(len(result.calls), 36)
        self.assertEqual(
            Counter(call.outcome for call in result.calls),
            {"answered": 30, "abandoned": 3, "no_answer": 2, "busy": 1},
        )

    def test_forked_dial_merges_into_one_call(self):
        calls = {c.call_id: c for c in read_cdr(self.master, "UTC").calls}
        call = calls["1706412893.79"]
        self.assertEqual(len(call.rows), 5)
        self.assertEqual(call.outcome, "answered")
        self.assertEqual(call.agent_extension, "301")
        self.assertEqual(call.caller_number, "89002393709")
        self.assertEqual(call.called_number, "202985")
        self.assertEqual(call.wait_seconds, 4)
        self.assertEqual(call.talk_seconds, 79)

    def test_ring_shorter_than_timeout_is_abandoned(self):
        calls = {c.call_id: c for c in read_cdr(self.master, "UTC").calls}
        # Dial(...,40) that rang 23 s: the caller hung up.
        self.assertEqual(calls["1706401101.30"].outcome, "abandoned")
        # Dial(...,60,t) that rang its 60 s.
        self.assertEqual(calls["1706369600.6"].outcome, "no_answer")
        self.assertEqual(calls["1706369600.6"].wait_seconds, 60)
        self.assertEqual(calls["pbxmain-1706443058.100"].outcome, "busy")

    def test_announcement_answered_by_pbx(self):
        calls = {c.call_id: c for c in read_cdr(self.master, "UTC").calls}
        call = calls["1706368044.0"]
        self.assertEqual(call.outcome, "answered")
        self.assertEqual(call.agent_extension, "")
        self.assertEqual(call.talk_seconds, 27)

    def test_city_number_caller_is_inbound(self):
        calls = {c.call_id: c for c in read_cdr(self.master, "UTC").calls}
        self.assertEqual(calls["1706412022.63"].caller_number, "222158")
        self.assertEqual(calls["1706412022.63"].direction, "inbound")

    def test_times_read_in_pbx_zone(self):
        utc = {c.call_id: c for c in read_cdr(self.master, "UTC").calls}
        irkutsk = read_cdr(self.master, "Asia/Irkutsk")
        local = {c.call_id: c for c in irkutsk.calls}
        call_id = "1706368044.0"
        self.assertEqual(
            utc[call_id].arrived_at.isoformat(), "2024-01-27T15:07:24+00:00"
        )
        self.assertEqual(
            local[call_id].arrived_at.isoformat(), "2024-01-27T07:07:24+00:00"
        )
        # The uniqueids show that this file's times are UTC.
        self.assertIsNone(read_cdr(self.master, "UTC").zone_mismatch)
        mismatch = irkutsk.zone_mismatch
        self.assertEqual(mismatch.file_offset, 0)
        self.assertEqual(mismatch.read_offset, 8 * 60)
        self.assertEqual(mismatch.zone_name, "Asia/Irkutsk")
        self.assertEqual(mismatch.read_offset_text, "+8")

    def test_non_utf8_caller_name_tolerated(self):
        calls = {c.call_id: c for c in read_cdr(self.master, "UTC").calls}
        name = calls["1706415046.98"].caller_name
        self.assertTrue(name.startswith("8107953623"))
        self.assertEqual(calls["1706415046.98"].caller_number, "81079536233416")

    def test_sixteen_and_eighteen_columns(self):
        for columns in (CDR_CSV_21[:16], CDR_CSV_21[:18]):
            with self.subTest(width=len(columns)):
                result = read_cdr(_rewrite(self.master, columns), "UTC")
                self.assertEqual(result.layout_source, "cdr_csv")
                self.assertEqual(len(result.layout), len(columns))
                self.assertEqual(result.errors, [])
                self.assertEqual(result.rows, 84)
                # Without linkedid, Local legs join the call that dialled them.
                self.assertEqual(len(result.calls), 36)
                self.assertEqual(
                    Counter(call.outcome for call in result.calls),
                    {"answered": 30, "abandoned": 3, "no_answer": 2, "busy": 1},
                )

    def test_sixteen_columns_group_by_channel_and_time(self):
        result = read_cdr(_rewrite(self.master, CDR_CSV_21[:16]), "UTC")
        answered = [c for c in result.calls if c.caller_number == "89002393709"]
        self.assertEqual(len(answered), 1)
        self.assertEqual(answered[0].outcome, "answered")

    def test_custom_order_detected_without_header(self):
        columns = [
            "start",
            "clid",
            "src",
            "dst",
            "channel",
            "dstchannel",
            "disposition",
            "duration",
            "billsec",
            "answer",
            "end",
            "linkedid",
            "uniqueid",
            "lastapp",
            "lastdata",
            "dcontext",
        ]
        result = read_cdr(_rewrite(self.master, columns), "UTC")
        self.assertEqual(result.layout_source, "detected")
        for name in columns:
            if name != "lastdata":
                self.assertEqual(result.layout[columns.index(name)], name)
        self.assertEqual(len(result.calls), 36)
        self.assertEqual(Counter(call.outcome for call in result.calls)["answered"], 30)

    def test_custom_order_with_header(self):
        columns = ["linkedid", "uniqueid", "src", "dst", "start", "answer", "end"]
        columns += ["disposition", "billsec", "duration", "channel", "dstchannel"]
        columns += ["lastdata", "dcontext", "clid"]
        result = read_cdr(_rewrite(self.master, columns, header=True), "UTC")
        self.assertEqual(result.layout_source, "header")
        self.assertEqual(len(result.calls), 36)

    def test_configured_layout_wins(self):
        columns = ["src", "start", "disposition", "end", "linkedid"]
        result = read_cdr(
            _rewrite(self.master, columns), "UTC", layout=",".join(columns)
        )
        self.assertEqual(result.layout_source, "configured")
        self.assertEqual(len(result.calls), 36)

    def test_unknown_configured_column_is_an_error(self):
        with self.assertRaisesRegex(CdrLayoutError, "unknown CDR columns caller"):
            read_cdr(self.master, "UTC", layout="caller,start,disposition")

    def test_broken_lines_reported_and_skipped(self):
        lines = self.master.splitlines()
        damaged = b"\n".join(
            [
                lines[0],
                b'"","8916","202985","x","unterminated',
                lines[1][:60],
                b"\x00\x00\x00",
                lines[2].replace(b'"ANSWERED"', b'"MAYBE"'),
                lines[3].replace(b"2024-01-27 15:33:20", b"yesterday"),
                *lines[4:],
            ]
        )
        result = read_cdr(damaged, "UTC")
        self.assertEqual(result.rows, 81)
        self.assertEqual([e.line for e in result.errors], [2, 3, 4, 5, 6])
        messages = " ".join(e.message for e in result.errors)
        self.assertIn("unknown disposition 'MAYBE'", messages)
        self.assertIn("NUL", messages)

    def test_utf16_file_is_an_error(self):
        utf16 = self.master.decode("latin-1").encode("utf-16")
        for data in (utf16, utf16[2:]):
            with self.assertRaisesRegex(CdrLayoutError, "NUL bytes, as UTF-16"):
                read_cdr(data, "UTC")

    def test_empty_file_is_an_error(self):
        for data in (b"", b"\n\r\n  \n"):
            with self.assertRaisesRegex(CdrLayoutError, "the file is empty"):
                read_cdr(data, "UTC")

    def test_file_without_rows_is_an_error(self):
        with self.assertRaisesRegex(CdrLayoutError, "line 1: invalid CSV"):
            read_cdr(b'"unterminated\n', "UTC")

    def test_unknown_time_zone_is_an_error(self):
        with self.assertRaisesRegex(CdrLayoutError, "unknown time zone"):
            read_cdr(self.master, "Mars/Olympus")

    def test_undetectable_layout_is_an_error(self):
        with self.assertRaisesRegex(CdrLayoutError, "set the provider's CDR layout"):
            read_cdr(b"a,b,c\nd,e,f\n", "UTC")
