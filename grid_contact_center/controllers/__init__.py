from . import meter_reading_api
from . import meter_reading_export
