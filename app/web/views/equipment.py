"""Operator pages: add, edit, retire equipment and schedule its maintenance."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.documents.mail import notify_changed
from app.models import BookingStatus
from app.platform.context import current_context
from app.platform.db import db_session
from app.platform.timefmt import local_to_utc
from app.services.plan import inventory
from app.web.auth import allowed
from app.web.forms import EquipmentForm, MaintenanceForm
from app.web.views import commit_or_show

bp = Blueprint("equipment", __name__, url_prefix="/equipment")


def _fields(form: EquipmentForm) -> inventory.EquipmentFields:
    names = inventory.EquipmentFields.__dataclass_fields__
    values = {name: getattr(form, name).data for name in names}
    values["turnaround_h"] = values["turnaround_h"] or 0.0
    values["changeover_h"] = values["changeover_h"] or 0.0
    values["unit_type"] = values["unit_type"] or ""
    values["description"] = values["description"] or ""
    return inventory.EquipmentFields(**values)


@bp.get("/")
@allowed("equipment.edit")
def index():
    items = inventory.list_equipment(db_session(), include_retired=True)
    return render_template("equipment/index.html", items=items)


@bp.route("/new", methods=["GET", "POST"])
@allowed("equipment.edit")
def new():
    form = EquipmentForm()
    if form.validate_on_submit():
        session = db_session()
        ok, item = commit_or_show(form, lambda: inventory.add_equipment(session, current_user, _fields(form)))
        if ok:
            flash(_("Equipment %(code)s added.", code=item.code), "success")
            return redirect(url_for("equipment.show", code=item.code))
    status = 422 if form.is_submitted() else 200
    return render_template("equipment/form.html", form=form, item=None), status


@bp.route("/<code>/edit", methods=["GET", "POST"])
@allowed("equipment.edit")
def edit(code: str):
    session = db_session()
    item = inventory.equipment_by_code(session, code)
    form = EquipmentForm(obj=item)
    if form.validate_on_submit():
        ok, _saved = commit_or_show(
            form, lambda: inventory.update_equipment(session, current_user, item, _fields(form))
        )
        if ok:
            flash(_("Equipment %(code)s saved.", code=code), "success")
            return redirect(url_for("equipment.show", code=code))
    status = 422 if form.is_submitted() else 200
    return render_template("equipment/form.html", form=form, item=item), status


@bp.get("/<code>")
@allowed("equipment.edit")
def show(code: str):
    item = inventory.equipment_by_code(db_session(), code)
    return render_template("equipment/show.html", item=item, form=MaintenanceForm())


@bp.post("/<code>/status/<status>")
@allowed("equipment.edit")
def set_status(code: str, status: str):
    session = db_session()
    changed = inventory.set_status(
        session,
        current_user,
        inventory.equipment_by_code(session, code),
        status,
        current_context().rules,
        current_context().now(),
    )
    session.commit()
    _tell(changed)
    return redirect(url_for("equipment.show", code=code))


@bp.post("/<code>/maintenance")
@allowed("equipment.edit")
def add_maintenance(code: str):
    session = db_session()
    item = inventory.equipment_by_code(session, code)
    form = MaintenanceForm()
    if form.validate_on_submit():
        start, end = (
            local_to_utc(form.start.data, current_context().tz),
            local_to_utc(form.end.data, current_context().tz),
        )
        ok, saved = commit_or_show(
            form,
            lambda: inventory.add_maintenance(
                session,
                current_user,
                item,
                start,
                end,
                form.reason.data or "",
                current_context().rules,
                current_context().now(),
            ),
        )
        if ok:
            flash(_("Maintenance window added."), "success")
            _tell(saved[1])
            return redirect(url_for("equipment.show", code=code))
    return render_template("equipment/show.html", item=item, form=form), 422


@bp.post("/maintenance/<int:window_id>/delete")
@allowed("equipment.edit")
def remove_maintenance(window_id: int):
    session = db_session()
    changed = inventory.remove_maintenance(
        session, current_user, window_id, current_context().rules, current_context().now()
    )
    session.commit()
    _tell(changed)
    return redirect(url_for("equipment.index"))


def _tell(changed: list) -> None:
    """Mail the customers of the bookings a change conflicted or mended, and say so on the page."""
    notify_changed(changed)
    conflicted = [b.reference for b in changed if b.status == BookingStatus.CONFLICTED]
    if conflicted:
        flash(_("These bookings are now in conflict: %(references)s", references=", ".join(conflicted)), "error")
