"""The Gradio UI: handlers are plain functions over Services; `build_ui` lays out one gr.Blocks.

Everything that matters lives in the database (session id in gr.State only); user text is escaped before
it is shown, so an answer holding HTML or JS is displayed as text and never executed.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path

import gradio as gr
import pandas as pd

from interviewer.downloads import Downloads
from interviewer.errors import InterviewerError
from interviewer.interview import TurnOutcome
from interviewer.report import build_report, to_markdown
from interviewer.services import Services
from interviewer.session import TRACKS, SessionConfig, SessionState
from interviewer.storage import SessionRecord

CSS = """
#feedback .score { font-size: 1.6em; font-weight: 700; }
#feedback ul { margin: 0.2em 0 0.6em 1.2em; }
#progress { font-weight: 600; }
"""


def _user(request: gr.Request | None) -> str:
    return (getattr(request, "username", None) or "guest") if request is not None else "guest"


def _esc(text: str) -> str:
    return html.escape(text or "", quote=True)


def feedback_html(outcome: TurnOutcome | None, bank, show: bool) -> str:
    """The feedback card: score as x/5, covered and missed points, misconception, folded model answer."""
    grade = outcome.grade if outcome else None
    if grade is None:
        return ""
    if not show:
        return "<p>Answer recorded. In mock mode, feedback comes with the report at the end.</p>"
    parts = [f'<div class="score">{grade.score:g}/5</div><p>{_esc(grade.band)} · {_esc(grade.feedback)}</p>']
    if grade.covered:
        parts.append("<b>Covered</b><ul>" + "".join(
            f"<li>{_esc(c.text)} <i>“{_esc(c.evidence)}”</i></li>" for c in grade.covered) + "</ul>")  # fmt: skip
    if grade.contradicted:
        parts.append("<b>Said wrongly</b><ul>" + "".join(
            f"<li><i>“{_esc(c.evidence)}”</i> → {_esc(c.correction)}</li>" for c in grade.contradicted) + "</ul>")  # fmt: skip
    if grade.missed:
        parts.append("<b>Missed</b><ul>" + "".join(f"<li>{_esc(m.text)}</li>" for m in grade.missed) + "</ul>")
    if grade.misconceptions:
        parts.append("<b>Misconception</b><ul>" + "".join(
            f"<li>{_esc(m.belief)} → {_esc(m.correction)}</li>" for m in grade.misconceptions) + "</ul>")  # fmt: skip
    speech = outcome.turn.speech if outcome.turn else None
    if speech:
        fillers = ", ".join(f"{_esc(w)} ×{c}" for w, c in (speech.get("fillers") or {}).items()) or "none"
        parts.append(f"<p><b>Speech</b>: {speech.get('words_per_minute', 0):.0f} words per minute · fillers: "
                     f"{fillers} · long pauses: {int(speech.get('long_pauses', 0))}</p>")  # fmt: skip
    parts.append(f"<details><summary>Model answer</summary><p>{_esc(grade.model_answer)}</p></details>")
    if grade.flags:
        parts.append(f"<p><small>flags: {_esc(', '.join(grade.flags))}</small></p>")
    return "\n".join(parts)


def chat_messages(record: SessionRecord, extra: list[str] | None = None) -> list[dict]:
    """The transcript as read from the database for this request, as chat messages with user text escaped."""
    messages = [{"role": "assistant", "content": _esc(line)} for line in record.opening]
    for turn in record.turns:
        messages.append({"role": "user", "content": _esc(turn.answer)})
        messages += [{"role": "assistant", "content": _esc(line)} for line in turn.reply]
    messages += [{"role": "assistant", "content": _esc(line)} for line in (extra or [])]
    return messages


def progress_text(state: SessionState) -> str:
    total = len(state.plan)
    if state.done:
        return f"Interview complete: {len(state.results)} of {total} questions"
    label = " (follow-up)" if state.phase == "follow_up" else " (paused)" if state.phase == "paused" else ""
    return f"Question {min(state.index + 1, total)} of {total}{label}"


def score_frame(state: SessionState) -> pd.DataFrame:
    """One row per graded answer: question label (text) and score (number), typed even when there are none.

    The plot fixes its axis types when it is first drawn, on Start with no rows, and only swaps the data later:
    an untyped empty frame (float columns) made the x axis numeric for good, so the "Q1" bars never showed.
    """
    labels = [f"Q{i}" for i in range(1, len(state.results) + 1)]
    return pd.DataFrame({"question": pd.Series(labels, dtype="string"),
                         "score": pd.Series([r.score for r in state.results], dtype="float64")})  # fmt: skip


def report_files(record: SessionRecord, bank, downloads: Downloads) -> tuple[str, str, str]:
    """The report as Markdown, and the paths of its Markdown and JSON downloads (in the session's own folder)."""
    report = build_report(record.session_id, record.state, record.turns, bank)
    markdown = to_markdown(report)
    md_path, json_path = downloads.report(record.session_id, markdown,
                                          json.dumps(report.model_dump(mode="json"), indent=2))  # fmt: skip
    return markdown, str(md_path), str(json_path)


@dataclass
class Handlers:
    """Every UI action as a plain function (testable without a browser)."""

    services: Services
    auth_enabled: bool = False
    downloads: Downloads = field(default_factory=Downloads)

    def _owner(self, request) -> str | None:
        return _user(request) if self.auth_enabled else None

    def model_info(self) -> str:
        settings = self.services.settings
        if settings.llm_enabled:
            where = settings.llm_base_url or "OpenAI"
            return f"Grader and interviewer: LLM `{settings.llm_model}` at {_esc(where)} (offline fallback)."
        return "Grader and interviewer: offline (no LLM configured)."

    def start(self, name, tracks, questions, mode, follow_ups, request: gr.Request = None):
        config = SessionConfig(candidate=(name or "").strip()[:80], tracks=list(tracks or TRACKS),
                               questions=int(questions), mode=mode, follow_ups=1 if follow_ups else 0)  # fmt: skip
        outcome = self.services.interview.begin(config, user=_user(request))
        return outcome.session_id, chat_messages(outcome.record), outcome

    def send(self, session_id: str, text: str, speech: dict | None, request: gr.Request = None):
        if not session_id:
            raise gr.Error("Start an interview first (the Start button above).")
        return self.services.interview.respond(session_id, text, user=self._owner(request), speech=speech)

    def resume(self, session_id: str, request: gr.Request = None) -> TurnOutcome:
        if not session_id:
            raise gr.Error("Choose an unfinished session to resume.")
        return self.services.interview.resume(session_id, user=self._owner(request))

    def on_start(self, name, tracks, questions, mode, follow_ups, voice_on, request: gr.Request = None):
        if not tracks:
            raise gr.Error("Choose at least one track.")
        _, _, outcome = self.start(name, tracks, questions, mode, follow_ups, request)
        return self.outputs(outcome, voice_on, mode)

    def on_send(self, session_id, text, speech, voice_on, mode, request: gr.Request = None):
        try:
            outcome = self.send(session_id, text, speech, request)
        except InterviewerError as exc:
            raise gr.Error(str(exc)) from None
        return self.outputs(outcome, voice_on, outcome.state.config.mode)

    def on_resume(self, session_id, voice_on, request: gr.Request = None):
        try:
            outcome = self.resume(session_id, request)
        except InterviewerError as exc:
            raise gr.Error(str(exc)) from None
        return self.outputs(outcome, voice_on, outcome.state.config.mode, extra=outcome.lines)

    def outputs(self, outcome: TurnOutcome, voice_on: bool, mode: str, extra: list[str] | None = None) -> tuple:
        """What one request shows, in the order of build_ui's outputs, rendered from the session read once for it."""
        record = outcome.record
        sid = record.session_id
        # The LLM notice comes once per session (the runtime keeps that in the session's state).
        notice_text = ("ℹ An LLM reply could not be used, so the offline grader and interviewer took over. "
                       f"({_esc(outcome.notice)})") if outcome.notice else gr.update()  # fmt: skip
        done = outcome.done
        report_md, md_path, json_path = (report_files(record, self.services.bank, self.downloads) if done
                                         else ("", None, None))  # fmt: skip
        audio = self.speak(sid, outcome.lines) if voice_on else None
        return (
            sid, chat_messages(record, extra), "", None, feedback_html(outcome, self.services.bank, mode == "practice"),
            progress_text(record.state), score_frame(record.state), report_md,
            gr.update(value=md_path, visible=done), gr.update(value=json_path, visible=done),
            audio, notice_text, gr.update(open=False),
        )  # fmt: skip

    def history(self, request: gr.Request = None) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
        user = _user(request)
        rows, points, unfinished = [], [], []
        for info in self.services.storage.sessions(user):
            state = info.state
            scores = [r.score for r in state.results]
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

    def speak(self, session_id: str, lines: list[str]) -> str | None:
        from interviewer.speech import make_tts

        text = " ".join(lines).strip()
        if not text:
            return None
        return str(self.downloads.audio(session_id, make_tts(self.services.settings).synthesize(text)))

    def transcribe(self, audio_path: str | None, session_id: str):
        """Recorded answer -> transcript for the text box (the candidate may correct it before sending)."""
        from interviewer.speech import make_stt, speech_figures, validate_audio

        if not audio_path:
            return gr.update(), None, ""
        context = None
        if session_id:
            state = self.services.storage.session(session_id).state
            if state.current_id:
                question = self.services.bank.get(state.current_id)
                context = question.text + " " + ", ".join(h for p in question.key_points for h in p.hints[:2])
        try:
            validate_audio(Path(audio_path))
            transcript = make_stt(self.services.settings).transcribe(Path(audio_path), context)
        except InterviewerError as exc:
            return gr.update(), None, f"⚠ {_esc(str(exc))}"
        finally:
            Path(audio_path).unlink(missing_ok=True)  # the recording is not kept once transcribed
        if transcript.unclear:
            return gr.update(), None, "I didn't catch that, could you say it again?"
        return transcript.text, speech_figures(transcript), ""


def build_ui(services: Services, auth_enabled: bool = False, downloads: Downloads | None = None) -> gr.Blocks:
    h = Handlers(services, auth_enabled, downloads or Downloads())
    # Gradio's upload cache (recordings, generated files) is swept hourly of anything older than an hour.
    with gr.Blocks(title="interviewer: ML mock interviews", delete_cache=(3600, 3600)) as demo:
        session_id = gr.State("")
        speech = gr.State(None)
        gr.Markdown("# ML mock interview\nAnswer as you would in a real interview, by typing or with the microphone.")
        with gr.Tab("Interview"):
            with gr.Accordion("Setup", open=True, elem_id="setup") as setup:
                with gr.Row():
                    name = gr.Textbox(label="Your name", max_length=80, elem_id="name")
                    questions = gr.Slider(1, 20, value=5, step=1, label="Number of questions", elem_id="questions")
                tracks = gr.CheckboxGroup(list(TRACKS), value=list(TRACKS), label="Tracks", elem_id="tracks")
                with gr.Row():
                    mode = gr.Radio(["practice", "mock"], value="practice", label="Mode", elem_id="mode")
                    follow_ups = gr.Checkbox(value=True, label="Follow-up questions", elem_id="follow-ups")
                    voice = gr.Checkbox(value=False, label="Speak the questions aloud", elem_id="voice-on")
                gr.Markdown(h.model_info(), elem_id="model-info")
                start = gr.Button("Start interview", variant="primary", elem_id="start")
                with gr.Row():
                    unfinished = gr.Dropdown(label="Unfinished sessions", choices=[], elem_id="unfinished")
                    resume = gr.Button("Resume", elem_id="resume")
            progress = gr.Markdown("", elem_id="progress")
            notice = gr.Markdown("", elem_id="notice")
            with gr.Row():
                with gr.Column(scale=3):
                    chat = gr.Chatbot(label="Interview", elem_id="chat", height=460, sanitize_html=True)
                    answer = gr.Textbox(label="Your answer", lines=3, elem_id="answer",
                                        placeholder="Type your answer, or record it below and correct the transcript")  # fmt: skip
                    with gr.Row():
                        mic = gr.Audio(sources=["microphone"], type="filepath", format="wav", label="Speak",
                                       elem_id="mic")  # fmt: skip
                        send = gr.Button("Send", variant="primary", elem_id="send")
                    voice_out = gr.Audio(label="Interviewer", autoplay=True, interactive=False, elem_id="voice")
                with gr.Column(scale=2):
                    feedback = gr.HTML("", elem_id="feedback")
                    # No initial value: the first one (on Start) fixes the axis types, see score_frame.
                    plot = gr.BarPlot(x="question", y="score", y_lim=[0, 5], title="Scores so far",
                                      elem_id="score-plot")  # fmt: skip
            report = gr.Markdown("", elem_id="report")
            with gr.Row():
                download_md = gr.DownloadButton("Download report (Markdown)", visible=False, elem_id="report-download")
                download_json = gr.DownloadButton("Download report (JSON)", visible=False,
                                                  elem_id="report-download-json")  # fmt: skip
        with gr.Tab("History") as history_tab:
            refresh = gr.Button("Refresh", elem_id="history-refresh")
            sessions_table = gr.Dataframe(elem_id="history", interactive=False)
            history_plot = gr.LinePlot(x="when", y="overall", y_lim=[0, 5], title="Overall score over time",
                                       elem_id="history-plot")  # fmt: skip

        outputs = [session_id, chat, answer, speech, feedback, progress, plot, report, download_md, download_json,
                   voice_out, notice, setup]  # fmt: skip

        start.click(h.on_start, [name, tracks, questions, mode, follow_ups, voice], outputs)
        send.click(h.on_send, [session_id, answer, speech, voice, mode], outputs)
        answer.submit(h.on_send, [session_id, answer, speech, voice, mode], outputs)
        resume.click(h.on_resume, [unfinished, voice], outputs)
        mic.stop_recording(h.transcribe, [mic, session_id], [answer, speech, notice], concurrency_limit=2)
        mic.upload(h.transcribe, [mic, session_id], [answer, speech, notice], concurrency_limit=2)
        for trigger in (refresh.click, history_tab.select, demo.load):
            trigger(h.history, None, [sessions_table, history_plot, unfinished])
    return demo


def parse_auth(value: str | None) -> list[tuple[str, str]] | None:
    """`user:password` pairs separated by commas, or the path of a file with one pair per line."""
    if not value:
        return None
    text = Path(value).read_text(encoding="utf-8") if Path(value).is_file() else value
    pairs = []
    for item in text.replace("\n", ",").split(","):
        if item.strip():
            user, sep, password = item.strip().partition(":")
            if not sep or not user or not password:
                from interviewer.errors import SetupError

                raise SetupError("INTERVIEWER_AUTH: expected user:password pairs separated by commas, or a file of them")
            pairs.append((user.strip(), password))
    return pairs


def warm_up(services: Services) -> None:
    """Open the store and load the local models once, off the launch path, so the first answer is not slow.

    Only the offline grader runs: an LLM call here would cost a request and, with the server down (or not up
    yet), open the circuit breaker before anyone answers.
    """
    grading = services.grading.offline_only()
    grading.grade(grading.resolve(question_id=services.bank.questions[0].id), "warming up the grader")


def serve(services: Services, host: str, port: int) -> None:
    import threading

    from starlette.middleware import Middleware

    from interviewer.login import LoginGuard, RememberClient

    pairs = parse_auth(services.settings.auth)
    downloads = Downloads()
    demo = build_ui(services, auth_enabled=pairs is not None, downloads=downloads)
    # Handlers run in worker threads. Long answers wait for their own lane inside grading (grading/budget.py), so
    # a request may wait there without holding up others: 32 at a time per event, up to 256 more queued.
    demo.queue(default_concurrency_limit=32, max_size=256)
    auth = LoginGuard(pairs).login if pairs else None
    # No allowed_paths: Gradio serves only its own cache, where it copies what handlers return (reports and
    # voice, from `downloads`). The data dir (database, store, TTS cache) is blocked even if it sits in a temp dir.
    try:
        demo.launch(server_name=host, server_port=port, auth=auth, css=CSS, ssr_mode=False, show_error=True,
                    prevent_thread_lock=True, blocked_paths=[str(services.settings.data_dir.resolve())],
                    app_kwargs={"middleware": [Middleware(RememberClient)]})  # fmt: skip
        threading.Thread(target=warm_up, args=(services,), daemon=True, name="warm-up").start()
        demo.block_thread()
    finally:
        downloads.close()
