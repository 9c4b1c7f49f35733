"""Build benchmark: our build against a bare-Sphinx floor, side by side, in one run.

    python tools/bench.py [--sizes real,1000,5000,10000] [--runs 3] [--out build/bench]
    python tools/bench.py --report build/bench/bench-*.json    (one table of earlier runs)

For every catalogue size (``real`` is this repository; a number is a synthetic catalogue made
by ``tools/synth.py``) it measures, as the median of ``--runs`` runs with wall time and peak
memory (max RSS) of each build process:

- clean builds of English, of Chinese, and of both as ``nox -s docs`` runs them (English, then
  Chinese, which takes the bibliography work English has left in the folder the languages
  share: ``zh_after_en``);
- a rebuild with nothing changed (what starting a build costs), and rebuilds after editing one
  summary in one page, one msgstr in one .po, one bib entry;
- the gettext extraction;
- the same clean builds and rebuilds (but the bib edit) of the floor: the same pages with each card
  replaced by a plain heading and paragraph, MyST and furo only, no bibliography extension.

Our site and the floor take turns, one whole run each, so that the machine's slower and faster
spells fall on both sides of each ratio. It prints a table with each figure's ratio to the
floor, and writes it as JSON under ``--out``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import synth  # noqa: E402

# tools/site.py, by path: "site" is also a module of Python's own
_spec = importlib.util.spec_from_file_location("abp_site", ROOT / "tools" / "site.py")
sitepy = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sitepy)

RUNNER = (
    "import resource, sys\n"
    "from sphinx.cmd.build import build_main\n"
    "status = build_main(sys.argv[1:])\n"
    "print('MAXRSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(status)\n"
)


#: ``-D`` settings of our site's builds (``--speedups-off``); the floor's builds never get them.
OURS_SETTINGS: list[str] = []


def sphinx(
    project: Path, builder: str, lang: str, work: Path, strict: bool = True, shared: bool = False
) -> dict:
    """Run one build in a fresh process; return its wall time (s) and peak memory (MB).

    The command line is ``tools/site.py``'s, run through a wrapper that reads the peak memory;
    ``shared``: with the folder the languages' builds share (our site only).
    """
    command = sitepy.sphinx_command(
        lang, work, builder, project=project, shared=shared, strict=strict
    )
    if shared:  # our site's build
        command[-2:-2] = OURS_SETTINGS
    args = [sys.executable, "-c", RUNNER, *command[3:]]  # past "python -m sphinx"
    start = time.perf_counter()
    run = subprocess.run(args, capture_output=True, text=True, cwd=project)
    seconds = time.perf_counter() - start
    if run.returncode:
        raise RuntimeError(f"build failed ({project}, {builder}, {lang}):\n{run.stderr[-3000:]}")
    rss = int(re.search(r"MAXRSS (\d+)", run.stderr).group(1)) / 1024
    return {"seconds": seconds, "rss_mb": rss}


def fake_translation(project: Path, work: Path) -> None:
    """A complete zh_CN translation of every message of *project* (for floors and synthetic)."""
    sphinx(project, "gettext", "en", work / "gettext", strict=False)
    pots = work / "gettext" / "gettext" / "en"
    for pot in pots.rglob("*.pot"):
        catalog = polib.pofile(str(pot), wrapwidth=0)
        catalog.metadata["Language"] = "zh_CN"
        for entry in catalog:
            entry.msgstr = "译文：" + entry.msgid
        target = project / "locale/zh_CN/LC_MESSAGES" / pot.relative_to(pots)
        target.parent.mkdir(parents=True, exist_ok=True)
        catalog.save(str(target.with_suffix(".po")))
    shutil.rmtree(work / "gettext")


def floor_of(site: Path, floor: Path) -> None:
    """The floor of an existing project: cards become a heading and a paragraph."""
    if floor.exists():
        shutil.rmtree(floor)
    synth.make_floor_project(floor)
    # options, then the summary after a blank line, or no summary (a card marked ':reviewed: no')
    card = re.compile(r"^:::\{entry\} (\S+)\n(?::[\w-]+:[^\n]*\n)*(?:\n(.*?)\n)?:::$", re.S | re.M)
    directive = re.compile(
        r"```\{(bibtex-download|entry-bibliography|glossary-table|catalogue-overview)\}\n```\n"
        r"|:::\{entry-refs\}\n.*?:::\n",
        re.S,
    )
    role = re.compile(r"\{entry\}`(?:([^`<]*?)\s*<[^>]+>|([^`]+))`")
    for page in (site / "docs").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        text = card.sub(lambda m: f"### {m.group(1)}\n\n{m.group(2) or ''}", text)
        text = role.sub(lambda m: m.group(1) or m.group(2), directive.sub("", text))
        target = floor / "docs" / page.relative_to(site / "docs")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def edit_summary(project: Path) -> tuple[Path, str]:
    page = sorted((project / "docs" / "papers").glob("*.md"))[0]
    old = page.read_text(encoding="utf-8")
    new = re.sub(r"(\n\n)([A-Z][^\n]{40,})\n", r"\1\2 Edited.\n", old, count=1)
    page.write_text(new, encoding="utf-8")
    return page, old


def edit_msgstr(project: Path) -> tuple[Path, str]:
    po = sorted((project / "locale/zh_CN/LC_MESSAGES/papers").glob("*.po"))[0]
    old = po.read_text(encoding="utf-8")
    catalog = polib.pofile(str(po), wrapwidth=0)
    entry = next(e for e in catalog.translated_entries() if len(e.msgstr) > 40)
    entry.msgstr += "（已修改）"
    catalog.save(str(po))
    return po, old


def edit_bib(project: Path) -> tuple[Path, str]:
    bib = project / "references.bib"
    old = bib.read_text(encoding="utf-8")
    # append to the first title: the key (built from the first title words) stays valid
    bib.write_text(
        re.sub(r"(\n  title = \{[^\n]*)\},\n", r"\1 (edited)},\n", old, count=1), encoding="utf-8"
    )
    return bib, old


def median(results: list[dict]) -> dict:
    """The median time and the peak memory of several runs, and each run's time (to judge noise)."""
    return {
        "seconds": statistics.median(r["seconds"] for r in results),
        "rss_mb": max(r["rss_mb"] for r in results),
        "runs": len(results),
        "each": [round(r["seconds"], 2) for r in results],
    }


def clean(project: Path, work: Path, lang: str, ours: bool, cold: bool = True) -> dict:
    """A build of *lang* without its environment and output; ``cold``: nor the shared folder."""
    for sub in (work / "doctrees" / lang, work / "html" / lang):
        shutil.rmtree(sub, ignore_errors=True)
    if cold:
        shutil.rmtree(sitepy.shared_folder(work), ignore_errors=True)
    return sphinx(project, "html", lang, work, shared=ours)


def rebuild(project: Path, work: Path, lang: str, ours: bool, edit) -> dict:
    """Edit, rebuild incrementally (timed), restore the file (the next build sees it again)."""
    path, old = edit(project)
    try:
        return sphinx(project, "html", lang, work, shared=ours)
    finally:
        path.write_text(old, encoding="utf-8")


def gettext(project: Path, work: Path) -> dict:
    shutil.rmtree(work / "gettext", ignore_errors=True)
    return sphinx(project, "gettext", "en", work / "gettext", strict=False)


def one_run(project: Path, work: Path, ours: bool) -> dict:
    """One run of every scenario. Each rebuild starts from the clean build just measured.

    ``clean_both`` is how ``nox -s docs`` (``tools/site.py``) builds the site: English, then
    Chinese (``zh_after_en``), in separate processes, measured one after the other. Our Chinese
    build there takes the bibliography work English has left in the shared folder; ``clean_zh``
    is our Chinese build without it, measured later. The floor shares nothing, so its
    ``zh_after_en`` is its clean Chinese build, and is reported as its ``clean_zh`` too.
    """
    run = {"clean_en": clean(project, work, "en", ours)}
    run["zh_after_en"] = clean(project, work, "zh_CN", ours, cold=False)
    run["noop_en"] = sphinx(project, "html", "en", work, shared=ours)
    run["edit_summary_en"] = rebuild(project, work, "en", ours, edit_summary)
    if ours:
        run["edit_bib_en"] = rebuild(project, work, "en", ours, edit_bib)
        run["clean_zh"] = clean(project, work, "zh_CN", ours)
    else:
        run["clean_zh"] = run["zh_after_en"]
    run["edit_msgstr_zh"] = rebuild(project, work, "zh_CN", ours, edit_msgstr)
    run["clean_both"] = {
        "seconds": run["clean_en"]["seconds"] + run["zh_after_en"]["seconds"],
        "rss_mb": max(run["clean_en"]["rss_mb"], run["zh_after_en"]["rss_mb"]),
    }
    return run


ORDER = (
    "clean_en",
    "clean_zh",
    "zh_after_en",
    "clean_both",
    "noop_en",
    "edit_summary_en",
    "edit_msgstr_zh",
)
REBUILDS = ("noop_", "edit_")


def scenarios(sites: dict[str, tuple[Path, Path, bool]], runs: int) -> dict[str, dict]:
    """Every scenario of every site (ours and its floor), as medians of *runs* runs.

    The sites take turns, one whole run each, so that a slower or faster spell of the machine
    falls on both sides of a ratio alike (``ours``: our site, with the shared folder and the
    bib edit; else a floor).
    """
    results: dict[str, list[dict]] = {name: [] for name in sites}
    for _ in range(runs):
        for name, (project, work, ours) in sites.items():
            results[name].append(one_run(project, work, ours))
    return {
        name: {
            scenario: median([r[scenario] for r in results[name]])
            for scenario in ORDER + (("edit_bib_en",) if sites[name][2] else ())
        }
        for name in sites
    }


def bench_size(size: str, runs: int, out: Path) -> dict:
    base = out / f"size-{size}"
    base.mkdir(parents=True, exist_ok=True)
    if size == "real":
        site = base / "site"
        if site.exists():
            shutil.rmtree(site)
        shutil.copytree(
            ROOT,
            site,
            ignore=shutil.ignore_patterns("build", ".nox", ".git", "__pycache__", "tests"),
        )
        floor = base / "floor"
        floor_of(site, floor)
    else:
        synth.generate(int(size), base / "catalogue")
        site, floor = base / "catalogue" / "site", base / "catalogue" / "floor"
    work, floor_work = base / "work", base / "floor-work"
    if size != "real":
        fake_translation(site, work)  # the real catalogue has its real translation
    fake_translation(floor, floor_work)
    entries = len(
        re.findall(r"^@\w+\{", (site / "references.bib").read_text(encoding="utf-8"), re.M)
    )
    measured = scenarios({"ours": (site, work, True), "floor": (floor, floor_work, False)}, runs)
    ours, bare = measured["ours"], measured["floor"]
    ours["gettext"] = median([gettext(site, work) for _ in range(runs)])
    return {"size": size, "entries": entries, "ours": ours, "floor": bare}


def table(results: list[dict]) -> str:
    """Our figures, the floor's, their ratio; for a rebuild, also its share of our clean build."""
    rows = [
        f"{'catalogue':>12} {'scenario':<16} {'ours s':>8} {'floor s':>8} {'ratio':>6} "
        f"{'of clean':>8} {'ours MB':>8} {'ms/entry':>9}"
    ]
    for r in results:
        for name, ours in r["ours"].items():
            floor = r["floor"].get(name)
            ratio = f"{ours['seconds'] / floor['seconds']:.2f}" if floor else "-"
            fs = f"{floor['seconds']:.1f}" if floor else "-"
            lang = "zh" if name.endswith("_zh") else "en"
            share = (
                f"{ours['seconds'] / r['ours'][f'clean_{lang}']['seconds']:.0%}"
                if name.startswith(REBUILDS)
                else "-"
            )
            rows.append(
                f"{r['size'] + ' (' + str(r['entries']) + ')':>12} {name:<16} "
                f"{ours['seconds']:8.1f} {fs:>8} {ratio:>6} {share:>8} {ours['rss_mb']:8.0f} "
                f"{ours['seconds'] / r['entries'] * 1000:9.1f}"
            )
    return "\n".join(rows)


def share(figures: dict, rebuild: str, lang: str) -> float:
    """A rebuild's time as a share of the clean build of the same language."""
    return figures[rebuild]["seconds"] / figures[f"clean_{lang}"]["seconds"]


#: The rebuilds judged against the floor's same rebuild, with the language of their clean build.
JUDGED = (("noop_en", "en"), ("edit_summary_en", "en"), ("edit_msgstr_zh", "zh"))
#: From this many entries, each rebuild must also take at most a tenth of the clean build.
LARGE = 5000


def targets(results: list[dict]) -> str:
    """The standing limits, each with the figures it is judged on: the clean bilingual build at
    most 1.3 x the floor's; each rebuild at most 1.1 x the floor's same rebuild at every size,
    and at most 10% of the clean build from 5,000 entries up."""
    lines = []
    for r in results:
        ours, floor = r["ours"], r["floor"]
        both = ours["clean_both"]["seconds"] / floor["clean_both"]["seconds"]
        lines.append(f"{r['size']}: clean bilingual {both:.2f} x the floor (target <= 1.3)")
        large = r["entries"] >= LARGE
        for rebuild, lang in JUDGED:
            if rebuild not in ours or rebuild not in floor:  # not in older result files
                continue
            ratio = ours[rebuild]["seconds"] / floor[rebuild]["seconds"]
            lines.append(
                f"{r['size']}: {rebuild} {ratio:.2f} x the floor's (target <= 1.1); "
                f"{share(ours, rebuild, lang):.1%} of the clean build (floor: "
                f"{share(floor, rebuild, lang):.1%} of its own"
                + ("; target <= 10%)" if large else "; 10% target from 5,000 entries)")
            )
        peak = max(v["rss_mb"] for v in ours.values())
        lines.append(f"{r['size']}: peak memory {peak:.0f} MB (target <= 1024 MB at 10000)")
    sizes = {r["size"]: r for r in results}
    if "1000" in sizes and "10000" in sizes:
        per = {
            size: sizes[size]["ours"]["clean_both"]["seconds"] / sizes[size]["entries"]
            for size in ("1000", "10000")
        }
        lines.append(
            f"per entry, clean bilingual: {per['10000'] * 1000:.1f} ms at 10000, "
            f"{per['1000'] * 1000:.1f} ms at 1000: {per['10000'] / per['1000']:.2f} x "
            "(target <= 1.5)"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="real,1000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench")
    parser.add_argument(
        "--report",
        nargs="+",
        type=Path,
        help="print the table and targets of earlier runs' JSON files instead of measuring",
    )
    parser.add_argument(
        "--speedups-off",
        default="",
        help="comma-separated names of abp.speedups to leave off in our builds (what each buys)",
    )
    args = parser.parse_args(argv)
    if args.speedups_off:
        OURS_SETTINGS[:] = ["-D", f"abp_speedups_off={args.speedups_off}"]
    if args.report:
        results = [r for path in args.report for r in json.loads(path.read_text("utf-8"))]
        print(table(results) + "\n\n" + targets(results))
        return 0
    args.out = args.out.resolve()  # builds run with the project as working directory
    args.out.mkdir(parents=True, exist_ok=True)
    results = []
    for size in args.sizes.split(","):
        results.append(bench_size(size.strip(), args.runs, args.out))
        print(table(results[-1:]), flush=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    (args.out / f"bench-{stamp}.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    print("\n" + table(results))
    print("\n" + targets(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
