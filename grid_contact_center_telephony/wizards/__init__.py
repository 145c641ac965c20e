from . import grid_call_cdr_import
