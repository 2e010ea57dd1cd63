"""The app served for real on a loopback port, Debian's Chromium driven by Playwright, and what a page did wrong."""

import threading
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, Response
from werkzeug.serving import WSGIRequestHandler, make_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking"]
VIEWPORT = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
#: turns every Content-Security-Policy violation into a console error (Chromium also logs most of them)
REPORT_CSP = """document.addEventListener("securitypolicyviolation", (event) =>
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline code"}`));"""


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


@contextmanager
def served(app: Flask):
    """Serve `app` on a free port of 127.0.0.1 in a background thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def launch(playwright: Playwright) -> Browser:
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium)")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)


def open_page(browser: Browser, base_url: str, problems: list[str], viewport: dict = VIEWPORT) -> Page:
    """A page in a browser context of its own (its own cookies) that notes into `problems` every console
    error, uncaught script error, CSP violation and server error it meets."""
    context = browser.new_context(
        base_url=base_url,
        viewport=viewport,
        locale="zh-CN",
        accept_downloads=True,
        is_mobile=viewport["width"] < 500,
        has_touch=viewport["width"] < 500,
    )
    context.set_default_timeout(15_000)
    context.add_init_script(script=REPORT_CSP)
    page = context.new_page()
    page.on("console", lambda message: _note_console(message, problems))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("response", lambda response: _note_response(response, problems))
    return page


def _note_console(message: ConsoleMessage, problems: list[str]) -> None:
    if message.type in ("error", "warning"):
        problems.append(f"console {message.type} on {message.page.url if message.page else '?'}: {message.text}")


def _note_response(response: Response, problems: list[str]) -> None:
    if response.status >= 500:
        problems.append(f"server error {response.status} on {response.url}")


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("邮箱").fill(email)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    signed_in = page.get_by_role("button", name=f"退出 ({email})", include_hidden=True)
    signed_in.wait_for(state="attached")  # on a phone the menu folds it away
