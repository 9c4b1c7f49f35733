"""The benchmark's report: ratios to the floor, shares of the clean build, the targets."""

from __future__ import annotations

import bench


def figures(seconds: float, rss: float = 100.0) -> dict:
    return {"seconds": seconds, "rss_mb": rss, "runs": 3}


def result(size: str, entries: int, scale: float, rss: float = 100.0) -> dict:
    ours = {
        "clean_en": figures(10 * scale, rss),
        "clean_zh": figures(33 * scale, rss),
        "zh_after_en": figures(30 * scale, rss),
        "clean_both": figures(40 * scale, rss),
        "noop_en": figures(0.4 * scale),
        "edit_summary_en": figures(0.5 * scale),
        "edit_msgstr_zh": figures(6.6 * scale),
        "edit_bib_en": figures(9 * scale),
        "gettext": figures(5 * scale),
    }
    floor = {name: figures(ours[name]["seconds"] / 1.25) for name in bench.ORDER}
    floor["noop_en"] = figures(0.6 * scale)  # the floor's start-up: 7.5% of its 8 s clean build
    return {"size": size, "entries": entries, "ours": ours, "floor": floor}


def test_table_has_ratio_and_share() -> None:
    text = bench.table([result("1000", 1000, 1.0)])
    clean_both = next(line for line in text.splitlines() if "clean_both" in line)
    assert "1.25" in clean_both and "40.0" in clean_both and "32.0" in clean_both
    edit = next(line for line in text.splitlines() if "edit_summary_en" in line)
    assert "5%" in edit  # 0.5 s of a 10 s clean English build
    msgstr = next(line for line in text.splitlines() if "edit_msgstr_zh" in line)
    assert "20%" in msgstr  # of the clean Chinese build, not the English one
    bib = next(line for line in text.splitlines() if "edit_bib_en" in line)
    assert " - " in bib  # no floor figure for a bib edit


def test_targets_report_growth_and_memory() -> None:
    text = bench.targets([result("1000", 1000, 1.0), result("10000", 10000, 12.0, rss=900)])
    assert "1000: clean bilingual 1.25 x the floor" in text
    assert "10000: peak memory 900 MB" in text
    # 480 s for 10,000 entries against 40 s for 1,000: 48 ms against 40 ms an entry
    assert "48.0 ms at 10000, 40.0 ms at 1000: 1.20 x" in text


def test_targets_give_the_floors_own_rebuild_shares() -> None:
    text = bench.targets([result("1000", 1000, 1.0)])
    # ours 0.5 s of 10 s; the floor's 0.4 s of its 8 s
    assert (
        "1000: edit_summary_en 1.25 x the floor's (target <= 1.1); 5.0% of the clean build"
        " (floor: 5.0% of its own; 10% target from 5,000 entries)"
    ) in text
    assert "1000: noop_en 0.67 x the floor's (target <= 1.1); 4.0% of the clean build" in text


def test_the_ten_percent_target_applies_from_5000_entries() -> None:
    text = bench.targets([result("5000", 5000, 1.0)])
    assert "5000: edit_msgstr_zh 1.25 x the floor's (target <= 1.1); 20.0% of the clean build" in (
        text
    )
    assert "20.0% of the clean build (floor: 20.0% of its own; target <= 10%)" in text
    noop = next(
        line for line in bench.table([result("1000", 1000, 1.0)]).splitlines() if "noop_en" in line
    )
    assert "4%" in noop and "0.67" in noop  # 0.4 s against the floor's 0.6 s


def test_results_without_the_no_change_rebuild_still_report() -> None:
    old = result("real", 214, 1.0)
    del old["ours"]["noop_en"], old["floor"]["noop_en"]
    text = bench.targets([old])
    assert "real: edit_msgstr_zh 1.25 x the floor's (target <= 1.1); 20.0% of the clean" in text
    assert "noop_en" not in text


def test_our_site_and_the_floor_take_turns(monkeypatch) -> None:
    calls: list[str] = []

    def one_run(project, work, ours):
        calls.append(str(project))
        seconds = 2.0 if str(project) == "ours" else 1.0
        run = {name: figures(seconds * (len(calls) + 1)) for name in bench.ORDER}
        if ours:
            run["edit_bib_en"] = figures(3.0)
        return run

    monkeypatch.setattr(bench, "one_run", one_run)
    sites = {"ours": ("ours", "w", True), "floor": ("floor", "fw", False)}
    measured = bench.scenarios(sites, 3)
    assert calls == ["ours", "floor"] * 3
    # medians of each side's own runs: ours ran 1st, 3rd, 5th (2 s x 2, 4, 6); floor 2nd, 4th, 6th
    assert measured["ours"]["clean_en"]["seconds"] == 8.0
    assert measured["ours"]["clean_en"]["each"] == [4.0, 8.0, 12.0]
    assert measured["floor"]["clean_en"]["seconds"] == 5.0
    assert "edit_bib_en" in measured["ours"] and "edit_bib_en" not in measured["floor"]


def test_one_run_builds_chinese_after_english_with_the_shared_folder(monkeypatch, tmp_path) -> None:
    """``clean_both`` is English, then Chinese with what English left; ``clean_zh`` starts cold."""
    builds: list[tuple[str, str, bool, bool]] = []
    folder = bench.sitepy.shared_folder(tmp_path)

    def sphinx(project, builder, lang, work, strict=True, shared=False):
        builds.append((builder, lang, shared, folder.exists()))
        seconds = 10.0 if lang == "en" else 20.0 if folder.exists() else 30.0
        if shared:
            folder.mkdir(parents=True, exist_ok=True)  # what a build of ours leaves
        return figures(seconds)

    monkeypatch.setattr(bench, "sphinx", sphinx)
    monkeypatch.setattr(bench, "rebuild", lambda project, work, lang, ours, edit: figures(1.0))
    ours = bench.one_run(tmp_path, tmp_path, True)
    # clean English starts without a shared folder; the Chinese build after it finds one
    assert builds[:2] == [("html", "en", True, False), ("html", "zh_CN", True, True)]
    assert builds[-1] == ("html", "zh_CN", True, False)  # clean_zh: the folder removed first
    assert ours["zh_after_en"]["seconds"] == 20.0 and ours["clean_zh"]["seconds"] == 30.0
    assert ours["clean_both"]["seconds"] == 30.0  # 10 s English + 20 s Chinese after it
    builds.clear()
    floor = bench.one_run(tmp_path, tmp_path, False)
    assert [shared for _, _, shared, _ in builds] == [False] * len(builds)
    assert [lang for _, lang, _, _ in builds] == ["en", "zh_CN", "en"]  # one Chinese build
    assert floor["zh_after_en"] == floor["clean_zh"]
    assert floor["clean_both"]["seconds"] == 10.0 + 30.0
    assert "edit_bib_en" not in floor


def test_the_floor_turns_every_card_into_a_heading(tmp_path) -> None:
    site = tmp_path / "site"
    (site / "docs").mkdir(parents=True)
    (site / "docs" / "page.md").write_text(
        "# Page\n\n:::{entry} a-2020-b\n:short: A\n:reviewed: no\n:::\n\n"
        ":::{entry} c-2021-d\n:lists: atpapers\n\nA summary of {entry}`A <a-2020-b>`.\n:::\n",
        encoding="utf-8",
    )
    bench.floor_of(site, tmp_path / "floor")
    text = (tmp_path / "floor" / "docs" / "page.md").read_text(encoding="utf-8")
    assert "{entry}" not in text and ":::" not in text
    assert "### a-2020-b" in text and "### c-2021-d\n\nA summary of A." in text
