"""The demo plant: the platform's real fleet, five customer companies and one user per role."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Company, Equipment, Role
from app.ops.demo_activity import load_activity
from app.platform.context import Context
from app.services.access import accounts, registration
from app.services.access.passwords import new_password
from app.services.finance import price_lists
from app.services.plan import inventory
from billing.uscc import uscc_check_char

DEMO_PASSWORD = "demo-2026"

LIQUID = [(30, 4), (50, 2), (100, 2), (200, 2), (500, 2), (1000, 1), (2000, 2), (5000, 2), (10000, 1), (20000, 2)]
SOLID = [
    (75, 2, "浅盘固态发酵箱"),
    (500, 1, "固态发酵罐"),
    (2000, 1, "转鼓式固态发酵机"),
    (5000, 1, "填充床固态发酵罐"),
    (15000, 1, "圆盘制曲机"),
]
#: downstream units: code, name, type, largest batch handled (L), throughput (L/h)
DOWNSTREAM = [
    ("DS-CEN", "碟片式离心机", "centrifuge", 20000, 3000.0),
    ("DS-MEM", "陶瓷膜过滤系统", "membrane", 20000, 1500.0),
    ("DS-EVA", "多效蒸发器", "evaporator", 20000, 1000.0),
    ("DS-SPD", "喷雾干燥塔", "dryer", 5000, 300.0),
]

COMPANIES = [
    ("内蒙古蒙元生物科技有限公司", "91150100MA0N8K2Q3", "王磊", False),
    ("呼和浩特酶工程技术有限公司", "91150105MA13R7XU5", "李娜", False),
    ("北方合成生物制造有限公司", "91150104MA0PQ6LG1", "张伟", False),
    ("草原益生菌研究院有限公司", "91150102MA7YT3DK8", "刘洋", False),
    ("呼和浩特中试平台运营有限公司", "91150100MA0RW9BC6", "陈静", True),
]

STAFF = [
    ("admin@pilot.example", Role.ADMIN),
    ("operator@pilot.example", Role.OPERATOR),
    ("finance@pilot.example", Role.FINANCE),
    ("bureau@pilot.example", Role.BUREAU),
]


def turnaround_hours(nominal_l: float) -> float:
    """Realistic CIP + SIP time by vessel size (DESIGN: ≤100 L 4–6 h … 10–20 m³ 12–16 h)."""
    if nominal_l <= 100:
        return 5.0
    if nominal_l <= 1000:
        return 7.0
    if nominal_l <= 5000:
        return 10.0
    return 14.0


def _volume_label(litres: int) -> str:
    return f"{litres // 1000} m³" if litres >= 1000 else f"{litres} L"


def demo_fleet() -> list[inventory.EquipmentFields]:
    fleet = []
    for litres, count in LIQUID:
        for n in range(1, count + 1):
            fleet.append(
                inventory.EquipmentFields(
                    code=f"LF{litres}-{n}",
                    name=f"{_volume_label(litres)} 液体发酵罐 #{n}",
                    kind="liquid",
                    nominal_volume_l=litres,
                    turnaround_h=turnaround_hours(litres),
                    changeover_h=2.0,
                    biosafety_level=2 if litres <= 500 else 1,
                )
            )
    for litres, count, name in SOLID:
        for n in range(1, count + 1):
            fleet.append(
                inventory.EquipmentFields(
                    code=f"SF{litres}-{n}",
                    name=f"{_volume_label(litres)} {name} #{n}",
                    kind="solid",
                    nominal_volume_l=litres,
                    turnaround_h=turnaround_hours(litres),
                    changeover_h=2.0,
                )
            )
    for code, name, unit_type, litres, throughput in DOWNSTREAM:
        fleet.append(
            inventory.EquipmentFields(
                code=code,
                name=name,
                kind="downstream",
                unit_type=unit_type,
                nominal_volume_l=litres,
                min_working_volume_l=1,
                max_working_volume_l=litres,
                throughput_l_per_h=throughput,
                turnaround_h=4.0,
            )
        )
    return fleet


def load_demo(session: Session, ctx: Context) -> list[tuple[str, str, str]]:
    """Add whatever of the demo is missing; returns the demo logins (e-mail, password, role)."""
    now = ctx.now()
    for fields in demo_fleet():
        if session.scalar(select(Equipment.id).where(Equipment.code == fields.code)) is None:
            inventory.add_equipment(session, None, fields)
    logins = [_ensure_company(session, now, *entry) for entry in COMPANIES]
    for email, role in STAFF:
        if accounts.user_by_email(session, email) is None:
            accounts.create_user(session, None, email, role, new_password(DEMO_PASSWORD), verified_at=now)
        logins.append((email, DEMO_PASSWORD, role.value))
    price_lists.ensure_default_price_list(session)
    session.flush()
    load_activity(session, ctx)
    return logins


def _ensure_company(session: Session, now: datetime, name: str, first17: str, contact: str, affiliated: bool):
    uscc = first17 + uscc_check_char(first17)
    email = f"customer{COMPANIES.index((name, first17, contact, affiliated)) + 1}@pilot.example"
    company = session.scalar(select(Company).where(Company.uscc == uscc))
    if company is None:
        details = registration.CompanyDetails(
            name=name,
            uscc=uscc,
            contact_name=contact,
            email=email,
            phone="0471-6600000",
            address="内蒙古自治区呼和浩特市和林格尔新区",
            bank_name="中国银行呼和浩特分行",
            bank_account="1502 0000 0000 0000",
        )
        company = registration.register_approved(session, details, DEMO_PASSWORD, now)
        company.is_affiliated = affiliated
    return email, DEMO_PASSWORD, "customer"
