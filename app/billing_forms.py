"""Finance forms (shape only: required, types, lengths); the billing services check the rules."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, DateTimeLocalField, DecimalField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional


class NumberField(DecimalField):
    """A decimal number as typed (not rounded for display); NaN and infinities are refused."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, places=None, **kwargs)

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError(_l("Not a valid number."))


class FromBookingForm(FlaskForm):
    booking_id = SelectField(_l("Completed booking"), coerce=int, validators=[DataRequired()])
    reason = StringField(_l("Reason, if the customer has not accepted the usage"),
                         validators=[Optional(), Length(max=500)])


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
    issued_at = DateTimeLocalField(_l("Issue time (empty: now)"), format="%Y-%m-%dT%H:%M", validators=[Optional()])


class PaymentForm(FlaskForm):
    amount = NumberField(_l("Amount (CNY)"), validators=[InputRequired()])
    received_on = DateField(_l("Received on"), validators=[DataRequired()])
    reference = StringField(_l("Reference"), validators=[Optional(), Length(max=100)])


class CreditNoteForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])


class FapiaoForm(FlaskForm):
    fapiao_number = StringField(_l("Fapiao number (20 digits)"), validators=[DataRequired(), Length(max=40)])


class PriceForm(FlaskForm):
    unit_price = NumberField(_l("Unit price"), validators=[InputRequired()])


class PriceListVersionForm(FlaskForm):
    effective_from = DateField(_l("Effective from"), validators=[DataRequired()])


class CustomerGroupForm(FlaskForm):
    name = StringField(_l("Group name"), validators=[DataRequired(), Length(max=100)])
    discount_percent = NumberField(_l("Discount (percent)"), validators=[InputRequired()])


class AssignGroupForm(FlaskForm):
    company_id = SelectField(_l("Customer"), coerce=int, validators=[DataRequired()])
    group_id = SelectField(_l("Customer group"), coerce=int)
