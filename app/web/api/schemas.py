"""Request bodies and queries of the API, as pydantic models (they also feed the OpenAPI document)."""

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, EmailStr, Field

from app.models import AbortCause, BookingStatus, EntryKind, Meaning, Service, Stage
from app.models import Kind as EquipmentKind
from app.platform.timefmt import plausible
from app.services.booking.bookings import MAX_DURATION_H, MAX_VOLUME_L, MIN_DURATION_H
from app.services.plan.inventory import CODE_PATTERN


def one_of(*members: StrEnum) -> Any:
    """The model's values as a Literal: the OpenAPI document lists them inline, and only the model spells them."""
    return Literal[tuple(member.value for member in members)]


Kind = one_of(*EquipmentKind)
Fermentation = one_of(EquipmentKind.LIQUID, EquipmentKind.SOLID)
ServiceName = one_of(*Service)
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
Moment = Annotated[AwareDatetime, AfterValidator(plausible)]  # with an offset, in a plausible year
Day = Annotated[date, AfterValidator(plausible)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class TokenIn(Strict):
    email: EmailStr
    password: str = Field(min_length=1, max_length=200)


class CompanyIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    uscc: str = Field(min_length=18, max_length=18)
    contact_name: str = Field(min_length=1, max_length=100)
    email: EmailStr
    password: str = Field(min_length=1, max_length=200)
    phone: str = Field(default="", max_length=50)
    address: str = Field(default="", max_length=300)
    bank_name: str = Field(default="", max_length=200)
    bank_account: str = Field(default="", max_length=64)


class CompanyPatch(Strict):
    approved: bool | None = None  # true approves a newly registered company, false refuses it
    review_note: str | None = Field(default=None, max_length=500)
    is_affiliated: bool | None = None
    uscc: str | None = Field(default=None, min_length=18, max_length=18)
    uscc_override_reason: str | None = Field(default=None, max_length=500)
    phone: str | None = Field(default=None, max_length=50)
    address: str | None = Field(default=None, max_length=300)
    bank_name: str | None = Field(default=None, max_length=200)
    bank_account: str | None = Field(default=None, max_length=64)
    is_sme: bool | None = None
    sme_source: str | None = Field(default=None, max_length=200)
    sme_checked_on: date | None = None
    in_hohhot: bool | None = None


class EquipmentIn(Strict):
    code: str = Field(
        min_length=1,
        max_length=32,
        pattern=CODE_PATTERN.replace("A-Z", "A-Za-z"),
        description="upper-cased when stored",
    )
    name: str = Field(min_length=1, max_length=200)
    kind: Kind
    nominal_volume_l: float = Field(gt=0, allow_inf_nan=False)
    min_working_volume_l: float | None = Field(default=None, allow_inf_nan=False)
    max_working_volume_l: float | None = Field(default=None, allow_inf_nan=False)
    turnaround_h: float = Field(default=6.0, ge=0, le=240, allow_inf_nan=False)
    changeover_h: float = Field(default=0.0, ge=0, le=240, allow_inf_nan=False)
    biosafety_level: int = Field(default=1, ge=1, le=3)
    throughput_l_per_h: float | None = Field(default=None, allow_inf_nan=False)
    unit_type: str = Field(default="", max_length=50)
    description: str = Field(default="", max_length=2000)


class EquipmentQuery(Strict):
    kind: Kind | None = None


class MaintenanceIn(Strict):
    start: Moment
    end: Moment
    reason: str = Field(default="", max_length=300)


Volume = Field(gt=0, le=MAX_VOLUME_L, allow_inf_nan=False)
Hours = Field(ge=MIN_DURATION_H, le=MAX_DURATION_H, allow_inf_nan=False)


class ExtractionIn(Strict):
    unit_type: Literal["centrifuge", "membrane", "evaporator", "dryer"] | None = None
    equipment: str | None = Field(default=None, max_length=32)
    volume_l: float | None = Field(default=None, gt=0, le=1_000_000, allow_inf_nan=False)


class AvailabilityQuery(Strict):
    kind: Fermentation
    working_volume_l: float = Volume
    duration_h: float = Hours
    earliest_start: Moment
    latest_end: Moment
    limit: int = Field(default=5, ge=1, le=50)
    service: ServiceName = Service.SCALE_UP.value
    biosafety_level: int = Field(default=1, ge=1, le=3)
    organism_family: str = Field(default="", max_length=100)


class BookingIn(Strict):
    service: ServiceName
    kind: Fermentation
    working_volume_l: float = Volume
    duration_h: float = Hours
    earliest_start: Moment
    latest_end: Moment
    organism: str = Field(min_length=1, max_length=200)
    organism_family: str = Field(default="", max_length=100)
    biosafety_level: int = Field(default=1, ge=1, le=3)
    extraction: ExtractionIn | None = None
    notes: str = Field(default="", max_length=2000)
    equipment: str | None = Field(default=None, min_length=1, max_length=32)
    start: Moment | None = None


class BookingsQuery(Strict):
    status: Literal[tuple(s.value for s in BookingStatus)] | None = None  # the lifecycle's states, one owner


class ReasonIn(Strict):
    reason: str = Field(default="", max_length=500)


class MaterialIn(Strict):
    description: str = Field(min_length=1, max_length=200)
    quantity: Decimal = Field(gt=0, max_digits=12, decimal_places=3)
    unit: str = Field(default="", max_length=20)
    unit_cost: Decimal = Field(ge=0, max_digits=14, decimal_places=2)


class UsageIn(Strict):
    steam_t: Decimal = Field(default=Decimal(0), ge=0, max_digits=12, decimal_places=3)
    power_kwh: Decimal = Field(default=Decimal(0), ge=0, max_digits=12, decimal_places=3)
    operator_h: Decimal = Field(default=Decimal(0), ge=0, max_digits=12, decimal_places=3)
    samples: int = Field(default=0, ge=0, le=100_000)


class CompleteIn(Strict):
    actual_start: Moment
    actual_end: Moment
    usage: UsageIn = UsageIn()
    materials: list[MaterialIn] = Field(default_factory=list, max_length=100)


class OptimizeIn(Strict):
    time_limit_s: float = Field(default=10, gt=0, le=120, allow_inf_nan=False)


class StageIn(Strict):
    stage: one_of(*Stage)
    equipment: str = Field(min_length=1, max_length=32)
    start: Moment
    end: Moment


class MoveIn(Strict):
    booking_id: Id
    stages: list[StageIn] = Field(min_length=1, max_length=3)


class ApplyIn(Strict):
    moves: list[MoveIn] = Field(min_length=1, max_length=2000)
    plan_version: int | None = Field(default=None, ge=0, description="the repair preview's; a stale one gets 409")
    job: Id | None = None  # the optimiser job whose proposal this is: applied once, a second time 409


class StartIn(Strict):
    here: bool = Field(default=False, description="start now on the booking's vessels, re-placing it")


class ExtendIn(Strict):
    expected_end: AwareDatetime
    reason: str = Field(min_length=1, max_length=500)


class AbortIn(Strict):
    cause: one_of(*AbortCause)
    reason: str = Field(min_length=1, max_length=500)
    usage: UsageIn = UsageIn()
    rerun: bool = Field(default=False, description="put a priority re-run request on the waiting list")


class PriorityIn(Strict):
    priority: int = Field(ge=0, le=1000, description="higher is offered first")


class RepairIn(Strict):
    time_limit_s: float = Field(default=2, gt=0, le=60, allow_inf_nan=False)


class ProcessDataUpload(BaseModel):
    """multipart/form-data: the control system's export and, optionally, its mapping as JSON."""

    file: bytes = Field(json_schema_extra={"format": "binary"})
    mapping: str | None = Field(
        default=None,
        description='JSON {"time_column","time_format"?,"timezone"?,'
        '"tags":{"<column>":{"name","unit"}}}; without it the vessel\'s saved mapping',
    )


class ProcessDataQuery(Strict):
    tags: str | None = Field(default=None, max_length=2000, description="tag names, comma-separated")
    start: AwareDatetime | None = None
    end: AwareDatetime | None = None
    max_points: int = Field(default=1000, ge=2, le=100_000)


class EntryIn(Strict):
    """A batch-record entry; which fields count depends on the kind (see the batch record's rules)."""

    kind: one_of(*EntryKind)
    name: str = Field(default="", max_length=200, description="phase, material, assay column or what happened")
    at: AwareDatetime | None = None
    until: AwareDatetime | None = None
    lot: str = Field(default="", max_length=100)
    quantity: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=3)
    unit: str = Field(default="", max_length=30)
    values: dict[Annotated[str, Field(max_length=100)], Annotated[float, Field(allow_inf_nan=False)]] = Field(
        default_factory=dict, max_length=50, description="a sample's assay values by column"
    )
    impact: str = Field(default="", max_length=2000)
    action: str = Field(default="", max_length=2000)
    severity: Literal["", "minor", "major", "critical"] = ""


class SignatureIn(Strict):
    meaning: one_of(Meaning.SIGNOFF, Meaning.REVIEW)
    password: str = Field(min_length=1, max_length=200, description="the signer's password, again")


class AddendumIn(Strict):
    entry: EntryIn
    supersedes: Id | None = Field(default=None, description="the entry this one corrects (none: an added entry)")
    reason: str = Field(min_length=1, max_length=2000)
    password: str = Field(min_length=1, max_length=200)


class AcceptanceIn(Strict):
    accept: bool | None = Field(
        default=None,
        description="true: accept the batch and its usage; false: dispute them (comment required); required",
    )
    comment: str = Field(default="", max_length=2000)
