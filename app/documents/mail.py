"""E-mail in Chinese on every booking state change: SMTP when MAIL_SERVER is set, else .eml files in OUTBOX_DIR.

Mail is I/O: call `notify_booking` after the transaction is committed, never from a service."""

import logging
import smtplib
import uuid
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app, g

from app.documents.formats import yuan
from app.models import Booking, Stage
from app.platform.context import current_context
from app.platform.db import db_session, end_transaction
from app.platform.timefmt import to_local
from app.services.booking.lifecycle import STATUS_NAMES, TRANSITIONS
from app.services.booking.placements import previous_placements
from app.services.finance import invoices

log = logging.getLogger(__name__)

#: event → what happened, as the subject says it
#: what each mail says happened: the lifecycle's words for its transitions, under the transition's name (or, for
#: a move, a conflict and its resolution, the names these mails have always had), and a new request
EVENT_NAMES = {
    "requested": "已提交",
    **{action: step.mail for action, step in TRANSITIONS.items() if step.mail},
    "moved": TRANSITIONS["move"].mail,
    "conflicted": TRANSITIONS["conflict"].mail,
    "resolved": TRANSITIONS["resolve"].mail,
}
STAGE_NAMES = {Stage.SEED: "种子罐", Stage.MAIN: "主发酵", Stage.DOWNSTREAM: "下游提取"}


def notify_booking(booking: Booking, event: str, previous: list | None = None) -> None:
    """Tell the requester and the company's contact that `event` happened to the booking (after commit);
    `previous`: a moved booking's placements before the move (schedule.Placement)."""
    if event not in EVENT_NAMES:
        raise ValueError(f"unknown booking event {event!r}")
    recipients = booking_recipients(booking)
    if not recipients:
        return
    message = booking_message(booking, event, recipients, previous)
    try:
        deliver(message)
    except (OSError, smtplib.SMTPException):
        log.exception("booking mail %s for %s not sent", event, booking.reference)


def notify_changed(bookings: list[Booking]) -> None:
    """Tell each customer whose booking a fact conflicted or made whole again (after commit)."""
    for booking in bookings:
        notify_booking(booking, "conflicted" if booking.broken else "resolved")


def notify_accepted(accepted) -> None:
    """Tell the customer about the booking an accepted waiting-list offer made, or moved earlier (after commit)."""
    if accepted.moved_from is None:
        notify_booking(accepted.booking, "requested")
    else:
        notify_booking(accepted.booking, "moved", previous=accepted.moved_from)


def notify_offers(entries: list) -> None:
    """Tell each waiting customer the slot now held for them and until when (after commit)."""
    config = current_app.config
    for entry in entries:
        if not entry.requested_by.email:
            continue
        message = EmailMessage()
        message["Subject"] = f"【中试平台】候补申请 WL-{entry.id} 有可用时段"
        message["From"], message["To"] = config["MAIL_FROM"], entry.requested_by.email
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain=config["MAIL_FROM"].rpartition("@")[2] or None)
        message.set_content(
            "\n".join(
                [
                    f"{entry.company.name}：",
                    "",
                    f"您的候补申请 WL-{entry.id} 现有可用时段（北京时间）：",
                    f"  {entry.offer_equipment}  {_local(entry.offer_start)} 至 {_local(entry.offer_end)}",
                    f"该时段为您保留至 {_local(entry.offer_expires_at)}，请在候补页面接受或放弃。",
                    "",
                    "此邮件由系统自动发送，请勿直接回复。",
                    config["PLATFORM_NAME"],
                ]
            )
            + "\n"
        )
        try:
            deliver(message)
        except (OSError, smtplib.SMTPException):
            log.exception("waiting-list mail for WL-%s not sent", entry.id)


def booking_recipients(booking: Booking) -> list[str]:
    """The requester's and the company contact's addresses, each once, and only confirmed ones: the contact's
    address counts when one of the company's users has confirmed it."""
    confirmed = {u.email.lower() for u in booking.company.users if u.email_verified}
    candidates = [booking.requested_by.email if booking.requested_by else "", booking.company.email]
    return list(
        dict.fromkeys(address.strip() for address in candidates if address and address.strip().lower() in confirmed)
    )


def booking_message(booking: Booking, event: str, recipients: list[str], previous: list | None = None) -> EmailMessage:
    config = current_app.config
    message = EmailMessage()
    message["Subject"] = f"【中试平台】预约 {booking.reference} {EVENT_NAMES[event]}"
    message["From"] = config["MAIL_FROM"]
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=config["MAIL_FROM"].rpartition("@")[2] or None)
    message.set_content(booking_body(booking, event, config["PLATFORM_NAME"], previous))
    return message


def booking_body(booking: Booking, event: str, platform: str, previous: list | None = None) -> str:
    lines = [
        f"{booking.company.name}：",
        "",
        f"您的预约 {booking.reference} {EVENT_NAMES[event]}。",
        "",
        f"预约编号：{booking.reference}",
        f"当前状态：{STATUS_NAMES[booking.status]}",
        f"菌种：{booking.organism}",
        f"工作体积：{booking.working_volume_l:g} L，发酵时长：{booking.duration_h:g} 小时",
    ]
    if booking.status_reason:
        lines.append(f"原因：{booking.status_reason}")
    if event == "cancel":
        lines.append(_cancellation_fee_line(booking))
    previous = previous if previous is not None else (previous_placements(booking) or None)
    if previous is not None:
        lines += ["", "调整前（北京时间）："] + [
            _placement_line(STAGE_NAMES[Stage(p.stage)], p.equipment, "", p.start, p.end) for p in previous
        ]
        lines += ["", "调整后（北京时间）："] + _allocation_lines(booking)
        lines += ["", "您可以在预约页面接受新的时间，或免收迟退费用取消预约。"]
    else:
        lines += ["", "设备与时间（北京时间）："] + _allocation_lines(booking)
    if booking.actual_start:
        ended = f" 至 {_local(booking.actual_end)}" if booking.actual_end else "（运行中）"
        lines += [f"实际运行：{_local(booking.actual_start)}{ended}"]
    lines += ["", "此邮件由系统自动发送，请勿直接回复。", platform]
    return "\n".join(lines) + "\n"


def _cancellation_fee_line(booking: Booking) -> str:
    fee = invoices.cancellation_fee_of(db_session(), booking)
    if fee is None:
        return "取消费：无（在免费取消期限内取消）"
    return f"取消费：{yuan(fee.total)} 元（含增值税，{fee.lines[0].description}），将另行开具发票"


def _allocation_lines(booking: Booking) -> list[str]:
    active = [a for a in booking.allocations if a.active]
    if not active:
        return ["  （未占用设备）"]
    return [_placement_line(STAGE_NAMES[a.stage], a.equipment.code, a.equipment.name, a.start, a.end) for a in active]


def _placement_line(stage: str, code: str, name: str, start: datetime, end: datetime) -> str:
    return f"  {stage}  {' '.join(filter(None, (code, name)))}  {_local(start)} 至 {_local(end)}"


def _local(moment: datetime) -> str:
    return to_local(moment, current_context().tz).strftime("%Y-%m-%d %H:%M")


def deliver(message: EmailMessage) -> None:
    """Send by SMTP when MAIL_SERVER is configured; otherwise write an .eml file to OUTBOX_DIR.

    Called after the request's work is committed; a transaction that building the message opened (lazy loads)
    is ended first, so that no write lock is held while the mail server answers."""
    session = g.get("db_session")
    if session is not None and session.in_transaction():
        end_transaction()
    config = current_app.config
    if config.get("MAIL_SERVER"):
        _send_smtp(message, config)
    else:
        _write_eml(message, Path(config["OUTBOX_DIR"]))


def _send_smtp(message: EmailMessage, config) -> None:
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=15) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


def _write_eml(message: EmailMessage, outbox: Path) -> Path:
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = current_context().now().strftime("%Y%m%dT%H%M%S%f")
    path = outbox / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
    path.write_bytes(message.as_bytes())
    return path
