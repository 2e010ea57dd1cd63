"""Scheduler benchmarks: python -m bench.scheduler [slots|optimize|bound|sweep|split|fjsp] [--family NAME]."""
