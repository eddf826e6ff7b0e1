"""Faults: a kill, a Ctrl-C, a full or read-only disk, or a second build at once never costs a file."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from handouts import atomicio
from procs import HAS_PROC, children, still_alive_after


def start_build(ws: Path, *args: str, english_only: bool = True) -> subprocess.Popen:
    """A build in its own process. A test that interrupts one builds everything, so that the build
    is still running when the signal arrives, even if this process is slow to see the first files."""
    languages = ("--lang", "en") if english_only else ()
    # As from a terminal, where Ctrl-C reaches the program: a suite started in the background
    # (`cmd &` in a shell without job control) passes SIGINT on as ignored, and Python then never
    # turns it into KeyboardInterrupt.
    return subprocess.Popen([sys.executable, "-m", "handouts", "-w", str(ws), "build", *languages, *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def wait_for_pdfs(out: Path, count: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(list(out.rglob("*.pdf"))) >= count:
            return
        if process.poll() is not None:
            pytest.fail(f"build ended before {count} files: {process.stderr.read()}")
        time.sleep(0.01)
    pytest.fail("build too slow")


def all_complete(out: Path) -> int:
    files = list(out.rglob("*.pdf"))
    for path in files:
        data = path.read_bytes()
        assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF"), path
        assert len(PdfReader(path).pages) >= 1
    return len(files)


def temps(out: Path) -> list[Path]:
    return list(out.rglob(f"*{atomicio.TEMP_SUFFIX}"))


@pytest.mark.skipif(not HAS_PROC, reason="reads process children from Linux /proc")
def test_sigkill_mid_batch_leaves_only_complete_files_and_no_worker_behind(ws_path):
    out = ws_path / "out"
    process = start_build(ws_path, "-j", "2", english_only=False)
    wait_for_pdfs(out, 12, process)
    assert process.poll() is None, "the build ended before the test could kill it"
    workers = children(process.pid)
    assert len(workers) == 2
    process.send_signal(signal.SIGKILL)
    process.wait()
    survivors = still_alive_after(workers, 10)
    for pid in survivors:  # never leave a process behind, even when the assertion below fails
        os.kill(pid, signal.SIGKILL)
    assert survivors == set(), "worker processes outlived a killed build"
    assert all_complete(out) >= 12
    result = subprocess.run([sys.executable, "-m", "handouts", "-w", str(ws_path), "build"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr  # everything the killed run wrote is still ours
    assert "was not written by handouts" not in result.stderr
    assert temps(out) == []
    assert all_complete(out) == 20 * 2 * 2 * 4


def test_ctrl_c_stops_cleanly_and_reports(ws_path):
    out = ws_path / "out"
    process = start_build(ws_path, "-j", "1", english_only=False)
    wait_for_pdfs(out, 8, process)
    assert process.poll() is None, "the build ended before the test could interrupt it"
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "interrupted" in stderr and "built" in stdout
    assert "Traceback" not in stderr
    all_complete(out)
    assert temps(out) == []


def test_two_builds_at_once_into_one_folder(ws_path):
    out = ws_path / "out"
    first, second = start_build(ws_path, "--force"), start_build(ws_path, "--force")
    results = [p.communicate(timeout=120) for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, results
    assert all_complete(out) == 20 * 2 * 4 and temps(out) == []
    again = subprocess.run([sys.executable, "-m", "handouts", "-w", str(ws_path), "build", "--lang", "en"],
                           capture_output=True, text=True)
    assert again.returncode == 0 and "0 built" in again.stdout  # both runs' records survived


def test_disk_full_gives_a_clear_error_and_no_partial_file(run_cli, ws_path, monkeypatch):
    def full(temp, data, mode=0o666):
        with open(temp, "xb") as handle:
            handle.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomicio, "_write_temp", full)
    result = run_cli("build", "medial-branch-block", "-c", "riverbend", "-l", "one-page", "--lang", "en")
    assert result.exit_code == 1
    assert "failed  medial-branch-block [riverbend, en, one-page]: cannot write output: No space left on device" \
           in result.output
    out = ws_path / "out"
    assert list(out.rglob("*.pdf")) == [] and temps(out) == []


def test_read_only_output_folder(run_cli, ws_path, monkeypatch):
    def denied(temp, data, mode=0o666):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(temp))

    monkeypatch.setattr(atomicio, "_write_temp", denied)
    result = run_cli("build", "medial-branch-block", "-l", "one-page", "--lang", "en")
    assert result.exit_code == 1
    assert result.output.count("cannot write output: Permission denied") == 2
    assert list((ws_path / "out").rglob("*.pdf")) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_output_folder_for_real(run_cli, ws_path):
    out = ws_path / "ro"
    out.mkdir()
    out.chmod(0o555)
    try:
        result = run_cli("build", "medial-branch-block", "-l", "one-page", "--lang", "en", "-o", str(out))
    finally:
        out.chmod(0o755)
    assert result.exit_code == 1 and "Permission denied" in result.output


def test_an_unexpected_error_is_one_line_without_traceback(ws_path):
    broken = subprocess.run([sys.executable, "-c",
                             "import handouts.build as b\n"
                             "def boom(*a, **k): raise RuntimeError('secret patient detail')\n"
                             "b.plan = boom\n"
                             "import sys; sys.argv = ['handouts', '-w', sys.argv[1], 'build']\n"
                             "from handouts.cli import main; main()", str(ws_path)],
                            capture_output=True, text=True)
    assert broken.returncode == 70
    assert "Traceback" not in broken.stderr and "secret patient detail" not in broken.stderr
    assert "internal error: RuntimeError" in broken.stderr
