"""The claim's dossier: annexes frozen with the claim, reconciling to its figures, as XLSX and in the PDF."""

import hashlib
import io
import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.models import Allocation, Booking, BookingStatus, Equipment, Stage, SubsidyClaim
from app.platform.db import db_session
from tests.pdf_tools import text_of as pdf_text

FAPIAO = "26150000000000000001"


@pytest.fixture
def finance(make_user, token_for):
    return token_for(make_user("finance"))


@pytest.fixture
def admin(make_user, token_for):
    return token_for(make_user("admin"))


@pytest.fixture
def year_of_books(books, make_company, client, admin):
    """Three customers: an SME in Hohhot, a large company outside it, a related party (not counted)."""
    sme, _ = make_company("甲小微生物有限公司")
    large, _ = make_company("乙大型发酵集团")
    related, _ = make_company("丙关联企业")
    client.patch(
        f"/api/v1/companies/{sme}",
        headers=admin,
        json={"is_sme": True, "sme_source": "工信部中小企业声明函", "sme_checked_on": "2026-01-05"},
    )
    client.patch(f"/api/v1/companies/{large}", headers=admin, json={"in_hohhot": False})
    client.patch(f"/api/v1/companies/{related}", headers=admin, json={"is_affiliated": True})
    first = books.invoice(sme, date(2026, 3, 1), "1000.00", fapiao=FAPIAO)
    books.pay(first, "1060.00", date(2026, 3, 20))
    second = books.invoice(large, date(2026, 5, 2), "2500.50", goods="300.00")
    books.credit(second, date(2026, 6, 1), service="500.25")
    books.invoice(related, date(2026, 7, 1), "9000.00")
    return {"sme": sme, "large": large, "related": related, "first": first}


def make_claim(client, finance) -> dict:
    response = client.post("/api/v1/subsidy/2026/claims", headers=finance)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def frozen_annexes(db) -> dict[str, dict]:
    claim = db.scalar(select(SubsidyClaim))
    return {annex["key"]: annex for annex in json.loads(claim.snapshot)["dossier"]}


def test_every_money_annex_sums_to_the_claims_eligible_revenue(client, finance, year_of_books, db):
    made = make_claim(client, finance)
    annexes = frozen_annexes(db)
    assert made["eligible_revenue"] == "3000.25"
    for key in ("contracts", "invoices", "customers"):
        assert annexes[key]["total"] == made["eligible_revenue"], key
        assert sum(Decimal(row[-1] if key != "invoices" else row[8]) for row in annexes[key]["rows"]) == Decimal(
            made["eligible_revenue"]
        )


def test_the_customer_annex_lists_sme_and_location_and_leaves_related_parties_out(client, finance, year_of_books, db):
    make_claim(client, finance)
    rows = {row[0]: row for row in frozen_annexes(db)["customers"]["rows"]}
    assert set(rows) == {"甲小微生物有限公司", "乙大型发酵集团"}
    assert rows["甲小微生物有限公司"][2:] == ["是", "否", "呼和浩特市内", "1000.00"]
    assert rows["乙大型发酵集团"][2:] == ["否", "否", "呼和浩特市外", "2000.25"]


def test_the_invoice_annex_nets_the_credit_note_and_the_payment_annex_lists_what_was_received(
    client, finance, year_of_books, db
):
    make_claim(client, finance)
    annexes = frozen_annexes(db)
    kinds = [(row[1], row[8]) for row in annexes["invoices"]["rows"]]
    assert ("红字发票", "-500.25") in kinds and ("发票", "2500.50") in kinds
    assert [row[2] for row in annexes["invoices"]["rows"] if row[2]] == [FAPIAO]
    assert annexes["payments"]["rows"] == [["PP-2026-00001", "2026-03-20", "1060.00", ""]]
    overview = dict(annexes["overview"]["rows"])
    assert overview["服务企业数"] == "2" and overview["其中中小企业数"] == "1"
    assert overview["其中呼和浩特市外企业数"] == "1" and overview["申请补助金额（元）"] == "900.08"


def test_machine_hours_count_service_to_outside_users_apart_from_related_parties(
    app, client, finance, year_of_books, add_equipment, db
):
    add_equipment("LF100-1", "liquid", 100)
    with app.app_context():
        session = db_session()
        vessel = session.scalar(select(Equipment).where(Equipment.code == "LF100-1"))
        for company, day in ((year_of_books["sme"], 10), (year_of_books["related"], 20)):
            booking = Booking(
                reference=f"BK-{day}",
                company_id=company,
                service="scale_up",
                kind="liquid",
                working_volume_l=50,
                duration_h=24,
                organism="E. coli",
                earliest_start=datetime(2026, 4, 1, tzinfo=UTC),
                latest_end=datetime(2026, 5, 1, tzinfo=UTC),
                status=BookingStatus.COMPLETED,
            )
            start = datetime(2026, 4, day, 2, tzinfo=UTC)
            booking.allocations.append(
                Allocation(
                    equipment_id=vessel.id,
                    stage=Stage.MAIN,
                    start=start,
                    end=start + timedelta(hours=24),
                    occupied_until=start + timedelta(hours=30),
                )
            )
            session.add(booking)
        session.commit()
    make_claim(client, finance)
    annexes = frozen_annexes(db)
    assert annexes["machine_hours"]["rows"] == [["LF100-1", "LF100-1", "8760.0", "48.0", "24.0", "0.5%"]]
    assert dict(annexes["overview"]["rows"])["服务批次数"] == "2"


def test_machine_hours_count_a_batch_as_it_actually_ran(app, client, finance, year_of_books, add_equipment, db):
    add_equipment("LF100-1", "liquid", 100)
    with app.app_context():
        session = db_session()
        vessel = session.scalar(select(Equipment).where(Equipment.code == "LF100-1"))
        planned = datetime(2026, 4, 10, 2, tzinfo=UTC)
        booking = Booking(
            reference="BK-RAN",
            company_id=year_of_books["sme"],
            service="scale_up",
            kind="liquid",
            working_volume_l=50,
            duration_h=24,
            organism="E. coli",
            earliest_start=datetime(2026, 4, 1, tzinfo=UTC),
            latest_end=datetime(2026, 5, 1, tzinfo=UTC),
            status=BookingStatus.COMPLETED,
            actual_start=planned,
            actual_end=planned + timedelta(hours=30),
        )  # ran 6 h over
        booking.allocations.append(
            Allocation(
                equipment_id=vessel.id,
                stage=Stage.MAIN,
                start=planned,
                end=planned + timedelta(hours=24),
                occupied_until=planned + timedelta(hours=30),
            )
        )
        session.add(booking)
        session.commit()
    make_claim(client, finance)
    assert frozen_annexes(db)["machine_hours"]["rows"][0][3:5] == ["30.0", "30.0"]


def test_the_dossier_workbook_has_a_sheet_per_annex_with_numbers_for_money(client, finance, year_of_books):
    number = make_claim(client, finance)["number"]
    response = client.get(f"/api/v1/subsidy/claims/{number}/dossier.xlsx", headers=finance)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == [
        "服务合同清单",
        "发票清单",
        "回款清单",
        "服务对象清单",
        "设备机时统计",
        "年度服务概况",
    ]
    customers = list(workbook["服务对象清单"].values)
    assert customers[-1][0] == "合计" and customers[-1][-1] == 3000.25


def test_the_bureau_gets_the_dossier_of_submitted_claims_only_and_a_customer_never(
    client, finance, year_of_books, make_user, make_company, token_for
):
    number = make_claim(client, finance)["number"]
    bureau = token_for(make_user("bureau"))
    path = f"/api/v1/subsidy/claims/{number}/dossier.xlsx"
    assert client.get(path, headers=bureau).status_code == 404
    assert client.post(f"/api/v1/subsidy/claims/{number}/submit", headers=finance).status_code == 200
    assert client.get(path, headers=bureau).status_code == 200
    _, email = make_company("丁客户")
    assert client.get(path, headers=token_for(email)).status_code == 403


def test_the_verification_page_shows_the_digest_of_the_frozen_annexes(client, finance, year_of_books, db):
    number = make_claim(client, finance)["number"]
    assert client.post(f"/api/v1/subsidy/claims/{number}/submit", headers=finance).status_code == 200
    claim = db.scalar(select(SubsidyClaim))
    annexes = json.loads(claim.snapshot)["dossier"]
    text = json.dumps(annexes, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert claim.dossier_sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    page = client.get(f"/verify/{claim.verification_code}")
    assert claim.dossier_sha256 in page.get_data(as_text=True)


def test_the_claim_pdf_appends_the_annexes(client, finance, year_of_books):
    number = make_claim(client, finance)["number"]
    text = pdf_text(client.get(f"/api/v1/subsidy/claims/{number}/pdf", headers=finance).data)
    for title in ("附件清单", "服务合同清单", "回款清单", "服务对象清单", "设备机时统计", "年度服务概况"):
        assert title in text


def test_finance_sees_documents_without_evidence_before_freezing_the_claim(client, year_of_books, make_user, sign_in):
    sign_in(make_user("finance"))
    page = client.get("/subsidy/2026").get_data(as_text=True)
    assert "未登记数电票号码" in page and "未关联服务合同" in page
    assert page.count("未登记数电票号码") == 2  # the invoice without one and its credit note; not the related party's
