"""The batch record's forms: an entry (its kind picks the fields that count), a signature, an addendum."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, DecimalField, HiddenField, IntegerField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.platform.context import current_context
from app.platform.errors import ValidationFailed
from app.platform.timefmt import local_to_utc
from app.services.batch.batch_record import EntryInput
from app.services.batch.trend_files import number

SEVERITY_CHOICES = [
    SelectChoice("", "—"),
    SelectChoice("minor", _l("Minor")),
    SelectChoice("major", _l("Major")),
    SelectChoice("critical", _l("Critical")),
]
KIND_CHOICES = [
    SelectChoice("phase", _l("Phase")),
    SelectChoice("material", _l("Material")),
    SelectChoice("assay", _l("Assay column")),
    SelectChoice("sample", _l("Sample")),
    SelectChoice("deviation", _l("Deviation")),
]


class EntryForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=KIND_CHOICES)
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
    at = DateTimeLocalField(_l("Time"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    until = DateTimeLocalField(_l("Until"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    lot = StringField(_l("Lot"), validators=[Optional(), Length(max=100)])
    quantity = DecimalField(_l("Quantity"), places=3, validators=[Optional(), NumberRange(min=0)])
    unit = StringField(_l("Unit"), validators=[Optional(), Length(max=30)])
    values = StringField(_l("Values (column=value; …)"), validators=[Optional(), Length(max=2000)])
    impact = StringField(_l("Impact"), validators=[Optional(), Length(max=2000)])
    action = StringField(_l("Action taken"), validators=[Optional(), Length(max=2000)])
    severity = SelectField(_l("Severity"), choices=SEVERITY_CHOICES, validators=[Optional()])

    def entry(self) -> EntryInput:
        return EntryInput(
            kind=self.kind.data,
            name=self.name.data or "",
            at=self.at.data and local_to_utc(self.at.data, current_context().tz),
            until=self.until.data and local_to_utc(self.until.data, current_context().tz),
            lot=self.lot.data or "",
            quantity=self.quantity.data,
            unit=self.unit.data or "",
            values=sample_values(self.values.data or ""),
            impact=self.impact.data or "",
            action=self.action.data or "",
            severity=self.severity.data or "",
        )


class AddendumForm(EntryForm):
    supersedes = IntegerField(_l("Entry corrected (number; empty: an added entry)"), validators=[Optional()])
    reason = StringField(_l("Reason for the correction"), validators=[DataRequired(), Length(max=2000)])
    password = PasswordField(_l("Your password (signature)"), validators=[DataRequired(), Length(max=200)])


class SignatureForm(FlaskForm):
    meaning = HiddenField(validators=[DataRequired()])
    password = PasswordField(_l("Your password (signature)"), validators=[DataRequired(), Length(max=200)])


def sample_values(text: str) -> dict[str, float]:
    """'OD600=12.5; 残糖=3,2' as {'OD600': 12.5, '残糖': 3.2}; a malformed pair raises ValidationFailed."""
    values = {}
    for pair in (p for p in text.replace("；", ";").split(";") if p.strip()):
        name, _, raw = pair.partition("=")
        try:
            value = number(raw)
        except ValueError:
            value = None
        if not name.strip() or value is None:
            message = f"无法识别“{pair.strip()}”：应为“项目=数值”"
            raise ValidationFailed(message, {"values": message})
        values[name.strip()] = value
    return values


class AnswerForm(FlaskForm):
    comment = StringField(_l("Comment (required to dispute)"), validators=[Optional(), Length(max=2000)])
