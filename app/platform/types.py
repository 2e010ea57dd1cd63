"""Column types: aware UTC datetimes and exact money stored as integer fen."""

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, DateTime
from sqlalchemy.types import TypeDecorator

FEN = Decimal("0.01")


class UTCDateTime(TypeDecorator):
    """Accepts only aware datetimes, stores UTC, gives back aware UTC on every database."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: times are aware UTC inside")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class ScaledDecimal(TypeDecorator):
    """An exact Decimal in Python, an integer count of 1/`scale` units in the database."""

    impl = BigInteger
    cache_ok = True
    scale = 1
    what = "value"  # named in the error messages
    unit = "unit"

    def process_bind_param(self, value: Decimal | None, dialect):
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError(f"{self.what} must be Decimal, not {type(value).__name__}")
        scaled = value * self.scale
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} is not a whole number of {self.unit}")
        return int(scaled)


class Fen(ScaledDecimal):
    """A Decimal amount of CNY in Python, an integer number of fen in the database."""

    scale, what, unit = 100, "money", "fen"
    cache_ok = True

    def process_result_value(self, value: int | None, dialect):
        return None if value is None else (Decimal(value) / self.scale).quantize(FEN)


class Milli(ScaledDecimal):
    """An exact Decimal quantity (hours, tonnes, kWh, rates) stored as an integer of thousandths."""

    scale, what, unit = 1000, "quantity", "thousandths"
    cache_ok = True

    def process_result_value(self, value: int | None, dialect):
        return None if value is None else (Decimal(value) / self.scale).normalize() + 0
