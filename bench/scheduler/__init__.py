"""Scheduler benchmarks: python -m bench.scheduler [slots|optimize|fjsp]."""
