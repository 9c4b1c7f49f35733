"""What every speed-up declares: the upstream fault, the versions it was written for, a switch.

A speed-up replaces or wraps upstream internals. It is applied only when every package it
touches is installed at a version it was written and tested for; on any other version it logs
one line and leaves upstream alone, so an upgrade is never patched blind. Its test module
asserts that the upstream fault still exists, and fails on the day upstream fixes it.
"""

from __future__ import annotations

import functools
import importlib
import importlib.metadata
from collections.abc import Callable
from dataclasses import dataclass

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: Distributions whose module states its version (cheaper than reading their metadata).
MODULES = {
    "sphinx": "sphinx",
    "furo": "furo",
    "pybtex": "pybtex",
    "docutils": "docutils",
    "jinja2": "jinja2",
    "pygments": "pygments",
    "myst-parser": "myst_parser",
}


@functools.cache
def installed(package: str) -> str:
    """The installed version of a distribution, or ``"not installed"``."""
    module = MODULES.get(package)
    if module is not None:
        try:
            return str(importlib.import_module(module).__version__)
        except (ImportError, AttributeError):
            pass
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


@dataclass(frozen=True)
class Workaround:
    """One speed-up: what it works around, where that is reported, and for which versions."""

    name: str
    fault: str  # one line: what upstream does that costs time
    upstream: str  # the issue or pull request it works around, or why there is none
    versions: dict[str, tuple[str, ...]]  # distribution -> versions it was written for
    apply: Callable[[Sphinx], None]

    def mismatch(self) -> str | None:
        """Which installed version this speed-up was not written for, or ``None``."""
        for package, known in self.versions.items():
            found = installed(package)
            if found not in known:
                return f"{package} {found} (written for {', '.join(known)})"
        return None

    def enable(self, app: Sphinx) -> bool:
        """Apply it if the installed versions are those it was written for; log it if not."""
        found = self.mismatch()
        if found is not None:
            logger.info(
                "abp.speedups.%s skipped: %s; the build runs upstream's code", self.name, found
            )
            return False
        self.apply(app)
        return True


#: app attribute: the patches this build made (owner, name, value, original), and whether they
#: are in place. They are undone when a build finishes and made again when the same application
#: builds again (``env-get-outdated`` starts every build's reading).
_PATCHES = "_abp_speedup_patches"
_ACTIVE = "_abp_speedup_patches_active"


def patch(app: Sphinx, owner: object, name: str, value: object) -> None:
    """Set ``owner.name`` while this application builds; the original comes back after."""
    original = vars(owner)[name]  # as stored: a classmethod stays a classmethod
    setattr(owner, name, value)
    if not hasattr(app, _PATCHES):
        setattr(app, _PATCHES, [])
    getattr(app, _PATCHES).append((owner, name, value, original))
    setattr(app, _ACTIVE, True)


def undo(app: Sphinx, exception: Exception | None = None) -> None:
    """Put back everything :func:`patch` replaced, latest first."""
    if getattr(app, _ACTIVE, False):
        for owner, name, _value, original in reversed(getattr(app, _PATCHES, [])):
            setattr(owner, name, original)
        setattr(app, _ACTIVE, False)


def redo(app: Sphinx, *args: object) -> list[str]:
    """Before another build of the same application: the patches in place again."""
    if not getattr(app, _ACTIVE, True):
        for owner, name, value, _original in getattr(app, _PATCHES, []):
            setattr(owner, name, value)
        setattr(app, _ACTIVE, True)
    return []
