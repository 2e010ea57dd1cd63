"""Invoice PDF benchmark: the first render in a fresh process and the warm median.

    python -m bench.invoice_pdf            # 20 warm renders
    python -m bench.invoice_pdf 50         # 50 warm renders

Seeded data: one customer, one issued invoice drafted from a completed 30 h batch on a 100 L fermenter
(vessel, CIP/SIP, operator, steam, power, analyses, two materials and the handling fee: 9 lines) plus
3 free lines, with one payment — a realistic one-page invoice. Targets: first render ≤ 1 s, warm
median ≤ 0.2 s. Start-up (imports, app, migrations, seeding) is reported separately.
"""

import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

STARTED = time.perf_counter()

from app import create_app  # noqa: E402
from app.documents.invoice_pdf import invoice_pdf  # noqa: E402
from app.models import Invoice  # noqa: E402
from app.platform.context import current_context  # noqa: E402
from app.platform.db import db_session  # noqa: E402
from app.services.access import accounts, registration  # noqa: E402
from app.services.access.passwords import new_password  # noqa: E402
from app.services.finance import draft_lines, invoice_issue, invoices, payments, price_lists  # noqa: E402
from app.services.plan import inventory  # noqa: E402
from tests.app.billing_data import make_booking  # noqa: E402
from tests.factories import valid_uscc  # noqa: E402

FIRST_LIMIT_S, WARM_LIMIT_S = 1.0, 0.2


def make_app(url: str):
    from alembic import command

    from app.ops.cli import alembic_config

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    with app.app_context():
        command.upgrade(alembic_config(), "head")
    return app


FREE_LINES = (("工艺放大方案设计", "5000.00"), ("批记录整理及报告", "1200.00"), ("加急排产服务", "800.00"))


def seed(app) -> int:
    """The issued, partly paid invoice to render; returns its id."""
    with app.app_context():
        session = db_session()
        price_lists.ensure_default_price_list(session)
        inventory.add_equipment(session, None, inventory.EquipmentFields("LF100-1", "100 L", "liquid", 100))
        company = registration.register_approved(
            session,
            registration.CompanyDetails(
                "内蒙古蒙元生物科技有限公司",
                valid_uscc(1),
                "王磊",
                "bench@example.com",
                "0471-6600000",
                "内蒙古自治区呼和浩特市和林格尔新区",
                "中国银行呼和浩特分行",
                "1502 0000 0000 0000",
            ),
            "bench-2026",
            datetime.now(UTC),
        )
        accounts.create_user(
            session, None, "finance@example.com", "finance", new_password("bench-2026"), verified_at=datetime.now(UTC)
        )
        session.commit()
        company_id = company.id
    booking_id = make_booking(
        app,
        company_id,
        vessel="LF100-1",
        start=datetime.now(UTC) - timedelta(days=10),
        usage={"operator_h": Decimal(6), "steam_t": Decimal("0.2"), "power_kwh": Decimal(80), "samples": 3},
        materials=[("葡萄糖", "25", "kg", "6.00"), ("酵母浸粉", "2.5", "kg", "85.00")],
    )
    with app.app_context():
        session = db_session()
        clerk = accounts.user_by_email(session, "finance@example.com")
        invoice = invoices.draft_from_booking(session, clerk, booking_id, current_context(), reason="基准测试数据")
        for description, price in FREE_LINES:
            draft_lines.add_line(
                session, clerk, invoice, draft_lines.LineFields(description, Decimal(1), "项", Decimal(price))
            )
        invoice_issue.issue_invoice(session, clerk, invoice.id, None, current_context())
        payments.record_payment(
            session, clerk, invoice.id, Decimal("5000.00"), invoice.issued_on, "网银", invoice.issued_on
        )
        session.commit()
        return invoice.id


def render(app, invoice_id: int) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one render (CPU time shows what a busy machine hides)."""
    with app.test_request_context():
        session = db_session()
        invoice = session.get(Invoice, invoice_id)
        wall, cpu = time.perf_counter(), time.process_time()
        invoice_pdf(invoice, invoice.issued_on)
        return time.perf_counter() - wall, time.process_time() - cpu


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(f"sqlite:///{Path(folder) / 'bench.db'}")
        invoice_id = seed(app)
        startup = time.perf_counter() - STARTED
        first = render(app, invoice_id)
        warm = [render(app, invoice_id) for _ in range(runs)]
        app.extensions["engine"].dispose()
    median = statistics.median(wall for wall, _ in warm)
    cpu_median = statistics.median(cpu for _, cpu in warm)
    print(f"start-up (imports, app, migrations, seed): {startup:.3f} s")
    print(f"first render (fresh process): {first[0]:.3f} s wall, {first[1]:.3f} s CPU   (limit {FIRST_LIMIT_S} s)")
    print(f"warm median of {runs}: {median:.3f} s wall, {cpu_median:.3f} s CPU   (limit {WARM_LIMIT_S} s)")
    if first[0] > FIRST_LIMIT_S or median > WARM_LIMIT_S:
        sys.exit("invoice PDF benchmark: over the limit (is the machine busy? compare the CPU figures)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
