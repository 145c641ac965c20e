from . import grid_element_import
from . import grid_desk
from . import grid_appointment_booking
