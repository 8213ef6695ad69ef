"""Download the wheels of the core install (what ``pip install libya-conflict`` brings, at the versions
installed here) into a folder, so that a test can install the package with no index reachable.

    python scripts/core_wheelhouse.py DEST

CI runs it after installing the package, before the tests (``.ci/run``); this is the only step that
goes to the network. The tests look for the wheels in ``$LIBYA_CONFLICT_WHEELHOUSE``, else in the
``wheelhouse`` folder of the virtual environment running them.
"""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import PackageNotFoundError, distribution

from packaging.requirements import Requirement


def core_closure(name: str = "libya-conflict") -> dict[str, str]:
    """The installed distributions the core of ``name`` needs (no extras), with their versions."""
    found, todo = {}, [Requirement(r) for r in distribution(name).requires or []]
    while todo:
        requirement = todo.pop()
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        try:
            dist = distribution(requirement.name)
        except PackageNotFoundError:
            continue
        key = dist.metadata["Name"]
        if key in found:
            continue
        found[key] = dist.version
        todo += [Requirement(r) for r in dist.requires or []]
    return dict(sorted(found.items()))


def main(dest: str) -> int:
    pins = [f"{name}=={version}" for name, version in core_closure().items()]
    print("core wheels:", " ".join(pins))
    return subprocess.call(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:", "--dest", dest, *pins]
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
