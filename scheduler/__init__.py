"""Pure scheduling core: problem model, earliest-slot search, CP-SAT optimiser, validator."""

from .model import Assignment, Demand, Job, Pool, Problem, Resource, Schedule, Stage
from .optimize import optimize
from .slots import earliest_slots
from .validate import validate

__all__ = [
    "Assignment", "Demand", "Job", "Pool", "Problem", "Resource", "Schedule", "Stage",
    "earliest_slots", "optimize", "validate",
]
