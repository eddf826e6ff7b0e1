"""Every file in the workspace and the output folder is untrusted input (issue 15)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import edit_yaml


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
