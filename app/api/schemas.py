"""Request bodies and queries of the API, as pydantic models (they also feed the OpenAPI document)."""
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, EmailStr, Field

Kind = Literal["liquid", "solid", "downstream"]


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
    is_affiliated: bool | None = None
    uscc: str | None = Field(default=None, min_length=18, max_length=18)
    uscc_override_reason: str | None = Field(default=None, max_length=500)
    phone: str | None = Field(default=None, max_length=50)
    address: str | None = Field(default=None, max_length=300)
    bank_name: str | None = Field(default=None, max_length=200)
    bank_account: str | None = Field(default=None, max_length=64)


class EquipmentIn(Strict):
    code: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_.-]+$")
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
    start: AwareDatetime
    end: AwareDatetime
    reason: str = Field(default="", max_length=300)

