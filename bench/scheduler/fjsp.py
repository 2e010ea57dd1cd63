"""Brandimarte MK01-MK10 (flexible job shop) solved for makespan, compared with best known values."""

from __future__ import annotations

import time
from pathlib import Path

from scheduler import Job, Problem, Resource, Stage, optimize, validate

DATA = Path(__file__).parent / "data" / "brandimarte"
BEST_KNOWN = {"mk01": 40, "mk02": 26, "mk03": 204, "mk04": 60, "mk05": 172,
              "mk06": 57, "mk07": 139, "mk08": 523, "mk09": 307, "mk10": 197}


def read_fjs(path: Path) -> Problem:
    """Parse the .fjs format: 'jobs machines', then per job: ops, and per op: k (machine time)*k."""
    lines = [list(map(int, line.split())) for line in path.read_text().splitlines() if line.strip()]
    machines = lines[0][1]
    jobs = []
    for j, numbers in enumerate(lines[1:]):
        stages, i = [], 1
        for _ in range(numbers[0]):
            k = numbers[i]
            pairs = numbers[i + 1:i + 1 + 2 * k]
            stages.append(Stage({f"M{m}": d for m, d in zip(pairs[::2], pairs[1::2])}, needs_staff=False))
            i += 1 + 2 * k
        jobs.append(Job(f"J{j + 1}", stages))
    return Problem([Resource(f"M{m + 1}") for m in range(machines)], jobs)


def run(time_limit_s: float = 20.0, workers: int = 2, names: list[str] | None = None) -> dict:
    rows, ratios = [], []
    for name in names or sorted(BEST_KNOWN):
        problem = read_fjs(DATA / f"{name}.fjs")
        t0 = time.perf_counter()
        schedule = optimize(problem, objective="makespan", time_limit_s=time_limit_s, workers=workers,
                            tie_break=False)
        seconds = time.perf_counter() - t0
        assert not validate(problem, schedule)
        gap = schedule.objective / BEST_KNOWN[name] - 1
        ratios.append(gap)
        rows.append((name, schedule.objective, schedule.bound, BEST_KNOWN[name], round(100 * gap, 2),
                     schedule.status, round(seconds, 1)))
    return {"rows": rows, "mean_gap_percent": round(100 * sum(ratios) / len(ratios), 2)}


if __name__ == "__main__":
    result = run()
    print("instance makespan bound best_known gap% status seconds")
    for row in result["rows"]:
        print(*row)
    print("mean gap %:", result["mean_gap_percent"])
