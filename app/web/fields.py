"""Form fields for what people type: numbers that are finite and of a sane size, times in plausible years.
Every form takes its numbers and times from here, so a nonsense value is a field message, never a 500."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, DateTimeLocalField, DecimalField, FloatField
from wtforms.validators import ValidationError

from app.platform.context import current_context
from app.platform.numbers import sane
from app.platform.timefmt import FIRST_YEAR, LAST_YEAR, parse_iso

NOT_SANE = _l("Not a valid number.")
NOT_A_TIME = _l("Not a valid date and time.")
OUT_OF_RANGE = _l("Enter a date between %(first)s and %(last)s.", first=FIRST_YEAR, last=LAST_YEAR)


class NumberField(DecimalField):
    """A decimal number as typed (not rounded for display); NaN, infinities and absurd sizes are refused."""

    def __init__(self, label=None, validators=None, places=None, **kwargs):
        super().__init__(label, validators, places=places, **kwargs)

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not sane(self.data):
            raise ValueError(NOT_SANE)  # the value stays, so that DataRequired does not hide this message


class SaneFloatField(FloatField):
    """A float that is finite and of a sane size (FloatField alone takes "inf", "nan" and "1e308")."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not sane(self.data):
            raise ValueError(NOT_SANE)  # the value stays, so that DataRequired does not hide this message


class MomentField(DateTimeLocalField):
    """A plant-local date and time (minutes) in a plausible year."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format="%Y-%m-%dT%H:%M", **kwargs)

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        _refuse_implausible(self)


class DayField(DateField):
    """A date in a plausible year."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        _refuse_implausible(self)


def _refuse_implausible(field) -> None:
    if field.data is not None and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise ValueError(OUT_OF_RANGE)


def iso_moment(_form, field) -> None:
    """Validator: the text is an ISO 8601 time in a plausible year (e.g. a slot's start in a hidden field)."""
    if field.data:
        try:
            parse_iso(field.data, current_context().tz)
        except ValueError:
            raise ValidationError(NOT_A_TIME) from None
