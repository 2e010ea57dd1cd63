"""Pure scheduling core: problem model, earliest-slot search, CP-SAT optimiser, validator."""

from .model import Assignment, Demand, Job, Pool, Problem, Resource, Schedule, Stage
from .optimize import optimize
from .repair import Repair, repair
from .repair_cost import RepairCost
from .repair_scope import broken_jobs
from .slots import earliest_slots
from .validate import validate

__all__ = [
    "Assignment", "Demand", "Job", "Pool", "Problem", "Repair", "RepairCost", "Resource", "Schedule", "Stage",
    "broken_jobs", "earliest_slots", "optimize", "repair", "validate",
]
