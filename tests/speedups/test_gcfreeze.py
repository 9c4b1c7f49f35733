"""abp.speedups.gcfreeze: the collector is paused while the environment loads, and the
long-lived objects are frozen until the build finishes; a collector that was off stays off."""

from __future__ import annotations

import gc
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT, warnings_of
from sphinx.testing.util import SphinxTestApp

from abp.speedups import NAMES

OFF = [name for name in NAMES if name != "gcfreeze"]
CONF = '''
import gc
extensions = ["myst_parser", "abp.speedups"]
from abp.speedups import NAMES
abp_speedups_off = [name for name in NAMES if name != "gcfreeze"]
source_suffix = {".md": "markdown"}
html_theme = "furo"
import weakref


class Node:
    pass


def leave_garbage(app, env):
    """A reference cycle that becomes garbage just before the speed-up freezes what is alive."""
    node = Node()
    node.self = node
    app.gc_garbage = weakref.ref(node)
    return []


def check_garbage(app, *args):
    app.gc_seen.append(("garbage-alive", app.gc_garbage() is not None, 0))


def note(event):
    def handler(app, *args):
        app.gc_seen.append((event, gc.isenabled(), gc.get_freeze_count()))
        return [] if event == "env-updated" else None
    return handler

def setup(app):
    app.gc_seen = []
    app.connect("config-inited", note("config-inited"), priority=1000)
    app.connect("builder-inited", note("builder-inited"), priority=1000)
    app.connect("env-before-read-docs", note("env-before-read-docs"))
    app.connect("env-updated", note("env-updated"), priority=1000)
    app.connect("doctree-resolved", note("doctree-resolved"))
    app.connect("env-updated", leave_garbage, priority=998)
    app.connect("doctree-resolved", check_garbage)
    app.connect("build-finished", note("build-finished"), priority=1000)
'''


def site(tmp_path, name: str, conf: str):
    """The test-nav root in a folder of its own, with *conf* as its conf.py."""
    src = tmp_path / name
    shutil.copytree(ROOT / "tests" / "roots" / "test-nav", src)
    (src / "conf.py").write_text(conf, encoding="utf-8")
    return src


def build(tmp_path, name: str) -> dict[str, tuple[bool, int]]:
    """Build a small site twice (clean, then after an edit); what each event saw the second time."""
    src = site(tmp_path, name, CONF)
    seen = {}
    for edit in (False, True):
        if edit:
            page = src / "alpha.md"
            page.write_text(page.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
        app = SphinxTestApp("html", srcdir=src)
        try:
            app.build()
        finally:
            app.cleanup()
        assert not warnings_of(app)
        assert not app.fresh_env_used if edit else app.fresh_env_used
        seen = {event: (enabled, frozen) for event, enabled, frozen in app.gc_seen}
    return seen


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    gc.unfreeze()
    (gc.enable if was else gc.disable)()


def test_paused_while_loading_frozen_while_building_restored_after(tmp_path, collector_on) -> None:
    seen = build(tmp_path, "on")
    assert seen["config-inited"][0] is False  # paused before the environment loads
    enabled, frozen = seen["builder-inited"]
    assert enabled and frozen > 0  # loaded objects frozen, collector running again
    assert seen["env-before-read-docs"][0] is True
    read_frozen = seen["doctree-resolved"][1]
    assert read_frozen >= frozen  # what survived reading frozen too
    assert seen["garbage-alive"][0] is False  # collected before the freeze, not frozen with it
    assert seen["build-finished"] == (True, 0)  # given back
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_collector_that_was_off_stays_off(tmp_path, collector_on) -> None:
    gc.disable()
    seen = build(tmp_path, "off")
    assert seen["builder-inited"][0] is False
    assert seen["doctree-resolved"][0] is False
    assert seen["build-finished"] == (False, 0)
    assert not gc.isenabled()


def test_a_build_process_exits_with_its_objects_frozen(tmp_path) -> None:
    """An exit function registered before the build runs after the speed-up's (last in, first
    out), so it sees what the interpreter's last collections will see."""
    src = site(
        tmp_path,
        "src",
        'extensions = ["myst_parser", "abp.speedups"]\nsource_suffix = {".md": "markdown"}\n'
        f"abp_speedups_off = {OFF!r}\n",
    )
    script = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('FROZEN', gc.get_freeze_count()))\n"
        "from sphinx.cmd.build import build_main\n"
        "status = build_main(['-q', '-b', 'html', sys.argv[1], sys.argv[2]])\n"
        "print('AFTER', gc.get_freeze_count())\n"
        "sys.exit(status)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(src), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=True,
    )
    after = int(run.stdout.split("AFTER ")[1].split()[0])
    frozen = int(run.stdout.split("FROZEN ")[1].split()[0])
    assert after == 0  # given back when the build finished
    assert frozen > 10_000  # frozen again at exit: Sphinx and its extensions, at least


def test_upstream_freezes_nothing(tmp_path, collector_on) -> None:
    """The fault: Sphinx leaves the loaded environment to every full collection."""
    src = site(
        tmp_path, "upstream", 'extensions = ["myst_parser"]\nsource_suffix = {".md": "markdown"}\n'
    )
    frozen = []
    app = SphinxTestApp("html", srcdir=src)
    app.connect("env-updated", lambda app, env: frozen.append(gc.get_freeze_count()))
    try:
        app.build()
    finally:
        app.cleanup()
    assert frozen == [0]
