"""HTTP benchmarks with wrk: customer pages, availability search and booking creation against gunicorn.

    .venv/bin/python -m bench.load [--databases sqlite,postgresql] [--scenarios users,...] [--seconds 60] [--out FILE]

For each database: a served demo plant (bench/served_plant.py: the demo plant plus a seeded year of bookings,
gunicorn with 2 synchronous workers behind nginx on 127.0.0.1, as docs/deploy.md deploys it), customer1 signed
in (a session cookie for the pages, a bearer token for the API); then wrk (C, a few percent of one core) runs
each scenario. A scenario is one or more groups of
connections running at once, each connection a user picking random requests of its group:

- users: 50 users clicking through the customer pages and searching availability (the booking page's search with
  its SVG chart, and the API), thinking 0.5–2 s between clicks — issue 7: p95 ≤ 150 ms, no errors;
- availability: 20 clients calling GET /api/v1/availability back to back — issue 4: p95 ≤ 100 ms;
- booking: 20 clients back to back, 18 searching availability and 2 requesting bookings (POST /api/v1/bookings;
  201, or 409 when the window has no free slot) — issue 4: creation p95 ≤ 200 ms;
- burst: 20 clients all requesting bookings at once (placements are serialised, so this shows the queue);
- saturation: 50 users browsing and searching with no thinking at all: the capacity.

Needs `wrk` and `nginx` (Debian packages `wrk`, `nginx-light`). Prints a Markdown report; exits 1 when a target
is missed."""

import argparse
import http.cookiejar
import json
import os
import random
import re
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bench.served_plant import LOGIN, TZ, busy_plant, request_fields, served, token

LUA = Path(__file__).with_name("load.lua")
USER_AGENT = "bench-load"  # the session is bound to it (Flask-Login's strong session protection)


@dataclass(frozen=True)
class Group:
    name: str
    connections: int
    mix: str  # pages | availability | bookings
    think_ms: tuple[int, int] = (0, 0)
    target_p95_ms: float | None = None
    ok: tuple[str, ...] = ("200",)


SCENARIOS = {
    "users": [Group("customer pages and searches", 50, "pages", (500, 2000), 150)],
    "availability": [Group("availability search", 20, "availability", target_p95_ms=100)],
    "booking": [
        Group("availability search", 18, "availability"),
        Group("booking creation", 2, "bookings", target_p95_ms=200, ok=("201", "409")),
    ],
    "burst": [Group("booking creation, all at once", 20, "bookings", ok=("201", "409"))],
    "saturation": [Group("customer pages and searches", 50, "pages")],
}


@dataclass
class Result:
    database: str
    scenario: str
    group: Group
    fields: dict

    def passed(self) -> bool | None:
        if self.group.target_p95_ms is None:
            return None
        return float(self.fields["p95_ms"]) <= self.group.target_p95_ms and self.failures() == 0

    def failures(self) -> int:
        bad = sum(int(n) for status, n in self.statuses().items() if status not in self.group.ok)
        return bad + int(self.fields["socket_errors"]) + int(self.fields["timeouts"])

    def statuses(self) -> dict[str, str]:
        return dict(part.split("=") for part in self.fields["statuses"].split(",") if part)


def signed_in_session(port: int) -> tuple[str, str]:
    """customer1's session cookie and a CSRF token for its forms, by signing in through the login page."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    base = f"http://127.0.0.1:{port}"
    csrf = _csrf(opener.open(f"{base}/login").read())
    form = urllib.parse.urlencode({**LOGIN, "csrf_token": csrf}).encode()
    opener.open(f"{base}/login", data=form).read()
    csrf = _csrf(opener.open(f"{base}/bookings/new").read())
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return cookie, csrf


def _csrf(page: bytes) -> str:
    found = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)
    if found is None:
        raise RuntimeError("no CSRF token on the page: did signing in fail?")
    return found.group(1).decode()


def customer_ids(url: str) -> tuple[list[int], list[int]]:
    """customer1's booking and issued invoice ids (for the detail pages)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        company = conn.execute(text("SELECT company_id FROM users WHERE email = :e"), {"e": LOGIN["email"]}).scalar()
        bookings = conn.execute(text("SELECT id FROM bookings WHERE company_id = :c"), {"c": company}).scalars()
        invoices = conn.execute(
            text("SELECT id FROM invoices WHERE company_id = :c AND number IS NOT NULL"), {"c": company}
        ).scalars()
        ids = list(bookings), list(invoices)
    engine.dispose()
    return ids


def search_form(fields: dict, csrf: str) -> str:
    """The booking page's search form, filled in as the browser sends it."""
    local = {k: datetime.fromisoformat(fields[k]).strftime("%Y-%m-%dT%H:%M") for k in ("earliest_start", "latest_end")}
    return urllib.parse.urlencode(
        {
            "csrf_token": csrf,
            "action": "search",
            "service": fields["service"],
            "kind": fields["kind"],
            "working_volume_l": fields["working_volume_l"],
            "duration_h": fields["duration_h"],
            **local,
            "organism": "枯草芽孢杆菌",
            "organism_family": fields["organism_family"],
            "biosafety_level": 1,
            "extraction_unit": "",
        }
    )


@dataclass(frozen=True)
class Credentials:
    cookie: str
    csrf: str
    bearer: dict
    ids: tuple[list[int], list[int]]


def requests_for(mix: str, rng: random.Random, who: Credentials) -> list[dict]:
    """The requests a group's users pick from; availability searches and bookings differ in every field."""
    if mix == "availability":
        return [
            {
                "method": "GET",
                "path": "/api/v1/availability?"
                + urllib.parse.urlencode({**request_fields(rng), "limit": rng.randint(1, 5)}),
                "headers": who.bearer,
            }
            for _ in range(200)
        ]
    if mix == "bookings":
        headers = {**who.bearer, "Content-Type": "application/json"}
        return [
            {
                "method": "POST",
                "path": "/api/v1/bookings",
                "headers": headers,
                "body": json.dumps({**request_fields(rng), "organism": "枯草芽孢杆菌"}),
            }
            for _ in range(2000)
        ]
    page = {"Cookie": who.cookie, "User-Agent": USER_AGENT}
    form = {**page, "Content-Type": "application/x-www-form-urlencoded"}
    bookings, invoices = who.ids
    pages = ["/", "/catalogue", "/bookings/", "/bookings/new", "/my/invoices/", "/company"]
    pages += [f"/bookings/{i}" for i in rng.sample(bookings, min(20, len(bookings)))]
    pages += [f"/my/invoices/{i}" for i in rng.sample(invoices, min(10, len(invoices)))]
    browse = [{"method": "GET", "path": path, "headers": page} for path in pages]
    searches = [
        {
            "method": "POST",
            "path": "/bookings/new",
            "headers": form,
            "body": search_form(request_fields(rng), csrf=who.csrf),
        }
        for _ in range(100)
    ]
    return browse * 4 + searches + requests_for("availability", rng, who)[:100]  # 60 % browsing, 40 % searching


def lua_table(requests: list[dict]) -> str:
    def lua(value) -> str:
        if isinstance(value, dict):
            return "{" + ", ".join(f"[{lua(k)}] = {lua(v)}" for k, v in value.items()) + "}"
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid Lua string here

    return "REQUESTS = {\n" + ",\n".join(lua(r) for r in requests) + "\n}\n"


def start_wrk(port: int, group: Group, requests: list[dict], seconds: int, script: Path) -> subprocess.Popen:
    script.write_text(lua_table(requests), encoding="utf-8")
    env = {
        **os.environ,
        "LOAD_REQUESTS": str(script),
        "THINK_MIN_MS": str(group.think_ms[0]),
        "THINK_MAX_MS": str(group.think_ms[1]),
    }
    threads = min(2, group.connections)
    return subprocess.Popen(
        [
            "wrk",
            "-t",
            str(threads),
            "-c",
            str(group.connections),
            "-d",
            f"{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(LUA),
            f"http://127.0.0.1:{port}",
        ],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )


def run_scenario(port: int, scenario: str, who: Credentials, seconds: int, seed: int, tmp: Path) -> list[dict]:
    """Run the scenario's groups at once; each group's wrk summary."""
    groups = SCENARIOS[scenario]
    rng = random.Random(seed)
    runs = [
        start_wrk(port, g, requests_for(g.mix, rng, who), seconds, tmp / f"{scenario}-{k}.lua")
        for k, g in enumerate(groups)
    ]
    summaries = []
    for run in runs:
        out, _ = run.communicate()
        if run.returncode != 0:
            raise RuntimeError(f"wrk failed: {out[-500:]}")
        line = next(line for line in out.splitlines() if line.startswith("RESULT "))
        summaries.append(dict(part.split("=", 1) for part in line.split()[1:]))
    return summaries


def bench_database(kind: str, args) -> list[Result]:
    with busy_plant(kind) as (tmp, url, env, allocations):
        print(f"[{kind}] {allocations} active allocations", flush=True)
        ids = customer_ids(url)
        results = []
        with served(env, tmp) as port:
            who = Credentials(*signed_in_session(port), token(port), ids)
            run_scenario(port, "saturation", who, 3, args.seed, tmp)  # warm both workers and their plan caches
            for scenario in args.scenarios.split(","):
                for group, fields in zip(
                    SCENARIOS[scenario], run_scenario(port, scenario, who, args.seconds, args.seed, tmp), strict=True
                ):
                    results.append(Result(kind, scenario, group, fields))
                    print(f"[{kind}] {scenario} / {group.name}: {fields}", flush=True)
        if any(status.startswith("5") for r in results for status in r.statuses()):
            print(f"[{kind}] server errors; gunicorn's log:\n{(tmp / 'gunicorn.log').read_text()[-20000:]}")
        return results


def report(results: list[Result], command: str) -> str:
    lines = [
        "# HTTP load: customer pages, availability search, booking creation (wrk)",
        "",
        (
            f"Command: `{command}` (run {datetime.now(TZ):%Y-%m-%d %H:%M} plant time, {os.cpu_count()} CPUs, "
            "gunicorn 2 synchronous workers behind nginx, wrk on the same machine, 127.0.0.1)."
        ),
        "",
        (
            "| database | scenario | group | users | think | requests | req/s | p50 ms | p95 ms | p99 ms "
            "| max ms | answers | failed | target p95 | met |"
        ),
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        f, g = r.fields, r.group
        think = f"{g.think_ms[0] / 1000:g}–{g.think_ms[1] / 1000:g} s" if g.think_ms[1] else "none"
        met = {True: "yes", False: "**no**", None: "—"}[r.passed()]
        answers = " ".join(f"{s}×{n}" for s, n in sorted(r.statuses().items()))
        lines.append(
            f"| {r.database} | {r.scenario} | {g.name} | {g.connections} | {think} | {f['requests']} "
            f"| {int(f['requests']) / float(f['seconds']):.0f} | {f['p50_ms']} | {f['p95_ms']} "
            f"| {f['p99_ms']} | {f['max_ms']} | {answers} | {r.failures()} | {g.target_p95_ms or '—'} "
            f"| {met} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", help="also write the report (Markdown) to this file")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None or shutil.which("nginx") is None:
        sys.exit("wrk or nginx is missing: apt-get install wrk nginx-light")
    results = [r for kind in args.databases.split(",") for r in bench_database(kind, args)]
    command = "python -m bench.load " + " ".join(argv if argv is not None else sys.argv[1:])
    text = report(results, command.strip())
    print(text)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    if any(r.passed() is False for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
