"""Extract the action icons we use from the Health Icons set into icons/, reproducibly.

    python scripts/extract_icons.py          # needs npm and the network; rewrites icons/

Installs the pinned npm package `@iconify-json/healthicons` into a temporary folder, wraps each
chosen icon body into a standalone SVG with its viewBox, writes the MIT licence and a manifest
(package, version, which upstream icon each file comes from). Icons use `currentColor`; here it
becomes the PRIMARY colour token, which the figure loader swaps for the clinic's primary colour.
Every file is checked with the same safe SVG reader that vets clinic logos.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "icons"
sys.path.insert(0, str(ROOT / "src"))

from handouts.logos import read_logo  # noqa: E402  (after the path set-up above)

PACKAGE = "@iconify-json/healthicons"
VERSION = "1.2.13"  # icon set 2.0.0; change both here and in the manifest check below to update
PRIMARY = "#000001"  # replaced by the clinic's primary colour when drawn

# What a handout needs -> the closest icon in the set (same name as upstream, so it can be found).
ICONS: dict[str, str] = {
    "phone": "call the clinic",
    "ambulance": "emergency: call 911",
    "accident-and-emergency": "emergency (siren)",
    "fever": "fever or chills",
    "thermometer": "take your temperature",
    "medicines": "pills and medicines",
    "blood-drop": "blood thinners, bleeding",
    "syringe": "injection, shot",
    "diabetes-measure": "check your blood sugar",
    "allergies": "allergies",
    "pregnant": "pregnant or may be pregnant",
    "hot-meal": "food and meals",
    "alcohol-cessation": "no alcohol",
    "truck-driver": "a driver takes you home",
    "sleepy": "sleepy, rest",
    "walking": "walk, stay active",
    "cold-chain": "cold (the set has no ice pack)",
    "calendar": "date, follow-up visit",
    "i-schedule-school-date-time": "date and time",
    "spine": "spine",
    "i-exam-multiple-choice": "checklist",
    "doctor": "ask your doctor",
    "bandage-adhesive": "bandage, care of the needle site",
}

# Made here from two upstream icons, since the set has no "no food" picture.
NO_FOOD_SOURCE = "hot-meal"

MIT_LICENCE = """MIT License

Copyright (c) 2021 Resolve to Save Lives

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""


def install(folder: Path) -> Path:
    """The pinned package, installed with npm into `folder` (no scripts run)."""
    subprocess.run(["npm", "install", "--no-save", "--ignore-scripts", "--no-audit", "--no-fund",
                    "--prefix", str(folder), f"{PACKAGE}@{VERSION}"], check=True, capture_output=True)
    package = folder / "node_modules" / PACKAGE
    installed = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    if installed != VERSION:
        raise SystemExit(f"npm installed {PACKAGE} {installed}, not the pinned {VERSION}")
    return package


def standalone(body: str, width: int, height: int) -> str:
    """An Iconify body as a complete SVG file, in the primary colour token."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}">{body.replace("currentColor", PRIMARY)}</svg>\n')


def no_food(meal_body: str) -> str:
    """The meal icon, smaller, inside a 'not allowed' ring with a slash."""
    return (f'<g transform="translate(24 25) scale(0.6) translate(-24 -24)">{meal_body}</g>'
            '<circle cx="24" cy="24" r="19.5" fill="none" stroke="currentColor" stroke-width="3.5"/>'
            '<path d="M10.2 10.2L37.8 37.8" stroke="currentColor" stroke-width="3.5"/>')


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="healthicons-") as tmp:
        package = install(Path(tmp))
        icon_set = json.loads((package / "icons.json").read_text(encoding="utf-8"))
        info = json.loads((package / "info.json").read_text(encoding="utf-8"))
    OUT.mkdir(exist_ok=True)
    default_w, default_h = icon_set.get("width", 24), icon_set.get("height", 24)
    bodies = {name: icon_set["icons"][name] for name in [*ICONS, NO_FOOD_SOURCE]}
    files: dict[str, str] = {}
    for name, icon in bodies.items():
        files[name] = standalone(icon["body"], icon.get("width", default_w), icon.get("height", default_h))
    files["no-food"] = standalone(no_food(bodies[NO_FOOD_SOURCE]["body"]), default_w, default_h)
    for name, text in files.items():
        read_logo(text.encode("utf-8"))  # raises if the safe SVG reader would refuse it
        (OUT / f"{name}.svg").write_text(text, encoding="utf-8")
    (OUT / "LICENSE.healthicons.txt").write_text(MIT_LICENCE, encoding="utf-8")
    manifest = {
        "package": PACKAGE,
        "version": VERSION,
        "icon_set": info.get("name"),
        "icon_set_version": info.get("version"),
        "licence": info.get("license", {}).get("spdx"),
        "licence_url": info.get("license", {}).get("url"),
        "author": info.get("author", {}).get("name"),
        "colour_token": PRIMARY,
        "made_by": "scripts/extract_icons.py",
        "icons": {name: {"source": name, "use": use} for name, use in ICONS.items()}
        | {"no-food": {"source": f"{NO_FOOD_SOURCE} inside a ring with a slash (drawn here)",
                       "use": "do not eat (fasting)"}},
    }
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(files)} icons from {PACKAGE} {VERSION} to {OUT.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
