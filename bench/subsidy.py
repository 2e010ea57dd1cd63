"""Subsidy benchmarks: the claim with its dossier (500 and 2,000 invoices: frozen, PDF, XLSX) and the live eligible
revenue (100,000 lines).

    python -m bench.subsidy            # everything
    python -m bench.subsidy pdf        # claim PDFs only (one child process per size, peak RSS measured)
    python -m bench.subsidy revenue    # eligible revenue on SQLite and on a throwaway PostgreSQL database

Seeded data: 50 customers (2 affiliated); each invoice has 5 lines (4 service, 1 material), is issued in
the measured year 2026 and mostly paid; 5 % of invoices get a credit note; 2025 holds a quarter as many
invoices again (outside the year). 100,000 invoice lines are 20,000 invoices in 2026.
"""

import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, text, update

from app import create_app
from app.models import Company, Invoice, InvoiceLine, Payment
from app.platform.db import db_session
from bench.databases import throwaway_database
from tests.factories import valid_uscc

YEAR = 2026
PDF_SIZES = {500: 3.0, 2000: 8.0}  # the claim with its dossier: frozen, PDF rendered, XLSX written (issue 18: ≤ 10 s)
LINES_PER_INVOICE = 5
REVENUE_LINES = 100_000
REVENUE_LIMIT_S = 0.200
RSS_LIMIT_MB = 600


def make_app(url: str):
    """An app on `url`, migrated to head."""
    from alembic import command

    from app.ops.cli import alembic_config

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "PUBLIC_BASE_URL": "https://pilot.example.cn"})
    with app.app_context():
        command.upgrade(alembic_config(), "head")
    return app


def seed(app, invoices: int, seed_value: int = 7) -> None:
    """`invoices` invoices in YEAR (plus a quarter as many in YEAR - 1), lines, payments and credit notes."""
    rng = random.Random(seed_value)
    with app.extensions["engine"].begin() as conn:
        conn.execute(
            insert(Company),
            [
                {
                    "id": n,
                    "name": f"基准客户{n:02d}有限公司",
                    "uscc": valid_uscc(50_000 + n),
                    "contact_name": "联系人",
                    "email": f"bench{n}@example.com",
                    "is_affiliated": n <= 2,
                    "created_at": datetime.now(UTC),
                }
                for n in range(1, 51)
            ],
        )
        docs, lines, payments = _invoices(rng, invoices, YEAR, 1), [], []
        docs += _invoices(rng, invoices // 4, YEAR - 1, len(docs) + 1)
        for doc in docs:
            lines += _lines(rng, doc)
            if rng.random() < 0.8:
                payments.append(
                    {
                        "invoice_id": doc["id"],
                        "amount": doc["total"],
                        "received_on": doc["issued_on"] + timedelta(days=30),
                        "created_at": datetime.now(UTC),
                    }
                )
        conn.execute(insert(Invoice), docs)
        conn.execute(insert(InvoiceLine), lines)
        conn.execute(update(Invoice).where(Invoice.status == "draft").values(status="issued"))
        conn.execute(insert(Payment), payments)
        conn.execute(insert(Invoice), _credit_notes(rng, docs[:invoices], len(docs) + 1))


def _invoices(rng: random.Random, count: int, year: int, first_id: int) -> list[dict]:
    rows = []
    for k in range(count):
        issued_on = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        service = Decimal(rng.randrange(100_000, 2_000_000)) / 100
        goods = Decimal(rng.randrange(0, 200_000)) / 100
        rows.append(_document(first_id + k, f"PP-{year}-{k + 1:05d}", rng.randint(1, 50), issued_on, service, goods))
    return rows


def _document(
    doc_id: int,
    number: str,
    company: int,
    issued_on: date,
    service: Decimal,
    goods: Decimal,
    credited: int | None = None,
) -> dict:
    tax = ((service + goods) * Decimal("0.06")).quantize(Decimal("0.01"))
    return {
        "id": doc_id,
        "kind": "credit_note" if credited else "invoice",
        "status": "issued" if credited else "draft",
        "number": number,
        "company_id": company,
        "credited_invoice_id": credited,
        "subtotal": service + goods,
        "service_subtotal": service,
        "tax": tax,
        "total": service + goods + tax,
        "fapiao_number": f"2611{doc_id:016d}",
        "issued_at": datetime(issued_on.year, issued_on.month, issued_on.day, 2, tzinfo=UTC),
        "issued_on": issued_on,
        "customer_name": f"基准客户{company:02d}有限公司",
        "customer_uscc": valid_uscc(50_000 + company),
        "created_at": datetime.now(UTC),
    }


def _lines(rng: random.Random, doc: dict) -> list[dict]:
    """Four service lines summing to the service subtotal and one material line (not service)."""
    cuts = sorted(rng.randrange(1, int(doc["service_subtotal"] * 100)) for _ in range(3))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, int(doc["service_subtotal"] * 100)], strict=True)]
    goods = doc["subtotal"] - doc["service_subtotal"]
    amounts = [(Decimal(p) / 100, True) for p in parts] + [(goods, False)]
    return [
        {
            "invoice_id": doc["id"],
            "position": i,
            "description": "发酵服务" if is_service else "培养基（代购）",
            "quantity": Decimal(1),
            "unit": "项",
            "unit_price": amount,
            "tax_rate": Decimal("0.06"),
            "is_service": is_service,
            "amount": amount,
        }
        for i, (amount, is_service) in enumerate(amounts)
    ]


def _credit_notes(rng: random.Random, invoices: list[dict], first_id: int) -> list[dict]:
    notes = []
    for k, doc in enumerate(rng.sample(invoices, len(invoices) // 20)):
        share = Decimal(rng.choice((1, 1, 2, 4)))
        on = min(doc["issued_on"] + timedelta(days=rng.randint(1, 60)), date(YEAR, 12, 31))
        note = _document(
            first_id + k,
            f"CN-{YEAR}-{k + 1:05d}",
            doc["company_id"],
            on,
            -(doc["service_subtotal"] / share).quantize(Decimal("0.01")),
            Decimal(0),
            doc["id"],
        )
        notes.append(note)
    return notes


def median_seconds(action, runs: int = 7, clock=time.perf_counter) -> float:
    times = []
    for _ in range(runs):
        start = clock()
        action()
        times.append(clock() - start)
    return statistics.median(times)


def pdf_child(invoices: int) -> dict:
    """In a fresh process: seed, make the claim, render its PDF; time both and report the peak RSS."""
    from app.documents.claim_dossier import dossier_xlsx
    from app.documents.claim_pdf import claim_pdf
    from app.platform.context import current_context
    from app.services.subsidies.subsidy_claims import create_claim

    with tempfile.TemporaryDirectory() as folder:
        app = make_app(f"sqlite:///{folder}/bench.db")
        seed(app, invoices)
        with app.test_request_context(base_url=app.config["PUBLIC_BASE_URL"]):
            session = db_session()
            start = time.perf_counter()
            claim = create_claim(session, None, YEAR, current_context())
            session.commit()
            made = time.perf_counter() - start
            renders, cpu = [], []
            for _ in range(3):
                start, start_cpu = time.perf_counter(), time.process_time()
                pdf = claim_pdf(claim, False)
                renders.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
            start = time.perf_counter()
            workbook = dossier_xlsx(claim)
            dossier = time.perf_counter() - start
        app.extensions["engine"].dispose()
    return {
        "invoices": invoices,
        "documents": claim.invoice_count,
        "create_s": round(made, 3),
        "render_median_s": round(statistics.median(renders), 3),
        "render_cpu_median_s": round(statistics.median(cpu), 3),
        "pdf_kb": len(pdf) // 1024,
        "dossier_xlsx_s": round(dossier, 3),
        "xlsx_kb": len(workbook) // 1024,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def run_pdf() -> list[dict]:
    results = []
    for size, limit in PDF_SIZES.items():
        child = subprocess.run(
            [sys.executable, "-m", "bench.subsidy", "pdf-child", str(size)], capture_output=True, text=True, check=True
        )
        result = json.loads(child.stdout.strip().splitlines()[-1])
        result["limit_s"] = limit
        seconds = result["create_s"] + result["render_median_s"] + result["dossier_xlsx_s"]
        result["ok"] = seconds <= limit and result["peak_rss_mb"] <= RSS_LIMIT_MB
        results.append(result)
        print("claim PDF:", result, flush=True)
    return results


def revenue_on(url: str, label: str) -> dict:
    from app.services.subsidies import subsidy

    app = make_app(url)
    start = time.perf_counter()
    seed(app, REVENUE_LINES // LINES_PER_INVOICE)
    with app.extensions["engine"].begin() as conn:  # statistics, as autovacuum (PostgreSQL) or PRAGMA optimize keep
        conn.execute(text("ANALYZE"))
    seeded = time.perf_counter() - start
    with app.app_context():

        def live():
            summary = subsidy.live_summary(db_session(), YEAR)
            db_session().rollback()
            return summary

        summary = live()
        seconds = median_seconds(live, runs=9)
        cpu = median_seconds(live, runs=9, clock=time.process_time)
    app.extensions["engine"].dispose()
    result = {
        "database": label,
        "invoice_lines": REVENUE_LINES,
        "invoices_in_year": REVENUE_LINES // LINES_PER_INVOICE,
        "eligible_revenue": str(summary.eligible_revenue),
        "amount": str(summary.amount),
        "median_ms": round(seconds * 1000, 1),
        "median_cpu_ms": round(cpu * 1000, 1),
        "seed_s": round(seeded, 1),
        "ok": seconds <= REVENUE_LIMIT_S,
    }
    print("eligible revenue:", result, flush=True)
    return result


def run_revenue() -> list[dict]:
    results = []
    for kind, label in (("sqlite", "SQLite (file, WAL)"), ("postgresql", "PostgreSQL")):
        with tempfile.TemporaryDirectory() as folder, throwaway_database(kind, Path(folder), "bench_subsidy") as url:
            results.append(revenue_on(url, label))
    return results


def main(args: list[str]) -> None:
    if args[:1] == ["pdf-child"]:
        print(json.dumps(pdf_child(int(args[1]))))
        return
    if not args or "pdf" in args:
        run_pdf()
    if not args or "revenue" in args:
        run_revenue()


if __name__ == "__main__":
    main(sys.argv[1:])
