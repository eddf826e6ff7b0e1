"""The front-desk web page: find a handout, preview the real PDF, print it or e-mail it.

Server-rendered pages over the same library as the command line. Patient details arrive only
in POST bodies, go into the PDF or message in memory, and leave in responses marked no-store;
they are never stored, logged or put in a URL. Every form carries a CSRF token.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, abort, redirect, render_template, request, session, url_for
from markupsafe import Markup
from werkzeug.routing import BaseConverter

from ..errors import HandoutsError, InvalidInput
from ..fingerprint import Fingerprinter
from ..hosts import HostPolicy
from ..paths import is_valid_id
from ..produce import Target
from ..terminal import printable
from ..workspace import Workspace
from .search import build_index, search, terms
from .throttle import LoginThrottle, client_key
from .thumbs import Thumbnails

log = logging.getLogger("handouts.web")
PATIENT_FIELDS = ("patient_name", "date", "arrive", "physician", "note", "email", "dob", "plain_email")
WATCHED = ("handouts.yaml", "content", "clinics", "layouts", "strings", "fonts", "templates", "figures", "icons")


class _State:
    """The workspace as of its files' last change, and everything derived from it."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.render_lock = threading.Lock()  # ReportLab and pdfium are not thread-safe
        self.thumbnails = Thumbnails(self.render_lock)
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._workspace: Workspace | None = None
        self._index: list = []

    def _current_stamp(self) -> tuple:
        stamp = []
        for name in WATCHED:
            path = self.root / name
            if path.is_file():
                stamp.append((name, path.stat().st_mtime_ns))
            elif path.is_dir():
                stamp.extend((str(p), p.stat().st_mtime_ns) for p in sorted(path.rglob("*")))
        return tuple(stamp)

    def workspace(self) -> Workspace:
        stamp = self._current_stamp()
        with self._lock:
            if stamp != self._stamp or self._workspace is None:
                self._workspace = Workspace(self.root)
                self._index = build_index(self._workspace)
                self._stamp = stamp
            return self._workspace

    def index(self) -> list:
        self.workspace()
        return self._index


@dataclass(frozen=True, slots=True)
class Choice:
    clinic: str
    lang: str
    layout: str

    def target(self, procedure: str, paper: str | None = None) -> Target:
        return Target(self.clinic, procedure, self.lang, self.layout, paper)


def _languages(workspace: Workspace) -> list[str]:
    """The languages the page offers: those in the settings that have content, else every content folder."""
    served = [lang for lang in workspace.settings.languages if lang in workspace.languages()]
    return served or workspace.languages()


def _choose(workspace: Workspace) -> Choice:
    """Clinic, language and layout: from the form or link, else as last chosen (cookies), else defaults."""
    settings = workspace.settings

    def pick(name: str, known: list[str], default: str) -> str:
        for value in (request.values.get(name), request.cookies.get(name)):
            if value in known:
                return value
        return default if default in known else (known[0] if known else default)

    clinics = workspace.clinic_ids()
    langs = _languages(workspace)
    return Choice(pick("clinic", clinics, settings.default_clinic or ""), pick("lang", langs, langs[0] if langs else ""),
                  pick("layout", workspace.layout_names(), "one-page"))


LANGUAGE_NAMES = {"en": "English", "es": "Español", "vi": "Tiếng Việt", "zh": "中文"}


def _names(workspace: Workspace) -> dict:
    """What the pickers show: clinic names, language names and layout descriptions."""
    clinics = workspace.clinics().items
    layouts = []
    for name in workspace.layout_names():
        try:
            layouts.append((name, workspace.layout(name).description))
        except HandoutsError:
            continue
    return {"clinics": [(cid, clinics[cid].name if cid in clinics else cid) for cid in workspace.clinic_ids()],
            "langs": [(lang, LANGUAGE_NAMES.get(lang, lang)) for lang in workspace.settings.languages
                      if lang in workspace.languages()],
            "layouts": layouts}


def _approval(workspace: Workspace, choice: Choice, procedure: str) -> dict:
    """What the page says about the clinic's approval; a draft asks before it is printed."""
    from ..approval import status_of

    try:
        status = status_of(workspace, choice.clinic, procedure, choice.lang)
    except HandoutsError:
        return {"draft": True, "text": "DRAFT: the approval state cannot be read (run handouts check)"}
    if status.draft:
        return {"draft": True, "text": f"DRAFT - not approved for this clinic ({status.state.value})"}
    approval = status.approval
    return {"draft": False, "text": f"Approved by {approval.by} on {approval.on.isoformat()}"}


def _remember(response: Response, choice: Choice) -> Response:
    for name in ("clinic", "lang", "layout"):
        response.set_cookie(name, getattr(choice, name), max_age=365 * 86400, samesite="Lax", httponly=True)
    return response


def _pdf_response(data: bytes, filename: str, private: bool) -> Response:
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store" if private else "private, max-age=60"
    return response


class _SegmentConverter(BaseConverter):
    """Every path segment is a plain name, so `..`, dots and slashes never reach a route."""

    regex = r"[A-Za-z0-9][A-Za-z0-9_-]{0,79}"


def _shown(value):
    """Jinja's last step for every value it prints: no terminal control or bidi characters."""
    return type(value)(printable(value)) if isinstance(value, (str, Markup)) else value


def create_app(root: Path, access_token: str | None = None, host: str = "127.0.0.1",
               throttle: LoginThrottle | None = None) -> Flask:
    """The app over the workspace at `root`, answering to the names for `host` (the address it
    listens on); with `access_token`, every page asks for it first, and `throttle` slows guessing."""
    app = Flask(__name__)
    app.url_map.converters["name"] = _SegmentConverter
    app.jinja_env.finalize = _shown
    app.secret_key = secrets.token_bytes(32)
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Strict", MAX_CONTENT_LENGTH=64 * 1024)
    state = _State(root)
    hosts = HostPolicy(host)
    throttle = throttle or LoginThrottle()

    def configured_hosts() -> tuple[str, ...]:
        try:
            return state.workspace().settings.serve.allowed_hosts
        except HandoutsError:
            return ()  # a broken handouts.yaml: the page shows it; meanwhile only the built-in names

    def csrf_token() -> str:
        if "csrf" not in session:
            session["csrf"] = secrets.token_urlsafe(32)
        return session["csrf"]

    app.jinja_env.globals["csrf_token"] = csrf_token

    @app.before_request
    def guard():
        if not hosts.allows(request.environ.get("HTTP_HOST"), configured_hosts):
            return Response("This page is not served under that name (see serve: allowed_hosts in handouts.yaml).\n",
                            421, mimetype="text/plain")
        if access_token and not session.get("signed_in") and request.endpoint not in ("login", "static"):
            return redirect(url_for("login"))
        if request.method == "POST":
            sent = request.form.get("csrf", "")
            if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
                return render_template("error.html", title="This page has expired",
                                       messages=["Please reload the page and try again."]), 400
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("Content-Security-Policy",
                                    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
                                    "frame-src 'self'; object-src 'self'; form-action 'self'; "
                                    "frame-ancestors 'self'; base-uri 'none'")
        if request.method == "POST":
            response.headers["Cache-Control"] = "no-store"  # may hold patient details
        return response

    @app.errorhandler(HandoutsError)
    def user_error(error: HandoutsError):
        messages = [str(p) for p in error.problems] if isinstance(error, InvalidInput) else [error.format_message()]
        return render_template("error.html", title="This handout cannot be made right now",
                               messages=messages), 422

    @app.errorhandler(404)
    @app.errorhandler(405)
    def not_found(error):
        """The page's own look and a way back, not the framework's bare page."""
        return render_template("error.html", title="There is no such page here",
                               messages=["The address may be old or mistyped. Search for the handout instead."]), \
            error.code

    @app.errorhandler(Exception)
    def internal_error(error: Exception):
        if hasattr(error, "code") and hasattr(error, "get_response"):  # another HTTP error (400, 403, ...)
            return error
        log.error("internal error: %s", type(error).__name__)  # the type only: never data
        return render_template("error.html", title="Something went wrong",
                               messages=["The error was logged without any patient details. Please try again."]), 500

    @app.route("/login", methods=["GET", "POST"])
    def login():
        if request.method == "GET":
            return render_template("login.html")
        client = client_key(request.remote_addr)
        wait = throttle.wait(client)
        if wait:
            return render_template("login.html", wait=wait), 429, {"Retry-After": str(wait)}
        if access_token and hmac.compare_digest(request.form.get("password", "").encode(), access_token.encode()):
            throttle.succeeded(client)
            session["signed_in"] = True
            return redirect(url_for("home"))
        throttle.failed(client)
        return render_template("login.html", failed=True), 401

    @app.get("/")
    def home():
        workspace = state.workspace()
        choice = _choose(workspace)
        query = request.args.get("q", "")[:100]
        results = search(state.index(), query, choice.lang)
        response = Response(render_template(
            "search.html", query=query, results=results, choice=choice, terms=terms, **_names(workspace)))
        return _remember(response, choice)

    def known_procedure(workspace: Workspace, procedure: str, lang: str) -> None:
        if not is_valid_id(procedure) or procedure not in workspace.procedure_ids(lang):
            abort(404)

    def resolve(procedure: str) -> tuple[Workspace, Choice]:
        """The current workspace and the chosen clinic, language and layout, for a procedure that exists."""
        workspace = state.workspace()
        choice = _choose(workspace)
        known_procedure(workspace, procedure, choice.lang)
        return workspace, choice

    @app.get("/thumb/<name:clinic>/<name:lang>/<name:layout>/<name:procedure>.png")
    def thumbnail(clinic: str, lang: str, layout: str, procedure: str):
        from ..batch import run_job, Job
        from ..build import target_fingerprint

        workspace = state.workspace()
        if clinic not in workspace.clinic_ids() or lang not in _languages(workspace) or (
                layout not in workspace.layout_names()):
            abort(404)
        known_procedure(workspace, procedure, lang)
        target = Target(clinic, procedure, lang, layout)

        def make_pdf() -> bytes:  # called with the render lock held
            result = run_job(workspace, Job(target))
            if result.produced is None:
                raise HandoutsError(result.error)
            return result.produced.files[0][1]

        png = state.thumbnails.get(target_fingerprint(workspace, Fingerprinter(workspace.root), target), make_pdf)
        response = Response(png, mimetype="image/png")
        response.headers["Cache-Control"] = "private, max-age=300"
        return response

    @app.get("/h/<name:procedure>")
    def handout(procedure: str):
        workspace, choice = resolve(procedure)
        title = workspace.procedure(choice.lang, procedure).title
        kind = workspace.layout(choice.layout).kind
        response = Response(render_template("handout.html", procedure=procedure, title=title, choice=choice,
                                            booklet=kind == "booklet", today=dt.date.today().isoformat(),
                                            flip_edge=workspace.clinic(choice.clinic).duplex.replace("-", " "),
                                            approval=_approval(workspace, choice, procedure), **_names(workspace)))
        return _remember(response, choice)

    def render_files(workspace: Workspace, target: Target, patient_cells: dict | None):
        from ..batch import Job, run_job
        from ..schedule import single_row

        patient = None
        if patient_cells and patient_cells.get("patient_name"):
            rows, problems = single_row(workspace, {**patient_cells, "procedure": target.procedure,
                                                    "clinic": target.clinic, "lang": target.lang,
                                                    "layout": target.layout})
            if problems:
                raise InvalidInput(problems)
            patient = rows[0].patient
        with state.render_lock:
            result = run_job(workspace, Job(target, patient))
        if result.produced is None:
            raise HandoutsError(result.error)
        return result.produced.files

    def chosen_file(files, want_print: bool) -> bytes:
        return files[1][1] if want_print and len(files) > 1 else files[0][1]

    @app.get("/pdf/<name:procedure>")
    def standard_pdf(procedure: str):
        workspace, choice = resolve(procedure)
        files = render_files(workspace, choice.target(procedure), None)
        want_print = request.args.get("print") == "1"
        return _pdf_response(chosen_file(files, want_print), f"{procedure}.pdf", private=False)

    @app.post("/pdf/<name:procedure>")
    def personal_pdf(procedure: str):
        workspace, choice = resolve(procedure)
        cells = {field: request.form.get(field, "") for field in PATIENT_FIELDS if field != "email"}
        files = render_files(workspace, choice.target(procedure), cells)
        want_print = request.form.get("action") == "print"
        return _pdf_response(chosen_file(files, want_print), f"{procedure}.pdf", private=True)

    @app.post("/email/<name:procedure>")
    def email(procedure: str):
        from .mailer import send_from_page

        workspace, choice = resolve(procedure)
        cells = {field: request.form.get(field, "") for field in PATIENT_FIELDS}
        with state.render_lock:
            outcome = send_from_page(workspace, choice.target(procedure), cells)
        return render_template("result.html", outcome=outcome, procedure=procedure, choice=choice), outcome.status

    return app
