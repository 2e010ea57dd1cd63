"""The API's plumbing: bearer auth, the policy's door, body and query parsing, JSON errors, the route registry."""

from dataclasses import dataclass, field
from functools import wraps

from flask import Blueprint, g, jsonify, request
from pydantic import BaseModel, ValidationError

from app.models import Role
from app.platform.context import current_context
from app.platform.db import db_session
from app.platform.errors import DomainError
from app.services.access import accounts, credentials, policy
from app.services.access.policy import ANYONE, SIGNED_IN

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@dataclass
class Operation:
    """What the OpenAPI document says of one endpoint."""

    rule: str
    method: str
    summary: str
    who: str | tuple[Role, ...]  # ANYONE, SIGNED_IN or the roles of the route's policy action
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    responses: dict[int, str] = field(default_factory=dict)
    produces: str = "application/json"
    upload: type[BaseModel] | None = None  # a multipart/form-data body, read by the view itself


OPERATIONS: list[Operation] = []


def json_error(status: int, message: str, fields: dict[str, str] | None = None):
    return jsonify({"error": message, "fields": fields or {}}), status


def _field_errors(error: ValidationError) -> dict[str, str]:
    return {".".join(str(p) for p in e["loc"]) or "body": e["msg"] for e in error.errors()}


def _authenticate() -> None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    token, user = token.strip(), None
    if scheme.lower() == "bearer" and token:
        user = credentials.user_for_token(db_session(), token, current_context().now())
    g.api_user, g.api_token = user, token if user is not None else None


def all_optional(model: type[BaseModel]) -> bool:
    return not any(info.is_required() for info in model.model_fields.values())


def _parse(model: type[BaseModel], data) -> BaseModel:
    return model.model_validate(data)


def endpoint(
    rule: str,
    method: str,
    summary: str,
    who,
    *,
    body=None,
    query=None,
    status: int = 200,
    responses: dict[int, str] | None = None,
    produces: str = "application/json",
    upload=None,
):
    """Register an API route with who may use it (ANYONE, SIGNED_IN or a policy action) and its body/query models
    (also for OpenAPI)."""
    answers = {status: "success", **(responses or {})}
    door = who if who in (ANYONE, SIGNED_IN) else policy.roles_for(who)
    OPERATIONS.append(Operation(rule, method, summary, door, body, query, answers, produces, upload))

    def decorate(view):
        @wraps(view)
        def wrapper(**kwargs):
            _authenticate()
            if who != ANYONE:
                if g.api_user is None:
                    return json_error(401, "需要有效的访问令牌（Authorization: Bearer …）")
                if who != SIGNED_IN and not policy.may(g.api_user, who):
                    return json_error(403, "当前角色无权执行此操作")
            try:
                if body is not None:
                    payload = request.get_json(silent=True)
                    if payload is None and not request.get_data() and all_optional(body):
                        payload = {}  # e.g. POST …/issue without a body: every field has its default
                    if not isinstance(payload, dict):
                        return json_error(422, "请求体须为 JSON 对象", {"body": "expected a JSON object"})
                    kwargs["body"] = _parse(body, payload)
                if query is not None:
                    kwargs["query"] = _parse(query, request.args.to_dict())
                return view(**kwargs)
            except ValidationError as error:
                db_session().rollback()
                return json_error(422, "输入有误", _field_errors(error))
            except DomainError as error:
                db_session().rollback()
                return json_error(error.status, error.message, error.fields)

        wrapper.policy_action = who
        bp.add_url_rule(rule, endpoint=view.__name__, view_func=wrapper, methods=[method])
        return wrapper

    return decorate


def current() -> "accounts.User":
    return g.api_user
