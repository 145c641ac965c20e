from . import phone
from . import working_days
from . import quiet_hours
from . import text_files
from . import topology_csv
