"""Tenant isolation: every route of the app, as every role, asked for company B's objects: the answer is a
refusal (a redirect to sign in, 401, 403, 404) or shows only what the role may see; none of B's identifying
strings is in any answer (pages, JSON, PDFs, CSV and XLSX exports, calendars, headers); and no request
changes the database. Public routes are listed as such and show nothing private to anyone."""

import io
import json
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.models import Base
from app.platform.db import write_intent
from app.services.finance.billing_exports import NAMES as EXPORTS
from tests.app.billing_data import THIS_YEAR
from tests.app.booking_data import local
from tests.app.two_companies import Plant
from tests.factories import PASSWORD
from tests.pdf_tools import text_of

ANONYMOUS, COLLEAGUE, COMPANY_ADMIN = "anonymous", "colleague", "company admin"  # the last two: of company A
OPERATOR, FINANCE, ADMIN, BUREAU = "operator", "finance", "admin", "bureau"
ROLES = [ANONYMOUS, COLLEAGUE, COMPANY_ADMIN, OPERATOR, FINANCE, ADMIN, BUREAU]
CUSTOMERS = {COLLEAGUE, COMPANY_ADMIN}
EVERYONE = set(ROLES)
SIGNED_IN = EVERYONE - {ANONYMOUS}
STAFF = {OPERATOR, FINANCE, ADMIN}
OPERATORS = {OPERATOR, ADMIN}
ACCOUNTANTS = {FINANCE, ADMIN}
CLAIM_READERS = {FINANCE, ADMIN, BUREAU}


@dataclass(frozen=True)
class Route:
    """Who gets through the door (others: a redirect to sign in, 401 or 403) and who sees every company's
    objects there (those roles are not asked: it is their work); the rest see their own company's only."""

    opens: set
    sees_all: set = field(default_factory=set)
    fill: dict = field(default_factory=dict)  # this route's own way to fill a URL variable
    fill_hides: bool = False  # what the fill names is to be not found, for everyone

    @property
    def public(self) -> bool:
        return ANONYMOUS in self.opens


PUBLIC = Route(EVERYONE)
SIGNS_OUT = {"auth.logout"}  # changes only the user's session generation, which ends the session
ROUTES = {
    # public: shows nothing private to anyone
    "main.index": PUBLIC,
    "catalogue.index": PUBLIC,
    "static": PUBLIC,
    "auth.login": PUBLIC,
    "auth.register": PUBLIC,
    "api.openapi_document": PUBLIC,
    "api.create_token": PUBLIC,
    "api.register_company": PUBLIC,
    "api.list_equipment": PUBLIC,
    # the draft claim's code: the public check answers only for submitted claims
    "subsidy.verify": Route(EVERYONE, fill={"code": lambda plant: [plant.claim_code]}, fill_hides=True),
    "auth.confirm_email": PUBLIC,  # its token is a forged one: not found for everyone
    "subsidy.verify_form": PUBLIC,
    "feeds.company_feed": PUBLIC,  # opened by its secret; B's id with A's secret is not B's feed
    "main.healthz": PUBLIC,
    # one's own company, or everything for staff
    "auth.logout": Route(SIGNED_IN),
    "auth.my_company": Route(SIGNED_IN),
    "auth.account": Route(SIGNED_IN),
    "auth.revoke_token": Route(SIGNED_IN),
    "auth.resend_confirmation": Route(SIGNED_IN),
    # acts on the caller's own company only: nothing of B's to name, and asking would replace A's feed address
    "auth.replace_company_feed": Route(SIGNED_IN, SIGNED_IN),
    # acts on the caller's own token only: nothing of B's to name, and asking would sign the crawler out
    "api.revoke_current_token": Route(SIGNED_IN, SIGNED_IN),
    "bookings.index": Route(SIGNED_IN, STAFF),
    "bookings.show": Route(SIGNED_IN, STAFF),
    "bookings.cancel": Route(SIGNED_IN, STAFF),
    "bookings.new": Route(CUSTOMERS),
    "my_invoices.index": Route(CUSTOMERS),
    "my_invoices.show": Route(CUSTOMERS),
    "my_invoices.pdf": Route(CUSTOMERS),
    "api.get_availability": Route(SIGNED_IN),
    "api.create_booking": Route(CUSTOMERS),
    "api.list_bookings": Route(CUSTOMERS | STAFF, STAFF),
    "api.get_booking": Route(CUSTOMERS | STAFF, STAFF),
    "api.cancel_booking": Route(CUSTOMERS | STAFF, STAFF),
    "api.accept_booking": Route(CUSTOMERS | STAFF, STAFF),
    "disruptions.accept": Route(SIGNED_IN, STAFF),
    "waitlist.index": Route(SIGNED_IN, STAFF),
    "api.list_waiting": Route(CUSTOMERS | STAFF, STAFF),
    **dict.fromkeys(
        [
            "waitlist.accept",
            "waitlist.decline",
            "waitlist.ask_earlier",
            "api.join_waiting_list",
            "api.accept_offer",
            "api.decline_offer",
            "api.wait_for_earlier_slot",
        ],
        Route(CUSTOMERS),
    ),
    "api.get_process_data": Route(CUSTOMERS | OPERATORS, OPERATORS),
    "batch.show": Route(SIGNED_IN, STAFF),
    "api.get_batch_record": Route(CUSTOMERS | STAFF, STAFF),
    "api.get_acceptance": Route(CUSTOMERS | STAFF, STAFF),
    "api.answer_acceptance": Route(CUSTOMERS),
    "batch_record.answer": Route(CUSTOMERS),
    "batch.report": Route(SIGNED_IN, STAFF),
    "batch.package": Route(SIGNED_IN, STAFF),
    "api.get_batch_report": Route(CUSTOMERS | STAFF, STAFF),
    "api.get_data_package": Route(CUSTOMERS | STAFF, STAFF),
    "api.get_company": Route(SIGNED_IN, STAFF | {BUREAU}),
    "api.list_invoices": Route(CUSTOMERS | ACCOUNTANTS, ACCOUNTANTS),
    "api.get_invoice": Route(CUSTOMERS | ACCOUNTANTS, ACCOUNTANTS),
    "api.invoice_pdf": Route(CUSTOMERS | ACCOUNTANTS, ACCOUNTANTS),
    # staff only
    "booking_history.show": Route(STAFF, STAFF),
    "api.booking_history": Route(STAFF, STAFF),
    "holds.index": Route(STAFF, STAFF),
    **dict.fromkeys(
        [
            "admin.audit_log",
            "admin.companies",
            "admin.company",
            "subsidy.policy",
            "api.patch_company",
            "feeds.replace_equipment_feed",
            "admin.review_queue",
            "admin.review",
        ],
        Route({ADMIN}, {ADMIN}),
    ),
    **dict.fromkeys(
        [
            "equipment.index",
            "equipment.show",
            "equipment.new",
            "equipment.edit",
            "equipment.add_maintenance",
            "equipment.set_status",
            "equipment.remove_maintenance",
            "feeds.equipment_feed",
            "feeds.equipment_feeds",
            "operations.queue",
            "operations.change",
            "operations.complete",
            "operations.board",
            "operations.move",
            "operations.optimize",
            "operations.apply",
            "reports.index",
            "reports.utilisation",
            "reports.utilisation_csv",
            "reports.service_hours",
            "reports.service_hours_csv",
            "api.add_equipment",
            "api.add_maintenance",
            "api.confirm_booking",
            "api.reject_booking",
            "api.start_booking",
            "api.complete_booking",
            "api.optimize_schedule",
            "api.apply_schedule",
            "api.import_process_data",
            "batch.upload",
            "api.add_batch_entry",
            "api.sign_batch_record",
            "api.add_batch_addendum",
            "batch_record.add_entry",
            "batch_record.sign",
            "batch_record.add_addendum",
            "api.extend_booking",
            "api.abort_booking",
            "api.repair_schedule",
            "disruptions.extend",
            "disruptions.abort",
            "disruptions.repair_preview",
            "disruptions.repair_apply",
            "waitlist.priority",
            "api.set_waiting_priority",
        ],
        Route(OPERATORS, OPERATORS),
    ),
    **dict.fromkeys(
        [
            "finance.receivables",
            "finance.price_lists_index",
            "finance.new_version",
            "finance.price_list",
            "finance.set_price",
            "finance.customer_groups_page",
            "invoices.index",
            "invoices.new",
            "invoices.show",
            "invoices.pdf",
            "invoices.export",
            "invoice_actions.add_line",
            "invoice_actions.edit_line",
            "invoice_actions.delete_line",
            "invoice_actions.delete_draft",
            "invoice_actions.issue",
            "invoice_actions.add_payment",
            "invoice_actions.credit",
            "invoice_actions.fapiao",
            "subsidy.index",
            "subsidy.live",
            "api.create_invoice",
            "api.patch_invoice",
            "api.delete_invoice",
            "api.add_line",
            "api.replace_line",
            "api.delete_line",
            "api.issue_invoice",
            "api.add_payment",
            "api.create_credit_note",
            "api.receivables",
            "etax.index",
            "etax.export",
            "etax.red_letter",
            "etax.import_issued",
        ],
        Route(ACCOUNTANTS, ACCOUNTANTS),
    ),
    **dict.fromkeys(
        ["subsidy.create_claim", "subsidy.submit", "api.subsidy_create_claim", "api.subsidy_submit_claim"],
        Route({FINANCE}, {FINANCE}),
    ),
    **dict.fromkeys(
        [
            "subsidy.claims",
            "subsidy.claim",
            "subsidy.pdf",
            "subsidy.dossier",
            "api.subsidy_list_claims",
            "api.subsidy_get_claim",
            "api.subsidy_claim_pdf",
            "api.subsidy_claim_dossier",
        ],
        Route(CLAIM_READERS, ACCOUNTANTS),
    ),
    "api.subsidy_figures": Route(ACCOUNTANTS, ACCOUNTANTS),  # revenue per customer: not for the bureau
    # whoever started the job, and the staff of its kind (B's job in the plant is of a kind admins see)
    **dict.fromkeys(
        ["jobs.show", "jobs.file", "jobs.cancel_job", "api.get_job", "api.job_file", "api.cancel_job"],
        Route(SIGNED_IN, {ADMIN}),
    ),
    # the contract ledger is finance's own: other roles are refused before any contract is looked up
    **dict.fromkeys(
        [
            "contracts.index",
            "contracts.create",
            "contracts.from_booking",
            "contracts.show",
            "contracts.scan",
            "contracts.scan_pdf",
            "contracts.assign_invoice",
            "contracts.prepayment",
            "contracts.apply_prepayment",
        ],
        Route(ACCOUNTANTS, ACCOUNTANTS, fill={"contract_id": lambda plant: [1]}),
    ),
}

# URL variables naming what a role that does not see all companies must not find (404): B's objects, B's id
# with A's feed secret, and a draft subsidy claim (the bureau sees submitted ones only).
HIDDEN = {
    "booking_id": lambda plant: [plant.b.booking_id],
    "invoice_id": lambda plant: [plant.b.invoice_id, plant.b.credit_note_id, plant.b.draft_id],
    "line_id": lambda plant: [plant.b.line_id, plant.b.draft_line_id],
    "company_id": lambda plant: [plant.b.id],
    "token": lambda plant: [plant.forged_feed_token],
    "number": lambda plant: [plant.claim_number],
    "token_id": lambda plant: [plant.b.token_id],
    "entry_id": lambda plant: [plant.b.entry_id],
    "job_id": lambda plant: [plant.b.job_id],
}
# URL variables naming what all companies share.
SHARED = {
    "code": lambda plant: [plant.vessel],
    "status": lambda plant: ["maintenance"],
    "window_id": lambda plant: [plant.window_id],
    "price_list_id": lambda plant: [plant.price_list_id],
    "item_id": lambda plant: [plant.price_item_id],
    "year": lambda plant: [THIS_YEAR],
    "name": lambda plant: list(EXPORTS),
    "fmt": lambda plant: ["csv", "xlsx"],
    "action": lambda plant: ["confirm", "reject", "start"],
    "filename": lambda plant: ["style.css"],
}
# Input that gets a route as far as showing data about the plant's bookings (others: empty input).
QUERIES = {
    "api.get_availability": lambda plant: {
        "kind": "liquid",
        "working_volume_l": 60,
        "duration_h": 48,
        "earliest_start": local(2, 8).isoformat(),
        "latest_end": local(30, 20).isoformat(),
    },
    "api.list_invoices": lambda plant: {"company_id": plant.b.id},
}
FORMS = {
    "bookings.new": {
        "action": "search",
        "service": "scale_up",
        "kind": "liquid",
        "working_volume_l": "60",
        "duration_h": "48",
        "earliest_start": local(2, 8).strftime("%Y-%m-%dT%H:%M"),
        "latest_end": local(30, 20).strftime("%Y-%m-%dT%H:%M"),
        "organism": "枯草芽孢杆菌",
        "biosafety_level": "1",
    },
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Where staff legitimately see B, in each format the crawl reads: proof that its eyes work.
B_SHOWN_TO_STAFF = [
    (FINANCE, "/finance/invoices/{b.invoice_id}/pdf", "application/pdf"),
    (FINANCE, "/finance/invoices/export/invoices.xlsx", XLSX),
    (FINANCE, "/finance/invoices/export/payments.csv", "text/csv"),
    (OPERATOR, "/feeds/equipment/{vessel}.ics", "text/calendar"),
    (FINANCE, "/api/v1/invoices/{b.invoice_id}", "application/json"),
    (ADMIN, "/admin/companies", "text/html"),
]


def test_every_route_of_the_app_is_in_the_crawl_table(app):
    assert {rule.endpoint for rule in app.url_map.iter_rules()} == set(ROUTES)


def test_every_url_variable_has_a_way_to_be_filled(app):
    unknown = {
        (rule.endpoint, name)
        for rule in app.url_map.iter_rules()
        for name in rule.arguments
        if name not in HIDDEN | SHARED | ROUTES[rule.endpoint].fill
    }
    assert unknown == set()


def urls(app, plant: Plant, rule) -> list[tuple[str, bool]]:
    """The rule filled every way the tables say, each with whether it names a hidden object."""
    filled = [({}, False)]
    for name in sorted(rule.arguments):
        way = ROUTES[rule.endpoint].fill.get(name) or HIDDEN.get(name) or SHARED[name]
        route = ROUTES[rule.endpoint]
        hidden = route.fill_hides if name in route.fill else name in HIDDEN
        filled = [
            ({**values, name: value}, names_hidden or hidden) for values, names_hidden in filled for value in way(plant)
        ]
    return [
        (app.url_map.bind("localhost").build(rule.endpoint, values), names_hidden) for values, names_hidden in filled
    ]


def readable(response) -> str:
    """Everything a response says, as text: headers, and the body whatever its format."""
    if response.mimetype == "application/pdf":
        body = text_of(response.data)
    elif response.mimetype == XLSX:
        sheets = load_workbook(io.BytesIO(response.data), read_only=True).worksheets
        body = "\n".join(str(cell) for sheet in sheets for row in sheet.iter_rows(values_only=True) for cell in row)
    elif response.is_json:
        body = json.dumps(response.get_json(), ensure_ascii=False)
    else:  # HTML, CSV, and calendars (unfolded: a long line goes on after a break and a space)
        body = response.get_data(as_text=True).replace("\r\n ", "")
    return f"{response.headers}\n{body}"


def snapshot(app) -> dict:
    """Every row of every table (read without taking SQLite's write lock)."""
    token = write_intent.set(False)
    try:
        with app.extensions["engine"].connect() as conn:
            return {
                table.name: sorted(map(repr, conn.execute(select(table)).all()))
                for table in Base.metadata.sorted_tables
            }
    finally:
        write_intent.reset(token)


def signed_in_client(app, plant: Plant, role: str):
    """A client with the role's session cookie and API token (none for the anonymous)."""
    client, email = (
        app.test_client(),
        {COLLEAGUE: plant.a.colleague, COMPANY_ADMIN: plant.a.admin}.get(role, plant.staff.get(role)),
    )
    if email is not None:
        response = client.post("/login", data={"email": email, "password": PASSWORD})
        assert response.status_code == 302
    token = {COLLEAGUE: "colleague", COMPANY_ADMIN: "a"}.get(role, role)
    return client, plant.tokens.get(token, {})


def expected_statuses(role: str, route: Route, method: str, names_hidden: bool, api: bool) -> set[int] | None:
    """The statuses the request may get, or None when any answer below 500 will do."""
    if role not in route.opens:
        return {403} if role != ANONYMOUS else {401} if api else {302}
    if names_hidden:
        return {404}
    return {200} if route.public and role == ANONYMOUS and method == "GET" else None


def test_the_crawl_reads_b_in_every_format_where_staff_see_it(two_companies):
    app, plant = two_companies
    for role, path, mimetype in B_SHOWN_TO_STAFF:
        client, token = signed_in_client(app, plant, role)
        response = client.get(path.format(b=plant.b, vessel=plant.vessel), headers=token)
        assert (response.status_code, response.mimetype) == (200, mimetype), path
        assert plant.b.name in readable(response), path


def crawl(app, plant: Plant, role: str):
    """Every request the role is to make: each rule, filled every way, with each of its methods; not the
    routes where the role sees all companies (that is its work). Signing out comes last: it ends the session."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.endpoint in SIGNS_OUT):
        if role not in ROUTES[rule.endpoint].sees_all:
            for url, names_hidden in urls(app, plant, rule):
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                    yield rule, url, names_hidden, method


def ask(client, token: dict, plant: Plant, rule, url: str, method: str):
    """The request with empty input (JSON for the API, a form for pages), or with the input of the tables."""
    if method == "GET":
        return client.get(url, headers=token, query_string=QUERIES.get(rule.endpoint, lambda plant: None)(plant))
    if rule.rule.startswith("/api/"):
        return client.open(url, method=method, headers=token, json={})
    return client.open(url, method=method, headers=token, data=FORMS.get(rule.endpoint, {}))


@pytest.mark.parametrize("role", ROLES)
def test_another_companys_objects_are_not_found_and_its_data_is_in_no_answer(two_companies, role):
    app, plant = two_companies
    forbidden = plant.b.identifying_strings() + ([] if role in CUSTOMERS else plant.a.identifying_strings())
    client, token = signed_in_client(app, plant, role)
    session_cookie = client.get_cookie("session")
    for rule, url, names_hidden, method in crawl(app, plant, role):
        if session_cookie is not None:  # signing out (one of the routes) drops it
            client.set_cookie("session", session_cookie.value)
        before = snapshot(app) if method != "GET" else None
        response = ask(client, token, plant, rule, url, method)
        text = readable(response)
        response.close()  # a static file is sent from an open file
        asked = f"{role}: {method} {url} → {response.status_code}"
        assert response.status_code < 500, asked
        allowed = expected_statuses(role, ROUTES[rule.endpoint], method, names_hidden, rule.rule.startswith("/api/"))
        assert allowed is None or response.status_code in allowed, asked
        if response.status_code == 302 and role == ANONYMOUS:
            assert urlsplit(response.location).path == "/login", asked
        assert [s for s in forbidden if s in text] == [], asked
        if before is not None:
            changed = {table for table, rows in snapshot(app).items() if rows != before[table]}
            assert changed <= ({"users"} if rule.endpoint in SIGNS_OUT else set()), asked
