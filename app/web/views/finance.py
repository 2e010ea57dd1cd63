"""Finance pages: aged receivables, price list versions (draft prices editable), customer groups."""

from decimal import Decimal

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.platform.context import current_context
from app.platform.db import db_session
from app.services.access import accounts
from app.services.finance import customer_groups, payments, price_lists
from app.web.auth import allowed
from app.web.billing_forms import AssignGroupForm, CustomerGroupForm, PriceForm, PriceListVersionForm
from app.web.views import commit_or_show

bp = Blueprint("finance", __name__, url_prefix="/finance")


@bp.get("/receivables")
@allowed("finance.manage")
def receivables():
    rows, overall = payments.aged_receivables(db_session(), current_context().today())
    return render_template(
        "finance/receivables.html",
        rows=rows,
        overall=overall,
        buckets=payments.BUCKETS,
        today=current_context().today(),
    )


def _price_lists_page(form: PriceListVersionForm, status: int = 200):
    rows = price_lists.list_price_lists(db_session())
    return render_template(
        "finance/price_lists.html", rows=rows, today=current_context().today(), is_draft=price_lists.is_draft, form=form
    ), status


@bp.get("/price-lists")
@allowed("finance.manage")
def price_lists_index():
    return _price_lists_page(PriceListVersionForm())


@bp.post("/price-lists")
@allowed("finance.manage")
def new_version():
    form = PriceListVersionForm()
    session = db_session()
    if form.validate_on_submit():
        ok, row = commit_or_show(
            form,
            lambda: price_lists.new_version(session, current_user, form.effective_from.data, current_context().today()),
        )
        if ok:
            flash(_("Draft price list created."), "success")
            return redirect(url_for("finance.price_list", price_list_id=row.id))
    return _price_lists_page(form, 422)


def _price_list_page(row, form: PriceForm, status: int = 200):
    return render_template(
        "finance/price_list.html", row=row, editable=price_lists.is_draft(row, current_context().today()), form=form
    ), status


@bp.get("/price-lists/<int:price_list_id>")
@allowed("finance.manage")
def price_list(price_list_id: int):
    return _price_list_page(price_lists.price_list_row(db_session(), price_list_id), PriceForm())


@bp.post("/price-items/<int:item_id>")
@allowed("finance.manage")
def set_price(item_id: int):
    form = PriceForm()
    session = db_session()
    item = price_lists.price_item(session, item_id)
    if form.validate_on_submit():
        ok, _saved = commit_or_show(
            form,
            lambda: price_lists.set_item_price(
                session, current_user, item, form.unit_price.data, current_context().today()
            ),
        )
        if ok:
            flash(_("Price saved."), "success")
            return redirect(url_for("finance.price_list", price_list_id=item.price_list_id))
    return _price_list_page(price_lists.price_list_row(session, item.price_list_id), form, 422)


def _group_forms(session) -> tuple[CustomerGroupForm, AssignGroupForm]:
    group_form, assign_form = CustomerGroupForm(prefix="group"), AssignGroupForm(prefix="assign")
    assign_form.company_id.choices = [(c.id, c.name) for c in accounts.list_companies(session)]
    assign_form.group_id.choices = [(0, _("No group"))] + [(g.id, g.name) for g in customer_groups.list_groups(session)]
    return group_form, assign_form


def _save_group_form(session, group_form: CustomerGroupForm, assign_form: AssignGroupForm, creating: bool) -> None:
    if creating:
        customer_groups.create_group(
            session, current_user, group_form.name.data, group_form.discount_percent.data / Decimal(100)
        )
    else:
        customer_groups.assign(session, current_user, assign_form.company_id.data, assign_form.group_id.data or None)


@bp.route("/customer-groups", methods=["GET", "POST"])
@allowed("finance.manage")
def customer_groups_page():
    session = db_session()
    group_form, assign_form = _group_forms(session)
    creating = "group-name" in request.form
    form = group_form if creating else assign_form
    if form.validate_on_submit():
        ok, _saved = commit_or_show(form, lambda: _save_group_form(session, group_form, assign_form, creating))
        if ok:
            flash(_("Saved."), "success")
            return redirect(url_for("finance.customer_groups_page"))
    groups = {g.id: g for g in customer_groups.list_groups(session)}
    status = 422 if request.method == "POST" else 200
    return render_template(
        "finance/customer_groups.html",
        group_form=group_form,
        assign_form=assign_form,
        groups=groups,
        companies=accounts.list_companies(session),
    ), status
