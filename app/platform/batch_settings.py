"""The plant's batch settings (app config): the phases a record lists per service, the acceptance window."""

from flask import current_app


def phases_for(service: str) -> list[str]:
    return list(current_app.config["BATCH_PHASES"].get(service, ()))


def acceptance_days() -> int:
    return int(current_app.config["ACCEPTANCE_DAYS"])
