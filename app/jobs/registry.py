"""The kinds of background work: a task function each, and which staff roles see its jobs."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.models import Role

TaskFunction = Callable[[Any, dict], Any]


@dataclass(frozen=True)
class Kind:
    name: str
    run: TaskFunction
    who_may_see: frozenset[Role]  # besides the user who started the job
    title: Any  # a lazy string, shown on the job page
    retry: bool  # safe to run again from the start when its worker died mid-job
    result_template: str | None  # shows a succeeded job's result on its page


KINDS: dict[str, Kind] = {}


def register(kind: str, who_may_see, *, title, retry: bool = False, result_template: str | None = None):
    """Make the decorated `task(ctx, params)` the work of jobs of `kind`; its return value (JSON) is the result."""

    def decorate(task: TaskFunction) -> TaskFunction:
        KINDS[kind] = Kind(kind, task, frozenset(who_may_see), title, retry, result_template)
        return task

    return decorate


def kind_of(name: str) -> Kind:
    return KINDS[name]
