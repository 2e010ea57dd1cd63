"""The optimiser (a job whose result is the proposed moves), the repair of conflicted bookings, then apply."""

from flask import jsonify

from app.documents.mail import notify_booking
from app.jobs.optimiser_job import mark_proposal_applied, proposal_json, start_optimiser
from app.platform.context import current_context
from app.platform.db import db_session
from app.platform.timefmt import as_utc
from app.services.plan import repair, schedule
from app.web.api.core import current, endpoint
from app.web.api.jobs import accepted
from app.web.api.schemas import ApplyIn, OptimizeIn, RepairIn


@endpoint(
    "/schedule/optimize",
    "POST",
    "Start re-planning the unconfirmed bookings: a job whose result is the proposed moves (nothing saved)",
    "plan.schedule",
    body=OptimizeIn,
    status=202,
)
def optimize_schedule(body: OptimizeIn):
    session = db_session()
    job = start_optimiser(session, current(), body.time_limit_s)
    session.commit()
    return accepted(job)


@endpoint(
    "/schedule/repair",
    "POST",
    "Propose the fewest moves that mend every conflicted booking (nothing saved); "
    "apply them with /schedule/apply and the plan_version",
    "plan.schedule",
    body=RepairIn,
    responses={409: "no valid plan holds every conflicted booking"},
)
def repair_schedule(body: RepairIn):
    return jsonify(proposal_json(repair.propose_repair(db_session(), current_context())))


@endpoint(
    "/schedule/apply",
    "POST",
    "Apply moves (as proposed, or by hand) after validating the whole schedule; "
    "with `job`, that optimiser job's proposal is applied once; with `plan_version`, a repair preview that "
    "is still current",
    "plan.schedule",
    body=ApplyIn,
    responses={
        404: "unknown booking or job",
        409: "a move breaks a rule, the job was already applied, or the preview is stale (with a fresh proposal)",
    },
)
def apply_schedule(body: ApplyIn):
    session = db_session()
    if body.job is not None:
        mark_proposal_applied(session, current(), body.job)
    moves = {
        m.booking_id: [schedule.Placement(s.stage, s.equipment, as_utc(s.start), as_utc(s.end)) for s in m.stages]
        for m in body.moves
    }
    try:
        moved = schedule.move_bookings(
            session, current(), current_context().rules, current_context().now(), moves, body.plan_version
        )
    except schedule.StalePreview as error:
        session.rollback()
        return jsonify(
            {
                "error": error.message,
                "fields": error.fields,
                "proposal": proposal_json(repair.propose_repair(db_session(), current_context())),
            }
        ), 409
    session.commit()
    for move in moved:
        notify_booking(move.booking, "moved", previous=move.before)
    return jsonify({"items": [{"booking_id": m.booking.id, "reference": m.booking.reference} for m in moved]})
