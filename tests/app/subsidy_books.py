"""Issued invoices, credit notes and payments inserted as rows (independent of the invoicing services)."""

import itertools
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from app.models import Company, Invoice, InvoiceKind, InvoiceStatus, Payment

VAT = Decimal("0.06")


class Books:
    """Writes ledger rows straight into the database of `engine`, each call in its own transaction."""

    def __init__(self, engine):
        self.engine = engine
        self.serial = itertools.count(1)

    def _add(self, row):
        with Session(self.engine) as session:
            session.add(row)
            session.commit()
            return row.id

    def invoice(
        self,
        company_id: int,
        issued_on: date,
        service: str,
        goods: str = "0",
        fapiao: str | None = None,
        number: str | None = None,
    ) -> int:
        """An issued invoice of `service` (tax-exclusive service lines) plus `goods` (not service)."""
        service_amount, goods_amount = Decimal(service), Decimal(goods)
        subtotal = service_amount + goods_amount
        tax = (subtotal * VAT).quantize(Decimal("0.01"))
        number = number or f"PP-{issued_on.year}-{next(self.serial):05d}"
        return self._add(
            self._document(
                company_id, number, issued_on, InvoiceKind.INVOICE, None, subtotal, service_amount, tax, fapiao
            )
        )

    def credit(self, invoice_id: int, issued_on: date, service: str | None = None) -> int:
        """A credit note of the whole invoice, or of `service` of its service amount."""
        with Session(self.engine) as session:
            original = session.get(Invoice, invoice_id)
            company_id, total = original.company_id, original.total
            full = service is None
            service_amount = original.service_subtotal if full else Decimal(service)
            subtotal = original.subtotal if full else service_amount
            tax = original.tax if full else (subtotal * VAT).quantize(Decimal("0.01"))
        number = f"CN-{issued_on.year}-{next(self.serial):05d}"
        row = self._document(
            company_id, number, issued_on, InvoiceKind.CREDIT_NOTE, invoice_id, -subtotal, -service_amount, -tax, None
        )
        if full:
            row.total = -total
        return self._add(row)

    def pay(self, invoice_id: int, amount: str, received_on: date) -> None:
        self._add(Payment(invoice_id=invoice_id, amount=Decimal(amount), received_on=received_on))

    def _document(self, company_id, number, issued_on, kind, credited_id, subtotal, service, tax, fapiao) -> Invoice:
        with Session(self.engine) as session:
            company = session.get(Company, company_id)
            name, uscc = company.name, company.uscc
        return Invoice(
            kind=kind,
            status=InvoiceStatus.ISSUED,
            number=number,
            company_id=company_id,
            credited_invoice_id=credited_id,
            subtotal=subtotal,
            tax=tax,
            total=subtotal + tax,
            service_subtotal=service,
            issued_at=datetime(issued_on.year, issued_on.month, issued_on.day, 2, tzinfo=UTC),
            issued_on=issued_on,
            fapiao_number=fapiao,
            customer_name=name,
            customer_uscc=uscc,
        )


@pytest.fixture
def books(app) -> Books:
    return Books(app.extensions["engine"])
