"""Persistence (SQLAlchemy): users, sessions, turns, key-point mastery. SQLite in the data dir by default, any SQLAlchemy URL.

The session's state lives in the database and is written in the same transaction as each turn, so a killed
process loses nothing and several app processes can share one database.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar, cast

from pydantic import BaseModel, Field
from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import CursorResult
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from interviewer.errors import InterviewerError, SetupError
from interviewer.grading.models import Grade
from interviewer.mastery import MasteryEvent, PointMastery, PointOutcome, reviewed
from interviewer.session import SessionState
from interviewer.speech.transcript import SpeechFigures

TurnKind = Literal["question", "follow_up"]
T = TypeVar("T")


class StorageError(InterviewerError):
    """The database could not be read or written (full disk, locked, unreachable)."""


class SessionMoved(InterviewerError):
    """The session gained a turn after this request read it (a double submit, or a second window)."""


class Turn(BaseModel):
    """One exchange: what the interviewer asked, what the candidate said, what came of it."""

    seq: int = 0
    question_id: str | None
    kind: TurnKind = "question"
    prompt: str
    answer: str
    intent: str
    grade: Grade | None = None
    reply: list[str] = Field(default_factory=list)
    speech: SpeechFigures | None = None  # how a spoken answer was said
    created_at: datetime | None = None


class SessionInfo(BaseModel):
    id: str
    user: str
    status: str
    created_at: datetime
    updated_at: datetime
    state: SessionState
    opening: list[str] = Field(default_factory=list)


class SessionRecord(BaseModel):
    """A session's state with everything said so far, read once per request and rendered from (chat, progress, plot)."""

    session_id: str
    user: str
    state: SessionState
    opening: list[str] = Field(default_factory=list)
    turns: list[Turn] = Field(default_factory=list)


class _Base(DeclarativeBase):
    pass


class UserRow(_Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=lambda: datetime.now(UTC))


class SessionRow(_Base):
    __tablename__ = "sessions"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="active")
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    opening: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=lambda: datetime.now(UTC))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=lambda: datetime.now(UTC))


class TurnRow(_Base):
    __tablename__ = "turns"
    __table_args__ = (UniqueConstraint("session_id", "seq"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    question_id: Mapped[str | None] = mapped_column(String(120), nullable=True)
    kind: Mapped[TurnKind] = mapped_column(String(16))
    prompt: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    intent: Mapped[str] = mapped_column(String(32))
    grade: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    reply: Mapped[list[str]] = mapped_column(JSON, default=list)
    speech: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=lambda: datetime.now(UTC))


class MasteryRow(_Base):
    """Where one key point stands for one user (its FSRS card); updated with each graded question."""

    __tablename__ = "mastery"
    __table_args__ = (UniqueConstraint("user_id", "question_id", "key_point_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(String(120))
    key_point_id: Mapped[str] = mapped_column(String(120))
    outcome: Mapped[str] = mapped_column(String(16))
    due: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reviews: Mapped[int] = mapped_column(Integer, default=1)
    card: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MasteryLogRow(_Base):
    """Every outcome as it happened (the progress view plots them)."""

    __tablename__ = "mastery_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[str] = mapped_column(String(32))
    question_id: Mapped[str] = mapped_column(String(120))
    key_point_id: Mapped[str] = mapped_column(String(120))
    outcome: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    # A rollback journal, not WAL. Anything that opens and closes the database file inside a process (a backup
    # tool, a file server) silently drops that process's POSIX locks on it; in WAL mode the next process to
    # close the database then deletes the -wal file the first still writes to, and every later turn is
    # acknowledged and lost (tests/test_sqlite_locks.py). With a rollback journal a commit is in the database
    # file itself when it returns, and locks are held only for the length of a transaction. WAL's gain, readers
    # beside a writer, matters little for turns of a few ms; PostgreSQL is the choice for a team.
    cursor.execute("PRAGMA journal_mode=DELETE")
    cursor.execute("PRAGMA synchronous=FULL")  # a kill or power loss after the commit keeps it
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


class Storage:
    def __init__(self, url: str):
        try:
            if url.startswith("sqlite:///"):
                from pathlib import Path

                Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
            self.engine = create_engine(url, pool_pre_ping=True, future=True)
            if self.engine.dialect.name == "sqlite":
                event.listen(self.engine, "connect", _sqlite_pragmas)
            _Base.metadata.create_all(self.engine)
        except OperationalError as exc:
            raise StorageError(f"cannot open the database {url!r}: {exc.orig}") from exc
        except Exception as exc:  # bad URL, missing driver
            raise SetupError(f"INTERVIEWER_DATABASE_URL: cannot use {url!r} ({exc})") from exc
        self._session = sessionmaker(self.engine, expire_on_commit=False)

    def _write(self, work: Callable[[Session], T]) -> T:
        try:
            with self._session.begin() as db:
                return work(db)
        except OperationalError as exc:
            raise StorageError(
                f"could not save to the database ({exc.orig}); nothing was lost before this turn"
            ) from exc

    def create_session(self, user: str, state: SessionState, opening: list[str]) -> str:
        """The session and, on a first visit, its user, in one transaction."""
        session_id = uuid.uuid4().hex

        def work(db: Session) -> str:
            db.add(SessionRow(id=session_id, user_id=_user_row_id(db, user), state=state.model_dump(mode="json"),
                              opening=opening))  # fmt: skip
            return session_id

        return self._retrying_conflict(work)

    def _retrying_conflict(self, work: Callable[[Session], T]) -> T:
        try:
            return self._write(work)
        except IntegrityError:  # a user, or a key point's mastery, was created concurrently by another request
            return self._write(work)

    def record_turn(self, session_id: str, turn: Turn, state: SessionState, after: int | None = None,
                    outcomes: list[PointOutcome] | None = None) -> Turn:  # fmt: skip
        """Append a turn and save the new state in one transaction (committed before the reply is shown), with the
        key-point `outcomes` of a question this turn finished (the session owner's mastery).

        `after`: the number of turns the state was computed from; if another turn was saved since, nothing is
        written and SessionMoved is raised (the new state would overwrite what that turn decided)."""

        def work(db: Session) -> Turn:
            # The UPDATE comes first: it takes the row's write lock, so concurrent turns of one session queue here
            # and each reads the sequence number the previous one committed.
            now = datetime.now(UTC)
            saved = cast(CursorResult[Any], db.execute(  # an UPDATE: its result has a rowcount
                update(SessionRow).where(SessionRow.id == session_id)
                .values(state=state.model_dump(mode="json"), status=_status(state), updated_at=now)
                .execution_options(synchronize_session=False)
            ))  # fmt: skip
            if saved.rowcount == 0:
                raise SetupError(f"no session {session_id!r}")
            last = db.scalar(select(func.max(TurnRow.seq)).where(TurnRow.session_id == session_id)) or 0
            if after is not None and last != after:
                raise SessionMoved(f"session {session_id!r} has {last} turns, not {after}")  # rolls the UPDATE back
            seq = last + 1
            data = turn.model_dump(mode="json", exclude={"seq", "created_at"})
            db.add(TurnRow(session_id=session_id, seq=seq, created_at=now, **data))
            if outcomes:
                _review(db, session_id, outcomes, now)
            return turn.model_copy(update={"seq": seq, "created_at": now})

        return self._retrying_conflict(work)  # the same user finishing the same question in two windows

    def session(self, session_id: str, user: str | None = None) -> SessionInfo:
        """A session by id; with `user`, only if it belongs to that user (same error either way)."""
        with self._session() as db:
            return _info(*self._owned(db, session_id, user))

    def record(self, session_id: str, user: str | None = None) -> SessionRecord:
        """A session's state and transcript in one read (two statements on one connection); `user` as in `session`."""
        with self._session() as db:
            row, owner = self._owned(db, session_id, user)
            return SessionRecord(session_id=row.id, user=owner, state=SessionState.model_validate(row.state),
                                 opening=list(row.opening or []), turns=_turns(db, session_id))  # fmt: skip

    def turns(self, session_id: str) -> list[Turn]:
        with self._session() as db:
            return _turns(db, session_id)

    def sessions(self, user: str | None = None) -> list[SessionInfo]:
        with self._session() as db:
            query = select(SessionRow, UserRow.name).join(UserRow).order_by(SessionRow.created_at.desc())
            if user is not None:
                query = query.where(UserRow.name == user)
            return [_info(row, name) for row, name in db.execute(query)]

    @staticmethod
    def _owned(db: Session, session_id: str, user: str | None) -> tuple[SessionRow, str]:
        found = None
        if isinstance(session_id, str) and session_id:
            query = select(SessionRow, UserRow.name).join(UserRow).where(SessionRow.id == session_id)
            found = db.execute(query).first()
        if found is None or (user is not None and found[1] != user):
            raise SetupError(f"no session {session_id!r}: list yours with the history tab or `interviewer sessions`")
        return found[0], found[1]

    def mastery(self, user: str) -> list[PointMastery]:
        """Where each key point the user was graded on stands (none for an unknown user)."""
        with self._session() as db:
            query = select(MasteryRow).join(UserRow).where(UserRow.name == user)
            return [_mastery(row) for row in db.scalars(query)]

    def mastery_history(self, user: str) -> list[MasteryEvent]:
        """Every key-point outcome of the user, oldest first."""
        with self._session() as db:
            query = select(MasteryLogRow).join(UserRow).where(UserRow.name == user).order_by(MasteryLogRow.id)
            return [MasteryEvent(question_id=r.question_id, key_point_id=r.key_point_id, outcome=cast(Any, r.outcome),
                                 at=r.at, session_id=r.session_id) for r in db.scalars(query)]  # fmt: skip

    def forget_user(self, name: str) -> int:
        """Delete a user with all their sessions and turns; returns the number of sessions deleted."""

        def work(db: Session) -> int:
            row = db.scalar(select(UserRow).where(UserRow.name == name))
            if row is None:
                return 0
            ids = list(db.scalars(select(SessionRow.id).where(SessionRow.user_id == row.id)))
            for session_id in ids:
                db.query(TurnRow).filter(TurnRow.session_id == session_id).delete()
                db.query(SessionRow).filter(SessionRow.id == session_id).delete()
            db.query(MasteryRow).filter(MasteryRow.user_id == row.id).delete()
            db.query(MasteryLogRow).filter(MasteryLogRow.user_id == row.id).delete()
            db.delete(row)
            return len(ids)

        return self._write(work)


def _user_row_id(db: Session, name: str) -> int:
    row = db.scalar(select(UserRow).where(UserRow.name == name))
    if row is None:
        row = UserRow(name=name)
        db.add(row)
        db.flush()
    return row.id


def _review(db: Session, session_id: str, outcomes: list[PointOutcome], at: datetime) -> None:
    """Each outcome reviews its key point's card for the session's owner, and is logged (a few statements in all,
    whatever the number of key points: one read of the cards, then one batched write of each kind)."""
    user_id = db.scalar(select(SessionRow.user_id).where(SessionRow.id == session_id))
    question_ids = {o.question_id for o in outcomes}
    rows = {(r.question_id, r.key_point_id): r for r in db.scalars(
        select(MasteryRow).where(MasteryRow.user_id == user_id, MasteryRow.question_id.in_(question_ids)))}  # fmt: skip
    added: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for outcome in outcomes:
        row = rows.get((outcome.question_id, outcome.key_point_id))
        now = reviewed(_mastery(row) if row else None, outcome, at)
        values = {"user_id": user_id, "question_id": now.question_id, "key_point_id": now.key_point_id,
                  "outcome": now.outcome, "due": now.due, "reviews": now.reviews, "card": now.card, "updated_at": at}  # fmt: skip
        if row is None:
            added.append(values)
        else:
            changed.append({"id": row.id, **values})
    if added:
        db.execute(insert(MasteryRow), added)
    if changed:
        db.execute(update(MasteryRow), changed)
    db.execute(insert(MasteryLogRow), [
        {"user_id": user_id, "session_id": session_id, "question_id": o.question_id, "key_point_id": o.key_point_id,
         "outcome": o.outcome, "at": at} for o in outcomes])  # fmt: skip


def _mastery(row: MasteryRow) -> PointMastery:
    return PointMastery(question_id=row.question_id, key_point_id=row.key_point_id, outcome=cast(Any, row.outcome),
                        due=row.due, reviews=row.reviews, card=dict(row.card), updated_at=row.updated_at)  # fmt: skip


def _status(state: SessionState) -> str:
    return "closed" if state.done else "paused" if state.phase == "paused" else "active"


def _info(row: SessionRow, owner: str) -> SessionInfo:
    return SessionInfo(id=row.id, user=owner, status=row.status, created_at=row.created_at, updated_at=row.updated_at,
                       state=SessionState.model_validate(row.state), opening=list(row.opening or []))  # fmt: skip


def _turns(db: Session, session_id: str) -> list[Turn]:
    rows = db.scalars(select(TurnRow).where(TurnRow.session_id == session_id).order_by(TurnRow.seq))
    return [
        Turn(
            seq=r.seq,
            question_id=r.question_id,
            kind=r.kind,
            prompt=r.prompt,
            answer=r.answer,
            intent=r.intent,
            grade=Grade.model_validate(r.grade) if r.grade else None,
            reply=r.reply or [],
            speech=SpeechFigures.model_validate(r.speech) if r.speech else None,
            created_at=r.created_at,
        )  # fmt: skip
        for r in rows
    ]
