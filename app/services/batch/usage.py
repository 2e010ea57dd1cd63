"""What a batch records using besides its vessel time — steam, power, operator hours, samples analysed: one
definition for completing and for aborting a batch (the fields are the booking's columns and the API's)."""

from dataclasses import dataclass, fields
from decimal import Decimal


@dataclass(frozen=True, kw_only=True)
class RecordedUsage:
    steam_t: Decimal = Decimal(0)
    power_kwh: Decimal = Decimal(0)
    operator_h: Decimal = Decimal(0)
    samples: int = 0

    def negative(self) -> list[str]:
        """The names of the quantities below zero."""
        return [f.name for f in fields(RecordedUsage) if getattr(self, f.name) < 0]

    def recorded(self) -> dict:
        """The quantities by name (as the booking stores them)."""
        return {f.name: getattr(self, f.name) for f in fields(RecordedUsage)}
