from . import quiet_hours
