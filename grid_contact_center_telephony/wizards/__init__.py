from . import grid_call_cdr_import
from . import grid_desk
