"""The page: one gr.Blocks laid out with stable elem_ids, its events wired to the handlers."""

from __future__ import annotations

import gradio as gr

from interviewer.downloads import Downloads
from interviewer.services import Services
from interviewer.session import SEED_TRACKS, TRACKS
from interviewer.ui.handlers import Handlers, Screen


def build_ui(services: Services, auth_enabled: bool = False, downloads: Downloads | None = None) -> gr.Blocks:
    h = Handlers(services, auth_enabled, downloads or Downloads())
    # Gradio's upload cache (recordings, generated files) is swept hourly of anything older than an hour.
    demo = gr.Blocks(title="interviewer: ML mock interviews", delete_cache=(3600, 3600))
    with demo:
        session_id = gr.State("")
        speech = gr.State(None)
        gr.Markdown("# ML mock interview\nAnswer as you would in a real interview, by typing or with the microphone.")
        with gr.Tab("Interview"):
            with gr.Accordion("Setup", open=True, elem_id="setup") as setup:
                with gr.Row():
                    name = gr.Textbox(label="Your name", max_length=80, elem_id="name")
                    questions = gr.Slider(1, 20, value=5, step=1, label="Number of questions", elem_id="questions")
                tracks = gr.CheckboxGroup(list(TRACKS), value=list(SEED_TRACKS), label="Tracks", elem_id="tracks")
                job = gr.Textbox(label="Aim at a job (optional): paste the job description or a few lines about the role",
                                 lines=3, max_lines=12, max_length=8000, elem_id="job")  # fmt: skip
                with gr.Row():
                    mode = gr.Radio(["practice", "mock"], value="practice", label="Mode", elem_id="mode")
                    follow_ups = gr.Checkbox(value=True, label="Follow-up questions", elem_id="follow-ups")
                    voice = gr.Checkbox(value=False, label="Speak the questions aloud", elem_id="voice-on")
                gr.Markdown(h.model_info(), elem_id="model-info")
                with gr.Row():
                    start = gr.Button("Start interview", variant="primary", elem_id="start")
                    review = gr.Button("Review my weak spots", elem_id="review")
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
                        retry = gr.Button("Try again", elem_id="retry")
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
            gr.Markdown("### Mastery by topic")
            mastery = gr.Dataframe(elem_id="mastery", interactive=False)
            with gr.Accordion("Every key point, by topic and question", open=False):
                key_points = gr.Dataframe(elem_id="mastery-points", interactive=False)
            mastery_plot = gr.LinePlot(x="when", y="mastered", color="topic", y_lim=[0, 1],
                                       title="Share of key points mastered, after each interview",
                                       elem_id="mastery-plot")  # fmt: skip
            gr.Markdown("### Due for review (the Review button in Setup asks them)")
            due = gr.Dataframe(elem_id="due", interactive=False)

        shown = {"session_id": session_id, "chat": chat, "answer": answer, "speech": speech, "feedback": feedback,
                 "progress": progress, "plot": plot, "report": report, "download_md": download_md,
                 "download_json": download_json, "voice": voice_out, "notice": notice, "setup": setup}  # fmt: skip
        outputs = [shown[name] for name in Screen._fields]  # the order in which the handlers return them

        start.click(h.on_start, [name, tracks, questions, mode, follow_ups, voice, job], outputs)
        review.click(h.on_review, [name, tracks, questions, mode, follow_ups, voice], outputs)
        retry.click(h.on_retry, [session_id, voice], outputs)
        send.click(h.on_send, [session_id, answer, speech, voice], outputs)
        answer.submit(h.on_send, [session_id, answer, speech, voice], outputs)
        resume.click(h.on_resume, [unfinished, voice], outputs)
        mic.stop_recording(h.transcribe, [mic, session_id], [answer, speech, notice], concurrency_limit=2)
        mic.upload(h.transcribe, [mic, session_id], [answer, speech, notice], concurrency_limit=2)
        for trigger in (refresh.click, history_tab.select, demo.load):
            trigger(h.history, None, [sessions_table, history_plot, unfinished])
            trigger(h.progress, None, [mastery, key_points, due, mastery_plot])
    return demo
