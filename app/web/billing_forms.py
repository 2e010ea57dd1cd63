"""Finance forms (shape only: required, types, lengths); the billing services check the rules."""

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.web.fields import DayField, MomentField, NumberField


class FromBookingForm(FlaskForm):
    booking_id = SelectField(_l("Completed booking"), coerce=int, validators=[DataRequired()])
    reason = StringField(
        _l("Reason, if the customer has not accepted the usage"), validators=[Optional(), Length(max=500)]
    )


class FreeDraftForm(FlaskForm):
    company_id = SelectField(_l("Customer"), coerce=int, validators=[DataRequired()])


class LineForm(FlaskForm):
    description = StringField(_l("Description"), validators=[DataRequired(), Length(max=300)])
    quantity = NumberField(_l("Quantity"), validators=[InputRequired()])
    unit = StringField(_l("Unit"), validators=[Optional(), Length(max=20)])
    unit_price = NumberField(_l("Unit price (CNY, excl. VAT)"), validators=[InputRequired()])
    tax_percent = NumberField(_l("VAT rate (percent)"), default=6, validators=[InputRequired()])
    discount_percent = NumberField(_l("Discount (percent)"), default=0, validators=[Optional()])
    is_service = BooleanField(_l("Service revenue"), default=True)


class IssueForm(FlaskForm):
    issued_at = MomentField(_l("Issue time (empty: now)"), validators=[Optional()])


class PaymentForm(FlaskForm):
    amount = NumberField(_l("Amount (CNY)"), validators=[InputRequired()])
    received_on = DayField(_l("Received on"), validators=[DataRequired()])
    reference = StringField(_l("Reference"), validators=[Optional(), Length(max=100)])


class CreditNoteForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])


class ContractForm(FlaskForm):
    company_id = SelectField(_l("Company"), coerce=int)
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    services = StringField(_l("Services covered"), validators=[Optional(), Length(max=2000)])
    amount = NumberField(_l("Contract amount (CNY)"), validators=[InputRequired()])
    prepayment = NumberField(_l("Agreed prepayment (CNY)"), default=Decimal(0), validators=[InputRequired()])
    signed_on = DayField(_l("Signed on"), validators=[InputRequired()])
    valid_until = DayField(_l("Valid until"), validators=[Optional()])


class ContractFromBookingForm(FlaskForm):
    booking_id = SelectField(_l("Booking with an accepted quote"), coerce=int)


class ContractScanForm(FlaskForm):
    scan = FileField(_l("Signed scan (PDF)"), validators=[FileRequired()])


class ContractInvoiceForm(FlaskForm):
    invoice_id = SelectField(_l("Invoice"), coerce=int)


class PrepaymentForm(FlaskForm):
    amount = NumberField(_l("Amount"), validators=[InputRequired()])
    received_on = DayField(_l("Received on"), validators=[InputRequired()])
    reference = StringField(_l("Reference"), validators=[Optional(), Length(max=100)])


class ApplyPrepaymentForm(FlaskForm):
    invoice_id = SelectField(_l("Invoice"), coerce=int)
    amount = NumberField(_l("Amount"), validators=[InputRequired()])


class EtaxExportForm(FlaskForm):
    invoice_type = SelectField(
        _l("Fapiao type"),
        choices=[SelectChoice("ordinary", _l("Ordinary fapiao")), SelectChoice("special", _l("Special VAT fapiao"))],
    )
    invoice_ids = SelectMultipleField(
        _l("Invoices"), coerce=int, option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False)
    )


class EtaxImportForm(FlaskForm):
    file = FileField(
        _l("The tax platform's list of issued fapiao (XLSX or CSV)"),
        validators=[FileRequired(), FileAllowed(["xlsx", "csv"], _l("Only XLSX or CSV files."))],
    )


class FapiaoForm(FlaskForm):
    fapiao_number = StringField(_l("Fapiao number (20 digits)"), validators=[DataRequired(), Length(max=40)])


class PriceForm(FlaskForm):
    unit_price = NumberField(_l("Unit price"), validators=[InputRequired()])


class PriceListVersionForm(FlaskForm):
    effective_from = DayField(_l("Effective from"), validators=[DataRequired()])


class CustomerGroupForm(FlaskForm):
    name = StringField(_l("Group name"), validators=[DataRequired(), Length(max=100)])
    discount_percent = NumberField(_l("Discount (percent)"), validators=[InputRequired()])


class AssignGroupForm(FlaskForm):
    company_id = SelectField(_l("Customer"), coerce=int, validators=[DataRequired()])
    group_id = SelectField(_l("Customer group"), coerce=int)
