"""Checks of the Chinese translation, before merge, and its per-file progress.

    python tools/po_check.py            # check every .po; exit 1 on a problem
    python tools/po_check.py --stats    # translated / fuzzy / untranslated per file, and the
                                        # entries, reviewed and not reviewed

Every file's syntax is checked strictly (``abp.checks.po``: an unterminated string, a syntax
error, a duplicate message), as ``file:line: what is wrong``; where GNU gettext is installed,
``msgfmt --check`` runs as well.

Every msgstr (fuzzy ones too) may add nothing its msgid does not have: no HTML (looked for
outside roles' targets, code spans and link targets, and counted, so a tag the English has
does not excuse another), no directive (MyST ```` ```{name} ````, ``:::{name}``,
``{eval-rst}``, reST ``.. name::``), no role; and each of its link targets is http(s) or
relative. For every translated (non-fuzzy) message it checks that the msgstr keeps each role,
link target, code span and ``{placeholder}`` of the msgid, uses the glossary's Chinese term
for each glossary term of the msgid, and follows the Chinese copywriting conventions: each
such msgstr is linted, as Markdown, by AutoCorrect (``autocorrect-py``, configured by
``.autocorrectrc`` at the repository's root), and every change it would make is a problem
that shows the text as written and as corrected; AutoCorrect leaves a role, a link or a code
span alone, so what it does not see beside one is looked for in the corrected text:
half-width punctuation, a missing space, and a space between Chinese text and a role or link
whose own text is Chinese at that side (``{entry}`Yoon 等人 <key>` 则`` reads ``Yoon 等人 则``).
Each problem is reported as ``file:line: "msgid…": what is wrong``.
"""

from __future__ import annotations

import argparse
import difflib
import functools
import html
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import polib

from abp import model
from abp.checks.po import check as check_syntax
from abp.glossary import load_glossary
from abp.urls import unsafe_url

ROOT = Path(__file__).resolve().parent.parent

CATALOGS = [
    ROOT / "locale" / "zh_CN" / "LC_MESSAGES",
    ROOT / "abp" / "locale" / "zh_CN" / "LC_MESSAGES",
]
GLOSSARY = ROOT / "docs" / "_data" / "glossary.csv"
AUTOCORRECT_CONFIG = ROOT / ".autocorrectrc"

ROLE = re.compile(r"(?<!`)\{([\w:.-]+)\}`([^`]*)`")
ROLE_TARGET = re.compile(r"<([^<>]+)>$")
CODE = re.compile(r"(?<![}`])`[^`]+`")
LINK = re.compile(r"\]\(([^)\s]+)\)|<(https?://[^>\s]+)>|(?<![(<])(https?://[^\s)>]+)")
PLACEHOLDER = re.compile(r"(?<!\{)\{[a-z_]+\}(?![}`])")  # not a role's {name}
HTML = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>|&#?\w+;|\bjavascript:|\bon[a-z]+\s*=", re.I)
#: A directive: a MyST fence (backticks, tildes or colons, then ``{name}``), or reST
#: ``.. name::``; anywhere in a line, so one in a list item or a block quote counts too.
MYST_DIRECTIVE = re.compile(r"(?:`{3,}|~{3,}|:{3,})[ \t]*\{([^{}\s]+)\}")
RST_DIRECTIVE = re.compile(r"(?<![^\s>*+|-])\.\.[ \t]+(?:\|[^|\n]+\|[ \t]+)?([\w.+:-]+?)[ \t]*::")
#: Every link target: inline links and images, autolinks, reference definitions.
LINK_TARGET = re.compile(
    r"\]\(\s*(<[^>\n]*>|(?:[^()\s]|\([^()\s]*\))+)"
    r"|<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*)>"
    r"|^[ \t>]*\[[^\]\n]+\]:[ \t]*(<[^>\n]*>|\S+)",
    re.M,
)


def _rel(path: Path) -> Path:
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def po_files() -> list[Path]:
    return sorted(p for d in CATALOGS if d.exists() for p in d.rglob("*.po"))


def _kept(pattern: re.Pattern[str], msgid: str, msgstr: str) -> list[str]:
    """Matches of *pattern* in msgid that msgstr lacks (as a multiset)."""
    want = Counter(m.group(0) for m in pattern.finditer(msgid))
    have = Counter(m.group(0) for m in pattern.finditer(msgstr))
    return sorted((want - have).elements())


def _link_targets(text: str) -> Counter[str]:
    """The link targets of *text*, outside code spans (a URL in code is not a link)."""
    return Counter(next(g for g in m.groups() if g) for m in LINK.finditer(CODE.sub(" ", text)))


CJK = "\u3400-\u9fff"
NO_SPACE = re.compile(rf"[{CJK}][A-Za-z0-9]|[A-Za-z0-9%][{CJK}]")
HALF_WIDTH = re.compile(rf"[{CJK}][,;:?!]|[,;:?!][{CJK}]|[{CJK}]\.(?:\s|$)")
#: Chinese characters and full-width punctuation: no space between two of them.
WIDE = f"{CJK}\u3000-\u303f\uff00-\uffef"
#: A role or a link, with the text the reader sees (a role naming only its target shows a
#: name the msgstr does not hold: that side is not judged).
SHOWN = re.compile(r"\{[\w:.-]+\}`([^`<]*?)\s*(?:<[^<>`]+>)?`|(?<!!)\[([^\]]*)\]\([^)\s]*\)")
QUOTED = re.compile(r'"[^"]*"|“[^”]*”')


def _plain(text: str) -> str:
    """The msgid without roles, code spans, links and quoted titles: the words to translate."""
    return QUOTED.sub(" ", LINK.sub(" ", CODE.sub(" ", ROLE.sub(" ", text))))


def _roles(text: str) -> Counter[str]:
    """Each role as ``{name}`target``` (the text of ``{entry}`text <key>``` may be translated)."""
    found = Counter()
    for m in ROLE.finditer(text):
        target = ROLE_TARGET.search(m.group(2))
        found[f"{{{m.group(1)}}}`{target.group(1) if target else m.group(2)}`"] += 1
    return found


def _without_code(text: str) -> str:
    """*text* to look for HTML in: no code spans, link targets or roles' targets."""

    def title(match: re.Match[str]) -> str:
        return f" {ROLE_TARGET.sub(' ', match.group(2))} "

    return LINK.sub(" ", CODE.sub(" ", ROLE.sub(title, text)))


def _directives(text: str) -> Counter[str]:
    found = Counter(f"{{{m.group(1).lower()}}}" for m in MYST_DIRECTIVE.finditer(text))
    found.update(f".. {m.group(1).lower()}::" for m in RST_DIRECTIVE.finditer(text))
    return found


def unsafe_target(target: str) -> str | None:
    """Why link *target* may not be used, or ``None``: the site's rule (``abp.urls``), after
    the entity and backslash escapes that Markdown resolves in a link's destination."""
    return unsafe_url(re.sub(r"\\(.)", r"\1", html.unescape(target.strip("<>"))))


def check_safety(msgid: str, msgstr: str) -> list[str]:
    """What *msgstr* adds to *msgid* that could reach the page as markup, a file or a link."""
    problems = []
    extra = Counter(m.group(0) for m in HTML.finditer(_without_code(msgstr)))
    extra -= Counter(m.group(0) for m in HTML.finditer(_without_code(msgid)))
    for found in sorted(extra.elements()):
        problems.append(f"HTML in the translation: {found!r}")
    for found in sorted((_directives(msgstr) - _directives(msgid)).elements()):
        problems.append(f"directive {found} in the translation is not in the English")
    for found in sorted((_roles(msgstr) - _roles(msgid)).elements()):
        problems.append(f"role {found} in the translation is not in the English")
    for match in LINK_TARGET.finditer(CODE.sub(" ", msgstr)):
        target = next(g for g in match.groups() if g)
        if why := unsafe_target(target):
            problems.append(f"link to {target} in the translation: {why}")
    return problems


def check_entry(entry: polib.POEntry, terms: list[tuple[re.Pattern[str], str, str]]) -> list[str]:
    msgid, msgstr = entry.msgid, entry.msgstr
    problems = check_safety(msgid, msgstr)
    if entry.fuzzy:  # not used by the build; checked only for what it could smuggle in
        return problems
    for missing in sorted((_roles(msgid) - _roles(msgstr)).elements()):
        problems.append(f"role {missing} of the English is missing or changed")
    for missing in _kept(CODE, ROLE.sub(" ", msgid), ROLE.sub(" ", msgstr)):
        problems.append(f"code span {missing} of the English is missing or changed")
    lost = _link_targets(msgid) - _link_targets(msgstr)
    for target in sorted(lost.elements()):
        problems.append(f"link to {target} of the English is missing or changed")
    for missing in _kept(PLACEHOLDER, ROLE.sub(" ", msgid), ROLE.sub(" ", msgstr)):
        problems.append(f"placeholder {missing} is missing")
    problems += typography(msgstr)
    for found, zh in glossary_uses(_plain(msgid), terms):
        if zh not in msgstr and found not in msgstr:  # kept as a name
            problems.append(
                f"glossary: the English has '{found}'; the translation must use "
                f"'{zh}' (found neither it nor the English term)"
            )
    return problems


@functools.cache
def _autocorrect() -> ModuleType:
    """AutoCorrect, with the site's configuration loaded (once: AutoCorrect keeps it globally).

    Imported here: it is the lint group's, and ``--stats`` and ``--normalize`` run without it.
    """
    import autocorrect_py

    autocorrect_py.load_config(AUTOCORRECT_CONFIG.read_text(encoding="utf-8"))
    return autocorrect_py


def _changes(old: str, new: str, context: int = 6) -> list[tuple[str, str]]:
    """Each changed stretch of *old* → *new*, with *context* characters around it (changes
    closer than twice that are one stretch)."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    stretches: list[list[int]] = []  # [i1, i2, j1, j2] of old and new
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if stretches and i1 - stretches[-1][1] <= 2 * context:
            stretches[-1][1], stretches[-1][3] = i2, j2
        else:
            stretches.append([i1, i2, j1, j2])
    shown = []
    for i1, i2, j1, j2 in stretches:
        before = min(context, i1)
        after = min(context, len(old) - i2)
        shown.append((old[i1 - before : i2 + after], new[j1 - before : j2 + after]))
    return shown


def typography(msgstr: str) -> list[str]:
    """What AutoCorrect would change in *msgstr* (read as Markdown), and, in its corrected
    text, what it cannot see: a missing space or half-width punctuation beside a role, a
    link or a code span."""
    corrected = _autocorrect().format_for(msgstr, "md")
    problems = [
        f"typography (AutoCorrect): {old!r} should be {new!r}"
        for old, new in _changes(msgstr, corrected)
    ]
    problems += stray_spaces(corrected)
    prose = LINK.sub(" ", CODE.sub(" ", ROLE.sub(" ", corrected)))
    if found := NO_SPACE.search(prose):
        problems.append(f"typography: put a space between Chinese and Latin in {found.group(0)!r}")
    if found := HALF_WIDTH.search(prose):
        problems.append(f"typography: use full-width punctuation in {found.group(0)!r}")
    return problems


def stray_spaces(msgstr: str) -> list[str]:
    """A space between a role or a link and the Chinese text beside it where both sides are
    Chinese (``{entry}`Yoon 等人 <key>` 则``): the reader sees ``Yoon 等人 则``."""
    wide = re.compile(f"[{WIDE}]")
    problems = []
    for match in SHOWN.finditer(msgstr):
        shown = (match.group(1) if match.group(1) is not None else match.group(2)).strip()
        if not shown or not shown.strip("`*_"):
            continue
        after = msgstr[match.end() : match.end() + 2]
        if len(after) == 2 and after[0] == " " and wide.match(after[1]) and wide.match(shown[-1]):
            problems.append(f"typography: no space between {match.group(0)!r} and {after[1]!r}")
        before = msgstr[max(0, match.start() - 2) : match.start()]
        if len(before) == 2 and before[1] == " " and wide.match(before[0]) and wide.match(shown[0]):
            problems.append(f"typography: no space between {before[0]!r} and {match.group(0)!r}")
    return problems


def glossary_uses(
    plain: str, terms: list[tuple[re.Pattern[str], str, str]]
) -> list[tuple[str, str]]:
    """The glossary terms of an English text, each with its Chinese term; a term inside a
    longer one (``inference`` in ``natural language inference``) is the longer one's part."""
    spans: list[tuple[int, int]] = []
    uses = []
    for pattern, _en, zh in sorted(terms, key=lambda t: -len(t[1])):
        for found in pattern.finditer(plain):
            if any(a <= found.start() and found.end() <= b for a, b in spans):
                continue
            spans.append(found.span())
            uses.append((found.group(0), zh))
            break
    return uses


def glossary_patterns() -> list[tuple[re.Pattern[str], str, str]]:
    return [
        (re.compile(rf"\b{re.escape(t.en)}(s|es)?\b", re.I), t.en, t.zh)
        for t in load_glossary(GLOSSARY)
    ]


def check_file(path: Path, terms: list[tuple[re.Pattern[str], str, str]]) -> list[str]:
    rel = _rel(path)
    try:
        problems = [f"{rel}:{line}: {message}" for line, message in check_syntax(path)]
    except OSError as err:
        return [f"{rel}: cannot be read: {err}"]
    try:
        catalog = polib.pofile(str(path))
    except (OSError, ValueError) as err:  # what polib refuses, check_syntax has reported
        catalog = []
        if not problems:
            problems.append(f"{rel}: cannot be read: {err}")
    for entry in catalog:
        if entry.obsolete or not entry.msgstr:
            continue
        head = entry.msgid[:40].replace("\n", " ")
        problems += [f'{rel}:{entry.linenum}: "{head}…": {p}' for p in check_entry(entry, terms)]
    msgfmt = shutil.which("msgfmt")
    if msgfmt:
        run = subprocess.run(
            [msgfmt, "--check", "-o", "/dev/null", str(rel)],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        if run.returncode:
            problems += [
                f"msgfmt: {line}"
                for line in run.stderr.splitlines()
                if line.strip() and "warning:" not in line
            ]
    return problems


def normalize(paths: list[Path]) -> None:
    """Drop the ``python-format`` flag Babel guesses for prose with a percent sign.

    Page messages are not %-format strings; ``python-brace-format`` stays, so that
    ``msgfmt --check`` still catches a dropped role.
    """
    for path in paths:
        catalog = polib.pofile(str(path), wrapwidth=0)  # sphinx-intl writes with -w 0 too
        changed = False
        for entry in catalog:
            if "python-format" in entry.flags:
                entry.flags.remove("python-format")
                changed = True
        if changed:
            catalog.save()


def catalogue_counts() -> str:
    """The cards of the pages, reviewed and not (``:reviewed: no``), and the records."""
    cards = model.page_cards(ROOT / "docs")
    unreviewed = sum(1 for card in cards.values() if not card.reviewed)
    records = len(model.read(ROOT / "references.bib").records)
    return (
        f"entries: {len(cards)} cards ({len(cards) - unreviewed} reviewed,"
        f" {unreviewed} not reviewed: ':reviewed: no'), {records} records in references.bib"
    )


def stats() -> int:
    print(f"{'file':56s} {'translated':>10s} {'fuzzy':>6s} {'untranslated':>12s}")
    for path in po_files():
        cat = polib.pofile(str(path))
        print(
            f"{path.relative_to(ROOT)!s:56s} {len(cat.translated_entries()):10d} "
            f"{len(cat.fuzzy_entries()):6d} {len(cat.untranslated_entries()):12d}"
        )
    print(catalogue_counts())
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stats", action="store_true", help="print per-file progress")
    parser.add_argument(
        "--normalize",
        action="store_true",
        help="drop guessed python-format flags (after sphinx-intl update)",
    )
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args(argv)
    if args.stats:
        return stats()
    if args.normalize:
        normalize(args.files or po_files())
        return 0
    terms = glossary_patterns()
    problems = [p for path in (args.files or po_files()) for p in check_file(path.resolve(), terms)]
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
