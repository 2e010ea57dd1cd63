"""The same action from many threads, released at one moment."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def at_once(count: int, action: Callable[[int], T]) -> list[T]:
    """action(0) … action(count - 1), each in a thread of its own, all started together; results in order."""
    start = threading.Barrier(count)

    def run(i: int) -> T:
        start.wait()
        return action(i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))
