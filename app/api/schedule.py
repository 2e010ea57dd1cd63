"""The optimiser: proposed moves, then apply."""
from flask import current_app, jsonify

from ..db import db_session
from ..mail import notify_booking
from ..services import schedule
from ..timefmt import as_utc, iso_local
from .bookings import OPERATORS, now, plant_rules
from .core import current, endpoint
from .schemas import ApplyIn, OptimizeIn


def placement_json(p: schedule.Placement) -> dict:
    return {"stage": p.stage, "equipment": p.equipment, "start": iso_local(p.start), "end": iso_local(p.end)}


@endpoint("/schedule/optimize", "POST", "Re-plan unconfirmed bookings; returns the proposed moves (nothing saved)",
          OPERATORS, body=OptimizeIn, responses={409: "an open request fits no vessel"})
def optimize_schedule(body: OptimizeIn):
    proposal = schedule.propose(db_session(), plant_rules(), now(), body.time_limit_s,
                                current_app.config.get("SOLVER_WORKERS", 2))
    return jsonify({
        "status": proposal.status, "objective": proposal.objective, "bound": proposal.bound,
        "moves": [{"booking_id": m.booking.id, "reference": m.booking.reference,
                   "before": [placement_json(p) for p in m.before], "after": [placement_json(p) for p in m.after],
                   "tardiness_before_h": round(m.tardiness_before_h, 2),
                   "tardiness_after_h": round(m.tardiness_after_h, 2)} for m in proposal.moves],
    })


@endpoint("/schedule/apply", "POST", "Apply moves (as proposed, or by hand) after validating the whole schedule",
          OPERATORS, body=ApplyIn, responses={404: "unknown booking", 409: "a move breaks a rule"})
def apply_schedule(body: ApplyIn):
    session = db_session()
    moves = {m.booking_id: [schedule.Placement(s.stage, s.equipment, as_utc(s.start), as_utc(s.end))
                            for s in m.stages] for m in body.moves}
    moved = schedule.move_bookings(session, current(), plant_rules(), now(), moves)
    session.commit()
    for move in moved:
        notify_booking(move.booking, "moved", previous=move.before)
    return jsonify({"items": [{"booking_id": m.booking.id, "reference": m.booking.reference} for m in moved]})
