"""What the UI shows, rendered from typed data: the feedback card, chat, progress, score plot and report files.

User text is escaped before it is shown, so an answer holding HTML or JS is displayed as text and never executed.
"""

from __future__ import annotations

import html
import json

import pandas as pd

from interviewer.attempts import Comparison
from interviewer.bank import Bank
from interviewer.downloads import Downloads
from interviewer.interview import TurnOutcome
from interviewer.progress import Progress
from interviewer.report import build_report, to_markdown
from interviewer.session import SessionState
from interviewer.storage import SessionRecord

CSS = """
#feedback .score { font-size: 1.6em; font-weight: 700; }
#feedback ul { margin: 0.2em 0 0.6em 1.2em; }
#progress { font-weight: 600; }
"""


def escape(text: str) -> str:
    return html.escape(text or "", quote=True)


def feedback_html(outcome: TurnOutcome | None, show: bool) -> str:
    """The feedback card: score as x/5, covered and missed points, misconception, folded model answer."""
    if outcome is None or outcome.grade is None:
        return ""
    grade = outcome.grade
    if not show:
        return "<p>Answer recorded. In mock mode, feedback comes with the report at the end.</p>"
    parts = [f'<div class="score">{grade.score:g}/5</div><p>{escape(grade.band)} · {escape(grade.feedback)}</p>']
    if grade.covered:
        parts.append("<b>Covered</b><ul>" + "".join(
            f"<li>{escape(c.text)} <i>“{escape(c.evidence)}”</i></li>" for c in grade.covered) + "</ul>")  # fmt: skip
    if grade.contradicted:
        parts.append("<b>Said wrongly</b><ul>" + "".join(
            f"<li><i>“{escape(c.evidence)}”</i> → {escape(c.correction)}</li>" for c in grade.contradicted) + "</ul>")  # fmt: skip
    if grade.missed:
        parts.append("<b>Missed</b><ul>" + "".join(f"<li>{escape(m.text)}</li>" for m in grade.missed) + "</ul>")
    if grade.misconceptions:
        parts.append("<b>Misconception</b><ul>" + "".join(
            f"<li>{escape(m.belief)} → {escape(m.correction)}</li>" for m in grade.misconceptions) + "</ul>")  # fmt: skip
    if outcome.comparison is not None:
        parts.append(compare_html(outcome.comparison))
    speech = outcome.turn.speech if outcome.turn else None
    if speech:
        fillers = ", ".join(f"{escape(w)} ×{c}" for w, c in speech.fillers.items()) or "none"
        parts.append(f"<p><b>Speech</b>: {speech.words_per_minute:.0f} words per minute · fillers: "
                     f"{fillers} · long pauses: {speech.long_pauses}</p>")  # fmt: skip
    parts.append(f"<details><summary>Model answer</summary><p>{escape(grade.model_answer)}</p></details>")
    if grade.flags:
        parts.append(f"<p><small>flags: {escape(', '.join(grade.flags))}</small></p>")
    return "\n".join(parts)


def compare_html(comparison: Comparison) -> str:
    """The new attempt beside the one before: both scores, then what changed (what is still missing is listed
    above, under Missed)."""
    rows = [("Newly covered", comparison.newly_covered), ("No longer covered", comparison.no_longer_covered),
            ("Misconceptions gone", comparison.misconceptions_gone),
            ("New misconceptions", comparison.misconceptions_new)]  # fmt: skip
    lists = "".join(f"<b>{title}</b><ul>{''.join(f'<li>{escape(t)}</li>' for t in items)}</ul>"
                    for title, items in rows if items)  # fmt: skip
    same = "" if lists else "<p>The same ground as the attempt before.</p>"
    return (f'<div class="compare"><p><b>Then and now</b>: <span class="then">{comparison.score_then:g}/5</span> → '
            f'<span class="now">{comparison.score_now:g}/5</span></p>{lists}{same}</div>')  # fmt: skip


def progress_frames(progress: Progress) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Mastery per topic, every key point by topic and question, the due list and the mastery plot's points,
    typed even when empty (see score_frame)."""
    topics = pd.DataFrame([{"topic": t.track, "key points": t.points, "mastered": t.mastered, "due now": t.due}
                           for t in progress.topics], columns=["topic", "key points", "mastered", "due now"])  # fmt: skip
    points = pd.DataFrame([{"topic": q.track, "question": q.text, "key point": p.key_point, "last time": p.outcome,
                            "due": f"{p.due:%Y-%m-%d %H:%M}"} for q in progress.questions for p in q.points],
                          columns=["topic", "question", "key point", "last time", "due"])  # fmt: skip
    texts = {q.question_id: q.text for q in progress.questions}
    due = pd.DataFrame([{"question": texts.get(p.question_id, p.question_id), "key point": p.key_point, "last time": p.outcome}
                        for p in progress.due], columns=["question", "key point", "last time"])  # fmt: skip
    plot = pd.DataFrame({
        "when": pd.Series([f"{m.when:%m-%d %H:%M}" for m in progress.over_time], dtype="string"),
        "mastered": pd.Series([m.mastered_share for m in progress.over_time], dtype="float64"),
        "topic": pd.Series([m.track for m in progress.over_time], dtype="string"),
    })  # fmt: skip
    return topics, points, due, plot


def chat_messages(record: SessionRecord, extra: list[str] | None = None) -> list[dict[str, str]]:
    """The transcript as read from the database for this request, as chat messages with user text escaped."""
    messages = [{"role": "assistant", "content": escape(line)} for line in record.opening]
    for turn in record.turns:
        messages.append({"role": "user", "content": escape(turn.answer)})
        messages += [{"role": "assistant", "content": escape(line)} for line in turn.reply]
    messages += [{"role": "assistant", "content": escape(line)} for line in (extra or [])]
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
                         "score": pd.Series([r.best_score for r in state.results], dtype="float64")})  # fmt: skip


def report_files(record: SessionRecord, bank: Bank, downloads: Downloads) -> tuple[str, str, str]:
    """The report as Markdown, and the paths of its Markdown and JSON downloads (in the session's own folder)."""
    report = build_report(record.session_id, record.state, record.turns, bank)
    markdown = to_markdown(report)
    md_path, json_path = downloads.report(record.session_id, markdown,
                                          json.dumps(report.model_dump(mode="json"), indent=2))  # fmt: skip
    return markdown, str(md_path), str(json_path)
