from . import phone
from . import working_days
