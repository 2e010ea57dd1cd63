"""Job kinds for testing the queue itself, and the app factory of the worker processes the tests start."""

import time

from app import create_app
from app.jobs import register
from app.jobs.runner import WORKER_NAME
from app.models import AuditEntry, Role
from app.platform.errors import Conflict


@register("test.count", (Role.ADMIN,), title="Counting")
def count(ctx, params):
    """Counts to `steps`, pausing `pause_s` at each, reporting progress (so it notices a cancel)."""
    for step in range(params["steps"]):
        ctx.progress(step / params["steps"], f"step {step}")
        time.sleep(params.get("pause_s", 0))
    return {"counted": params["steps"], "worker": WORKER_NAME}


@register("test.retried", (Role.ADMIN,), title="Counting, safe to retry", retry=True)
def count_again(ctx, params):
    return count(ctx, params)


@register("test.refused", (Role.ADMIN,), title="Refused")
def refused(ctx, params):
    raise Conflict("无法完成：测试拒绝")


@register("test.broken", (Role.ADMIN,), title="Broken")
def broken(ctx, params):
    raise ZeroDivisionError


@register("test.effect", (Role.ADMIN,), title="An effect", retry=True)
def effect(ctx, params):
    """Writes one audit entry, pausing first on its first attempt (to be killed before its effect is kept)."""
    ctx.progress(0.5, "waiting")
    if ctx.attempt == 1:
        time.sleep(params.get("pause_s", 0))
    ctx.writing()
    ctx.session.add(AuditEntry(action="test.effect", entity_type="job", entity_id=str(ctx.job_id), details="{}"))
    ctx.session.flush()
    if params.get("fail_after_writing"):
        raise Conflict("写入后失败")
    return {"wrote": 1}


def make_app():
    return create_app()
