from . import test_call_events
from . import test_cdr_import
from . import test_cdr_parser
from . import test_click_to_dial
from . import test_screen_pop_tour
from . import test_signatures
from . import test_webhook_http
from . import test_dashboard_telephony
