"""The repair's objective, level by level: tardiness of the disrupted work, moves, shift, size class."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from scheduler.model import Assignment, Job
from scheduler.repair_scope import Scope

Plan = Mapping[str, list[Assignment]]  # job id -> its assignments by stage


@dataclass(frozen=True)
class RepairCost:
    """Weighted tardiness of the disrupted jobs before (where they were) and after; bookings moved;
    total shift of their first starts in minutes; stages moved to a vessel of another size class."""

    tardiness_before: int
    tardiness_after: int
    moved: int
    shift: int
    class_changes: int

    def key(self) -> tuple[int, int, int, int]:
        """The lexicographic order of preference (a smaller key is a better repair)."""
        return self.tardiness_after, self.moved, self.shift, self.class_changes


def lateness(job: Job, stages: list[Assignment]) -> int:
    """Weight × minutes the job's last stage ends after its due date."""
    if job.due is None:
        return 0
    return job.weight * max(0, stages[-1].end - job.due)


def moved_jobs(scope: Scope, plan: Plan) -> list[str]:
    """Jobs of the plan placed differently from now (disrupted ones first, as given)."""
    order = [*scope.disrupted, *sorted(j for j in plan if j not in scope.disrupted)]
    return [j for j in order if j in plan and plan[j] != scope.placements[j]]


def class_of(size_class: Mapping[str, str] | None, resource: str) -> str:
    """A resource's size class; without a mapping each vessel is its own class."""
    return resource if size_class is None else size_class.get(resource, resource)


def cost_of(scope: Scope, plan: Plan, size_class: Mapping[str, str] | None) -> RepairCost:
    """The objective parts of a plan giving new assignments (at least) to every disrupted job."""
    jobs = scope.problem.fixed_job_by_id
    moved = moved_jobs(scope, plan)
    before = sum(lateness(jobs[j], scope.placements[j]) for j in scope.disrupted)
    after = sum(lateness(jobs[j], plan[j]) for j in scope.disrupted)
    shift = sum(abs(plan[j][0].start - scope.placements[j][0].start) for j in moved)
    changes = sum(
        class_of(size_class, new.resource) != class_of(size_class, old.resource)
        for j in moved
        for new, old in zip(plan[j], scope.placements[j], strict=True)
    )
    return RepairCost(before, after, len(moved), shift, changes)
