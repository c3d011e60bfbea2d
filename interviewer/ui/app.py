"""Serving the UI: login, the request queue, warming the models up off the launch path."""

from __future__ import annotations

import threading

from interviewer.downloads import Downloads
from interviewer.services import Services
from interviewer.ui.layout import build_ui
from interviewer.ui.views import CSS


def warm_up(services: Services) -> None:
    """Open the store and load the local models once, off the launch path, so the first answer is not slow.

    Only the offline grader runs: an LLM call here would cost a request and, with the server down (or not up
    yet), open the circuit breaker before anyone answers.
    """
    grading = services.grading.offline_only()
    grading.grade(grading.resolve(question_id=services.bank.questions[0].id), "warming up the grader")


def serve(services: Services, host: str, port: int) -> None:
    from starlette.middleware import Middleware

    from interviewer.login import LoginGuard, RememberClient

    pairs = services.settings.auth
    downloads = Downloads()
    demo = build_ui(services, auth_enabled=pairs is not None, downloads=downloads)
    # Handlers run in worker threads. Long answers wait for their own lane inside grading (grading/budget.py), so
    # a request may wait there without holding up others: 32 at a time per event, up to 256 more queued.
    demo.queue(default_concurrency_limit=32, max_size=256)
    auth = LoginGuard(pairs).login if pairs else None
    # No allowed_paths: Gradio serves only its own cache, where it copies what handlers return (reports and
    # voice, from `downloads`). The data dir (database, store, TTS cache) is blocked even if it sits in a temp dir.
    try:
        # Gradio awaits a coroutine function given as auth (routes.py), though its hint says it returns a bool.
        demo.launch(server_name=host, server_port=port, auth=auth, css=CSS, ssr_mode=False, show_error=True,  # type: ignore[arg-type]
                    prevent_thread_lock=True, blocked_paths=[str(services.settings.data_dir.resolve())],
                    app_kwargs={"middleware": [Middleware(RememberClient)]})  # fmt: skip
        threading.Thread(target=warm_up, args=(services,), daemon=True, name="warm-up").start()
        demo.block_thread()
    finally:
        downloads.close()
