"""Every catalogue is complete: Chinese first means no label falls back to English."""

import polib
import pytest

from cooperation.i18n import ROOT, catalogues

CATALOGUES = sorted(catalogues())


def test_every_app_has_a_catalogue():
    apps = {path.relative_to(ROOT).parts[0] for path in CATALOGUES}
    assert {"cooperation", "projects", "labor", "healthcare", "education", "consumption"} <= apps


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT).parent))
def test_catalogue_is_complete(path):
    po = polib.pofile(str(path))
    fuzzy = [entry.msgid for entry in po if "fuzzy" in entry.flags]
    untranslated = [
        entry.msgid for entry in po if not entry.obsolete and not (entry.msgstr or any(entry.msgstr_plural.values()))
    ]
    assert fuzzy == [], f"fuzzy entries are left out of the compiled catalogue: {fuzzy}"
    assert untranslated == []
