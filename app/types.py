"""Column types: aware UTC datetimes and exact money stored as integer fen."""
from datetime import datetime, timezone
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
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Fen(TypeDecorator):
    """A Decimal amount of CNY in Python, an integer number of fen in the database."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect):
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError(f"money must be Decimal, not {type(value).__name__}")
        fen = value * 100
        if fen != fen.to_integral_value():
            raise ValueError(f"{value} is not a whole number of fen")
        return int(fen)

    def process_result_value(self, value: int | None, dialect):
        if value is None:
            return None
        return (Decimal(value) / 100).quantize(FEN)


class Milli(TypeDecorator):
    """An exact Decimal quantity (hours, tonnes, kWh, rates) stored as an integer of thousandths."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect):
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError(f"quantity must be Decimal, not {type(value).__name__}")
        milli = value * 1000
        if milli != milli.to_integral_value():
            raise ValueError(f"{value} has more than three decimals")
        return int(milli)

    def process_result_value(self, value: int | None, dialect):
        if value is None:
            return None
        return (Decimal(value) / 1000).normalize() + 0
