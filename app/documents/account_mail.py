"""Mail about accounts: the signed, expiring link that confirms an e-mail address, and the note to an address's
owner that someone tried to register with it. Sent after the transaction is committed, like booking mail."""

import logging
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.documents.mail import deliver
from app.models import User

log = logging.getLogger(__name__)
SALT = "confirm-email"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def confirmation_token(user: User) -> str:
    return _serializer().dumps({"user": user.id, "email": user.email})


def read_confirmation_token(token: str) -> tuple[int, str] | None:
    """(user id, address) of an authentic link younger than EMAIL_CONFIRM_HOURS; None otherwise."""
    max_age = int(current_app.config["EMAIL_CONFIRM_HOURS"] * 3600)
    try:
        data = _serializer().loads(token, max_age=max_age)
    except BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("user"), int) or not isinstance(data.get("email"), str):
        return None
    return data["user"], data["email"]


def confirmation_url(user: User) -> str:
    """The link's public address (PUBLIC_BASE_URL, never the Host the request came in by)."""
    path = url_for("auth.confirm_email", token=confirmation_token(user))
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def send_confirmation(user: User) -> None:
    hours = current_app.config["EMAIL_CONFIRM_HOURS"]
    _send(
        user.email,
        "【中试平台】请确认您的邮箱",
        [
            f"{user.name or user.email}：",
            "",
            "请在浏览器中打开下面的链接，确认这是您的邮箱：",
            confirmation_url(user),
            "",
            f"链接 {hours:g} 小时内有效。确认前，平台不会向此邮箱发送预约通知。",
            "如果您没有在本平台注册或被同事邀请，请忽略此邮件。",
        ],
    )


def send_registration_attempt(owner: User, company_name: str) -> None:
    _send(
        owner.email,
        "【中试平台】有人用您的邮箱注册企业",
        [
            f"{owner.name or owner.email}：",
            "",
            f"有人使用您的邮箱提交了企业“{company_name}”的注册。您的邮箱已有账户，注册没有关联到它。",
            "如果是您本人，请直接用原账户登录；忘记密码请联系平台。如果不是您，请忽略此邮件。",
        ],
    )


def _send(to: str, subject: str, lines: list[str]) -> None:
    config = current_app.config
    message = EmailMessage()
    message["Subject"], message["From"], message["To"] = subject, config["MAIL_FROM"], to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=config["MAIL_FROM"].rpartition("@")[2] or None)
    message.set_content("\n".join([*lines, "", "此邮件由系统自动发送，请勿直接回复。", config["PLATFORM_NAME"]]) + "\n")
    try:
        deliver(message)
    except (OSError, smtplib.SMTPException):
        log.exception("account mail %r to %s not sent", subject, to)
