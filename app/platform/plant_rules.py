"""The plant's rules from the configuration: what one request may ask for, the staffed hours, the policy, which
aborts are billed and how long a waiting-list offer is held."""

from dataclasses import dataclass
from datetime import time, timedelta
from zoneinfo import ZoneInfo

from scheduler.rules import Policy


@dataclass(frozen=True)
class RequestLimits:
    hold_hours: float = 72
    max_unconfirmed_vessel_hours: float = 1000  # per company, over its placed unconfirmed requests
    max_duration_h: float = 720
    max_horizon_days: int = 180  # how far ahead a request's window may end

    @classmethod
    def from_config(cls, config) -> "RequestLimits":
        return cls(
            config.get("REQUEST_HOLD_HOURS", 72),
            config.get("MAX_UNCONFIRMED_VESSEL_HOURS", 1000),
            config.get("MAX_REQUEST_DURATION_H", 720),
            config.get("MAX_REQUEST_HORIZON_DAYS", 180),
        )


@dataclass(frozen=True)
class PlantRules:
    """The plant's scheduling policy and staffed hours, from the app's configuration."""

    tz: ZoneInfo
    staffed_from: time = time(8)
    staffed_until: time = time(20)
    policy: Policy = Policy()
    overrun_grace: timedelta = timedelta(hours=2)
    start_tolerance: timedelta = timedelta(hours=2)
    limits: RequestLimits = RequestLimits()
    abort_waived_causes: frozenset[str] = frozenset({"equipment_failure"})  # aborts of these causes are not billed
    waitlist_hold: timedelta = timedelta(hours=24)  # how long a slot offered to a waiting request is held

    @classmethod
    def from_config(cls, config) -> "PlantRules":
        return cls(
            limits=RequestLimits.from_config(config),
            tz=ZoneInfo(config["PLANT_TIMEZONE"]),
            staffed_from=time.fromisoformat(config.get("STAFFED_FROM", "08:00")),
            staffed_until=time.fromisoformat(config.get("STAFFED_UNTIL", "20:00")),
            policy=Policy(steam_capacity=config.get("STEAM_CAPACITY", 2), crew_capacity=config.get("CREW_CAPACITY", 2)),
            overrun_grace=timedelta(hours=config["OVERRUN_GRACE_H"]),
            start_tolerance=timedelta(hours=config["START_TOLERANCE_H"]),
            abort_waived_causes=frozenset(config["ABORT_WAIVED_CAUSES"]),
            waitlist_hold=config["WAITLIST_HOLD"],
        )
