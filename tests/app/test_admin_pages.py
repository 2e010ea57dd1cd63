"""The admin's pages: the audit log, newest first, a page at a time, filtered by kind of record."""

from app.models import AuditEntry


def test_the_audit_log_shows_the_newest_entries_a_page_at_a_time_and_filters_by_kind(
    client, db, make_user, sign_in, add_equipment
):
    admin = make_user("admin")
    add_equipment("LF100-1", "liquid", 100)
    for n in range(60):
        db.add(AuditEntry(action="invoice.payment", entity_type="invoice", entity_id=str(n), details="{}"))
    db.commit()
    sign_in(admin)
    first = client.get("/admin/audit").get_data(as_text=True)
    assert "发票 59" in first and "发票 0<" not in first and "第 1 页，共 2 页" in first
    second = client.get("/admin/audit?page=2").get_data(as_text=True)
    assert "发票 0<" in second
    equipment = client.get("/admin/audit?type=equipment").get_data(as_text=True)
    assert "已添加设备" in equipment and "已登记收款" not in equipment


def test_only_admins_read_the_audit_log(client, make_user, sign_in):
    for role in ("operator", "finance", "bureau"):
        sign_in(make_user(role))
        assert client.get("/admin/audit").status_code == 403
