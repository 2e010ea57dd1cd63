"""Run the scheduler benchmarks and print their figures.

python -m bench.scheduler [slots|optimize|bound|sweep|split|fjsp] [--family NAME] [--instances a,b]
                          [--seeds 0,1,2] [--seconds 20] [--workers 2]
"""

import argparse

from bench.scheduler import bench_optimize, bench_slots, bench_split, disruptions, fjsp


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.scheduler")
    parser.add_argument("which", nargs="*", help="benchmarks to run (all when none)")
    parser.add_argument(
        "--family",
        action="append",
        choices=sorted(fjsp.FAMILIES),
        help="FJSPLib family for fjsp (repeatable; Brandimarte when none)",
    )
    parser.add_argument(
        "--instances", help="comma-separated instance names for fjsp (all of the family's best_known.txt when none)"
    )
    parser.add_argument("--seeds", default="0", help="comma-separated seeds for fjsp")
    parser.add_argument("--seconds", type=float, default=20.0, help="time limit per fjsp instance")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    which = args.which
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
        seeds = [int(seed) for seed in args.seeds.split(",")]
        names = args.instances.split(",") if args.instances else None
        for family in args.family or ["brandimarte"]:
            result = fjsp.over_seeds(family, seeds, time_limit_s=args.seconds, workers=args.workers, names=names)
            for run in result["runs"]:
                fjsp.print_run(run)
            if len(seeds) > 1:
                print(f"{family} over seeds {seeds}:", result["summary"])


if __name__ == "__main__":
    main()
