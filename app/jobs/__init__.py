"""Background jobs (see docs/architecture.md, "Background jobs").

@register("report", (Role.OPERATOR,), title=_l("Batch report"))
def report(ctx, params):            # runs in a worker
    ctx.progress(0.5, "绘图")        # raises JobCancelled once someone cancelled the job
    ctx.attach(pdf_bytes, "report.pdf", "application/pdf")
    return {"pages": 3}             # the job's result (JSON)

job = enqueue(session, actor, "report", {"booking_id": 7})   # in a service; the view commits
"""

from app.jobs.context import JobCancelled, JobContext
from app.jobs.registry import register
from app.jobs.service import cancel, enqueue, latest_job, mark_applied, visible_job

__all__ = ["JobContext", "JobCancelled", "cancel", "enqueue", "latest_job", "mark_applied", "register", "visible_job"]
