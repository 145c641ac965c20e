"""Every translatable term of the addons is in their .pot file and translated
in ru.po, so that the interface is complete in Russian."""

import io
import re

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


# Odoo's export skips terms of fewer than two letters or digits, so such a
# term stays in English whatever ru.po contains.
SHORT_TERM = re.compile(r"""\b_(?:t|lt)?\(\s*(["'])[^"'\w\n]*\w?[^"'\w\n]*\1""")


@pytest.mark.parametrize("addon", ADDONS)
def test_no_term_too_short_to_export(addon):
    found = [
        f"{path.relative_to(REPOSITORY)}: {match.group(0)}"
        for path in sorted((REPOSITORY / addon).rglob("*"))
        if path.suffix in (".py", ".js", ".xml") and "tests" not in path.parts
        for match in SHORT_TERM.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "terms of one letter are not exported: use a longer one"
