"""Quiet hours of consumers, free of Odoo so that they can be tested on fixed
times alone. The hours are floats as Odoo's ``float_time`` widget stores them
(22.5 is 22:30) and are read in the consumer's own time zone."""

from datetime import datetime, time, timedelta, tzinfo

import pytz


def _clock(hours: float) -> time:
    minutes = round(hours * 60) % (24 * 60)
    return time(minutes // 60, minutes % 60)


def quiet_hours_end(local_now: datetime, start: float, end: float):
    """Return the local datetime at which the quiet hours that contain
    ``local_now`` end, or None when ``local_now`` lies outside them.

    Equal start and end mean that the consumer has no quiet hours. A start
    after the end means that the quiet hours span midnight, so 22.0 to 8.0
    covers 22:00 to 07:59 of the next morning.
    """
    start_clock, end_clock = _clock(start), _clock(end)
    if start_clock == end_clock:
        return None
    now_clock = local_now.time()
    today_end = datetime.combine(local_now.date(), end_clock)
    if start_clock < end_clock:
        if start_clock <= now_clock < end_clock:
            return today_end
        return None
    if now_clock >= start_clock:
        return today_end + timedelta(days=1)
    if now_clock < end_clock:
        return today_end
    return None


def quiet_hours_end_utc(now: datetime, zone, start: float, end: float):
    """Return the naive UTC datetime at which the quiet hours that contain
    the naive UTC ``now`` end, or None when ``now`` lies outside them.

    ``zone`` is the consumer's time zone, as a pytz zone or its name. An
    empty or unknown name counts as UTC, so that a stale zone name does not
    stop the sending of notices.
    """
    if not isinstance(zone, tzinfo):
        try:
            zone = pytz.timezone(zone or "UTC")
        except pytz.UnknownTimeZoneError:
            zone = pytz.utc
    local_now = pytz.utc.localize(now).astimezone(zone).replace(tzinfo=None)
    local_end = quiet_hours_end(local_now, start, end)
    if local_end is None:
        return None
    return zone.localize(local_end).astimezone(pytz.utc).replace(tzinfo=None)
