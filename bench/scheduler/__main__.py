"""Run the scheduler benchmarks and print their figures."""

import sys

from . import bench_optimize, bench_slots, bench_split, disruptions, fjsp


def main(which: list[str]) -> None:
    if not which or "slots" in which:
        print("earliest_slots, 10,000 pinned on 60 vessels:", bench_slots.run())
    if not which or "optimize" in which:
        print("optimize, tight instance:", bench_optimize.run())
    if not which or "bound" in which:
        print("optimize, tight instance, gap-assignment relaxation bound:", bench_optimize.relaxation())
    if not which or "sweep" in which:
        for row in bench_optimize.sweep():
            print("optimize, less loaded variant:", row)
    if not which or "split" in which:
        print("optimize, tight instance, liquid and solid apart:", bench_split.run())
    if not which or "disruptions" in which:
        for key, value in disruptions.run().items():
            print("repair against re-optimising, tight year:", key, value)
    if not which or "fjsp" in which:
        result = fjsp.run()
        print("Brandimarte makespan (instance, makespan, bound, best known, gap %, status, seconds):")
        for row in result["rows"]:
            print("  ", *row)
        print("mean gap %:", result["mean_gap_percent"])


if __name__ == "__main__":
    main(sys.argv[1:])
