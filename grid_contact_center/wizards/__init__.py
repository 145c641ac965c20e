from . import grid_element_import
