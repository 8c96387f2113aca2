"""Translations without a system dependency at run time.

    python -m config.i18n compile   # .po -> .mo with polib (no gettext needed)
    python -m config.i18n check     # every message of zh_Hans translated, none fuzzy

`make messages` (lint) runs Django's makemessages first, which needs GNU gettext's xgettext.
"""

from __future__ import annotations

import sys

import polib

from config.env import BASE_DIR

LOCALE_DIR = BASE_DIR / "locale"
REQUIRED = ("zh_Hans",)


def compile_all() -> int:
    for po_path in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
    return 0


def check() -> int:
    problems = []
    for language in REQUIRED:
        for po_path in sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.po")):
            catalog = polib.pofile(str(po_path))
            for entry in catalog.untranslated_entries():
                problems.append(f"{po_path.name} [{language}] untranslated: {entry.msgid!r}")
            for entry in catalog.fuzzy_entries():
                problems.append(f"{po_path.name} [{language}] fuzzy: {entry.msgid!r}")
            for entry in catalog.obsolete_entries():
                problems.append(f"{po_path.name} [{language}] obsolete: {entry.msgid!r}")
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "compile":
        sys.exit(compile_all())
    if command == "check":
        sys.exit(check())
    print(__doc__)
    sys.exit(2)
