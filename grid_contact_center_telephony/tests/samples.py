"""The real telephony recordings that tests read in place."""

import os
from pathlib import Path

ADDON = Path(__file__).resolve().parent.parent


def samples_dir() -> Path:
    """The folder of AMI and CDR recordings: GRID_CC_SAMPLES, or shared/samples
    beside the checkout."""
    path = Path(
        os.environ.get("GRID_CC_SAMPLES") or ADDON.parent.parent / "shared/samples"
    )
    if not path.is_dir():
        raise FileNotFoundError(
            f"samples folder not found: {path}; set GRID_CC_SAMPLES to the folder "
            "with asterisk_ami/ and asterisk_cdr/"
        )
    return path


def sample_bytes(relative: str) -> bytes:
    return (samples_dir() / relative).read_bytes()
