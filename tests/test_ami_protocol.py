"""The AMI parser on real recordings and on damaged input."""

import pytest

from grid_ami_bridge.protocol import AmiParser, format_action, md5_key, uniqueid_epoch
from grid_ami_bridge.tracker import Deduplicator, channel_peer


@pytest.fixture
def debug_log(samples_dir):
    return (samples_dir / "asterisk_ami" / "ru_queue_call_ami_debug.log").read_bytes()


def test_debug_log_events_parsed_and_cli_lines_skipped(debug_log):
    parser = AmiParser()
    messages = parser.feed(debug_log)
    assert parser.close() is False
    assert len(messages) == 221
    assert all(message.is_event for message in messages)
    assert parser.garbage_lines > 300
    assert parser.dropped_messages == 0
    hangups = [m for m in messages if m.name == "Hangup"]
    assert [m["Cause-txt"] for m in hangups] == ["Normal Clearing"] * 2


def test_debug_log_parsed_byte_by_byte_gives_the_same(debug_log):
    whole = AmiParser().feed(debug_log)
    parser = AmiParser()
    pieces = []
    for index in range(0, len(debug_log), 7):
        pieces += parser.feed(debug_log[index : index + 7])
    assert [dict(m) for m in pieces] == [dict(m) for m in whole]


def test_duplicated_events_dropped_by_sequence_number(debug_log):
    messages = AmiParser().feed(debug_log)
    deduplicator = Deduplicator()
    kept = [m for m in messages if not deduplicator.is_duplicate(m)]
    assert deduplicator.duplicates == 16
    assert len(kept) == 205
    assert len({m["SequenceNumber"] for m in kept}) == 205


def test_message_cut_by_next_event_is_dropped():
    parser = AmiParser()
    messages = parser.feed(
        b"Event: Newchannel\r\nUniqueid: 1.1\r\n"
        b"Event: Hangup\r\nUniqueid: 1.2\r\nCause: 16\r\n\r\n"
    )
    assert [m.name for m in messages] == ["Hangup"]
    assert messages[0]["Uniqueid"] == "1.2"
    assert parser.dropped_messages == 1


def test_stream_ending_inside_message_reports_it():
    parser = AmiParser()
    assert parser.feed(b"Event: Hangup\r\nUniqueid: 1.2\r\nCause: 1") == []
    assert parser.close() is True
    assert parser.dropped_messages == 1


def test_garbage_lines_and_blocks_skipped():
    parser = AmiParser()
    messages = parser.feed(
        b"\x00\xff garbage without colon\r\n"
        b"Info:\r\nName=  SIP/777\r\n\r\n"
        b"Event: Ping\r\n!!!: nonsense\r\nX: 1\r\n\r\n"
    )
    assert [dict(m) for m in messages] == [{"Event": "Ping", "X": "1"}]
    assert parser.garbage_lines == 4


@pytest.mark.parametrize("chunk", [10000, 16])
def test_overlong_line_dropped_with_its_message(chunk):
    parser = AmiParser(max_line_bytes=100)
    data = (
        b"Event: Newchannel\r\nCallerIDName: " + b"x" * 500 + b"\r\n\r\n"
        b"Event: Hangup\r\nUniqueid: 5.5\r\n\r\n"
    )
    messages = []
    for start in range(0, len(data), chunk):
        messages += parser.feed(data[start : start + chunk])
    assert [m.name for m in messages] == ["Hangup"]
    assert parser.dropped_messages == 1


def test_non_utf8_name_decoded_with_fallback():
    parser = AmiParser()
    (message,) = parser.feed(
        b"Event: Newchannel\r\nCallerIDName: \xc8\xe2\xe0\xed\r\n\r\n"
    )
    assert message["CallerIDName"] == "Иван"


def test_keys_are_case_insensitive(samples_dir):
    data = (samples_dir / "asterisk_ami" / "panoramisk_login_ok.yaml").read_bytes()
    parser = AmiParser()
    messages = parser.feed(data.replace(b"\n", b"\r\n"))
    assert parser.banner == "Asterisk Call Manager/1.3"
    login = messages[0]
    assert login["Username"] == "nnnnnnnnn"
    assert login["EVENTS"] == "on"
    assert [m.get("Event") or m.get("Response") for m in messages[1:]] == [
        "Success",
        "FullyBooted",
    ]


def test_md5_key_is_hex_md5_of_challenge_and_secret():
    assert md5_key("145769581", "secret") == "6a8fac2af5537b85cbe39504089e0399"


def test_action_values_cannot_inject_headers():
    assert format_action(
        {"Action": "Originate", "CallerID": "x\r\nAction: Logoff"}
    ) == (b"Action: Originate\r\nCallerID: x  Action: Logoff\r\n\r\n")


@pytest.mark.parametrize(
    ("uniqueid", "epoch"),
    [
        ("1514295827.372", 1514295827),
        ("pbxmain-1706420300.0", 1706420300),
        ("195176c06ab8-1529939196.518", 1529939196),
        ("grid-4f0c2a", None),
        ("", None),
    ],
)
def test_uniqueid_epoch(uniqueid, epoch):
    assert uniqueid_epoch(uniqueid) == epoch


@pytest.mark.parametrize(
    ("name", "peer"),
    [
        ("SIP/777-000000bc", "777"),
        ("PJSIP/101-0000002a", "101"),
        ("Local/ID730151@osvpi_route_phoneaccount-00000016;2", "ID730151"),
        ("SIP/voipgrid-siproute-docker-00000025", "voipgrid-siproute-docker"),
        ("SIP/777", "777"),
        ("", ""),
    ],
)
def test_channel_peer(name, peer):
    assert channel_peer(name) == peer
