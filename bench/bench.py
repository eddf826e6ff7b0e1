"""Benchmark: handouts against the engine's floor, WeasyPrint and Typst, and whole-library builds.

    python bench/bench.py                  # full run, prints a table, writes bench/results.json
    python bench/bench.py --quick          # fewer repetitions

WeasyPrint and Typst are optional (pip install -e '.[bench]'); missing engines are reported as
such. Everything runs in this one process run on this machine, so the ratios compare like with
like. Per-handout figures are warm (fonts registered, workspace loaded), as in a batch worker.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from equivalents import forget_drawings, html_page, platypus_floor, typst_source  # noqa: E402

from handouts.build import BuildRequest, Status, run  # noqa: E402
from handouts.compose import compose  # noqa: E402
from handouts.fontfiles import default_files  # noqa: E402
from handouts.pdf import render  # noqa: E402
from handouts.pdf.fonts import register_family  # noqa: E402
from handouts.workspace import Workspace  # noqa: E402

PROCEDURE, CLINIC, LANG = "epidural-steroid-injection", "riverbend", "en"


def timed(function, repeat: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return times


def stats(times: list[float]) -> dict:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    median = statistics.median(ordered)
    return {"median_ms": round(median, 2), "p95_ms": round(p95, 2), "per_second": round(1000 / median, 1),
            "runs": len(times)}


Engine = tuple[Callable[[], object], int]  # what to run, and every how many rounds (the slow ones less often)


def _engines(handout, fonts: dict, font_dir: Path) -> tuple[dict[str, Engine], dict[str, str]]:
    """The engines to time on the bench's handout, and those missing here with how to install them."""
    def inputs(ws: Workspace):
        return ws.procedure(LANG, PROCEDURE), ws.clinic(CLINIC), ws.strings(LANG)

    workspace = Workspace(ROOT)
    loaded, clinic = inputs(workspace), workspace.clinic(CLINIC)
    artwork, layout = workspace.artwork(clinic), workspace.layout("one-page")

    def from_yaml():
        fresh = Workspace(ROOT)
        return render(compose(*inputs(fresh), artwork=fresh.artwork(fresh.clinic(CLINIC))), fresh.layout("one-page"))

    engines: dict[str, Engine] = {
        "platypus floor": (lambda: platypus_floor(handout, fonts), 1),
        "handouts (compose + render)": (lambda: render(compose(*loaded, artwork=artwork), layout), 1),
        "handouts (incl. YAML load)": (from_yaml, 5)}
    missing: dict[str, str] = {}
    try:
        import weasyprint

        page = html_page(handout, font_dir)
        engines["WeasyPrint"] = (lambda: weasyprint.HTML(string=page).write_pdf(), 6)
    except (ImportError, OSError) as exc:  # not installed, or the system's Pango libraries are missing
        missing["WeasyPrint"] = f"pip install -e '.[bench]' ({type(exc).__name__})"
    try:
        import typst

        source = typst_source(handout).encode()
        engines["Typst"] = (lambda: typst.compile(source, font_paths=[str(font_dir)]), 1)
    except ImportError:
        missing["Typst"] = "pip install -e '.[bench]'"
    return engines, missing


def per_handout(repeat: int) -> dict:
    """Every engine on the bench's handout, interleaved round by round, so the machine's drift
    (large on a shared 2-core machine) hits them alike; ratios are medians of each round's ratio."""
    workspace = Workspace(ROOT)
    clinic = workspace.clinic(CLINIC)
    handout = compose(workspace.procedure(LANG, PROCEDURE), clinic, workspace.strings(LANG),
                      artwork=workspace.artwork(clinic))
    family = register_family(default_files())
    engines, missing = _engines(handout, {"regular": family.regular, "bold": family.bold},
                                Path(default_files().regular).parent)
    for run, _ in engines.values():  # warm: fonts, drawings, caches
        for _ in range(2):
            run()
    times: dict[str, list[float]] = {name: [] for name in engines}
    rounds: list[dict[str, float]] = []
    for index in range(repeat):
        this = {}
        for name, (run, every) in engines.items():
            if index % every == 0:
                this[name] = timed(run, 1, warmup=0)[0]
                times[name].append(this[name])
        rounds.append(this)
    results: dict[str, dict] = {name: stats(samples) for name, samples in times.items()}
    results.update({name: {"missing": hint} for name, hint in missing.items()})

    def paired(top: str, bottom: str) -> float | None:
        ratios = [r[top] / r[bottom] for r in rounds if top in r and bottom in r]
        return round(statistics.median(ratios), 2) if ratios else None

    ours = "handouts (compose + render)"
    results["ratios"] = {"ours / floor": paired(ours, "platypus floor"), "WeasyPrint / ours": paired("WeasyPrint", ours),
                         "ours / Typst": paired(ours, "Typst")}
    return results


def library_ratio(repeat: int) -> dict:
    """Ours against the floor for every one-page handout of the library (each warm, median of runs)."""
    workspace = Workspace(ROOT)
    family = register_family(default_files())
    fonts = {"regular": family.regular, "bold": family.bold}
    layout = workspace.layout("one-page")
    rows = []
    for lang in workspace.languages():
        for procedure_id in workspace.procedure_ids(lang):
            for clinic_id in workspace.clinic_ids():
                procedure, clinic = workspace.procedure(lang, procedure_id), workspace.clinic(clinic_id)
                strings = workspace.strings(lang)
                artwork = workspace.artwork(clinic)
                handout = compose(procedure, clinic, strings, artwork=artwork)
                ours = statistics.median(timed(lambda: render(compose(procedure, clinic, strings, artwork=artwork),
                                                              layout), repeat, warmup=1))
                floor = statistics.median(timed(lambda: platypus_floor(handout, fonts), repeat, warmup=1))
                rows.append({"clinic": clinic_id, "ours_ms": ours, "floor_ms": floor})
    result = {"handouts": len(rows),
              "median ours / floor": round(statistics.median(r["ours_ms"] / r["floor_ms"] for r in rows), 2),
              "ours median ms": round(statistics.median(r["ours_ms"] for r in rows), 2),
              "floor median ms": round(statistics.median(r["floor_ms"] for r in rows), 2)}
    for clinic_id in workspace.clinic_ids():
        mine = [r for r in rows if r["clinic"] == clinic_id]
        result[f"median ours / floor, {clinic_id}"] = round(
            statistics.median(r["ours_ms"] / r["floor_ms"] for r in mine), 2)
    return result


def _untagged(handout, layout):
    """The same render with no structure attached: the canvas then draws no marks and writes no
    tree (new_doc's documented behaviour), so the difference is what tagging costs."""
    import handouts.pdf.one_page as one_page

    tagged_doc = one_page.new_doc
    one_page.new_doc = lambda *args, structure=None, **kwargs: tagged_doc(*args, structure=None, **kwargs)
    try:
        return render(handout, layout)
    finally:
        one_page.new_doc = tagged_doc


def tagging_cost(rounds: int) -> dict:
    """A tagged render against the same render untagged, for every one-page of the library; each
    handout's pair runs interleaved (tagged, untagged, tagged, ...) so drift hits both alike."""
    workspace = Workspace(ROOT)
    register_family(default_files())
    layout = workspace.layout("one-page")
    ratios, by_clinic = [], {}
    for lang in workspace.languages():
        for procedure_id in workspace.procedure_ids(lang):
            for clinic_id in workspace.clinic_ids():
                clinic = workspace.clinic(clinic_id)
                handout = compose(workspace.procedure(lang, procedure_id), clinic, workspace.strings(lang),
                                  artwork=workspace.artwork(clinic))
                tagged, untagged = [], []
                for _ in range(2):
                    render(handout, layout), _untagged(handout, layout)
                for _ in range(rounds):
                    tagged += timed(lambda: render(handout, layout), 1, warmup=0)
                    untagged += timed(lambda: _untagged(handout, layout), 1, warmup=0)
                ratio = statistics.median(tagged) / statistics.median(untagged)
                ratios.append(ratio)
                by_clinic.setdefault(clinic_id, []).append(ratio)
    result = {"handouts": len(ratios), "rounds": rounds,
              "median tagged / untagged": round(statistics.median(ratios), 3)}
    for clinic_id, mine in by_clinic.items():
        result[f"median tagged / untagged, {clinic_id}"] = round(statistics.median(mine), 3)
    return result


def _timed_build(out: Path, *selection: str, store: str | None = None) -> float:
    """Wall seconds of a real `handouts build --force` in a fresh process, as a clinic runs it;
    `store` overrides the artwork store's folder ("" turns it off)."""
    command = [sys.executable, "-m", "handouts", "-w", str(ROOT), "build", *selection, "-l", "one-page",
               "--lang", LANG, "-j", "1", "--force", "--quiet", "-o", str(out)]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    if store is not None:
        env["HANDOUTS_CACHE_DIR"] = store
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True, env=env)
    return time.perf_counter() - start


def real_build_marginal(rounds: int, store: str | None = None) -> dict:
    """What one more one-page handout costs in a real build, against the floor of the same size.

    Each round, interleaved so that machine drift hits all three alike: a build of every English
    one-page (all clinics) and a build of a single one, both in fresh processes; their difference
    over the extra handouts is the marginal cost (start-up cancels out). The floor renders the same
    handouts with stock platypus in this process, warm. `store=""` runs the builds with the artwork
    store off (every SVG converted in every process, as on a machine's very first build).
    """
    workspace = Workspace(ROOT)
    family = register_family(default_files())
    fonts = {"regular": family.regular, "bold": family.bold}
    handouts = [compose(workspace.procedure(LANG, p), workspace.clinic(c), workspace.strings(LANG),
                        artwork=workspace.artwork(workspace.clinic(c)))
                for p in workspace.procedure_ids(LANG) for c in workspace.clinic_ids()]
    for handout in handouts:
        platypus_floor(handout, fonts)
    marginal, floor = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for index in range(rounds):
            everything = _timed_build(Path(tmp) / f"all{index}", store=store)
            one = _timed_build(Path(tmp) / f"one{index}", PROCEDURE, "-c", CLINIC, store=store)
            marginal.append((everything - one) / (len(handouts) - 1) * 1000)
            forget_drawings()  # a fresh batch converts each figure and logo once, as the build's process does
            start = time.perf_counter()
            for handout in handouts:
                platypus_floor(handout, fonts)
            floor.append((time.perf_counter() - start) / len(handouts) * 1000)
    ours, base = statistics.median(marginal), statistics.median(floor)
    return {"handouts": len(handouts), "rounds": rounds, "marginal ms per handout": round(ours, 2),
            "floor ms per handout": round(base, 2), "marginal / floor": round(ours / base, 2)}


def library(jobs: int, out: Path) -> dict:
    """Build the whole shipped library (every clinic, language and layout) into `out`."""
    workspace = Workspace(ROOT)
    start = time.perf_counter()
    summary = run(workspace, BuildRequest(out=out, jobs=jobs))
    seconds = time.perf_counter() - start
    built = [o for o in summary.outcomes if o.status is Status.BUILT]
    renders = [o.renders for o in built if o.target and o.target.layout == "one-page"]
    return {"seconds": round(seconds, 3), "built": len(built), "up_to_date": summary.count(Status.UP_TO_DATE),
            "failed": len(summary.failed), "handouts_per_second": round(len(built) / seconds, 1) if built else None,
            "one_page_renders_per_handout": round(sum(renders) / len(renders), 3) if renders else None}


def library_rounds(rounds: int) -> dict:
    """Cold -j1 and -j2 builds of the whole library, interleaved for `rounds` rounds (the median
    round of each, and the median of each round's speed-up), then a rebuild with nothing changed."""
    cold: dict[int, list[dict]] = {1: [], 2: []}
    with tempfile.TemporaryDirectory() as tmp:
        for index in range(rounds):
            for jobs in (1, 2):
                cold[jobs].append(library(jobs, Path(tmp) / f"j{jobs}-{index}"))
        unchanged = library(2, Path(tmp) / f"j2-{rounds - 1}")

    def median_round(runs: list[dict]) -> dict:
        return sorted(runs, key=lambda run: run["seconds"])[len(runs) // 2]

    speed_ups = [one["seconds"] / two["seconds"] for one, two in zip(cold[1], cold[2])]
    return {"cold -j1": median_round(cold[1]), "cold -j2": median_round(cold[2]), "no-change -j2": unchanged,
            "rounds": rounds, "-j2 speed-up (median of rounds)": round(statistics.median(speed_ups), 2)}


def personal_batch(count: int, jobs: int) -> dict:
    """Run a personalised batch of `count` rows in a child process and read its workers' peak memory."""
    code = f"""
import json, resource, sys, tempfile, datetime as dt
from pathlib import Path
sys.path.insert(0, {str(ROOT / 'src')!r})
from handouts.workspace import Workspace
from handouts.personal import PersonalOptions, build_personal
from handouts.schedule import ScheduleRow
from handouts.patient import Patient
from handouts.build import Status
ws = Workspace(Path({str(ROOT)!r}))
ids = [p for p in ws.procedure_ids("en")]
rows = [ScheduleRow(i + 2, f"row-{{i:05d}}", "riverbend", ids[i % len(ids)], "en", "one-page",
                    Patient(f"Patient {{i}}", dt.date(2026, 12, 1), dt.time(8, 30), "Dr. Chen", "Bring your diary."))
        for i in range({count})]
out = Path(tempfile.mkdtemp())
summary = build_personal(ws, rows, [], PersonalOptions(out, jobs={jobs}))
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({{"built": summary.count(Status.BUILT),
                   "failed": len(summary.failed), "seconds": round(summary.seconds, 2),
                   "worker_peak_mb": round(children / 1024, 1),
                   "parent_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}}))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def startup() -> dict:
    times = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "handouts", "--help"], capture_output=True, check=True)
        times.append((time.perf_counter() - start) * 1000)
    return {"help_ms_median": round(statistics.median(times), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (for a smoke run)")
    parser.add_argument("--json", type=Path, default=Path(__file__).with_name("results.json"))
    args = parser.parse_args()
    repeat = 20 if args.quick else 60
    report: dict = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                                "platform": platform.platform()},
                    "date": dt.datetime.now().isoformat(timespec="seconds")}
    # The bench's own artwork store, filled by an untimed build as a machine's first build fills
    # the user's: every build below finds it warm, except the one measured with the store off.
    store = tempfile.TemporaryDirectory(prefix="handouts-bench-store-")
    os.environ["HANDOUTS_CACHE_DIR"] = store.name
    with tempfile.TemporaryDirectory() as tmp:
        _timed_build(Path(tmp))
    report["per_handout"] = per_handout(repeat)
    report["library_one_page"] = library_ratio(3 if args.quick else 7)
    report["tagging"] = tagging_cost(5 if args.quick else 15)
    report["real_build"] = real_build_marginal(3 if args.quick else 11)
    report["real_build_store_off"] = real_build_marginal(3 if args.quick else 7, store="")
    report["library"] = library_rounds(1 if args.quick else 3)
    sizes = (100, 300) if args.quick else (100, 1000)
    report["personal_batches"] = {str(n): personal_batch(n, 2) for n in sizes}
    report["startup"] = startup()
    paired = report["per_handout"]["ratios"]
    ratios = {"ours / floor (median over the library)": report["library_one_page"]["median ours / floor"],
              "tagged / untagged (median over the library)": report["tagging"]["median tagged / untagged"],
              "real build marginal / floor": report["real_build"]["marginal / floor"],
              "real build marginal / floor, artwork store off": report["real_build_store_off"]["marginal / floor"],
              f"ours / floor ({PROCEDURE})": paired["ours / floor"]}
    ratios.update({name: value for name, value in paired.items() if name != "ours / floor" and value is not None})
    ratios["-j2 speed-up"] = report["library"]["-j2 speed-up (median of rounds)"]
    report["ratios"] = ratios
    print_table(report)
    args.json.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten to {args.json}")


def print_table(report: dict) -> None:
    print(f"\nOne-page handout ({PROCEDURE}, {CLINIC}, {LANG}), warm, one process:")
    print(f"  {'engine':<30} {'median ms':>10} {'p95 ms':>8} {'per s':>7}")
    for name, row in report["per_handout"].items():
        if name == "ratios":
            continue
        if "missing" in row:
            print(f"  {name:<30} not installed ({row['missing']})")
        else:
            print(f"  {name:<30} {row['median_ms']:>10.1f} {row['p95_ms']:>8.1f} {row['per_second']:>7.1f}")
    lib = report["library_one_page"]
    print(f"\nEvery one-page handout of the library ({lib['handouts']}), ours against the floor, each warm:")
    for key, value in lib.items():
        if key != "handouts":
            print(f"  {key:<36} {value}")
    tagging = report["tagging"]
    print(f"\nTagging: every one-page of the library ({tagging['handouts']}), tagged against untagged, "
          f"{tagging['rounds']} interleaved rounds each:")
    for name, value in tagging.items():
        if name not in ("handouts", "rounds"):
            print(f"  {name:<36} {value}")
    for key, how in (("real_build", ""), ("real_build_store_off", ", artwork store off")):
        real = report[key]
        print(f"\nReal build (handouts build --force -j1, fresh processes{how}), {real['handouts']} one-pages, "
              f"{real['rounds']} interleaved rounds:")
        for name, value in real.items():
            if name not in ("handouts", "rounds"):
                print(f"  {name:<36} {value}")
    library_runs = report["library"]
    print(f"\nWhole shipped library (every clinic x language x layout), cold builds interleaved for "
          f"{library_runs['rounds']} round(s) (the median one):")
    for name, row in library_runs.items():
        if not isinstance(row, dict):
            continue
        print(f"  {name:<16} {row['seconds']:>7.2f} s  built {row['built']:>4}  up to date {row.get('up_to_date', row.get('skipped', 0)):>4}  "
              f"failed {row['failed']}  {row['handouts_per_second'] or '-'} /s  "
              f"renders per one-page handout {row['one_page_renders_per_handout'] or '-'}")
    print("\nPersonalised batches, -j2 (peak memory per worker):")
    for size, row in report["personal_batches"].items():
        print(f"  {size:>5} targets  {row['seconds']:>6.2f} s  worker peak {row['worker_peak_mb']} MB  "
              f"parent peak {row['parent_peak_mb']} MB  failed {row['failed']}")
    print(f"\nStart-up: handouts --help {report['startup']['help_ms_median']} ms")
    print("\nRatios: " + ", ".join(f"{k} = {v}" for k, v in report["ratios"].items()))


if __name__ == "__main__":
    main()
