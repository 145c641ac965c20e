from . import meter_reading_api
from . import meter_reading_export
from . import reports
