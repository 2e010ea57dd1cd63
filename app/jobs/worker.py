"""`flask --app wsgi worker`: a Huey consumer, plus a watch thread for heartbeats and stale jobs."""

import logging
import threading

from flask import Flask

from app.jobs import runner, watch

log = logging.getLogger(__name__)

POLL_S = 0.05  # how often an idle worker looks at the SQLite queue (Redis wakes it at once)


def run_worker(app: Flask, threads: int) -> None:
    """Run jobs until stopped (SIGINT: finish the running jobs first; SIGTERM: stop now)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    queue = app.extensions["jobs"]
    stop = threading.Event()
    watcher = threading.Thread(target=_watch, args=(app, stop), name="job-watch", daemon=True)
    watcher.start()
    consumer = queue.huey.create_consumer(
        workers=threads, periodic=False, initial_delay=POLL_S, backoff=1.0, max_delay=POLL_S
    )
    try:
        consumer.run()
    finally:
        stop.set()


def _watch(app: Flask, stop: threading.Event) -> None:
    """Beat for this worker's running jobs; fail (or queue again) the jobs of workers that stopped beating; send
    again the queued jobs the queue has lost."""
    engine, queue = app.extensions["engine"], app.extensions["jobs"]
    while True:
        try:
            watch.beat(engine, set(runner.RUNNING))
            for job_id in watch.sweep_stale(engine, app.config["JOB_STALE_S"]):
                queue.send(job_id)
            for job_id in watch.unsent(engine, app.config["JOB_STALE_S"], queue.waiting()):
                queue.send(job_id)
        except Exception:  # noqa: BLE001 - a database hiccup must not end the watch; the next round retries
            log.exception("job watch round failed")
        if stop.wait(app.config["JOB_HEARTBEAT_S"]):
            return
