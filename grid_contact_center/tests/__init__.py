from . import test_consumers
from . import test_deadlines
from . import test_interaction_access
from . import test_phone_tools
from . import test_roles
from . import test_web_client
