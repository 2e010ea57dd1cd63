"""数电票 batch export: 500 issued invoices (5 lines each) written in the tax platform's template.

    python -m bench.etax

Seeded as bench.subsidy seeds its year; the goods lines get a stand-in leaf tax code (a setting in production).
Target: ≤ 2 s for the export of 500 invoices (query, checks and workbook).
"""

import statistics
import tempfile
import time
from datetime import date

from sqlalchemy import update

from app.documents.etax_files import etax_workbook
from app.models import Invoice
from app.platform.db import db_session
from app.services.finance import etax
from bench.subsidy import YEAR, make_app, seed

INVOICES = 500
LIMIT_S = 2.0
TAX_CODES = {"service": "3040105000000000000", "goods": "1070214990000000000"}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(f"sqlite:///{folder}/bench.db")
        seed(app, INVOICES)
        with app.extensions["engine"].begin() as conn:  # the year's invoices wait for their 数电票 numbers
            conn.execute(update(Invoice).where(Invoice.issued_on >= date(YEAR, 1, 1)).values(fapiao_number=None))
        with app.app_context():
            session = db_session()
            ids = [invoice.id for invoice in etax.waiting(session)]
            times = []
            for _ in range(5):
                start = time.perf_counter()
                workbook = etax_workbook(etax.export_data(session, ids, "ordinary", TAX_CODES))
                times.append(time.perf_counter() - start)
                session.rollback()
        app.extensions["engine"].dispose()
    median = statistics.median(times)
    print(
        {
            "invoices": len(ids),
            "median_s": round(median, 3),
            "max_s": round(max(times), 3),
            "xlsx_kb": len(workbook) // 1024,
            "limit_s": LIMIT_S,
            "ok": median <= LIMIT_S,
        }
    )


if __name__ == "__main__":
    main()
