"""The benchmark's report: ratios to the floor, shares of the clean build, the targets."""

from __future__ import annotations

import bench


def figures(seconds: float, rss: float = 100.0) -> dict:
    return {"seconds": seconds, "rss_mb": rss, "runs": 3}


def result(size: str, entries: int, scale: float, rss: float = 100.0) -> dict:
    ours = {
        "clean_en": figures(10 * scale, rss),
        "clean_zh": figures(30 * scale, rss),
        "clean_both": figures(40 * scale, rss),
        "edit_summary_en": figures(0.5 * scale),
        "edit_msgstr_zh": figures(6 * scale),
        "edit_bib_en": figures(9 * scale),
        "gettext": figures(5 * scale),
    }
    floor = {name: figures(ours[name]["seconds"] / 1.25) for name in bench.ORDER}
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
