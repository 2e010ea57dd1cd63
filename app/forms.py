"""Forms check shape only (required, types, lengths); services and the core check the rules."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateTimeLocalField, EmailField, FloatField, IntegerField, PasswordField,
                     SelectField, StringField, TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

KIND_CHOICES = [SelectChoice("liquid", _l("Liquid fermenter")), SelectChoice("solid", _l("Solid-state fermenter")),
                SelectChoice("downstream", _l("Downstream unit"))]


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


class InviteForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])


class EquipmentForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=KIND_CHOICES)
    unit_type = StringField(_l("Unit type"), validators=[Optional(), Length(max=50)])
    nominal_volume_l = FloatField(_l("Nominal volume (L)"), validators=[DataRequired()])
    min_working_volume_l = FloatField(_l("Min working volume (L)"), validators=[Optional()])
    max_working_volume_l = FloatField(_l("Max working volume (L)"), validators=[Optional()])
    throughput_l_per_h = FloatField(_l("Throughput (L/h)"), validators=[Optional()])
    turnaround_h = FloatField(_l("Turnaround (h)"), default=6.0, validators=[Optional()])
    changeover_h = FloatField(_l("Changeover (h)"), default=0.0, validators=[Optional()])
    biosafety_level = IntegerField(_l("Biosafety level"), default=1, validators=[NumberRange(min=1, max=3)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])


class MaintenanceForm(FlaskForm):
    start = DateTimeLocalField(_l("Start"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()])
    end = DateTimeLocalField(_l("End"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()])
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=300)])


class CompanyAdminForm(FlaskForm):
    is_affiliated = BooleanField(_l("Affiliated / internal"))
    uscc = StringField(_l("Unified social credit code"), validators=[Optional(), Length(min=18, max=18)])
    override_reason = StringField(_l("Reason for overriding the check digit"), validators=[Optional()])
