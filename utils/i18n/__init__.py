"""The Korean edition (and any later one): translations kept as gettext catalogs in ``i18n/<lang>/``.

* :mod:`utils.i18n.extract`  – (re)generate a chapter's catalog from its source notebook's markdown cells
  (``.po`` files, the standard gettext format, read and written with polib),
* :mod:`utils.i18n.hints`    – the same for the hint strings of a chapter's test cells,
* :mod:`utils.i18n.build`    – write the translated student notebooks (``notebooks-ko/``) from the release,
* :mod:`utils.i18n.messages` – the language of the running notebook and the test-cell messages in it.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = ROOT / "i18n"
LANGUAGES = ("ko",)
