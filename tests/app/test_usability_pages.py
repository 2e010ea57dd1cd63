"""What people stumbled on (issue 19), each as the page now answers it."""
import re

from app.models import Booking

from .booking_data import local
from .test_booking_pages import customer, form, operator, plant  # noqa: F401 (fixtures)


def forms_of(page: str) -> list[str]:
    return re.findall(r"<form\b.*?</form>", page, flags=re.S)


def booked(customer, db, days: int = 3, vessel: str = "LF100-1") -> Booking:
    customer.post("/bookings/new", data=form(action="book", equipment=vessel, start=local(days, 9).isoformat()))
    return db.query(Booking).order_by(Booking.id.desc()).first()


def test_the_reason_box_sits_in_the_reject_form_under_its_own_label(plant, customer, operator, db):
    booked(customer, db)
    page = operator.get("/operations/queue").get_data(as_text=True)
    confirm, reject = [f for f in forms_of(page) if "/confirm" in f or "/reject" in f]
    assert 'name="reason"' not in confirm
    assert "拒绝原因" in reject and 'name="reason"' in reject


def test_the_completion_form_starts_from_the_plan(plant, customer, operator, db):
    booking = booked(customer, db)
    operator.post(f"/operations/bookings/{booking.id}/confirm")
    operator.post(f"/operations/bookings/{booking.id}/start")
    page = operator.get(f"/operations/bookings/{booking.id}/complete").get_data(as_text=True)
    values = dict(re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', page))
    assert values["power_kwh"] == "96.000" and values["operator_h"] == "8.000" and values["samples"] == "2"
    assert values["actual_end"] > values["actual_start"]
