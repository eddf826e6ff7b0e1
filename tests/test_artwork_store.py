"""Artwork recordings kept on disk: the same bytes as converting, never obeyed when altered."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from reportlab.graphics import renderPDF
from reportlab.pdfgen.canvas import Canvas

from handouts import artwork_store, svgsafe
from handouts.pdf import recorded

REPO = Path(__file__).resolve().parent.parent
ARTWORK = sorted(str(p.relative_to(REPO)) for p in [*(REPO / "figures").glob("*.svg"), *(REPO / "icons").glob("*.svg"),
                                                    *(REPO / "clinics").glob("*/*.svg")])
FONT = "Helvetica"


def forget_in_process() -> None:
    """What a new process would not have: every in-memory conversion, recording and read."""
    for cached in (svgsafe._converted, recorded.recording, recorded.recoloured, recorded._operators,
                   artwork_store._stored):
        cached.cache_clear()


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(tmp_path / "cache"))
    forget_in_process()
    yield tmp_path / "cache" / "artwork"
    forget_in_process()


def page(calls) -> bytes:
    canvas = Canvas(io.BytesIO(), invariant=1)
    canvas.rect(10, 10, 50, 50, fill=1)
    recorded.replay(canvas, calls)
    canvas.roundRect(10, 10, 50, 50, 5, fill=1)
    canvas.showPage()
    return canvas.getpdfdata()


def rendered(data: bytes) -> bytes:
    canvas = Canvas(io.BytesIO(), invariant=1)
    canvas.rect(10, 10, 50, 50, fill=1)
    drawing = svgsafe.svg_drawing(data)
    drawing.initialFontName = FONT
    renderPDF.draw(drawing, canvas, 0, 0)
    canvas.roundRect(10, 10, 50, 50, 5, fill=1)
    canvas.showPage()
    return canvas.getpdfdata()


def no_conversion(*args, **kwargs):
    raise AssertionError("the SVG was converted although its recording was kept")


@pytest.mark.parametrize("name", ARTWORK)
def test_a_kept_recording_draws_the_same_bytes_as_the_renderer(name: str, store: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    data = (REPO / name).read_bytes()
    made = recorded.recording(data, FONT)
    assert len(list(store.iterdir())) == 1
    expected = rendered(data)
    forget_in_process()
    monkeypatch.setattr("svglib.svglib.svg2rlg", no_conversion)
    kept = recorded.recording(data, FONT)  # a new process: read from disk, not converted
    assert (kept.width, kept.height) == (made.width, made.height)
    assert page(kept.calls) == expected


def test_a_build_with_kept_recordings_writes_the_same_pdfs(tmp_path: Path, run_cli, store: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Fresh (converting and keeping), then from the store with conversion impossible: same bytes,
    in every layout of both clinics."""
    selection = ("epidural-steroid-injection", "spinal-cord-stimulator-trial", "--lang", "en")
    assert run_cli("build", *selection, "-j", "1", "--force", "-o", str(tmp_path / "first")).exit_code == 0
    assert {p.name.split(".")[0] for p in store.iterdir()} >= {
        hashlib.sha256((REPO / "figures" / f"{p}.svg").read_bytes()).hexdigest()
        for p in selection[:2]}
    forget_in_process()
    monkeypatch.setattr("svglib.svglib.svg2rlg", no_conversion)
    assert run_cli("build", *selection, "-j", "1", "--force", "-o", str(tmp_path / "second")).exit_code == 0
    first = sorted(p.relative_to(tmp_path / "first") for p in (tmp_path / "first").rglob("*.pdf"))
    assert len(first) == 2 * 2 * 4  # procedures x clinics x (one-page, booklet, its print file, large print)
    for rel in first:
        assert (tmp_path / "second" / rel).read_bytes() == (tmp_path / "first" / rel).read_bytes(), rel


ALTERED = {
    "a call the renderer never makes": lambda calls: calls + [["drawImage", ["/etc/passwd", 0, 0], {}]],
    "a link": lambda calls: calls + [["linkURL", ["https://example.com", [0, 0, 9, 9]], {}]],
    "text where a number goes": lambda calls: [["setLineWidth", ["1 0 0 RG"], {}]] + calls,
    "operators hidden in a path": lambda calls: [["drawPath", [["0 0 m", "BT /F1 9 Tf (x) Tj ET"]],
                                                  {"fill": 1, "stroke": 0}]] + calls,
    "a font of its own": lambda calls: [["setFont", ["Courier", 9], {}]] + calls,
    "an unknown option": lambda calls: [["rect", [0, 0, 9, 9], {"fill": 1, "url": "x"}]] + calls,
    "an infinite number": lambda calls: [["transform", [1, 0, 0, 1, 0, 1e999], {}]] + calls,
    "the wrong number of arguments": lambda calls: [["circle", [1, 2], {}]] + calls,
}


@pytest.mark.parametrize("how", sorted(ALTERED))
def test_an_altered_recording_is_ignored_and_written_again(how: str, store: Path) -> None:
    data = (REPO / "figures" / "medial-branch-block.svg").read_bytes()
    recorded.recording(data, FONT)
    (entry,) = store.iterdir()
    kept = json.loads(entry.read_text(encoding="utf-8"))
    kept["calls"] = ALTERED[how](kept["calls"])
    entry.write_text(json.dumps(kept), encoding="utf-8")
    forget_in_process()
    assert artwork_store.load(data, FONT) is None and not artwork_store.converted_before(data)
    assert page(recorded.recording(data, FONT).calls) == rendered(data)  # converted again
    forget_in_process()
    assert artwork_store.load(data, FONT) is not None  # and kept again, whole


@pytest.mark.parametrize("content", [b"", b"{", b"[]", b'{"format": 1}', b"\xff\xfe", b'{"format": 99, "calls": []}'])
def test_a_damaged_entry_is_ignored(content: bytes, store: Path) -> None:
    data = (REPO / "icons" / "phone.svg").read_bytes()
    recorded.recording(data, FONT)
    (entry,) = store.iterdir()
    entry.write_bytes(content)
    forget_in_process()
    assert artwork_store.load(data, FONT) is None
    assert page(recorded.recording(data, FONT).calls) == rendered(data)


def test_a_forged_entry_does_not_skip_the_safety_checks(store: Path, tmp_path: Path) -> None:
    """A kept recording only spares the conversion: an SVG that reaches outside is still refused."""
    from handouts.logos import LogoError, read_logo

    good = (REPO / "icons" / "phone.svg").read_bytes()
    recorded.recording(good, FONT)
    (entry,) = store.iterdir()
    hostile = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"><image href="file:///etc/passwd"/></svg>'
    forged = entry.with_name(entry.name.replace(entry.name.split(".")[0],
                                                hashlib.sha256(hostile).hexdigest()))
    forged.write_bytes(entry.read_bytes())
    forget_in_process()
    assert artwork_store.converted_before(hostile)
    with pytest.raises(LogoError):
        read_logo(hostile)


def test_nothing_is_kept_when_the_store_is_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    forget_in_process()
    try:
        data = (REPO / "icons" / "phone.svg").read_bytes()
        assert page(recorded.recording(data, FONT).calls) == rendered(data)
        assert not any(tmp_path.rglob("*.json"))
    finally:
        forget_in_process()


def test_an_unwritable_store_only_costs_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(blocked))
    forget_in_process()
    try:
        data = (REPO / "icons" / "phone.svg").read_bytes()
        assert page(recorded.recording(data, FONT).calls) == rendered(data)
        assert blocked.read_text(encoding="utf-8") == "not a folder"
    finally:
        forget_in_process()


def test_the_user_cache_folder_is_the_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HANDOUTS_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    forget_in_process()
    try:
        recorded.recording((REPO / "icons" / "phone.svg").read_bytes(), FONT)
        (entry,) = (tmp_path / "xdg" / "handouts" / "artwork").iterdir()
        assert entry.suffix == ".json" and (entry.parent.stat().st_mode & 0o777) == 0o700
    finally:
        forget_in_process()


def test_a_build_from_a_filled_store_never_loads_the_converter(tmp_path: Path, ws_path: Path) -> None:
    """Importing svglib costs more than a handout: a process whose artwork is all kept skips it."""
    import subprocess
    import sys

    script = ("import sys\nfrom handouts.cli import cli\n"
              "try:\n    cli(sys.argv[1:], prog_name='handouts')\nexcept SystemExit as end:\n    assert not end.code\n"
              "print('svglib' in sys.modules)")
    env = {**__import__("os").environ, "HANDOUTS_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-c", script, "-w", str(ws_path), "build", "epidural-steroid-injection", "-c",
               "riverbend", "--lang", "en", "-l", "one-page", "-j", "1", "--force", "--quiet"]
    first = subprocess.run([*command, "-o", str(tmp_path / "a")], capture_output=True, text=True, env=env)
    again = subprocess.run([*command, "-o", str(tmp_path / "b")], capture_output=True, text=True, env=env)
    assert first.stdout.split()[-1] == "True", first.stderr  # converted, and kept
    assert again.stdout.split()[-1] == "False", again.stderr
    assert (tmp_path / "a" / "riverbend/en/epidural-steroid-injection.one-page.pdf").read_bytes() == \
        (tmp_path / "b" / "riverbend/en/epidural-steroid-injection.one-page.pdf").read_bytes()
