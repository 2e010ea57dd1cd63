"""Forms check shape only (required, types, lengths); services and the core check the rules."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from app.documents import labels
from app.web.fields import DayField, MomentField, NumberField, SaneFloatField, iso_moment

KIND_CHOICES = [
    SelectChoice("liquid", _l("Liquid fermenter")),
    SelectChoice("solid", _l("Solid-state fermenter")),
    SelectChoice("downstream", _l("Downstream unit")),
]


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class RegisterCompanyForm(FlaskForm):
    name = StringField(_l("Company name"), validators=[DataRequired(), Length(max=200)])
    uscc = StringField(_l("Unified social credit code"), validators=[DataRequired(), Length(min=18, max=18)])
    contact_name = StringField(_l("Contact person"), validators=[DataRequired(), Length(max=100)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=50)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    bank_name = StringField(_l("Bank"), validators=[Optional(), Length(max=200)])
    bank_account = StringField(_l("Bank account"), validators=[Optional(), Length(max=64)])


class ConfirmEmailForm(FlaskForm):
    """One click that confirms a mailed link (CSRF-checked like every form)."""


class PasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])


class InviteForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])


class EquipmentForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=KIND_CHOICES)
    unit_type = StringField(_l("Unit type"), validators=[Optional(), Length(max=50)])
    nominal_volume_l = SaneFloatField(_l("Nominal volume (L)"), validators=[DataRequired()])
    min_working_volume_l = SaneFloatField(_l("Min working volume (L)"), validators=[Optional()])
    max_working_volume_l = SaneFloatField(_l("Max working volume (L)"), validators=[Optional()])
    throughput_l_per_h = SaneFloatField(_l("Throughput (L/h)"), validators=[Optional()])
    turnaround_h = SaneFloatField(_l("Turnaround (h)"), default=6.0, validators=[Optional()])
    changeover_h = SaneFloatField(_l("Changeover (h)"), default=0.0, validators=[Optional()])
    biosafety_level = IntegerField(_l("Biosafety level"), default=1, validators=[NumberRange(min=1, max=3)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])


class MaintenanceForm(FlaskForm):
    start = MomentField(_l("Start"), validators=[DataRequired()])
    end = MomentField(_l("End"), validators=[DataRequired()])
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=300)])


class CompanyAdminForm(FlaskForm):
    is_affiliated = BooleanField(_l("Affiliated / internal"))
    is_sme = BooleanField(_l("Small or medium enterprise"))
    sme_source = StringField(_l("Source of the SME status"), validators=[Optional(), Length(max=200)])
    sme_checked_on = DayField(_l("SME status checked on"), validators=[Optional()])
    in_hohhot = BooleanField(_l("Located in Hohhot"))
    uscc = StringField(_l("Unified social credit code"), validators=[Optional(), Length(min=18, max=18)])
    override_reason = StringField(_l("Reason for overriding the check digit"), validators=[Optional()])


class ReviewForm(FlaskForm):
    decision = SelectField(
        _l("Decision"), choices=[SelectChoice("approve", _l("Approve")), SelectChoice("refuse", _l("Refuse"))]
    )
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])


class SubsidyPolicyForm(FlaskForm):
    rate = StringField(_l("Subsidy rate (0.30 means 30 percent)"), validators=[DataRequired(), Length(max=10)])
    cap = StringField(_l("Cap (CNY)"), validators=[DataRequired(), Length(max=20)])
    basis = SelectField(
        _l("Revenue counted by"),
        choices=[
            SelectChoice("invoiced", _l("Issue date of the invoice")),
            SelectChoice("paid", _l("Date the invoice was paid")),
        ],
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])


SERVICE_CHOICES = [SelectChoice(service.value, label) for service, label in labels.SERVICE.items()]
FERMENTATION_CHOICES = [
    SelectChoice("liquid", _l("Liquid fermentation")),
    SelectChoice("solid", _l("Solid-state fermentation")),
]
UNIT_CHOICES = [
    SelectChoice("", _l("No downstream stage")),
    SelectChoice("centrifuge", _l("Centrifuge")),
    SelectChoice("membrane", _l("Membrane filtration")),
    SelectChoice("evaporator", _l("Evaporator")),
    SelectChoice("dryer", _l("Spray dryer")),
]


class BookingForm(FlaskForm):
    service = SelectField(_l("Service"), choices=SERVICE_CHOICES)
    kind = SelectField(_l("Fermentation"), choices=FERMENTATION_CHOICES)
    working_volume_l = SaneFloatField(_l("Working volume (L)"), validators=[DataRequired()])
    duration_h = SaneFloatField(_l("Duration (h)"), validators=[DataRequired()])
    earliest_start = MomentField(_l("Earliest start"), validators=[DataRequired()])
    latest_end = MomentField(_l("Latest end"), validators=[DataRequired()])
    organism = StringField(_l("Organism"), validators=[DataRequired(), Length(max=200)])
    organism_family = StringField(_l("Organism family"), validators=[Optional(), Length(max=100)])
    biosafety_level = IntegerField(_l("Biosafety level"), default=1, validators=[NumberRange(min=1, max=3)])
    extraction_unit = SelectField(_l("Downstream stage"), choices=UNIT_CHOICES, validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])
    equipment = StringField(validators=[Optional(), Length(max=32)])
    start = StringField(validators=[Optional(), Length(max=40), iso_moment])


class ReasonForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)])


class UsageForm(FlaskForm):
    steam_t = NumberField(_l("Steam (t)"), places=3, default=0, validators=[Optional(), NumberRange(min=0)])
    power_kwh = NumberField(_l("Power (kWh)"), places=3, default=0, validators=[Optional(), NumberRange(min=0)])
    operator_h = NumberField(_l("Operator hours"), places=3, default=0, validators=[Optional(), NumberRange(min=0)])
    samples = IntegerField(_l("Samples analysed"), default=0, validators=[Optional(), NumberRange(min=0, max=100_000)])


class CompleteForm(UsageForm):
    actual_start = MomentField(_l("Actual start"), validators=[DataRequired()])
    actual_end = MomentField(_l("Actual end"), validators=[DataRequired()])
    material = StringField(_l("Material"), validators=[Optional(), Length(max=200)])
    material_quantity = NumberField(_l("Quantity"), places=3, validators=[Optional(), NumberRange(min=0)])
    material_unit = StringField(_l("Unit"), validators=[Optional(), Length(max=20)])
    material_unit_cost = NumberField(_l("Unit cost (CNY)"), places=2, validators=[Optional(), NumberRange(min=0)])


class ExtendForm(FlaskForm):
    expected_end = MomentField(_l("New expected end"), validators=[DataRequired()])
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])


class AbortForm(UsageForm):
    cause = SelectField(
        _l("Cause"),
        choices=[
            SelectChoice("contamination", _l("Contamination")),
            SelectChoice("equipment_failure", _l("Equipment failure")),
            SelectChoice("customer_request", _l("Customer request")),
        ],
    )
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])
    rerun = BooleanField(_l("Put a priority re-run request for the customer on the waiting list"))


class MoveForm(FlaskForm):
    stage = SelectField(
        _l("Stage"),
        choices=[
            SelectChoice("main", _l("Main fermentation")),
            SelectChoice("seed", _l("Seed")),
            SelectChoice("downstream", _l("Downstream")),
        ],
    )
    equipment = SelectField(
        _l("Vessel"),
        choices=[],
        validate_choice=False,  # the validator judges the fit
        validators=[DataRequired(), Length(max=32)],
    )
    start = MomentField(_l("New start"), validators=[DataRequired()])
