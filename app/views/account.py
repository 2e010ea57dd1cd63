"""Sign in and out, company registration, the company's own page and its colleagues, the user's account."""
from datetime import UTC, datetime

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..db import db_session
from ..errors import DomainError
from ..forms import InviteForm, LoginForm, PasswordForm, RegisterCompanyForm
from ..security import same_site_path
from ..services import accounts, credentials, feeds
from . import commit_or_show, show_domain_error

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        session = db_session()
        try:
            user = accounts.authenticate(
                session, form.email.data, form.password.data, request.remote_addr or "",
                datetime.now(UTC), current_app.config["LOGIN_MAX_FAILURES"],
                current_app.config["LOGIN_LOCK_MINUTES"])
        except DomainError as error:
            session.commit()  # the failed attempt counts towards the lock-out
            form.form_errors.append(error.message)
            return render_template("auth/login.html", form=form), error.status
        session.commit()
        login_user(user)
        return redirect(_safe_next() or url_for("main.index"))
    return render_template("auth/login.html", form=form)


def _safe_next() -> str | None:
    return same_site_path(request.args.get("next"))


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    return redirect(url_for("main.index"))


@bp.route("/register", methods=["GET", "POST"])
def register():
    form = RegisterCompanyForm()
    if form.validate_on_submit():
        session = db_session()
        details = accounts.CompanyDetails(**{name: (getattr(form, name).data or "").strip()
                                             for name in accounts.CompanyDetails.__dataclass_fields__})
        try:
            company = accounts.register_company(session, details, form.password.data)
        except DomainError as error:
            session.rollback()
            show_domain_error(form, error)
            return render_template("auth/register.html", form=form), 422
        session.commit()
        login_user(company.users[0])
        flash(_("Your company is registered."), "success")
        return redirect(url_for("auth.my_company"))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/register.html", form=form), status


@bp.route("/company", methods=["GET", "POST"])
@login_required
def my_company():
    if current_user.company is None:
        return redirect(url_for("main.index"))
    form = InviteForm()
    if form.validate_on_submit():
        session = db_session()
        try:
            user, initial = accounts.invite_colleague(session, current_user, form.email.data, form.name.data)
        except DomainError as error:
            session.rollback()
            show_domain_error(form, error)
            return render_template("auth/company.html", company=current_user.company, form=form), error.status
        else:
            session.commit()
            flash(_("%(email)s can now sign in with the initial password %(password)s",
                    email=user.email, password=initial), "success")
            return redirect(url_for("auth.my_company"))
    return render_template("auth/company.html", company=current_user.company, form=form)


@bp.post("/company/feed/replace")
@login_required
def replace_company_feed():
    session = db_session()
    feeds.replace_company_feed(session, current_user)
    session.commit()
    flash(_("The calendar address is replaced: the old address no longer works."), "success")
    return redirect(url_for("auth.my_company"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """The signed-in user's password and API tokens."""
    form = PasswordForm()
    if form.validate_on_submit():
        changed, _result = commit_or_show(form, lambda: credentials.change_password(
            db_session(), current_user, form.current_password.data, form.new_password.data, datetime.now(UTC)))
        if changed:
            # this session follows the new password; every other one is signed out
            login_user(current_user._get_current_object())
            flash(_("Password changed. Other sessions and all API tokens are signed out."), "success")
            return redirect(url_for("auth.account"))
    tokens = credentials.tokens_of(db_session(), current_user)
    status = 422 if form.is_submitted() else 200
    return render_template("auth/account.html", form=form, tokens=tokens, now=datetime.now(UTC)), status


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    session = db_session()
    credentials.revoke(session, current_user, token_id, datetime.now(UTC))
    session.commit()
    flash(_("The API token is revoked."), "success")
    return redirect(url_for("auth.account"))
