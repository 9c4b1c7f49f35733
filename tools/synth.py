"""Generate a synthetic catalogue, deterministic from a seed, for the build benchmark.

    python tools/synth.py --entries 1000 --out build/bench/synth-1000 [--seed 1]

It writes two projects side by side:

- ``site/``: the real configuration (``docs/conf.py``, with the installed ``abp`` package) and
  generated content: ``references.bib`` and topic pages of 25 cards each (60-100-word summaries
  that link to two other entries), each page ending with its bibliography;
- ``floor/``: the same pages with each card replaced by a plain heading and paragraph, built
  with MyST and furo only (no bibliography extension).

The records are modelled on the real ones in ``references.bib``, so that they cost what real
records cost to check, parse and format: each takes a real record's type and fields as written
(venues, pages, months, DOIs, case-protecting braces and LaTeX accents), and gets new authors,
drawn independently from the real surnames and given names (so names rarely repeat, as in the
real file), a unique title and unique identifiers. Summaries are runs of the real summaries'
words. The output depends only on the seed and on the real ``references.bib`` and pages.

``tools/bench.py`` gives both a complete (fake) Chinese translation of every message.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from abp import model
from abp.keys import GITHUB, authors_part, title_words
from abp.model import Name
from abp.text import latex_to_text

ROOT = Path(__file__).resolve().parent.parent

ARXIV_URL = re.compile(r"https?://arxiv\.org/abs/")
PER_PAGE = 25
SOURCE = ROOT / "references.bib"  # the real records the synthetic ones are modelled on
WORD = re.compile(r"[A-Za-z][A-Za-z0-9.,;:%'()-]*|[0-9][0-9.,%x×-]*[0-9%]")
FIELD_ORDER = ("title", "author")


@dataclass(frozen=True)
class Source:
    """What synthetic records are made from: the real records (with an author, a year and no
    repository key) as templates, and the real names, split into surname and given-name parts."""

    templates: list[dict[str, str]]
    types: list[str]
    author_counts: list[int]
    surnames: list[tuple[tuple[str, ...], tuple[str, ...]]]  # (von, last)
    given: list[tuple[str, ...]]
    words: list[str]  # the words of the real summaries


def load_source(bib: Path = SOURCE, docs: Path = ROOT / "docs") -> Source:
    templates, types, counts, surnames, given = [], [], [], set(), set()
    for record in model.read(bib).records.values():
        fields = dict(record.fields)
        url = fields.get("url", "")
        if not {"author", "title", "year"} <= fields.keys() or "key" in fields:
            continue
        if GITHUB.match(url) and "eprint" not in fields:
            continue  # a repository: its key comes from the URL, not from authors and title
        names = record.authors
        for name in names:
            if name.last and name.first and name.last != ("others",):
                surnames.add((tuple(name.von), tuple(name.last)))
                given.add(tuple(name.first))
        templates.append(fields)
        types.append(record.type)
        counts.append(len(names))
    text = " ".join(
        body
        for page in sorted((docs / "papers").glob("*.md"))
        for body in re.findall(
            r":::\{entry\}[^\n]*\n(?::[^\n]*\n)*\n(.*?)\n:::", page.read_text("utf-8"), re.S
        )
    )
    text = re.sub(r"\{entry\}`[^`]*`", " ", text)
    words = [w for w in text.split() if WORD.fullmatch(w)]
    return Source(templates, types, counts, sorted(surnames), sorted(given), words)


def surname_as_written(name: Name) -> str:
    """The surname part of ``Last, First``: a surname of several words without a "von" part is
    braced whole when the given names are several words too, as the validator asks
    (``{Van Durme}, Chan Ho``: unbraced, it reads like two names joined by a comma)."""
    last = " ".join(name.last)
    if len(name.last) > 1 and not name.von and len(name.first) > 1:
        last = "{" + last + "}"
    return " ".join([*name.von, last])


def make_entries(n: int, rng: random.Random, source: Source) -> list[dict]:
    """*n* records, each modelled on a real one: its type and fields (venues, pages, months,
    DOIs, LaTeX as written) with new authors, drawn from the real surnames and given names
    independently, a unique title and unique identifiers."""
    entries, taken = [], set()
    for i in range(n):
        at = rng.randrange(len(source.templates))
        fields = dict(source.templates[at])
        count = source.author_counts[at]
        names = [
            Name(first=tuple(rng.choice(source.given)), von=tuple(von), last=tuple(last))
            for von, last in (rng.choice(source.surnames) for _ in range(count))
        ]
        fields["author"] = " and ".join(
            surname_as_written(n) + ", " + " ".join(n.first) for n in names
        )
        fields["title"] = f"{fields['title']} {i}"  # the number keeps every title unique
        if "eprint" in fields:
            fields["eprint"] = (
                f"{int(fields['year']) % 100:02d}{rng.randint(1, 12):02d}.{10000 + i:05d}"
            )
            if ARXIV_URL.match(fields.get("url", "")):
                fields["url"] = f"https://arxiv.org/abs/{fields['eprint']}"
        if "doi" in fields:
            fields["doi"] = f"{fields['doi']}.{i}"
        who = authors_part(names)
        words = title_words(fields["title"])
        key = f"{who}-{fields['year']}-{words[0]}"
        extra = 1
        while key in taken:
            key = f"{who}-{fields['year']}-{'-'.join(words[: extra + 1])}"
            extra += 1
        taken.add(key)
        entries.append(
            {
                "key": key,
                "kind": source.types[at],
                "fields": fields,
                "title": latex_to_text(fields["title"]),
            }
        )
    entries.sort(key=lambda e: e["key"])
    return entries


def bib_record(e: dict) -> str:
    fields = e["fields"]
    order = [k for k in FIELD_ORDER if k in fields] + [k for k in fields if k not in FIELD_ORDER]
    lines = [f"@{e['kind']}{{{e['key']},"]
    for name in order:
        value = fields[name]
        lines.append(f"  {name} = {value}," if name == "month" else f"  {name} = {{{value}}},")
    lines[-1] = lines[-1].rstrip(",")
    return "\n".join([*lines, "}"]) + "\n"


def summary(e: dict, others: list[dict], rng: random.Random, words: list[str]) -> tuple[str, str]:
    """A 60-100-word summary (58-98 words of the real summaries and two links); its floor form."""
    first = rng.randrange(len(words) - 100)
    text = words[first : first + rng.randint(58, 98)]
    text[0] = text[0].capitalize() if text[0][0].isalpha() else "The"
    plain = list(text)
    for other in rng.sample(others, 2):
        pos = rng.randrange(1, len(text))
        name = other["key"].split("-")[0].title()
        text.insert(pos, f"{{entry}}`{name} <{other['key']}>`")
        plain.insert(pos, name)
    return " ".join(text).rstrip(".,;:") + ".", " ".join(plain).rstrip(".,;:") + "."


#: The floor's configuration: MyST and furo, nothing of ours, no bibliography extension.
FLOOR_CONF = """\
project = "Floor"
extensions = ["myst_parser"]
source_suffix = {".md": "markdown"}
myst_enable_extensions = ["colon_fence", "deflist"]
html_theme = "furo"
locale_dirs = ["../locale/"]
gettext_compact = False
exclude_patterns = ["_*"]
"""


def make_floor_project(floor: Path) -> None:
    (floor / "docs").mkdir(parents=True)
    (floor / "docs" / "conf.py").write_text(FLOOR_CONF, encoding="utf-8")


def copy_skeleton(target: Path) -> None:
    docs = target / "docs"
    docs.mkdir(parents=True)
    shutil.copy(ROOT / "docs" / "conf.py", docs / "conf.py")
    for name in ("_static", "_templates", "_data"):
        shutil.copytree(
            ROOT / "docs" / name, docs / name, ignore=shutil.ignore_patterns("__pycache__")
        )


def generate(n: int, out: Path, seed: int = 1) -> Path:
    rng = random.Random(seed)
    source = load_source()
    entries = make_entries(n, rng, source)
    if out.exists():
        shutil.rmtree(out)
    site, floor = out / "site", out / "floor"
    copy_skeleton(site)
    make_floor_project(floor)
    (site / "references.bib").write_text(
        "\n".join(bib_record(e) for e in entries), encoding="utf-8"
    )
    pages = [entries[i : i + PER_PAGE] for i in range(0, len(entries), PER_PAGE)]
    names = [f"papers/topic-{p:04d}" for p in range(len(pages))]
    toc = "\n".join(names)
    index = f"# Synthetic catalogue\n\n```{{toctree}}\n:maxdepth: 1\n\n{toc}\n```\n"
    for project in (site, floor):
        (project / "docs" / "index.md").write_text(index, encoding="utf-8")
    for name, page in zip(names, pages, strict=True):
        title = f"Topic {name[-4:]}"
        intro = f"An introduction to {title.lower()} and its {len(page)} entries."
        site_md = [f"# {title}", "", intro, "", "```{bibtex-download}", "```", ""]
        floor_md = [f"# {title}", "", intro, ""]
        for e in page:
            text, plain = summary(e, entries, rng, source.words)
            site_md += [f":::{{entry}} {e['key']}", ":lists: atpapers", "", text, ":::", ""]
            floor_md += [f"## {e['title']}", "", plain, ""]
        site_md += ["## Bibliography", "", "```{entry-bibliography}", "```", ""]
        for project, lines in ((site, site_md), (floor, floor_md)):
            page_path = project / "docs" / f"{name}.md"
            page_path.parent.mkdir(parents=True, exist_ok=True)
            page_path.write_text("\n".join(lines), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    generate(args.entries, args.out, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
