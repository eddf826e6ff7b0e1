"""E-mail from the front-desk page, with the workspace's delivery settings (drafts or SMTP)."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from dataclasses import dataclass

from ..build import Status
from ..emailing import EmailRequest, run_email
from ..errors import HandoutsError
from ..mail import SmtpSettings
from ..personal import PersonalOptions, PersonalRequest
from ..produce import Target
from ..workspace import Workspace


@dataclass(frozen=True, slots=True)
class PageOutcome:
    ok: bool
    message: str
    status: int = 200  # 422: what was typed cannot be used (a bad address); 502: the mail server failed


def send_from_page(workspace: Workspace, target: Target, cells: dict[str, str]) -> PageOutcome:
    """Send (or save as a draft) one patient's message; the outcome never repeats their details."""
    settings = workspace.settings.email
    row_id = f"web-{dt.datetime.now():%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"  # unique, and nothing personal
    personal = PersonalRequest(PersonalOptions(None), None, {**cells, "id": row_id}, (target.procedure,),
                               (target.clinic,), (target.layout,), (target.lang,))
    try:
        if settings.mode == "smtp":
            smtp = SmtpSettings.parse(settings.smtp or "", settings.tls, True, settings.user, dict(os.environ))
            request = EmailRequest(personal, smtp=smtp, log=workspace.root / settings.log)
        else:
            request = EmailRequest(personal, drafts=workspace.root / settings.drafts)
        summary = run_email(workspace, request)
    except HandoutsError as exc:
        return PageOutcome(False, exc.format_message(), 502)
    outcome = summary.outcomes[0] if summary.outcomes else None
    if outcome is None:
        return PageOutcome(False, "nothing was sent", 502)
    if outcome.status is Status.FAILED:  # no target: the details typed never became a message
        return PageOutcome(False, outcome.message, 422 if outcome.target is None else 502)
    if outcome.status is Status.SENT:
        return PageOutcome(True, outcome.message.split(":")[0].capitalize() + ".")
    return PageOutcome(True, f"Saved as a draft: {outcome.files[0]} in {settings.drafts}. Open it in your mail "
                             f"program to send it.")
