"""The request's context: what a service may know of the world around it, built once at each edge (a web
request, a CLI command, a job) and handed in — the clock, the plant's zone and rules, the numbering and payment
settings, the solver's effort, the platform's details and this worker's plan cache. Services read none of these
elsewhere."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from app.platform.clock import system_clock
from app.platform.plant_rules import PlantRules

#: the configuration's platform details (printed on invoices and claims) under the names documents use
PLATFORM_DETAILS = {
    "name": "PLATFORM_NAME",
    "uscc": "PLATFORM_USCC",
    "contact": "PLATFORM_CONTACT",
    "bank_account": "PLATFORM_BANK_ACCOUNT",
    "address_phone": "PLATFORM_ADDRESS_PHONE",
}


@dataclass(frozen=True)
class Numbering:
    """Document numbers and the terms printed with them."""

    invoice_prefix: str = "PP"
    credit_note_prefix: str = "CN"
    contract_prefix: str = "HT"
    first_year: int = 2024  # no document is issued on a date before this year
    payment_terms_days: int = 30
    contract_required_from: Decimal | None = None  # invoices of this total (CNY) or more belong to a contract

    @classmethod
    def from_config(cls, config) -> "Numbering":
        return cls(
            config["INVOICE_PREFIX"],
            config["CREDIT_NOTE_PREFIX"],
            config["CONTRACT_PREFIX"],
            config["PLATFORM_FIRST_YEAR"],
            config["PAYMENT_TERMS_DAYS"],
            config["CONTRACT_REQUIRED_FROM"],
        )


@dataclass(frozen=True)
class Solver:
    """How hard the optimiser and the repair search: CP-SAT workers, and a repair's time and pinned horizon."""

    workers: int = 2
    repair_time_limit_s: float = 2.0
    repair_pinned_h: float = 4.0  # work starting this soon is kept where it is by a repair

    @classmethod
    def from_config(cls, config) -> "Solver":
        return cls(config["SOLVER_WORKERS"], config["REPAIR_TIME_LIMIT_S"], config["REPAIR_PINNED_H"])


@dataclass(frozen=True)
class Context:
    rules: PlantRules
    now: Callable[[], datetime] = system_clock
    numbering: Numbering = Numbering()
    solver: Solver = Solver()
    platform: Mapping[str, str] = field(default_factory=dict)
    plan_cache: dict = field(default_factory=dict)  # this worker's built plan (app.services.plan.plan_cache)

    @property
    def tz(self) -> ZoneInfo:
        return self.rules.tz

    def today(self) -> date:
        """The plant's local date now."""
        return self.now().astimezone(self.tz).date()


def context_from_config(config, plan_cache: dict, now: Callable[[], datetime] = system_clock) -> Context:
    return Context(
        rules=PlantRules.from_config(config),
        now=now,
        numbering=Numbering.from_config(config),
        solver=Solver.from_config(config),
        platform={name: config[key] for name, key in PLATFORM_DETAILS.items()},
        plan_cache=plan_cache,
    )


def context_for(app, now: Callable[[], datetime] = system_clock) -> Context:
    """The context of a Flask app: its configuration and this worker's plan cache."""
    return context_from_config(app.config, app.extensions.setdefault("plan_cache", {}), now)


def current_context() -> Context:
    """At an edge (a request, a job, a CLI command): the context of the current app, built once per app context.
    Services never call it: they are handed the context."""
    from flask import current_app, g

    if "context" not in g:
        g.context = context_for(current_app)
    return g.context
