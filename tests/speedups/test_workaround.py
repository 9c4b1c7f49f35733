"""abp.speedups: each speed-up checks the versions it was written for, and its patches are
undone when the build finishes."""

from __future__ import annotations

import importlib.metadata
from types import SimpleNamespace

import pytest

from abp import speedups
from abp.speedups._workaround import Workaround, patch, redo, undo


@pytest.mark.parametrize("name", speedups.NAMES)
def test_each_speedup_names_its_fault_and_the_installed_versions(name):
    found = speedups.module(name).WORKAROUND
    assert found.name == name and found.fault and found.upstream and found.versions
    assert found.mismatch() is None  # written for exactly what pyproject.toml pins
    for package, versions in found.versions.items():
        assert importlib.metadata.version(package) in versions


def test_another_version_is_skipped_with_one_line(caplog):
    applied = []
    other = Workaround(
        name="example",
        fault="a fault",
        upstream="an issue",
        versions={"sphinx": ("0.0.1",)},
        apply=applied.append,
    )
    app = SimpleNamespace()
    with caplog.at_level("INFO"):
        assert other.enable(app) is False
    assert applied == []
    lines = [r.getMessage() for r in caplog.records if "abp.speedups.example" in r.getMessage()]
    assert len(lines) == 1
    assert "sphinx" in lines[0] and "0.0.1" in lines[0] and "skipped" in lines[0]


def test_patches_are_undone_and_redone():
    class Owner:
        def method(self):
            return "upstream"

    app = SimpleNamespace()
    patch(app, Owner, "method", lambda self: "patched")
    assert Owner().method() == "patched"
    undo(app)
    assert Owner().method() == "upstream"
    redo(app)
    assert Owner().method() == "patched"
    undo(app)
    undo(app)  # twice is harmless
    assert Owner().method() == "upstream"
