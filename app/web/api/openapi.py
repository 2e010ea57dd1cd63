"""GET /api/v1/openapi.json: the OpenAPI 3.1 document, built from the registered operations."""

import re

from flask import jsonify

from app.web.api.core import ANYONE, OPERATIONS, SIGNED_IN, Operation, all_optional, endpoint

PATH_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
ERROR_SCHEMA = {
    "type": "object",
    "required": ["error", "fields"],
    "properties": {
        "error": {"type": "string"},
        "fields": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}
JOB_ACCEPTED_SCHEMA = {
    "type": "object",
    "required": ["job"],
    "properties": {
        "job": {
            "type": "object",
            "required": ["id", "url", "state"],
            "properties": {
                "id": {"type": "integer"},
                "url": {"type": "string"},
                "state": {"type": "string", "enum": ["queued", "running", "succeeded", "failed", "cancelled"]},
            },
        }
    },
}


def openapi_path(rule: str) -> str:
    """A Flask rule as an OpenAPI path: /equipment/<code>/x → /equipment/{code}/x."""
    return "/api/v1" + PATH_PARAM.sub(lambda m: "{" + m.group(2) + "}", rule)


def _path_parameters(rule: str) -> list[dict]:
    return [
        {"name": name, "in": "path", "required": True, "schema": {"type": "integer" if conv == "int" else "string"}}
        for conv, name in PATH_PARAM.findall(rule)
    ]


def _query_parameters(op: Operation, components: dict) -> list[dict]:
    if op.query is None:
        return []
    schema = op.query.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(schema.pop("$defs", {}))
    required = set(schema.get("required", []))
    return [
        {"name": name, "in": "query", "required": name in required, "schema": prop}
        for name, prop in schema["properties"].items()
    ]


def _request_body(op: Operation, components: dict) -> dict:
    schema = op.body.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(schema.pop("$defs", {}))
    components[op.body.__name__] = schema
    ref = {"$ref": f"#/components/schemas/{op.body.__name__}"}
    return {"required": not all_optional(op.body), "content": {"application/json": {"schema": ref}}}


def _upload_body(model) -> dict:
    """A multipart/form-data body: the model's fields, bytes sent as files."""
    schema = model.model_json_schema()
    return {"required": True, "content": {"multipart/form-data": {"schema": schema}}}


def _responses(op: Operation) -> dict:
    answers = {}
    for status, description in sorted(op.responses.items()):
        if status == 204:
            answers[str(status)] = {"description": description}  # no body
        elif status == 202:
            answers[str(status)] = _job_accepted(description)
        elif status < 400:
            answers[str(status)] = {"description": description, "content": {op.produces: {"schema": {}}}}
        else:
            answers[str(status)] = _error(description)
    if PATH_PARAM.search(op.rule):
        answers.setdefault("404", _error("not found (also a path parameter of the wrong type)"))
    if op.who != ANYONE:
        answers.setdefault("401", _error("missing or bad token"))
    if op.who not in (ANYONE, SIGNED_IN):
        answers.setdefault("403", _error("role not allowed"))
    if op.body is not None or op.query is not None or op.upload is not None:
        answers.setdefault("422", _error("invalid input"))
    return answers


def _job_accepted(description: str) -> dict:
    """Long work started: the job to poll at GET /api/v1/jobs/{id}, also in the Location header."""
    return {
        "description": description,
        "headers": {"Location": {"description": "the job's URL", "schema": {"type": "string"}}},
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/JobAccepted"}}},
    }


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _operation(op: Operation, components: dict) -> dict:
    doc = {
        "operationId": f"{op.method.lower()}_{op.rule}",
        "summary": op.summary,
        "parameters": _path_parameters(op.rule) + _query_parameters(op, components),
        "responses": _responses(op),
    }
    if op.body is not None:
        doc["requestBody"] = _request_body(op, components)
    if op.upload is not None:
        doc["requestBody"] = _upload_body(op.upload)
    if op.who != ANYONE:
        doc["security"] = [{"bearerAuth": []}]
        roles = "signed-in users" if op.who == SIGNED_IN else ", ".join(r.value for r in op.who)
        doc["description"] = f"Who: {roles}."
    return doc


def build_document() -> dict:
    components: dict = {"Error": ERROR_SCHEMA, "JobAccepted": JOB_ACCEPTED_SCHEMA}
    paths: dict = {}
    for op in OPERATIONS:
        paths.setdefault(openapi_path(op.rule), {})[op.method.lower()] = _operation(op, components)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Pilot-plant booking and billing API", "version": "1"},
        "paths": paths,
        "components": {"schemas": components, "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
    }


@endpoint("/openapi.json", "GET", "This document", ANYONE)
def openapi_document():
    return jsonify(build_document())
