"""The optimiser: a job whose result is the proposed moves, then apply."""
from flask import jsonify

from ..db import db_session
from ..mail import notify_booking
from ..optimiser_job import mark_proposal_applied, start_optimiser
from ..services import schedule
from ..timefmt import as_utc
from .bookings import OPERATORS, now, plant_rules
from .core import current, endpoint
from .jobs import accepted
from .schemas import ApplyIn, OptimizeIn


@endpoint("/schedule/optimize", "POST", "Start re-planning the unconfirmed bookings: a job whose result is the "
          "proposed moves (nothing saved)", OPERATORS, body=OptimizeIn, status=202)
def optimize_schedule(body: OptimizeIn):
    session = db_session()
    job = start_optimiser(session, current(), body.time_limit_s)
    session.commit()
    return accepted(job)


@endpoint("/schedule/apply", "POST", "Apply moves (as proposed, or by hand) after validating the whole schedule; "
          "with `job`, that optimiser job's proposal is applied once", OPERATORS, body=ApplyIn,
          responses={404: "unknown booking or job", 409: "a move breaks a rule, or the job was already applied"})
def apply_schedule(body: ApplyIn):
    session = db_session()
    if body.job is not None:
        mark_proposal_applied(session, current(), body.job)
    moves = {m.booking_id: [schedule.Placement(s.stage, s.equipment, as_utc(s.start), as_utc(s.end))
                            for s in m.stages] for m in body.moves}
    moved = schedule.apply_moves(session, current(), plant_rules(), now(), moves)
    session.commit()
    for booking in moved:
        notify_booking(booking, "moved")
    return jsonify({"items": [{"booking_id": b.id, "reference": b.reference} for b in moved]})
