"""Sign in and out, company registration and e-mail confirmation, the company's own page and its colleagues,
the user's account."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.documents.account_mail import read_confirmation_token, send_confirmation
from app.platform.context import current_context
from app.platform.db import db_session, end_transaction
from app.platform.errors import DomainError
from app.services.access import accounts, credentials, registration
from app.services.booking import feeds
from app.web import identity
from app.web.auth import allowed
from app.web.forms import ConfirmEmailForm, InviteForm, LoginForm, PasswordForm, RegisterCompanyForm
from app.web.security import same_site_path
from app.web.views import commit_or_show, show_domain_error

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = identity.sign_in(form.email.data, form.password.data, request.remote_addr or "")
        except DomainError as error:
            form.form_errors.append(error.message)
            return render_template("auth/login.html", form=form), error.status
        login_user(user)
        return redirect(_safe_next() or url_for("main.index"))
    return render_template("auth/login.html", form=form)


def _safe_next() -> str | None:
    return same_site_path(request.args.get("next"))


@bp.post("/logout")
@allowed("account.manage")
def logout():
    session = db_session()
    accounts.sign_out(session, current_user)
    session.commit()
    logout_user()
    return redirect(url_for("main.index"))


@bp.route("/register", methods=["GET", "POST"])
def register():
    form = RegisterCompanyForm()
    if form.validate_on_submit():
        details = registration.CompanyDetails(
            **{
                name: (getattr(form, name).data or "").strip()
                for name in registration.CompanyDetails.__dataclass_fields__
            }
        )
        try:
            identity.register(details, form.password.data, request.remote_addr or "")
        except DomainError as error:
            show_domain_error(form, error)
            return render_template("auth/register.html", form=form), error.status
        flash(
            _(
                "Your company is registered. We have sent a link to the e-mail address: please confirm it. "
                "The platform reviews new companies before their requests hold capacity."
            ),
            "success",
        )
        return redirect(url_for("auth.login"))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/register.html", form=form), status


@bp.route("/confirm-email/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    """A mailed link: the page asks for one click (a POST), so that mail scanners following links confirm nothing."""
    found = read_confirmation_token(token)
    if found is None:
        return render_template("auth/confirm_email.html", valid=False), 404
    form = ConfirmEmailForm()
    if form.validate_on_submit():
        ok, _user = commit_or_show(form, lambda: accounts.confirm_email(db_session(), *found, current_context().now()))
        if ok:
            flash(_("Your e-mail address is confirmed."), "success")
            return redirect(url_for("main.index"))
    return render_template("auth/confirm_email.html", valid=True, form=form, email=found[1])


@bp.route("/company", methods=["GET", "POST"])
@allowed("account.manage")
def my_company():
    if current_user.company is None:
        return redirect(url_for("main.index"))
    form = InviteForm()
    if form.validate_on_submit():
        inviter = current_user._get_current_object()
        end_transaction()
        initial, password = accounts.initial_password()
        ok, user = commit_or_show(
            form, lambda: accounts.invite_colleague(db_session(), inviter, form.email.data, form.name.data, password)
        )
        if not ok:
            return render_template("auth/company.html", company=current_user.company, form=form), 422
        send_confirmation(user)
        flash(
            _("%(email)s can now sign in with the initial password %(password)s", email=user.email, password=initial),
            "success",
        )
        return redirect(url_for("auth.my_company"))
    return render_template("auth/company.html", company=current_user.company, form=form)


@bp.post("/company/feed/replace")
@allowed("account.manage")
def replace_company_feed():
    session = db_session()
    feeds.replace_company_feed(session, current_user)
    session.commit()
    flash(_("The calendar address is replaced: the old address no longer works."), "success")
    return redirect(url_for("auth.my_company"))


@bp.route("/account", methods=["GET", "POST"])
@allowed("account.manage")
def account():
    """The signed-in user's password and API tokens."""
    form = PasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        end_transaction()
        change = credentials.PasswordChange.of(user, form.current_password.data, form.new_password.data)
        changed, _result = commit_or_show(
            form, lambda: credentials.change_password(db_session(), user, change, current_context().now())
        )
        if changed:
            # this session follows the new password; every other one is signed out
            login_user(current_user._get_current_object())
            flash(_("Password changed. Other sessions and all API tokens are signed out."), "success")
            return redirect(url_for("auth.account"))
    tokens = credentials.tokens_of(db_session(), current_user)
    status = 422 if form.is_submitted() else 200
    return render_template("auth/account.html", form=form, tokens=tokens, now=current_context().now()), status


@bp.post("/account/confirmation")
@allowed("account.manage")
def resend_confirmation():
    """Mail a new confirmation link to the signed-in user's address (nothing when it is confirmed)."""
    if not current_user.email_verified:
        send_confirmation(current_user)
        flash(_("We have sent a new confirmation link to %(email)s.", email=current_user.email), "success")
    return redirect(url_for("auth.account"))


@bp.post("/account/tokens/<int:token_id>/revoke")
@allowed("account.manage")
def revoke_token(token_id: int):
    session = db_session()
    credentials.revoke(session, current_user, token_id, current_context().now())
    session.commit()
    flash(_("The API token is revoked."), "success")
    return redirect(url_for("auth.account"))
