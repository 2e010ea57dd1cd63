"""Request bodies and queries of the invoice endpoints (money is a string with at most two decimals)."""

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, model_validator

from app.models import InvoiceKind
from app.web.api.schemas import Day, Id, Moment, Strict, one_of

MoneyText = Annotated[str, Field(pattern=r"^-?[0-9]{1,12}(\.[0-9]{1,2})?$", examples=["1234.50"])]
Quantity = Annotated[Decimal, Field(gt=0, le=1_000_000, decimal_places=3)]
Rate = Annotated[Decimal, Field(ge=0, le=1, decimal_places=3, examples=["0.06"])]
Status = Literal["draft", "unpaid", "partly_paid", "paid", "overdue", "void", "credit_note"]


class LineIn(Strict):
    description: str = Field(min_length=1, max_length=300)
    quantity: Quantity
    unit: str = Field(default="", max_length=20)
    unit_price: MoneyText
    tax_rate: Rate = Decimal("0.06")
    is_service: bool = True
    discount: Rate = Decimal(0)


class InvoiceIn(Strict):
    """Either `booking_id` (from its actual usage) or `company_id` with free `lines`."""

    booking_id: Id | None = None
    company_id: Id | None = None
    lines: list[LineIn] | None = Field(default=None, min_length=1, max_length=200)
    reason: str = Field(
        default="",
        max_length=500,
        description="why a booking's usage the customer has not "
        "accepted is invoiced anyway (required then, and logged)",
    )

    @model_validator(mode="after")
    def _one_source(self):
        if (self.booking_id is None) == (self.company_id is None) or (self.company_id is None) != (self.lines is None):
            raise ValueError("give either booking_id, or company_id with lines")
        return self


class InvoicePatch(Strict):
    fapiao_number: str = Field(min_length=1, max_length=40)


class IssueIn(Strict):
    issued_at: Moment | None = None


class PaymentIn(Strict):
    amount: MoneyText
    received_on: Day
    reference: str = Field(default="", max_length=100)


class CreditLineIn(Strict):
    line_id: Id
    quantity: Quantity


class CreditNoteIn(Strict):
    reason: str = Field(min_length=1, max_length=500)
    lines: list[CreditLineIn] | None = Field(default=None, min_length=1, max_length=200)
    issued_at: Moment | None = None


class InvoiceQuery(Strict):
    status: Status | None = None
    company_id: Id | None = None
    year: int | None = Field(default=None, ge=2000, le=2100)
    kind: one_of(*InvoiceKind) | None = None
