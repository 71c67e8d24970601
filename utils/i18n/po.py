"""Read and write gettext ``.po`` catalogs (the format Poedit, Weblate and ``msgfmt`` use).

Only what the course needs: singular entries with an optional ``msgctxt``, flags (``#, fuzzy``),
previous strings (``#| msgid``), translator (``# ``) and extracted (``#.``) comments, and obsolete
entries (``#~``). Multi-line strings are written one source line per quoted line, as ``msgmerge``
does, so a diff of a catalog reads like a diff of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

HEADER_KEYS = (
    "Project-Id-Version",
    "Report-Msgid-Bugs-To",
    "PO-Revision-Date",
    "Last-Translator",
    "Language-Team",
    "Language",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Plural-Forms",
    "X-Generator",
)
PLURAL_FORMS = {"ko": "nplurals=1; plural=0;"}


@dataclass
class Entry:
    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    flags: list[str] = field(default_factory=list)
    previous_msgid: str | None = None
    comments: list[str] = field(default_factory=list)  # translator comments ("# ...")
    auto_comments: list[str] = field(default_factory=list)  # extracted comments ("#. ...")
    obsolete: bool = False

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and not self.fuzzy and not self.obsolete


@dataclass
class Catalog:
    header: dict[str, str]
    entries: list[Entry]

    def active(self) -> list[Entry]:
        return [e for e in self.entries if not e.obsolete]

    def by_context(self) -> dict[str | None, Entry]:
        return {e.msgctxt: e for e in self.active()}


def new_header(project: str, language: str) -> dict[str, str]:
    return {
        "Project-Id-Version": project,
        "Report-Msgid-Bugs-To": "",
        "PO-Revision-Date": "2026-11-29 00:00+0000",  # a translator's tool updates it on save
        "Last-Translator": "Deep Learning Foundations translators",
        "Language-Team": {"ko": "Korean"}.get(language, language),
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": PLURAL_FORMS.get(language, "nplurals=2; plural=(n != 1);"),
        "X-Generator": "utils.i18n.extract",
    }


# --------------------------------------------------------------------------- strings
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_UNESCAPES = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "r": "\r"}


def _escape(text: str) -> str:
    return "".join(_ESCAPES.get(ch, ch) for ch in text)


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _UNESCAPES.get(m.group(1), "\\" + m.group(1)), text)


def _quoted(keyword: str, text: str, prefix: str = "") -> list[str]:
    """``keyword "text"``, or for multi-line text ``keyword ""`` and one quoted line per text line."""
    lines = text.splitlines(keepends=True)
    if len(lines) <= 1:
        return [f'{prefix}{keyword} "{_escape(text)}"']
    return [f'{prefix}{keyword} ""'] + [f'{prefix}"{_escape(line)}"' for line in lines]


# --------------------------------------------------------------------------- writing
def dumps(catalog: Catalog) -> str:
    head = "".join(f"{k}: {v}\n" for k, v in catalog.header.items())
    title = f"# {catalog.header.get('Project-Id-Version', '')} ({catalog.header.get('Language', '')})"
    out = [title, 'msgid ""', 'msgstr ""'] + [f'"{_escape(line)}"' for line in head.splitlines(keepends=True)]
    for e in catalog.entries:
        out.append("")
        out += [f"# {c}" if c else "#" for c in e.comments]
        out += [f"#. {c}" for c in e.auto_comments]
        if e.flags:
            out.append("#, " + ", ".join(e.flags))
        if e.previous_msgid is not None:
            out += _quoted("msgid", e.previous_msgid, "#| ")
        prefix = "#~ " if e.obsolete else ""
        if e.msgctxt is not None:
            out += _quoted("msgctxt", e.msgctxt, prefix)
        out += _quoted("msgid", e.msgid, prefix)
        out += _quoted("msgstr", e.msgstr, prefix)
    return "\n".join(out) + "\n"


def write(path: Path, catalog: Catalog) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(dumps(catalog), encoding="utf-8")


# --------------------------------------------------------------------------- reading
_KEYWORD = re.compile(r'^(msgctxt|msgid|msgstr)\s+"(.*)"\s*$')
_CONTINUATION = re.compile(r'^"(.*)"\s*$')


def loads(text: str) -> Catalog:
    entries: list[Entry] = []
    header: dict[str, str] = {}
    pending: dict = {}
    fields: dict[str, str] = {}
    previous: dict[str, str] = {}
    last: tuple[dict, str] | None = None

    def finish() -> None:
        nonlocal pending, fields, previous, last
        if "msgid" in fields:
            if fields["msgid"] == "" and fields.get("msgctxt") is None and not entries and not header:
                for line in fields.get("msgstr", "").splitlines():
                    key, _, value = line.partition(":")
                    if key.strip():
                        header[key.strip()] = value.strip()
            else:
                entries.append(
                    Entry(
                        msgid=fields["msgid"],
                        msgstr=fields.get("msgstr", ""),
                        msgctxt=fields.get("msgctxt"),
                        flags=pending.get("flags", []),
                        previous_msgid=previous.get("msgid"),
                        comments=pending.get("comments", []),
                        auto_comments=pending.get("auto", []),
                        obsolete=pending.get("obsolete", False),
                    )
                )
        pending, fields, previous, last = {}, {}, {}, None

    for raw in text.splitlines():
        line = raw.rstrip("\n")
        if not line.strip():
            continue
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].lstrip()
        if line.startswith("#|"):
            body = line[2:].lstrip()
            if "msgid" in fields or "msgstr" in fields:
                finish()
            m = _KEYWORD.match(body)
            if m:
                previous[m.group(1)] = _unescape(m.group(2))
                last = (previous, m.group(1))
            elif (c := _CONTINUATION.match(body)) and last is not None:
                last[0][last[1]] += _unescape(c.group(1))
            continue
        if line.startswith("#") and not obsolete:
            if "msgid" in fields:
                finish()
            if line.startswith("#,"):
                pending.setdefault("flags", []).extend(f.strip() for f in line[2:].split(",") if f.strip())
            elif line.startswith("#."):
                pending.setdefault("auto", []).append(line[2:].strip())
            elif line.startswith("#:"):
                pass
            else:
                pending.setdefault("comments", []).append(line[2:] if line.startswith("# ") else line[1:])
            continue
        m = _KEYWORD.match(line)
        if m:
            key = m.group(1)
            if key in fields or (key != "msgstr" and "msgid" in fields):
                finish()
            if obsolete:
                pending["obsolete"] = True
            fields[key] = _unescape(m.group(2))
            last = (fields, key)
            continue
        c = _CONTINUATION.match(line)
        if c and last is not None:
            last[0][last[1]] += _unescape(c.group(1))
            continue
        raise ValueError(f"not a .po line: {raw!r}")
    finish()
    return Catalog(header, entries)


def read(path: Path) -> Catalog:
    return loads(Path(path).read_text(encoding="utf-8"))
