"""A candidate's progress: key-point mastery per topic, over time, and what is due (History tab, `progress`)."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel

from interviewer.bank import Bank
from interviewer.mastery import MasteryEvent, Outcome, PointMastery, due_points


class PointLine(BaseModel):
    question_id: str
    key_point_id: str
    key_point: str
    outcome: Outcome
    due: datetime
    reviews: int


class QuestionProgress(BaseModel):
    question_id: str
    text: str
    track: str
    points: list[PointLine]


class TopicProgress(BaseModel):
    track: str
    points: int  # key points graded at least once
    mastered: int  # of which last covered without a prompt
    due: int  # weak and due now


class Milestone(BaseModel):
    """Each topic's mastered share after one session (the progress plot)."""

    when: datetime
    track: str
    mastered_share: float


class Progress(BaseModel):
    user: str
    topics: list[TopicProgress]
    questions: list[QuestionProgress]
    due: list[PointLine]
    over_time: list[Milestone]


def progress_of(user: str, mastery: list[PointMastery], history: list[MasteryEvent], bank: Bank,
                now: datetime | None = None) -> Progress:  # fmt: skip
    """`history`: every outcome, oldest first. Points of questions no longer in the bank are left out."""
    now = now or datetime.now(UTC)
    known = {q.id: q for q in bank.questions}
    texts = {(q.id, p.id): p.text for q in bank.questions for p in q.key_points}
    lines = {(m.question_id, m.key_point_id): _line(m, texts) for m in mastery if
             (m.question_id, m.key_point_id) in texts}  # fmt: skip
    questions = [
        QuestionProgress(question_id=q.id, text=q.text, track=q.track,
                         points=[lines[(q.id, p.id)] for p in q.key_points if (q.id, p.id) in lines])
        for q in bank.questions if any((q.id, p.id) in lines for p in q.key_points)
    ]  # fmt: skip
    due_now = [(p.question_id, p.key_point_id) for p in due_points(mastery, now)]  # most overdue first
    due_keys = set(due_now)
    topics = []
    for track in dict.fromkeys(q.track for q in questions):
        points = [p for q in questions if q.track == track for p in q.points]
        topics.append(TopicProgress(track=track, points=len(points), mastered=sum(p.outcome == "covered" for p in points),
                                    due=sum((p.question_id, p.key_point_id) in due_keys for p in points)))  # fmt: skip
    due = [lines[key] for key in due_now if key in lines]
    return Progress(user=user, topics=topics, questions=questions, due=due,
                    over_time=_over_time(history, {qid: q.track for qid, q in known.items()}))  # fmt: skip


def _line(m: PointMastery, texts: dict[tuple[str, str], str]) -> PointLine:
    return PointLine(question_id=m.question_id, key_point_id=m.key_point_id, key_point=texts[(m.question_id, m.key_point_id)],
                     outcome=m.outcome, due=m.due, reviews=m.reviews)  # fmt: skip


def _over_time(history: list[MasteryEvent], tracks: dict[str, str]) -> list[Milestone]:
    """After each session, per topic: the share of the key points graded so far whose last outcome is covered."""
    last: dict[tuple[str, str], Outcome] = {}
    milestones: list[Milestone] = []
    for index, event in enumerate(history):
        if event.question_id not in tracks:
            continue
        last[(event.question_id, event.key_point_id)] = event.outcome
        ends_session = index + 1 == len(history) or history[index + 1].session_id != event.session_id
        if not ends_session:
            continue
        for track in dict.fromkeys(tracks[qid] for qid, _ in last):
            outcomes = [o for (qid, _), o in last.items() if tracks[qid] == track]
            milestones.append(Milestone(when=event.at, track=track,
                                        mastered_share=round(sum(o == "covered" for o in outcomes) / len(outcomes), 3)))  # fmt: skip
    return milestones
