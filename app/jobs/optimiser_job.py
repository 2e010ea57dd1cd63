"""The optimiser as a background job: its result is the proposed moves, applied at most once."""

import threading
import time
from contextlib import contextmanager

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.jobs import JobCancelled, JobContext, enqueue, mark_applied, register, visible_job
from app.models import Job, User
from app.platform.context import current_context
from app.platform.errors import NotFound
from app.platform.timefmt import iso_local, parse_iso
from app.services.access.policy import OPERATORS
from app.services.plan import schedule

KIND = "schedule.optimize"
TICK_S = 1.0


def placement_json(p: schedule.Placement) -> dict:
    return {
        "stage": p.stage,
        "equipment": p.equipment,
        "start": iso_local(p.start, current_context().tz),
        "end": iso_local(p.end, current_context().tz),
    }


def proposal_json(proposal: schedule.Proposal) -> dict:
    """A proposal (the optimiser's or a repair's) as JSON, for a job's result, the API and the pages:
    solver figures, the plan version it was made on, and every move, before and after."""
    return {
        "status": proposal.status,
        "objective": proposal.objective,
        "bound": proposal.bound,
        "plan_version": proposal.plan_version,
        "moves": [
            {
                "booking_id": m.booking.id,
                "reference": m.booking.reference,
                "company": m.booking.company.name,
                "status": m.booking.status.value,
                "before": [placement_json(p) for p in m.before],
                "after": [placement_json(p) for p in m.after],
                "tardiness_before_h": round(m.tardiness_before_h, 2),
                "tardiness_after_h": round(m.tardiness_after_h, 2),
            }
            for m in proposal.moves
        ],
    }


@contextmanager
def solving_progress(ctx: JobContext, seconds: float):
    """While the solver runs (it reports nothing), progress by its time limit, once a second."""
    done = threading.Event()

    def tick():
        started = time.monotonic()
        while not done.wait(TICK_S):
            try:
                ctx.progress(min((time.monotonic() - started) / seconds, 0.99), "求解中")
            except JobCancelled:
                return  # the runner ends the job cancelled when the solver returns

    ticker = threading.Thread(target=tick, name=f"job-{ctx.job_id}-progress", daemon=True)
    ticker.start()
    try:
        yield
    finally:
        done.set()
        ticker.join()


@register(KIND, OPERATORS, title=_l("Optimiser run"), result_template="operations/_proposal.html")
def optimise(ctx: JobContext, params: dict) -> dict:
    """Re-plan the open requests around the pinned work; nothing is saved."""
    seconds = params["time_limit_s"]
    ctx.progress(0.0, "建立排程模型")
    with solving_progress(ctx, seconds):
        context = current_context()
        proposal = schedule.propose(ctx.session, context.rules, context.now(), seconds, context.solver.workers)
    return proposal_json(proposal)


def start_optimiser(session: Session, actor: User, seconds: float) -> Job:
    return enqueue(session, actor, KIND, {"time_limit_s": seconds})


def mark_proposal_applied(session: Session, actor: User, job_id: int) -> Job:
    """Record that an optimiser job's proposal is being applied; a second time is refused (409)."""
    job = visible_job(session, actor, job_id)
    if job.kind != KIND:
        raise NotFound(f"优化任务 {job_id} 不存在")
    mark_applied(session, actor, job)
    return job


def apply_proposal(session: Session, actor: User, job_id: int) -> list[schedule.Move]:
    """Apply every move of an optimiser job's proposal, once: a second time is refused."""
    job = mark_proposal_applied(session, actor, job_id)
    moves = {
        m["booking_id"]: [
            schedule.Placement(
                p["stage"],
                p["equipment"],
                parse_iso(p["start"], current_context().tz),
                parse_iso(p["end"], current_context().tz),
            )
            for p in m["after"]
        ]
        for m in job.result["moves"]
    }
    return (
        schedule.move_bookings(session, actor, current_context().rules, current_context().now(), moves) if moves else []
    )
