"""Pure scheduling core: problem model, earliest-slot search, CP-SAT optimiser, validator."""

from scheduler.model import Assignment, Demand, Job, Pool, Problem, Resource, Schedule, Stage
from scheduler.optimize import optimize
from scheduler.repair import Repair, repair
from scheduler.repair_cost import RepairCost
from scheduler.repair_scope import broken_jobs
from scheduler.slots import earliest_slots
from scheduler.validate import validate

__all__ = [
    "Assignment",
    "Demand",
    "Job",
    "Pool",
    "Problem",
    "Repair",
    "RepairCost",
    "Resource",
    "Schedule",
    "Stage",
    "broken_jobs",
    "earliest_slots",
    "optimize",
    "repair",
    "validate",
]
