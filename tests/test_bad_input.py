"""Every broken input gives one located line, a non-zero exit, and loses nothing else."""

from __future__ import annotations

import pytest

from conftest import edit_yaml

TARGET = "content/en/medial-branch-block.yaml"


def breakages():
    bomb = "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b]\n"
    return {
        "syntax": ("title: [unclosed\n", "content/en/medial-branch-block.yaml:2: "),
        "tabs": ("id: medial-branch-block\nrisks:\n\tcommon: [a]\n", "content/en/medial-branch-block.yaml:3: tab used"),
        "duplicate": ("id: medial-branch-block\ntitle: A\ntitle: B\n",
                      "content/en/medial-branch-block.yaml:3: duplicate key 'title' (first on line 2)"),
        "empty": ("\n", "content/en/medial-branch-block.yaml: file is empty"),
        "list": ("- a\n- b\n", "content/en/medial-branch-block.yaml:1: the top level is a list"),
        "bytes": (b"id: medial-branch-block\ntitle: \xff\xfe\n", "content/en/medial-branch-block.yaml:2: not UTF-8"),
        "huge": ("id: x\n" + "# padding\n" * 40_000, "content/en/medial-branch-block.yaml: file is"),
        "bomb": (bomb, "content/en/medial-branch-block.yaml:1: anchors and aliases"),
    }


@pytest.mark.parametrize("name", list(breakages()))
def test_broken_yaml_is_one_located_line_and_the_rest_builds(run_cli, ws_path, name):
    content, expected = breakages()[name]
    path = ws_path / TARGET
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = run_cli("build", "-l", "one-page", "--lang", "en", "-c", "riverbend")
    assert result.exit_code == 1
    failures = [line for line in result.output.splitlines() if line.startswith("failed")]
    assert len(failures) == 1 and expected in failures[0], result.output
    assert "19 built" in result.output
    check = run_cli("check", "--no-fit", "--lang", "en")
    assert check.exit_code == 1 and expected in check.output


def test_typo_in_a_field_name_suggests_the_field(run_cli, ws_path):
    edit_yaml(ws_path / TARGET, lambda d: d.update(aftercar=d.pop("aftercare")))
    result = run_cli("check", "--no-fit", "--lang", "en")
    assert "aftercar: unknown field; did you mean 'aftercare'?" in result.output


@pytest.mark.parametrize("name", ["../../etc/passwd", "a/b", "medial.branch", "..", "/etc/hosts"])
def test_procedure_names_that_are_paths(run_cli, name):
    result = run_cli("build", name)
    assert result.exit_code == 1 and f"no procedure '{name}'" in result.output and "Traceback" not in result.output


def test_content_file_whose_name_is_not_an_id(run_cli, ws_path):
    (ws_path / "content/en/Bad.Name.yaml").write_text((ws_path / TARGET).read_text())
    result = run_cli("check", "--no-fit", "--lang", "en")
    assert "content/en/Bad.Name.yaml: file name must be a procedure id" in result.output


def test_output_folder_outside_the_workspace_is_refused(run_cli, ws_path):
    edit_yaml(ws_path / "handouts.yaml", lambda d: d.update(output="../../elsewhere"))
    result = run_cli("build")
    assert result.exit_code == 1
    assert "handouts.yaml:" in result.output and "output: '../../elsewhere' must be a folder inside the workspace" \
           in result.output


def test_symlinked_logo_pointing_out_of_the_workspace(run_cli, ws_path, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes((ws_path / "clinics/northshore/logo.png").read_bytes())
    (ws_path / "clinics/northshore/logo.png").unlink()
    (ws_path / "clinics/northshore/logo.png").symlink_to(secret)
    result = run_cli("build", "-c", "northshore", "-l", "one-page", "--lang", "en")
    assert result.exit_code == 1
    assert "clinics/northshore/clinic.yaml:" in result.output and "must be a file inside the clinic's own folder" \
           in result.output
