from . import test_cdr_parser
from . import test_signatures
