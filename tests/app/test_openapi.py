"""The served OpenAPI document describes exactly the registered API routes."""

import re

from app.web.api.openapi import openapi_path


def api_routes(app) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1"):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                routes.add((openapi_path(rule.rule.removeprefix("/api/v1")), method.lower()))
    return routes


def test_every_api_route_is_documented_and_every_documented_route_exists(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    documented = {(path, method) for path, ops in document["paths"].items() for method in ops}
    assert documented == api_routes(app)


def test_the_document_is_openapi_3_1_with_resolvable_references(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    text = str(document)
    for ref in set(re.findall(r"#/components/schemas/(\w+)", text)):
        assert ref in document["components"]["schemas"], ref


def test_the_contract_paths_of_api_md_are_there(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in (
        "/api/v1/tokens",
        "/api/v1/companies",
        "/api/v1/equipment",
        "/api/v1/equipment/{code}/maintenance",
        "/api/v1/companies/{company_id}",
    ):
        assert path in paths


def test_routes_that_start_long_work_document_their_202_with_the_job_and_its_location(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path, method in (("/api/v1/schedule/optimize", "post"), ("/api/v1/subsidy/claims/{number}/pdf", "get")):
        accepted = paths[path][method]["responses"]["202"]
        assert accepted["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/JobAccepted"}
        assert "Location" in accepted["headers"]
    assert {"get"} <= set(paths["/api/v1/jobs/{job_id}"]) and "404" in paths["/api/v1/jobs/{job_id}"]["get"][
        "responses"
    ]
