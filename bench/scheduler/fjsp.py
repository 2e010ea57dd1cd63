"""FJSPLib families (flexible job shop) solved for makespan by the optimiser and by the plain model.

Per instance: the optimiser's makespan, the plain CP-SAT model's (`plain.py`) with the same time,
workers and seed, the best known value and both gaps; per family the mean gaps.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from bench.scheduler.plain import plain_makespan
from scheduler import Job, Problem, Resource, Stage, optimize, validate

ROOT = Path(__file__).parent


@dataclass(frozen=True)
class Family:
    folder: Path
    suffix: str
    first_machine: int  # the number the files give their first machine


FAMILIES = {
    "brandimarte": Family(ROOT / "data" / "brandimarte", ".fjs", 1),
    "kacem": Family(ROOT.parent / "data" / "fjsp" / "kacem", ".txt", 0),
    "fattahi": Family(ROOT.parent / "data" / "fjsp" / "fattahi", ".txt", 0),
    "hurink-edata": Family(ROOT.parent / "data" / "fjsp" / "hurink-edata", ".txt", 0),
    "hurink-vdata": Family(ROOT.parent / "data" / "fjsp" / "hurink-vdata", ".txt", 0),
    "hurink-rdata": Family(ROOT.parent / "data" / "fjsp" / "hurink-rdata", ".txt", 0),
    "dauzere": Family(ROOT.parent / "data" / "fjsp" / "dauzere", ".txt", 0),
    "barnes": Family(ROOT.parent / "data" / "fjsp" / "barnes", ".txt", 0),
    "behnke": Family(ROOT.parent / "data" / "fjsp" / "behnke", ".txt", 0),
}


def read_fjs(path: Path, first_machine: int = 1) -> Problem:
    """Parse the .fjs format: 'jobs machines', then per job: ops, and per op: k (machine time)*k."""
    lines = [list(map(int, line.split())) for line in path.read_text().splitlines() if line.strip()]
    machines = lines[0][1]
    jobs = []
    for j, numbers in enumerate(lines[1:]):
        stages, i = [], 1
        for _ in range(numbers[0]):
            k = numbers[i]
            pairs = numbers[i + 1 : i + 1 + 2 * k]
            stages.append(Stage({f"M{m}": d for m, d in zip(pairs[::2], pairs[1::2], strict=True)}, needs_staff=False))
            i += 1 + 2 * k
        jobs.append(Job(f"J{j + 1}", stages))
    return Problem([Resource(f"M{m + first_machine}") for m in range(machines)], jobs)


def best_known(family: Family) -> dict[str, int]:
    """Instance name -> best known makespan, from the family's `best_known.txt` ('name value' lines)."""
    rows = (line.split() for line in (family.folder / "best_known.txt").read_text().splitlines())
    return {row[0]: int(row[1]) for row in rows if row and not row[0].startswith("#")}


def run(
    family_name: str = "brandimarte",
    time_limit_s: float = 20.0,
    workers: int = 2,
    seed: int = 0,
    names: list[str] | None = None,
) -> dict:
    """Both models on every instance of the family (or `names`), side by side."""
    family = FAMILIES[family_name]
    known = best_known(family)
    rows = []
    for name in names or sorted(known):
        problem = read_fjs(family.folder / f"{name}{family.suffix}", family.first_machine)
        t0 = time.perf_counter()
        schedule = optimize(
            problem, objective="makespan", time_limit_s=time_limit_s, workers=workers, seed=seed, tie_break=False
        )
        seconds = time.perf_counter() - t0
        assert not validate(problem, schedule)
        plain, _ = plain_makespan(problem, time_limit_s, workers, seed)
        rows.append(
            {
                "instance": name,
                "optimiser": schedule.objective,
                "plain": plain,
                "best_known": known[name],
                "gap_optimiser_%": _gap(schedule.objective, known[name]),
                "gap_plain_%": _gap(plain, known[name]),
                "status": schedule.status,
                "seconds": round(seconds, 1),
            }
        )
    return {
        "family": family_name,
        "seed": seed,
        "rows": rows,
        "mean_gap_optimiser_%": _mean(rows, "gap_optimiser_%"),
        "mean_gap_plain_%": _mean(rows, "gap_plain_%"),
        "behind_plain_by_more_than_1_%": [
            r["instance"] for r in rows if r["plain"] is not None and r["optimiser"] > 1.01 * r["plain"]
        ],
    }


def over_seeds(family_name: str, seeds: list[int], **kwargs) -> dict:
    """The family once per seed; the median and spread of the mean gaps, and per instance the
    median makespan of each model (a single 20 s run of either varies by 1-3 % on large instances)."""
    runs = [run(family_name, seed=seed, **kwargs) for seed in seeds]
    summary: dict = {}
    for column in ("mean_gap_optimiser_%", "mean_gap_plain_%"):
        values = [r[column] for r in runs]
        summary[column] = {"median": statistics.median(values), "min": min(values), "max": max(values)}
    medians = {
        row["instance"]: {
            model: statistics.median(r["rows"][i][model] for r in runs) for model in ("optimiser", "plain")
        }
        for i, row in enumerate(runs[0]["rows"])
        if all(r["rows"][i]["plain"] is not None for r in runs)
    }
    summary["median_per_instance"] = medians
    summary["median_behind_plain_by_more_than_1_%"] = [
        name for name, m in medians.items() if m["optimiser"] > 1.01 * m["plain"]
    ]
    return {"runs": runs, "summary": summary}


def _gap(value: int | None, known: int) -> float | None:
    return None if value is None else round(100 * (value / known - 1), 2)


def _mean(rows: list[dict], column: str) -> float | None:
    values = [r[column] for r in rows if r[column] is not None]
    return round(sum(values) / len(values), 2) if len(values) == len(rows) else None


def print_run(result: dict) -> None:
    print(
        f"{result['family']} (seed {result['seed']}): instance, optimiser, plain, best known, "
        "gap optimiser %, gap plain %, status, seconds"
    )
    for row in result["rows"]:
        print("  ", *row.values())
    print(
        f"  mean gap %: optimiser {result['mean_gap_optimiser_%']}, plain {result['mean_gap_plain_%']}; "
        f"behind the plain model by > 1 %: {result['behind_plain_by_more_than_1_%'] or 'none'}"
    )
