"""What the web layer hands the services about the plant: its rules, the time now, its plan cache."""

from datetime import UTC, datetime

from flask import current_app

from app.services.plan.planning import PlantRules


def plant_rules() -> PlantRules:
    return PlantRules.from_config(current_app.config)


def utcnow() -> datetime:
    return datetime.now(UTC)


def plan_cache() -> dict:
    """This worker's cache of the built plan (see app.services.plan.plan_cache)."""
    return current_app.extensions.setdefault("plan_cache", {})
