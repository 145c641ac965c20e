from datetime import datetime

from .common import GridContactCenterCase


class MeterReadingCase(GridContactCenterCase):
    """Meters at the test service point, on Tuesday 10 March 2026, 12:00 in
    Moscow. ``meter`` has an accepted history of 5 kWh a day from
    24 November 2025 to 24 February 2026."""

    freeze_time = "2026-03-10 09:00:00"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Meter = cls.env["grid.meter"]
        cls.Reading = cls.env["grid.meter.reading"]
        cls.meter = cls.create_meter("T-0000001")
        cls.meter_two_zone = cls.create_meter("T-0000002", zone_count=2)
        cls.meter_small = cls.create_meter("T-0000003", integer_digits=5)
        cls.meter_ct = cls.create_meter("T-0000004", multiplier=40, decimal_digits=2)
        cls.record_history(
            cls.meter,
            [
                ("2025-11-24", 1000.0),
                ("2025-12-24", 1150.0),
                ("2026-01-24", 1305.0),
                ("2026-02-24", 1460.0),
            ],
        )

    @classmethod
    def create_meter(cls, serial, **values):
        return cls.env["grid.meter"].create(
            {
                "name": serial,
                "meter_type": "Меркурий 201.8",
                "service_point_id": cls.service_point.id,
                "installation_date": "2020-01-15",
                "verification_date": "2020-01-10",
                "verification_interval": 16,
                **values,
            }
        )

    @classmethod
    def record_history(cls, meter, points):
        """Record accepted readings received on their own dates."""
        for reading_date, *values in points:
            reading = cls.env["grid.meter.reading"].create(
                {
                    "meter_id": meter.id,
                    "reading_date": reading_date,
                    "received_at": f"{reading_date} 07:00:00",
                    **{
                        f"value_t{zone}": value
                        for zone, value in enumerate(values, start=1)
                    },
                }
            )
            assert reading.state == "accepted", reading.reasons

    def record(self, meter, reading_date, *values, **extra):
        """Record a reading as the current user of ``self.env``."""
        return self.env["grid.meter.reading"].create(
            {
                "meter_id": meter.id,
                "reading_date": reading_date,
                **{
                    f"value_t{zone}": value
                    for zone, value in enumerate(values, start=1)
                },
                **extra,
            }
        )

    def codes(self, reading):
        return (reading.reason_codes or "").split()


def moscow(year, month, day, hour=12):
    """Return a naive UTC datetime for a time in Moscow (UTC+3)."""
    return datetime(year, month, day, hour - 3)
