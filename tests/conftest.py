"""Shared fixtures: a private copy of the shipped demo workspace for each test that mutates it."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from procs import HAS_PROC, children, still_alive_after

REPO = Path(__file__).resolve().parent.parent
# Artwork recordings (handouts.artwork_store) go to a folder of this run's own, never the user's
# cache; builds the tests start in other processes inherit it.
_ARTWORK_CACHE = tempfile.TemporaryDirectory(prefix="handouts-test-cache-")
os.environ["HANDOUTS_CACHE_DIR"] = _ARTWORK_CACHE.name
WORKSPACE_PARTS = ("handouts.yaml", "content", "clinics", "layouts", "strings", "fonts", "templates", "figures",
                   "icons")


def copy_workspace(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for part in WORKSPACE_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        elif source.is_file():
            shutil.copy2(source, target / part)
    return target


@pytest.fixture(scope="session", autouse=True)
def no_process_left_behind():
    """Every server, build and browser a test starts has ended when the suite ends."""
    yield
    if not HAS_PROC:
        return
    left = still_alive_after(children(os.getpid()), 10)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"the tests left {len(left)} process(es) running"


@pytest.fixture
def ws_path(tmp_path: Path) -> Path:
    """A writable copy of the demo workspace."""
    return copy_workspace(tmp_path / "ws")


@pytest.fixture
def run_cli(ws_path: Path):
    """Run the `handouts` CLI in-process against the copied workspace."""
    from handouts.cli import cli as main

    def run(*args: str, workspace: Path | None = None):
        runner = CliRunner()
        return runner.invoke(main, ["--workspace", str(workspace or ws_path), *args], catch_exceptions=False)

    return run


@pytest.fixture(scope="session")
def demo_pdfs(tmp_path_factory) -> Path:
    """The demo workspace built once per session (read-only for tests)."""
    from click.testing import CliRunner

    from handouts.cli import cli as main

    ws = copy_workspace(tmp_path_factory.mktemp("demo") / "ws")
    result = CliRunner().invoke(main, ["--workspace", str(ws), "build", "--quiet"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return ws / "out"


def edit_yaml(path: Path, change) -> None:
    """Load a workspace YAML file, let `change(data)` modify it, and write it back."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")


def line_of(path: Path, prefix: str) -> int:
    """1-based number of the first line starting with `prefix`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(prefix):
            return number
    raise AssertionError(f"no line starts with {prefix!r} in {path}")
