"""A small closed-loop HTTP load generator (stdlib only): N client threads working through a list of calls."""
import http.client
import json
import queue
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

HOST = "127.0.0.1"  # the benchmarks talk to the local machine only


def call(port: int, method: str, path: str, headers: dict | None = None, body: dict | None = None,
         timeout: float = 120) -> tuple[int, float, bytes]:
    """One request on a fresh connection: (status, seconds, body)."""
    payload = json.dumps(body).encode() if body is not None else None
    sent = {**(headers or {}), **({"Content-Type": "application/json"} if payload is not None else {})}
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        began = time.perf_counter()
        connection.request(method, path, body=payload, headers=sent)
        response = connection.getresponse()
        data = response.read()
        return response.status, time.perf_counter() - began, data
    finally:
        connection.close()


@dataclass
class Load:
    """What one load run saw."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    wall_s: float = 0.0
    ok: tuple[int, ...] = (200,)

    def percentile(self, p: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] * 1000 if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1] * 1000

    @property
    def errors(self) -> int:
        return len(self.failures) + sum(n for status, n in self.statuses.items() if status >= 500)

    @property
    def other_4xx(self) -> int:
        return sum(n for status, n in self.statuses.items() if 400 <= status < 500 and status not in self.ok)

    def row(self) -> str:
        total = sum(self.statuses.values()) + len(self.failures)
        rate = total / self.wall_s if self.wall_s else 0
        answers = ", ".join(f"{status}×{n}" for status, n in sorted(self.statuses.items()))
        return (f"{total} | {answers} | {self.other_4xx} | {self.errors} | {rate:.1f} | "
                f"{self.percentile(50):.0f} | {self.percentile(95):.0f} | {self.percentile(99):.0f}")

    def line(self) -> str:
        return (f"statuses {dict(self.statuses)}, failures {len(self.failures)}, p50 {self.percentile(50):.0f} ms, "
                f"p95 {self.percentile(95):.0f} ms, p99 {self.percentile(99):.0f} ms")


def run_load(port: int, calls: list[tuple[str, str, dict | None]], clients: int, headers: dict,
             ok: tuple[int, ...] = (200,)) -> Load:
    """Work through `calls` with `clients` threads, each sending its next call when the last one answered."""
    work: queue.Queue = queue.Queue()
    for item in calls:
        work.put(item)
    load, lock = Load(ok=ok), threading.Lock()

    def client() -> None:
        while True:
            try:
                method, path, body = work.get_nowait()
            except queue.Empty:
                return
            try:
                status, seconds, data = call(port, method, path, headers, body)
            except OSError as error:
                with lock:
                    load.failures.append(repr(error))
                continue
            with lock:
                load.latencies.append(seconds)
                load.statuses[status] += 1
                if status not in ok and sum(n for s, n in load.statuses.items() if s not in ok) <= 3:
                    print(f"  {method} {path[:80]} → {status} {data[:200]!r}", flush=True)  # the first few only

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    load.wall_s = time.perf_counter() - began
    return load
