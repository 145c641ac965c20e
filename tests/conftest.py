"""Fixtures for the tests that cross addons: an Odoo environment on the test
database (loaded by pytest-odoo) and the folder of real telephony samples."""

import os
from pathlib import Path

import pytest

import odoo
from odoo.tests.common import get_db_name

REPOSITORY = Path(__file__).resolve().parent.parent
ADDONS = (
    "grid_contact_center",
    "grid_contact_center_survey",
    "grid_contact_center_telephony",
)


@pytest.fixture
def env():
    """An environment as the superuser whose changes are rolled back."""
    registry = odoo.modules.registry.Registry(get_db_name())
    with registry.cursor() as cr:
        yield odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        cr.rollback()


@pytest.fixture(scope="session")
def samples_dir():
    """The real AMI streams and CDR files; GRID_CC_SAMPLES overrides the
    default, the shared/samples folder beside the checkout."""
    default = REPOSITORY.parent / "shared" / "samples"
    path = Path(os.environ.get("GRID_CC_SAMPLES") or default)
    if not path.is_dir():
        pytest.fail(
            f"samples folder not found: {path}; set GRID_CC_SAMPLES to the folder "
            "with asterisk_ami/ and asterisk_cdr/"
        )
    return path
