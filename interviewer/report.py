"""The end-of-interview report: scores, strengths, gaps, a study list, speech figures; Markdown and JSON."""

from __future__ import annotations

import html
import re
from statistics import mean

from pydantic import BaseModel, Field

from interviewer.bank import Bank, Question
from interviewer.session import SessionState
from interviewer.storage import Turn

REVISIT_BELOW = 3.5


class QuestionLine(BaseModel):
    question_id: str
    text: str
    track: str
    score: float
    covered: list[str] = Field(default_factory=list)
    missed: list[str] = Field(default_factory=list)
    misconceptions: list[str] = Field(default_factory=list)
    status: str  # answered | skipped | dont_know
    attempts: list[float] = Field(default_factory=list, description="Every attempt's score in order, when retried.")
    chosen_because: str | None = None  # why the question was chosen (a due review, the job description)


class StudyItem(BaseModel):
    question_id: str
    text: str
    score: float
    why: str


class SpeechSummary(BaseModel):
    spoken_answers: int
    words_per_minute: float | None
    fillers: int
    filler_words: dict[str, int]
    long_pauses: int


class Report(BaseModel):
    session_id: str
    candidate: str
    mode: str
    completed: bool
    overall: float | None
    per_track: dict[str, float]
    questions: list[QuestionLine]
    strengths: list[str]
    gaps: list[str]
    study_list: list[StudyItem]
    speech: SpeechSummary | None = None


def build_report(session_id: str, state: SessionState, turns: list[Turn], bank: Bank) -> Report:
    lines = []
    for result in state.results:
        question = bank.get(result.question_id)
        status = "skipped" if result.skipped else "dont_know" if result.dont_know else "answered"
        heard = {m.belief for g in [result.grade, *result.follow_up_grades] if g for m in g.misconceptions}
        lines.append(QuestionLine(
            question_id=question.id, text=question.text, track=question.track, score=result.best_score,
            attempts=[a.score for a in result.attempts] + [result.score] if result.attempts else [],
            chosen_because=state.config.reasons.get(question.id),
            covered=[question.key_point(p).text for p in result.covered if _has(question, p)],
            missed=[question.key_point(p).text for p in result.missed if _has(question, p)],
            misconceptions=sorted(heard), status=status,
        ))  # fmt: skip
    by_track: dict[str, list[float]] = {}
    for line in lines:
        by_track.setdefault(line.track, []).append(line.score)
    strengths = [f"{line.text} ({line.score:g}/5)" for line in sorted(lines, key=lambda x: -x.score) if line.score >= 4]
    gaps = list(dict.fromkeys(m for line in lines for m in line.missed))
    study = [
        StudyItem(question_id=line.question_id, text=line.text, score=line.score, why=_why(line))
        for line in sorted(lines, key=lambda x: x.score)
        if line.score < REVISIT_BELOW
    ]
    return Report(
        session_id=session_id,
        candidate=state.config.candidate,
        mode=state.config.mode,
        completed=state.done and state.index >= len(state.plan),
        overall=round(mean(line.score for line in lines), 2) if lines else None,
        per_track={track: round(mean(scores), 2) for track, scores in sorted(by_track.items())},
        questions=lines,
        strengths=strengths[:5],
        gaps=gaps[:10],
        study_list=study,
        speech=_speech(turns),
    )


def _has(question: Question, point_id: str) -> bool:
    return any(p.id == point_id for p in question.key_points)


def _why(line: QuestionLine) -> str:
    if line.status == "skipped":
        return "skipped"
    if line.status == "dont_know":
        return "not answered: study the model answer"
    if line.misconceptions:
        return f"misconception: {line.misconceptions[0]}"
    return f"missed: {line.missed[0]}" if line.missed else "low score"


def _speech(turns: list[Turn]) -> SpeechSummary | None:
    spoken = [t.speech for t in turns if t.speech]
    if not spoken:
        return None
    rates = [s.words_per_minute for s in spoken if s.words_per_minute]
    words: dict[str, int] = {}
    for s in spoken:
        for word, count in s.fillers.items():
            words[word] = words.get(word, 0) + count
    return SpeechSummary(
        spoken_answers=len(spoken),
        words_per_minute=round(mean(rates), 1) if rates else None,
        fillers=sum(words.values()),
        filler_words=dict(sorted(words.items(), key=lambda kv: -kv[1])),
        long_pauses=sum(s.long_pauses for s in spoken),
    )


_MARKDOWN_MARKS = re.compile(r"([\\`*_\[\]|#!])")


def _md(text: str) -> str:
    """User-supplied text in Markdown: every mark that could format, link or embed is backslash-escaped, then HTML
    escaped, so `[x](javascript:...)` or `<script>` in a name is shown as typed, never rendered."""
    return html.escape(_MARKDOWN_MARKS.sub(r"\\\1", text), quote=False)


def _tries(line: QuestionLine) -> str:
    """The progression over attempts, when the question was tried again (the best counts)."""
    return f" (attempts: {' → '.join(f'{s:g}' for s in line.attempts)})" if line.attempts else ""


def to_markdown(report: Report) -> str:
    name = f" for {_md(report.candidate)}" if report.candidate else ""
    overall = f"{report.overall:g}/5" if report.overall is not None else "no answers"
    out = [f"# Mock interview report{name}", "",
           f"Overall: **{overall}** ({report.mode} mode, {'completed' if report.completed else 'ended early'})", ""]  # fmt: skip
    if report.per_track:
        out += ["| track | score |", "|---|---|"] + [f"| {t} | {s:g}/5 |" for t, s in report.per_track.items()] + [""]
    out += ["## Questions", "", "| # | question | score | status |", "|---|---|---|---|"]
    out += [
        f"| {i} | {_md(q.text)} | {q.score:g}/5{_tries(q)} | {q.status} |" for i, q in enumerate(report.questions, 1)
    ]
    out += [""]
    chosen = [(q.text, q.chosen_because) for q in report.questions if q.chosen_because]
    if chosen:
        out += ["## Why these questions", ""] + [f"- {_md(t)}: {_md(why)}" for t, why in chosen] + [""]
    if report.strengths:
        out += ["## Strengths", ""] + [f"- {_md(s)}" for s in report.strengths] + [""]
    if report.gaps:
        out += ["## Gaps to work on", ""] + [f"- {_md(g)}" for g in report.gaps] + [""]
    if report.study_list:
        out += (
            ["## Study list", ""] + [f"- {_md(s.text)} ({s.score:g}/5): {_md(s.why)}" for s in report.study_list] + [""]
        )
    if report.speech:
        sp = report.speech
        fillers = ", ".join(f"{w} ({c})" for w, c in sp.filler_words.items()) or "none"
        rate = f"{sp.words_per_minute:g} words per minute" if sp.words_per_minute else "speaking rate not measured"
        out += ["## Speech", "", f"- {sp.spoken_answers} spoken answers, {rate}", f"- filler words: {fillers}",
                f"- long pauses: {sp.long_pauses}", ""]  # fmt: skip
    return "\n".join(out)
