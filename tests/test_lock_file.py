"""requirements.lock: a fresh machine installs exactly what CI tested (`make install` uses it with
``--require-hashes``), so every dependency pyproject.toml names must be pinned there, with hashes."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)")
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}")


def locked() -> dict[str, tuple[Version, int]]:
    """Each pinned package of the lock: its version and how many file hashes it lists."""
    pins: dict[str, tuple[Version, int]] = {}
    current = None
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            current = canonicalize_name(match[1])
            assert current not in pins, f"{current} is pinned twice"
            pins[current] = (Version(match[2]), len(HASH.findall(line)))
        elif current and line.startswith(" ") and not line.strip().startswith("#"):
            version, hashes = pins[current]
            pins[current] = (version, hashes + len(HASH.findall(line)))
        elif not line.startswith(" "):
            current = None
    return pins


def declared() -> list[Requirement]:
    """Runtime dependencies, dev extras and the build requirements (the lock's setuptools builds
    the project: `make install` installs it with ``--no-build-isolation``)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    names = [*project["project"]["dependencies"], *project["project"]["optional-dependencies"]["dev"],
             *project["build-system"]["requires"]]
    return [Requirement(n) for n in names]


def test_every_declared_dependency_is_pinned_with_hashes_in_a_version_it_allows() -> None:
    pins = locked()
    missing = [str(r) for r in declared() if canonicalize_name(r.name) not in pins]
    assert not missing, f"not in requirements.lock (run `make lock`): {missing}"
    for requirement in declared():
        version, hashes = pins[canonicalize_name(requirement.name)]
        assert hashes >= 1, f"{requirement.name}=={version} has no hash"
        assert requirement.specifier.contains(version, prereleases=True), \
            f"requirements.lock pins {requirement.name}=={version}, pyproject.toml asks {requirement} (run `make lock`)"


def test_every_pin_of_the_lock_has_a_hash() -> None:
    """pip refuses the whole file in --require-hashes mode if one line lacks a hash."""
    pins = locked()
    assert len(pins) > 20, "requirements.lock lists the transitive dependencies too"
    assert not [name for name, (_, hashes) in pins.items() if hashes == 0]
