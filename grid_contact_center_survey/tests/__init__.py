from . import test_satisfaction
from . import test_campaign
from . import test_public_link
from . import test_results
from . import test_translation
from . import test_dashboard_survey
from . import test_outage_campaign
