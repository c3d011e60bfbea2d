"""Every UI action as a plain function over Services (testable without a browser).

Everything that matters lives in the database (the session id in gr.State only).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import gradio as gr
import pandas as pd

from interviewer import planning
from interviewer.downloads import Downloads
from interviewer.errors import InterviewerError
from interviewer.interview import TurnOutcome
from interviewer.progress import progress_of
from interviewer.services import Services
from interviewer.session import SEED_TRACKS, Mode, SessionConfig
from interviewer.speech import SpeechFigures, speech_figures, validate_audio
from interviewer.ui.views import (
    chat_messages,
    escape,
    feedback_html,
    progress_frames,
    progress_text,
    report_files,
    score_frame,
)


def _user(request: gr.Request | None) -> str:
    return (getattr(request, "username", None) or "guest") if request is not None else "guest"


def _config(name: str | None, tracks: list[str] | None, questions: float, mode: Mode, follow_ups: bool
            ) -> SessionConfig:  # fmt: skip
    return SessionConfig(candidate=(name or "").strip()[:80], tracks=list(tracks or SEED_TRACKS),
                         questions=int(questions), mode=mode, follow_ups=1 if follow_ups else 0)  # fmt: skip


def _chosen(tracks: list[str] | None) -> list[str]:
    if not tracks:
        raise gr.Error("Choose at least one track.")
    return tracks


def _shown(action: Callable[[], TurnOutcome]) -> TurnOutcome:
    """The product's own errors as a message on the page (nothing is lost: the session is as it was)."""
    try:
        return action()
    except InterviewerError as exc:
        raise gr.Error(str(exc)) from None


class Screen(NamedTuple):
    """What one request shows: one value per output component, named as in layout.py (which lists them in this
    order). A `gr.update()` leaves a component as it is."""

    session_id: str
    chat: list[dict[str, str]]
    answer: str
    speech: SpeechFigures | None
    feedback: str
    progress: str
    plot: pd.DataFrame
    report: str
    download_md: Any
    download_json: Any
    voice: str | None
    notice: Any
    setup: Any


@dataclass
class Handlers:
    """Every UI action as a plain function (testable without a browser)."""

    services: Services
    auth_enabled: bool = False
    downloads: Downloads = field(default_factory=Downloads)

    def _owner(self, request: gr.Request | None) -> str | None:
        return _user(request) if self.auth_enabled else None

    def model_info(self) -> str:
        settings = self.services.settings
        if settings.llm_enabled:
            where = settings.llm_base_url or "OpenAI"
            return f"Grader and interviewer: LLM `{settings.llm_model}` at {escape(where)} (offline fallback)."
        return "Grader and interviewer: offline (no LLM configured)."

    def start(
        self,
        name: str | None,
        tracks: list[str] | None,
        questions: float,
        mode: Mode,
        follow_ups: bool,
        job: str | None = None,
        request: gr.Request | None = None,
    ) -> TurnOutcome:
        """A new interview; aimed at the job when a description is given."""
        user = _user(request)
        config = planning.aimed(_config(name, tracks, questions, mode, follow_ups), self.services, user,
                                job=job if job and job.strip() else None)  # fmt: skip
        return self.services.interview.begin(config, user=user)

    def send(
        self, session_id: str, text: str, speech: SpeechFigures | None, request: gr.Request | None = None
    ) -> TurnOutcome:
        if not session_id:
            raise gr.Error("Start an interview first (the Start button above).")
        return self.services.interview.respond(session_id, text, user=self._owner(request), speech=speech)

    def resume(self, session_id: str, request: gr.Request | None = None) -> TurnOutcome:
        if not session_id:
            raise gr.Error("Choose an unfinished session to resume.")
        return self.services.interview.resume(session_id, user=self._owner(request))

    def on_start(
        self,
        name: str | None,
        tracks: list[str] | None,
        questions: float,
        mode: Mode,
        follow_ups: bool,
        voice_on: bool,
        job: str | None = None,  # last: API clients of the older signature still call it the same way
        request: gr.Request | None = None,
    ) -> Screen:
        outcome = _shown(lambda: self.start(name, _chosen(tracks), questions, mode, follow_ups, job, request))
        return self.outputs(outcome, voice_on, mode)

    def on_review(
        self,
        name: str | None,
        tracks: list[str] | None,
        questions: float,
        mode: Mode,
        follow_ups: bool,
        voice_on: bool,
        request: gr.Request | None = None,
    ) -> Screen:
        """An interview of this user's weak key points that are due."""
        user = _user(request)
        config = _config(name, _chosen(tracks), questions, mode, follow_ups)

        def review() -> TurnOutcome:
            return self.services.interview.begin(planning.aimed(config, self.services, user, review=True), user=user)

        return self.outputs(_shown(review), voice_on, mode)

    def on_retry(self, session_id: str, voice_on: bool, request: gr.Request | None = None) -> Screen:
        """The "Try again" button: the last question answered is asked again (practice mode)."""
        if not session_id:
            raise gr.Error("Start an interview first (the Start button above).")
        outcome = _shown(lambda: self.services.interview.retry(session_id, user=self._owner(request)))
        return self.outputs(outcome, voice_on, outcome.state.config.mode)

    def on_send(
        self,
        session_id: str,
        text: str,
        speech: SpeechFigures | None,
        voice_on: bool,
        request: gr.Request | None = None,
    ) -> Screen:
        """An answer or a request; the session's own mode decides what is shown (not the setup radio now)."""
        outcome = _shown(lambda: self.send(session_id, text, speech, request))
        return self.outputs(outcome, voice_on, outcome.state.config.mode)

    def on_resume(self, session_id: str, voice_on: bool, request: gr.Request | None = None) -> Screen:
        outcome = _shown(lambda: self.resume(session_id, request))
        return self.outputs(outcome, voice_on, outcome.state.config.mode, extra=outcome.lines)

    def outputs(self, outcome: TurnOutcome, voice_on: bool, mode: str, extra: list[str] | None = None) -> Screen:
        """What one request shows, rendered from the session read once for it."""
        record = outcome.record
        sid = record.session_id
        # The LLM notice comes once per session (the runtime keeps that in the session's state).
        notice_text = ("ℹ An LLM reply could not be used, so the offline grader and interviewer took over. "
                       f"({escape(outcome.notice)})") if outcome.notice else gr.update()  # fmt: skip
        done = outcome.done
        report_md, md_path, json_path = (report_files(record, self.services.bank, self.downloads) if done
                                         else ("", None, None))  # fmt: skip
        audio = self.speak(sid, outcome.lines) if voice_on else None
        return Screen(
            session_id=sid, chat=chat_messages(record, extra), answer="", speech=None,
            feedback=feedback_html(outcome, mode == "practice"),
            progress=progress_text(record.state), plot=score_frame(record.state), report=report_md,
            download_md=gr.update(value=md_path, visible=done), download_json=gr.update(value=json_path, visible=done),
            voice=audio, notice=notice_text, setup=gr.update(open=False),
        )  # fmt: skip

    def history(self, request: gr.Request | None = None) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
        user = _user(request)
        rows, points, unfinished = [], [], []
        for info in self.services.storage.sessions(user):
            state = info.state
            scores = [r.best_score for r in state.results]
            overall = round(sum(scores) / len(scores), 2) if scores else None
            rows.append({"session": info.id, "started": info.created_at.strftime("%Y-%m-%d %H:%M"),
                         "status": info.status, "answered": f"{len(scores)}/{len(state.plan)}",
                         "overall": overall})  # fmt: skip
            if overall is not None:
                points.append({"when": info.created_at.strftime("%m-%d %H:%M"), "overall": overall})
            if not state.done:
                unfinished.append((f"{info.created_at:%Y-%m-%d %H:%M} · {len(scores)}/{len(state.plan)}", info.id))
        table = pd.DataFrame(rows or [], columns=["session", "started", "status", "answered", "overall"])
        # Typed even when empty, for the same reason as score_frame (an empty object column would be nominal).
        plot = pd.DataFrame(list(reversed(points)), columns=["when", "overall"]).astype(
            {"when": "string", "overall": "float64"})  # fmt: skip
        return table, plot, gr.update(choices=unfinished, value=unfinished[0][1] if unfinished else None)

    def progress(
        self, request: gr.Request | None = None
    ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """The user's mastery per topic and per key point, the points due for review, and each topic's mastery
        over time."""
        user = _user(request)
        storage = self.services.storage
        return progress_frames(progress_of(user, storage.mastery(user), storage.mastery_history(user),
                                           self.services.bank))  # fmt: skip

    def speak(self, session_id: str, lines: list[str]) -> str | None:
        text = " ".join(lines).strip()
        if not text:
            return None
        return str(self.downloads.audio(session_id, self.services.tts.synthesize(text)))

    def transcribe(
        self, audio_path: str | None, session_id: str
    ) -> tuple[str | dict[str, Any], SpeechFigures | None, str]:
        """Recorded answer -> transcript for the text box (the candidate may correct it before sending)."""
        if not audio_path:
            return gr.update(), None, ""
        context = None
        if session_id:
            state = self.services.storage.session(session_id).state
            if state.current_id:
                question = self.services.bank.get(state.current_id)
                # Terms (each point's two shortest hints), then the question itself: Whisper leans on the words
                # nearest the end of its prompt, and the question names what the answer is about.
                terms = ", ".join(h for p in question.key_points for h in sorted(p.hints, key=len)[:2])
                context = f"{terms}. {question.text}"
        try:
            validate_audio(Path(audio_path))
            transcript = self.services.stt.transcribe(Path(audio_path), context)
        except InterviewerError as exc:
            return gr.update(), None, f"⚠ {escape(str(exc))}"
        finally:
            Path(audio_path).unlink(missing_ok=True)  # the recording is not kept once transcribed
        if transcript.unclear:
            return gr.update(), None, "I didn't catch that, could you say it again?"
        return transcript.text, speech_figures(transcript), ""
