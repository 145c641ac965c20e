from . import grid_element_import
from . import grid_desk
from . import grid_appointment_booking
from . import grid_api_key_show
from . import grid_meter_reading_export
from . import grid_meter_reading_import
from . import grid_interaction_register_export
from . import grid_service_quality_report
