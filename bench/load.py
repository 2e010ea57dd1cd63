"""Load benchmark with wrk: customer pages and availability search against gunicorn on loopback.

    .venv/bin/python -m bench.load [--databases sqlite,postgresql] [--seconds 60] [--out FILE]

For each database: a throwaway database with the demo plant and a seeded year of bookings (as in
bench.availability_http), gunicorn with 2 sync workers on 127.0.0.1, customer1 signed in (a session cookie for
the pages, a bearer token for the API), then wrk (C, a few percent of one core) runs three scenarios:

- users: 50 users, each clicking through the customer pages and searching availability (the booking page's
  search with its SVG chart, and the API), thinking 0.5–2 s between clicks — target p95 ≤ 150 ms, no errors;
- availability: 20 clients calling GET /api/v1/availability back to back, no thinking — target p95 ≤ 100 ms;
- saturation: 50 users with no thinking at all, to show the capacity (requests per second) and where latency goes.

Needs `wrk` (Debian package `wrk`). Prints a Markdown report."""
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

from bench.availability_http import LOGIN, TZ, busy_plant, gunicorn, request_fields, token

LUA = Path(__file__).with_name("load.lua")
USER_AGENT = "bench-load"  # the session is bound to it (Flask-Login's strong session protection)
SCENARIOS = {  # name → (connections, think min ms, think max ms, mix, target p95 ms)
    "users": (50, 500, 2000, "pages", 150),
    "availability": (20, 0, 0, "availability", 100),
    "saturation": (50, 0, 0, "pages", None),
}


@dataclass
class Result:
    database: str
    scenario: str
    fields: dict

    def passed(self) -> bool | None:
        target = SCENARIOS[self.scenario][4]
        if target is None:
            return None
        return float(self.fields["p95_ms"]) <= target and self.failures() == 0

    def failures(self) -> int:
        bad = sum(int(n) for status, n in self.statuses().items() if status != "200")
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
        invoices = conn.execute(text("SELECT id FROM invoices WHERE company_id = :c AND number IS NOT NULL"),
                                {"c": company}).scalars()
        ids = list(bookings), list(invoices)
    engine.dispose()
    return ids


def search_form(fields: dict, csrf: str) -> str:
    """The booking page's search form, filled in as the browser sends it."""
    local = {k: datetime.fromisoformat(fields[k]).strftime("%Y-%m-%dT%H:%M") for k in ("earliest_start", "latest_end")}
    return urllib.parse.urlencode({
        "csrf_token": csrf, "action": "search", "service": fields["service"], "kind": fields["kind"],
        "working_volume_l": fields["working_volume_l"], "duration_h": fields["duration_h"], **local,
        "organism": "枯草芽孢杆菌", "organism_family": fields["organism_family"], "biosafety_level": 1,
        "extraction_unit": ""})


def requests_for(mix: str, rng: random.Random, cookie: str, csrf: str, bearer: dict, ids) -> list[dict]:
    """The requests the users pick from; availability searches differ in every field."""
    api = [{"method": "GET", "path": "/api/v1/availability?" + urllib.parse.urlencode(
        {**request_fields(rng), "limit": rng.randint(1, 5)}), "headers": bearer} for _ in range(200)]
    if mix == "availability":
        return api
    page = {"Cookie": cookie, "User-Agent": USER_AGENT}
    form = {**page, "Content-Type": "application/x-www-form-urlencoded"}
    bookings, invoices = ids
    pages = ["/", "/catalogue", "/bookings/", "/bookings/new", "/my/invoices/", "/company"]
    pages += [f"/bookings/{i}" for i in rng.sample(bookings, min(20, len(bookings)))]
    pages += [f"/my/invoices/{i}" for i in rng.sample(invoices, min(10, len(invoices)))]
    browse = [{"method": "GET", "path": path, "headers": page} for path in pages]
    searches = [{"method": "POST", "path": "/bookings/new", "headers": form,
                 "body": search_form(request_fields(rng), csrf)} for _ in range(100)]
    return browse * 4 + searches + api[:len(searches)]  # about 60 % browsing, 40 % searching


def lua_table(requests: list[dict]) -> str:
    def lua(value) -> str:
        if isinstance(value, dict):
            return "{" + ", ".join(f"[{lua(k)}] = {lua(v)}" for k, v in value.items()) + "}"
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid Lua string here
    return "REQUESTS = {\n" + ",\n".join(lua(r) for r in requests) + "\n}\n"


def run_wrk(port: int, scenario: str, requests: list[dict], seconds: int, tmp: Path) -> dict:
    connections, think_min, think_max, _, _ = SCENARIOS[scenario]
    script = tmp / f"{scenario}.lua"
    script.write_text(lua_table(requests), encoding="utf-8")
    env = {**os.environ, "LOAD_REQUESTS": str(script), "THINK_MIN_MS": str(think_min),
           "THINK_MAX_MS": str(think_max)}
    out = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
                          "-s", str(LUA), f"http://127.0.0.1:{port}"], env=env, capture_output=True, text=True,
                         check=True).stdout
    line = next(l for l in out.splitlines() if l.startswith("RESULT "))
    return dict(part.split("=", 1) for part in line.split()[1:])


def bench_database(kind: str, args) -> list[Result]:
    with busy_plant(kind) as (tmp, url, env, allocations):
        print(f"[{kind}] {allocations} active allocations", flush=True)
        ids = customer_ids(url)
        results = []
        with gunicorn(env, tmp) as port:
            cookie, csrf = signed_in_session(port)
            bearer = token(port)
            for scenario in args.scenarios.split(","):
                rng = random.Random(args.seed)
                requests = requests_for(SCENARIOS[scenario][3], rng, cookie, csrf, bearer, ids)
                run_wrk(port, scenario, requests[:40], 5, tmp)  # warm both workers and their plan caches
                fields = run_wrk(port, scenario, requests, args.seconds, tmp)
                results.append(Result(kind, scenario, fields))
                print(f"[{kind}] {scenario}: {fields}", flush=True)
        return results


def report(results: list[Result], command: str) -> str:
    lines = ["# Load: customer pages and availability search under wrk", "",
             (f"Command: `{command}` (run {datetime.now(TZ):%Y-%m-%d %H:%M} plant time, {os.cpu_count()} CPUs, "
              "gunicorn 2 sync workers and wrk -t 2 on the same machine, 127.0.0.1)."), "",
             ("| database | scenario | users | think | requests | req/s | p50 ms | p95 ms | p99 ms | max ms "
              "| not 200 / socket errors | target p95 | met |"),
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in results:
        connections, think_min, think_max, _, target = SCENARIOS[r.scenario]
        f = r.fields
        rate = int(f["requests"]) / float(f["seconds"])
        think = f"{think_min / 1000:g}–{think_max / 1000:g} s" if think_max else "none"
        met = {True: "yes", False: "**no**", None: "—"}[r.passed()]
        lines.append(f"| {r.database} | {r.scenario} | {connections} | {think} | {f['requests']} | {rate:.0f} "
                     f"| {f['p50_ms']} | {f['p95_ms']} | {f['p99_ms']} | {f['max_ms']} | {r.failures()} "
                     f"| {target or '—'} | {met} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", help="also write the report (Markdown) to this file")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
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
