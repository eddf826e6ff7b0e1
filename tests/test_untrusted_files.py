"""Every file in the workspace and the output folder is untrusted input (issue 15)."""

from __future__ import annotations

import json

import yaml
from pathlib import Path

from conftest import REPO, edit_yaml

REPO_LOGO = REPO / "clinics/riverbend/logo.svg"


def _build_one(run_cli, *extra: str):
    return run_cli("build", "epidural-steroid-injection", "-c", "riverbend", "--lang", "en", "-l", "one-page", *extra)


# -- 15.2: clean acts only inside the output folder -------------------------------------------

def test_clean_refuses_manifest_entries_outside_the_output_folder(run_cli, ws_path, tmp_path):
    assert _build_one(run_cli).exit_code == 0
    out = ws_path / "out"
    outside = tmp_path / "outside"
    outside.mkdir()
    victims = [outside / "victim.txt", ws_path / "handouts.yaml"]
    (outside / "victim.txt").write_text("precious")
    manifest_path = out / ".handouts-manifest.json"
    manifest = json.loads(manifest_path.read_text())
    template = next(iter(manifest["files"].values()))
    entry = dict(template, clinic="gone", procedure="gone", lang="en", layout="one-page")
    bad = {"../../outside/victim.txt": entry, str(outside / "victim.txt"): entry, "../handouts.yaml": entry,
           "riverbend/../../handouts.yaml": entry}
    manifest["files"].update(bad)
    manifest_path.write_text(json.dumps(manifest))

    result = run_cli("clean", "--yes")

    assert result.exit_code == 1, result.output
    for victim in victims:
        assert victim.exists(), victim
    assert (outside / "victim.txt").read_text() == "precious"
    for rel in bad:
        assert f"refused {rel}:" in result.output
    assert "tampered" in result.output


def test_clean_does_not_follow_a_symlinked_folder_out(run_cli, ws_path, tmp_path):
    assert _build_one(run_cli).exit_code == 0
    out = ws_path / "out"
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "en").mkdir(parents=True)
    victim = elsewhere / "en" / "epidural-steroid-injection.one-page.pdf"
    victim.write_bytes((out / "riverbend/en/epidural-steroid-injection.one-page.pdf").read_bytes())
    manifest = json.loads((out / ".handouts-manifest.json").read_text())
    entry = manifest["files"]["riverbend/en/epidural-steroid-injection.one-page.pdf"]
    manifest["files"]["linked/en/epidural-steroid-injection.one-page.pdf"] = dict(entry, clinic="linked")
    (out / ".handouts-manifest.json").write_text(json.dumps(manifest))
    (out / "linked").symlink_to(elsewhere)

    result = run_cli("clean", "--yes")

    assert victim.exists()
    assert "refused linked/en/epidural-steroid-injection.one-page.pdf" in result.output


# -- 15.8: links out of the workspace or the output folder --------------------------------------

def _move_out(ws: Path, relative: str, elsewhere: Path) -> None:
    """Replace `ws/relative` by a symlink to a copy of it outside the workspace."""
    import shutil

    source = ws / relative
    target = elsewhere / source.name
    shutil.move(str(source), str(target))
    source.symlink_to(target)


def test_a_clinic_folder_linked_outside_the_workspace_is_refused(run_cli, ws_path, tmp_path):
    _move_out(ws_path, "clinics/riverbend", tmp_path)
    result = _build_one(run_cli)
    assert result.exit_code == 1
    assert "clinics/riverbend/clinic.yaml: is a symbolic link to somewhere outside the workspace" in result.output
    assert not (ws_path / "out/riverbend/en/epidural-steroid-injection.one-page.pdf").exists()
    check = run_cli("check", "--no-fit")
    assert check.exit_code == 1 and "clinics/riverbend/clinic.yaml: is a symbolic link" in check.output


def test_a_fonts_folder_linked_outside_is_refused_by_check(run_cli, ws_path, tmp_path):
    _move_out(ws_path, "fonts", tmp_path)
    result = run_cli("check", "--no-fit")
    assert result.exit_code == 1
    assert "fonts/: is a symbolic link to somewhere outside the workspace" in result.output


def test_content_layout_and_strings_files_linked_outside_are_refused(run_cli, ws_path, tmp_path):
    _move_out(ws_path, "content/en/epidural-steroid-injection.yaml", tmp_path)
    _move_out(ws_path, "layouts/booklet.yaml", tmp_path)
    _move_out(ws_path, "strings/es.yaml", tmp_path)
    result = run_cli("check", "--no-fit")
    assert result.exit_code == 1
    for shown in ("content/en/epidural-steroid-injection.yaml", "layouts/booklet.yaml", "strings/es.yaml"):
        assert f"{shown}: is a symbolic link to somewhere outside the workspace" in result.output


def test_a_logo_linked_outside_is_refused(run_cli, ws_path, tmp_path):
    import yaml

    logo = yaml.safe_load((ws_path / "clinics/riverbend/clinic.yaml").read_text())["logo"]
    _move_out(ws_path, f"clinics/riverbend/{logo}", tmp_path)
    result = run_cli("check", "--no-fit")
    assert result.exit_code == 1
    assert "must be a file inside the clinic's own folder" in result.output


def test_an_output_subfolder_linked_elsewhere_receives_nothing(run_cli, ws_path, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (ws_path / "out").mkdir()
    (ws_path / "out/riverbend").symlink_to(elsewhere)
    result = _build_one(run_cli)
    assert result.exit_code == 1
    assert "would be written outside" in result.output
    assert list(elsewhere.rglob("*")) == []


# -- 15.3: SVG complexity and conversion time ------------------------------------------------

def _use_bomb(paths: int = 1000, uses: int = 1000) -> str:
    group = "".join(f'<path d="M{i} 0L{i} 10"/>' for i in range(paths))
    copies = "".join('<use href="#g"/>' for _ in range(uses))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><defs><g id="g">{group}</g></defs>'
            f'{copies}</svg>')


def _set_logo(ws: Path, name: str, body: str) -> None:
    (ws / "clinics/riverbend" / name).write_text(body)
    edit_yaml(ws / "clinics/riverbend/clinic.yaml", lambda data: data.update(logo=name))


def test_an_svg_use_bomb_is_refused_by_check_no_fit_quickly(run_cli, ws_path):
    import time

    _set_logo(ws_path, "bomb.svg", _use_bomb())
    assert len(_use_bomb()) < 45_000
    started = time.perf_counter()
    result = run_cli("check", "--no-fit")
    assert time.perf_counter() - started < 30
    assert result.exit_code == 1
    assert "logo: bomb.svg: the SVG draws more than 10,000 shapes once <use> copies are counted" in result.output
    build = _build_one(run_cli)
    assert build.exit_code == 1 and "bomb.svg" in build.output


def test_svg_path_points_and_nesting_are_bounded():
    import pytest

    from handouts.svgsafe import SvgError, vet_svg

    head = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    many_points = head + '<path d="M0 0' + " L1 1" * 120_000 + '"/></svg>'
    with pytest.raises(SvgError, match="coordinates"):
        vet_svg(many_points.encode())
    deep = head + "<g>" * 60 + "<path d='M0 0L1 1'/>" + "</g>" * 60 + "</svg>"
    with pytest.raises(SvgError, match="levels deep"):
        vet_svg(deep.encode())
    chain = head + '<g id="a"><path d="M0 0L1 1"/></g>' + "".join(
        f'<g id="u{i}"><use href="#{"a" if i == 0 else f"u{i - 1}"}"/><use href="#{"a" if i == 0 else f"u{i - 1}"}"/></g>'
        for i in range(30)) + "</svg>"
    with pytest.raises(SvgError, match="shapes|levels deep"):
        vet_svg(chain.encode())
    loop = head + '<g id="a"><use href="#a"/></g></svg>'
    with pytest.raises(SvgError, match="refers to itself"):
        vet_svg(loop.encode())
    assert vet_svg((REPO_LOGO).read_bytes()).elements < 1000


def test_svg_conversion_has_a_time_budget(monkeypatch):
    import time

    import pytest
    from svglib import svglib

    from handouts import svgsafe

    real = svglib.svg2rlg

    def slow(*args, **kwargs):
        time.sleep(3)
        return real(*args, **kwargs)

    monkeypatch.setattr(svglib, "svg2rlg", slow)
    monkeypatch.setattr(svgsafe, "CONVERT_SECONDS", 0.5)
    svgsafe._converted.cache_clear()
    data = REPO_LOGO.read_bytes() + b"<!-- a fresh cache key -->"
    started = time.perf_counter()
    with pytest.raises(svgsafe.SvgError, match="took longer than 0.5 s"):
        svgsafe.svg_drawing(data)
    assert time.perf_counter() - started < 2.5
    svgsafe._converted.cache_clear()


# -- 15.4: schedule and patient values are never echoed ----------------------------------------

SECRETS = ("Ana Maria Ruiz Secret", "Robert Smith DOB 1950-01-01", "小", "明", "王")


def _schedule(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "today.csv"
    path.write_text("id,procedure,clinic,lang,layout,patient_name\n" + rows, encoding="utf-8")
    return path


def test_swapped_schedule_columns_name_row_and_column_not_the_value(run_cli, tmp_path):
    schedule = _schedule(tmp_path, "a1,Ana Maria Ruiz Secret,Robert Smith DOB 1950-01-01,en,one-page,x\n"
                                   "a2,epidural-steroid-injection,riverbend,en,one-page,Li Wei\n")
    for extra in ((), ("--json",)):
        result = run_cli("build", "--schedule", str(schedule), "-o", str(tmp_path / "private"), "-j", "1", *extra)
        assert result.exit_code == 1
        said = result.output
        if extra:  # JSON names the row as the target and gives the column and problem as the reason
            said = "\n".join(f"{f['target']}: {f['reason']}" for f in json.loads(said)["failed"])
        assert "today.csv:2: clinic: unknown clinic" in said
        for secret in SECRETS:
            assert secret not in result.output
    assert (tmp_path / "private/a2.one-page.pdf").is_file()


def test_unknown_clinic_option_for_one_patient_is_not_echoed(run_cli, tmp_path):
    result = run_cli("build", "epidural-steroid-injection", "--patient-name", "Li Wei", "-c",
                     "Robert Smith DOB 1950-01-01", "-o", str(tmp_path / "private"))
    assert result.exit_code == 1
    assert "--clinic: unknown clinic" in result.output
    assert "Robert Smith" not in result.output


def test_a_name_the_font_cannot_print_is_counted_not_shown(run_cli, tmp_path):
    schedule = _schedule(tmp_path, "a1,epidural-steroid-injection,riverbend,en,one-page,王小明\n")
    for extra in ((), ("--json",)):
        result = run_cli("build", "--schedule", str(schedule), "-o", str(tmp_path / "private"), *extra)
        assert result.exit_code == 1
        for secret in SECRETS:
            assert secret not in result.output
        assert "U+" not in result.output
        assert "a1 (line 2)" in result.output
        assert "patient_name: 3 characters the font cannot print; add a font that covers them" in result.output


# -- 15.5: templates cannot make unbounded text -----------------------------------------------

TEMPLATE_BOMBS = ["{{ 'a' * 10**10 }}", "{{ 'a' * 10**8 }}", "{{ 10 ** (10 ** 6) }}", "{{ range(10**8)|length }}",
                  "{{ 'a'.ljust(10**9) }}", "{{ '{:>999999999}'.format('a') }}", "{{ '%999999999s' % 'a' }}",
                  "{{ 'x' * 15000 }}{{ 'x' * 15000 }}", "{% for i in range(99999) %}{% for j in range(99999) %}"
                  "{% endfor %}{% endfor %}", "{{ 'a'|center(999999999) }}", "{{ lipsum(10**6) }}"]


def test_template_bombs_fail_their_handout_quickly_with_a_clear_message(run_cli, ws_path):
    import time

    edit_yaml(ws_path / "content/en/medial-branch-block.yaml",
              lambda d: d.update(aftercare=d["aftercare"] + TEMPLATE_BOMBS))
    started = time.perf_counter()
    result = run_cli("check", "--no-fit", "--lang", "en")
    assert time.perf_counter() - started < 60
    assert result.exit_code == 1
    assert "internal error" not in result.output and "MemoryError" not in result.output
    first = len(yaml.safe_load((REPO / "content/en/medial-branch-block.yaml").read_text())["aftercare"])
    for index in range(first + 1, first + len(TEMPLATE_BOMBS) + 1):
        assert f"content/en/medial-branch-block.yaml:" in result.output
        assert f"aftercare[{index}]: " in result.output, index
    build = run_cli("build", "-c", "riverbend", "--lang", "en", "-l", "one-page")
    assert build.exit_code == 1
    assert "failed  medial-branch-block [riverbend, en, one-page]" in build.output
    assert "built, 0 up to date, 1 failed" in build.output


# -- 15.6: a content integer too long for Python to print -------------------------------------

def test_an_integer_over_4300_digits_is_a_clear_error_in_check_build_and_the_web_page(run_cli, ws_path):
    from handouts.web import create_app

    path = ws_path / "content/en/medial-branch-block.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    lines[number] = "title: " + "9" * 5000
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = f"content/en/medial-branch-block.yaml:{number + 1}: title: a number with 5,000 digits"

    check = run_cli("check", "--no-fit", "--lang", "en")
    assert check.exit_code == 1 and expected in check.output
    build = run_cli("build", "-c", "riverbend", "--lang", "en", "-l", "one-page")
    assert build.exit_code == 1 and expected in build.output
    assert "internal error" not in check.output + build.output
    assert "built, 0 up to date, 1 failed" in build.output

    client = create_app(ws_path).test_client()
    assert client.get("/").status_code == 200
    page = client.get("/h/medial-branch-block?lang=en")
    assert page.status_code == 422 and expected in page.get_data(as_text=True)
    assert client.get("/h/epidural-steroid-injection?lang=en").status_code == 200


# -- 15.11: patient files are private -------------------------------------------------------

def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_personalised_pdfs_drafts_and_send_log_are_owner_only(run_cli, ws_path, tmp_path):
    import os

    from smtpserver import start
    from test_email import schedule

    old = os.umask(0o022)
    try:
        private = tmp_path / "private" / "today"
        rows = schedule(ws_path, 2)
        built = run_cli("build", "--schedule", rows, "-o", str(private), "-j", "1")
        assert built.exit_code == 0, built.output
        pdfs = sorted(private.glob("*.pdf"))
        assert pdfs and all(_mode(pdf) == 0o600 for pdf in pdfs)
        assert _mode(private) == 0o700 and _mode(private.parent) == 0o700
        assert _mode(private / ".handouts-manifest.json") == 0o600

        drafts = tmp_path / "drafts" / "monday"
        assert run_cli("email", "--schedule", rows, "--drafts", str(drafts)).exit_code == 0
        emls = sorted(drafts.glob("*.eml"))
        assert len(emls) == 2 and all(_mode(eml) == 0o600 for eml in emls)
        assert _mode(drafts) == 0o700 and _mode(drafts.parent) == 0o700

        controller, _, port = start("none", tmp_path)
        log = tmp_path / "logs" / "sent.jsonl"
        try:
            sent = run_cli("email", "--schedule", rows, "--smtp", f"127.0.0.1:{port}", "--tls", "none",
                           "--log", str(log))
        finally:
            controller.stop()
        assert sent.exit_code == 0, sent.output
        assert _mode(log) == 0o600 and _mode(log.parent) == 0o700

        assert _build_one(run_cli).exit_code == 0
        library = ws_path / "out/riverbend/en/epidural-steroid-injection.one-page.pdf"
        assert _mode(library) == 0o644
    finally:
        os.umask(old)


# -- 15.15: a failed rebuild withdraws the outdated handout ------------------------------------

def _overfill(ws: Path) -> None:
    filler = ("Your care team will go over each step with you before the day of the test, and you can ask "
              "them anything you want to know. ")
    edit_yaml(ws / "content/en/medial-branch-block.yaml",
              lambda d: d.update(what_it_is=d["what_it_is"] + " " + filler * 12))


def test_a_failed_rebuild_withdraws_the_previous_pdf_and_says_so(run_cli, ws_path):
    args = ("build", "medial-branch-block", "-c", "riverbend", "--lang", "en", "-l", "one-page", "-l", "booklet")
    assert run_cli(*args).exit_code == 0
    one_page = "riverbend/en/medial-branch-block.one-page.pdf"
    out = ws_path / "out"
    assert (out / one_page).is_file()
    _overfill(ws_path)

    result = run_cli(*args)

    assert result.exit_code == 1
    assert "failed  medial-branch-block [riverbend, en, one-page]" in result.output
    assert f"withdrew the earlier {one_page}" in result.output
    assert "withdrawn: 1 earlier files" in result.output
    assert not (out / one_page).exists()
    assert (out / "riverbend/en/medial-branch-block.booklet.pdf").is_file()
    manifest = json.loads((out / ".handouts-manifest.json").read_text())
    assert one_page not in manifest["files"]
    assert json.loads(run_cli(*args, "--json").output)["failed"][0]["target"].startswith("medial-branch-block")


def test_a_failed_rebuild_leaves_a_file_someone_changed(run_cli, ws_path):
    args = ("build", "medial-branch-block", "-c", "riverbend", "--lang", "en", "-l", "one-page")
    assert run_cli(*args).exit_code == 0
    path = ws_path / "out/riverbend/en/medial-branch-block.one-page.pdf"
    path.write_bytes(path.read_bytes() + b"\n% annotated by hand\n")
    _overfill(ws_path)
    result = run_cli(*args)
    assert result.exit_code == 1
    assert path.is_file() and "withdr" not in result.output


# -- 15.13: no terminal escape sequences from workspace values ---------------------------------

def test_escape_sequences_in_workspace_values_are_not_printed(run_cli, ws_path):
    import subprocess
    import sys

    hostile = "logo\x1b]8;;https://evil.example\x07click\x1b]8;;\x07\x1b[2J\x9b31m\u202e.png"
    edit_yaml(ws_path / "clinics/riverbend/clinic.yaml", lambda d: d.update(logo=hostile))
    edit_yaml(ws_path / "layouts/booklet.yaml", lambda d: d.update(kind="book\x1b[31mlet\r"))
    for result in (run_cli("check", "--no-fit"), run_cli("build", "-c", "riverbend", "--lang", "en")):
        assert result.exit_code == 1
        assert "logo]8;;https://evil.exampleclick]8;;[2J31m.png" in result.output
        for bad in ("\x1b", "\x07", "\x9b", "\u202e", "\r"):
            assert bad not in result.output
    process = subprocess.run([sys.executable, "-m", "handouts", "--workspace", str(ws_path), "check", "--no-fit"],
                             capture_output=True, text=True, timeout=300)
    assert process.returncode == 1 and "logo]8;;" in process.stdout + process.stderr
    assert "\x1b" not in process.stdout + process.stderr
