"""Every translatable term of the addons is in their .pot file and translated
in ru.po, so that the interface is complete in Russian."""

import io

import polib
import pytest

from odoo.tools.translate import trans_export

from .conftest import ADDONS, REPOSITORY


def _exported_terms(env, addon):
    buffer = io.BytesIO()
    trans_export(None, [addon], buffer, "po", env.cr)
    return {entry.msgid for entry in polib.pofile(buffer.getvalue().decode())}


@pytest.mark.parametrize("addon", ADDONS)
def test_pot_matches_code(env, addon):
    pot = polib.pofile(str(REPOSITORY / addon / "i18n" / f"{addon}.pot"))
    in_file = {entry.msgid for entry in pot}
    in_code = _exported_terms(env, addon)
    assert sorted(in_code - in_file) == [], "terms missing from the .pot: make i18n"
    assert sorted(in_file - in_code) == [], "stale terms in the .pot: make i18n"


@pytest.mark.parametrize("addon", ADDONS)
def test_ru_po_is_complete(addon):
    pot = polib.pofile(str(REPOSITORY / addon / "i18n" / f"{addon}.pot"))
    po = polib.pofile(str(REPOSITORY / addon / "i18n" / "ru.po"))
    translated = {entry.msgid for entry in po.translated_entries()}
    untranslated = sorted({entry.msgid for entry in pot} - translated)
    assert untranslated == [], f"{len(untranslated)} terms without a Russian msgstr"
    fuzzy = sorted(entry.msgid for entry in po.fuzzy_entries())
    assert fuzzy == [], "fuzzy entries in ru.po need review"
