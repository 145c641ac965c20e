"""Quiet hours: the local hours of the day in which a consumer receives no SMS
and no call.

This module has no Odoo import, so that scripts and tests can use it alone.
"""

from datetime import datetime, time, timedelta

import pytz

MINUTES_PER_DAY = 24 * 60


def quiet_hours_end(now_utc: datetime, tz_name: str | None, start: float, end: float):
    """Return the naive UTC time from which a message may reach the consumer.

    ``start`` and ``end`` are local hours as floats (22.5 is 22:30); a start
    after the end means that the quiet hours span midnight, and equal values
    mean that there are none. The result is ``now_utc`` itself outside the
    quiet hours, else the moment they end. An unknown time zone counts as UTC.
    """
    if start == end:
        return now_utc
    try:
        zone = pytz.timezone(tz_name or "UTC")
    except pytz.UnknownTimeZoneError:
        zone = pytz.utc
    local = pytz.utc.localize(now_utc).astimezone(zone)
    hour = local.hour + local.minute / 60 + local.second / 3600
    if start < end:
        quiet = start <= hour < end
    else:
        quiet = hour >= start or hour < end
    if not quiet:
        return now_utc
    end_day = local.date() if hour < end else local.date() + timedelta(days=1)
    hours, minutes = divmod(min(round(end * 60), MINUTES_PER_DAY - 1), 60)
    local_end = zone.localize(datetime.combine(end_day, time(hours, minutes)))
    return local_end.astimezone(pytz.utc).replace(tzinfo=None)
