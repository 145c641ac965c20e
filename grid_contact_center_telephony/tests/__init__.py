from . import test_call_events
from . import test_webhook_http
from . import test_cdr_parser
from . import test_signatures
