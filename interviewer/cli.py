"""The command line (typer + rich). Errors become one-line messages here and nowhere else."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar, cast

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from interviewer.config import Settings
from interviewer.errors import BankError, InterviewerError
from interviewer.paths import file_problem

if TYPE_CHECKING:
    from interviewer.services import Services
    from interviewer.session import SessionConfig

T = TypeVar("T")

app = typer.Typer(
    help="An offline-first mock interviewer for machine-learning jobs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, markup=True, soft_wrap=True)
    return typer.Exit(code)


def _services() -> Services:
    from interviewer.services import Services

    return Services(Settings.load())


def _run(fn: Callable[[], T]) -> T:
    """Call fn, turning the product's own errors into one-line messages with exit code 1."""
    try:
        return fn()
    except BankError as exc:
        for problem in exc.problems:
            err.print(problem, highlight=False, markup=False, soft_wrap=True)
        raise _fail(f"{len(exc.problems)} problem(s) in the question bank; nothing was ingested") from None
    except InterviewerError as exc:
        raise _fail(str(exc)) from None


@app.command()
def ingest(
    bank: Annotated[list[Path] | None, typer.Option("--bank", help="An extra bank file (YAML); repeatable.")] = None,
    reset: Annotated[bool, typer.Option("--reset", help="Drop the store and rebuild it.")] = False,
) -> None:
    """Build or refresh the question store (idempotent: only new or edited questions are embedded)."""

    def work() -> None:
        from interviewer.bank import load_bank

        services = _services()
        settings = services.settings
        extra = [p for p in (bank or [])]
        for path in extra:
            if problem := file_problem(path, "bank file"):
                raise _fail(problem, 2)
        loaded = load_bank(settings.bank_files(extra))  # validates everything before touching the store
        from interviewer.store import QuestionStore

        store = QuestionStore(settings, services.embedder)
        if reset:
            store.reset()
        with Progress(TextColumn("embedding"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err, transient=True) as progress:  # fmt: skip
            task = progress.add_task("embed", total=None)
            summary = store.ingest(loaded, lambda done, total: progress.update(task, completed=done, total=total))
        user_dir = settings.data_dir / "banks"
        for path in extra:  # keep user banks so later runs (and the grader) see them too
            user_dir.mkdir(parents=True, exist_ok=True)
            if path.resolve() != (user_dir / path.name).resolve():
                shutil.copyfile(path, user_dir / path.name)
        table = Table(title=f"Question store ({settings.chroma_mode}, {store.count()} documents)")
        for column in ("added", "updated", "unchanged", "removed", "documents embedded"):
            table.add_column(column, justify="right")
        table.add_row(*(str(len(x)) for x in (summary.added, summary.updated, summary.unchanged, summary.removed)),
                      str(summary.documents_embedded))  # fmt: skip
        out.print(table)
        out.print("No changes: the store is up to date." if not summary.changed else
                  f"Embedded {len(summary.added) + len(summary.updated)} question(s).")  # fmt: skip

    _run(work)


bank_app = typer.Typer(help="The question bank.", no_args_is_help=True)
app.add_typer(bank_app, name="bank")


@bank_app.command("check")
def bank_check(
    bank: Annotated[list[Path] | None, typer.Option("--bank", help="An extra bank file (YAML); repeatable.")] = None,
) -> None:
    """Review the bank beyond its format: hints in references, cues, follow-ups, spellings, repeated misconceptions."""

    def work() -> None:
        from interviewer.bank import load_bank
        from interviewer.bank_review import review

        services = _services()
        files = services.settings.bank_files([p for p in (bank or [])])
        problems = review(load_bank(files), files, services.local_embedder)
        for problem in problems:
            out.print(problem, highlight=False, markup=False, soft_wrap=True)
        if problems:
            raise _fail(f"{len(problems)} problem(s) in the question bank")
        out.print(f"ok: {len(files)} bank file(s) reviewed, no problems")

    _run(work)


@app.command()
def grade(
    question: Annotated[str, typer.Option("--question", "-q", help="The question asked.")],
    answer: Annotated[str, typer.Option("--answer", "-a", help="The candidate's answer ('-' reads stdin).")],
    reference: Annotated[str | None, typer.Option("--reference", "-r", help="Grade against this reference.")] = None,
    question_id: Annotated[str | None, typer.Option("--question-id", help="Grade against this bank question.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the Grade as JSON.")] = False,
) -> None:
    """Grade one answer (against the bank question it matches, --question-id, or --reference)."""

    def work() -> None:
        text = sys.stdin.read() if answer == "-" else answer
        grading = _services().grading
        target = grading.resolve(question=question, reference=reference, question_id=question_id)
        if not question_id and not reference:
            for other in grading.same_text(question, target.question_id):
                err.print(f"note: the bank also asks this as {other}; pass --question-id {other} to grade against it",
                          highlight=False, markup=False)  # fmt: skip
        result = grading.grade(target, text)
        if as_json:
            print(result.model_dump_json(indent=2))
        else:
            from interviewer.render import print_grade

            print_grade(out, result)

    _run(work)


@app.command(name="eval")
def eval_command(
    suite: Annotated[str | None, typer.Argument(help="One suite to run (default: all).")] = None,
    dataset: Annotated[
        Path | None, typer.Option("--dataset", help="Labelled JSONL file (with suite 'grader').")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    filter_: Annotated[str | None, typer.Option("--filter", help="Only cases whose id contains this.")] = None,
    model: Annotated[str, typer.Option("--model", help="offline, stub, openai[:NAME] or a base URL.")] = "offline",
    report_path: Annotated[Path | None, typer.Option("--report", help="Write a Markdown report here.")] = None,
    compare: Annotated[
        tuple[str, str] | None,
        typer.Option("--compare", help="Two runs (saved JSON files or models) to show side by side."),
    ] = None,
) -> None:
    """Run the eval suites (exit 1 when a threshold fails), or measure the grader on a labelled data set."""
    if dataset is not None:
        if suite != "grader":
            raise _fail("--dataset goes with the 'grader' suite: interviewer eval grader --dataset FILE.jsonl", 2)
        if problem := file_problem(dataset, "data set"):
            raise _fail(problem, 2)

        return _run(lambda: _grade_dataset(dataset, model, as_json))

    from interviewer.evaluation.suites import all_suites

    settings = _run(Settings.load)
    if suite is not None and suite not in all_suites(settings.evals_dir):
        raise _fail(f"unknown suite {suite!r}: choose from {', '.join(all_suites(settings.evals_dir))}", 2)

    raise typer.Exit(_run(lambda: _run_suites(settings, suite, filter_, model, compare, report_path, as_json)))


def _run_suites(settings: Settings, suite: str | None, filter_: str | None, model: str,
                compare: tuple[str, str] | None, report_path: Path | None, as_json: bool) -> int:  # fmt: skip
    """Run (or load) the suites, show or compare the results; the exit code says whether every threshold held."""
    from interviewer.evaluation import runner

    def obtain(spec: str) -> runner.EvalRun:
        path = Path(spec)
        if path.suffix == ".json" and path.is_file():
            return runner.load_run(path)
        made = runner.run_evals(settings, suite, filter_, spec)
        if not made.skipped:
            runner.save_run(made, settings.runs_dir)
        return made

    if compare:
        first, second = obtain(compare[0]), obtain(compare[1])
        if as_json:
            print(json.dumps({"a": first.model_dump(mode="json"), "b": second.model_dump(mode="json")}))
        else:
            runner.print_comparison(out, first, second)
        return 0 if first.ok and second.ok else 1
    result = obtain(model)
    if report_path is not None and not result.skipped:
        runner.write_report(result, report_path)
    if as_json:
        print(runner.dumps(result))
    else:
        runner.print_run(out, result)
    return 0 if result.ok else 1


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 7860,
) -> None:
    """Serve the web UI (same as `python app.py`)."""

    def work() -> None:
        try:
            from interviewer.ui import serve as serve_ui
        except ImportError as exc:
            raise _fail(
                f"the web UI needs the 'ui' extra ({exc.name} is missing): pip install 'interviewer[ui]'"
            ) from None

        services = _services()
        out.print(f"interviewer: serving on http://{host}:{port}  (Ctrl-C to stop)")
        serve_ui(services, host, port)

    _run(work)


def _grade_dataset(dataset: Path, model: str, as_json: bool) -> None:
    from interviewer.evaluation.dataset import evaluate_dataset
    from interviewer.evaluation.runner import services_for

    services = _services() if model == "offline" else services_for(model, Settings.load())
    if isinstance(services, str):
        raise _fail(services)
    result = evaluate_dataset(dataset, services.grading)
    if as_json:
        print(json.dumps(result.to_json()))
    else:
        from interviewer.render import print_dataset_result

        print_dataset_result(out, result)


def _read_script(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(f"cannot read the script {path}: {exc}", 2) from None
    if text.lstrip().startswith("["):
        try:
            answers = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _fail(f"{path}: not a valid JSON list ({exc.msg})", 2) from None
        if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
            raise _fail(f"{path}: expected a JSON list of strings", 2)
        return answers
    return [line for line in text.splitlines() if line.strip()]


def _read_job(job: str) -> str:
    if not job.startswith("@"):
        return job
    path = Path(job[1:])
    if problem := file_problem(path, "job description file"):
        raise _fail(problem, 2)
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(f"cannot read the job description {path}: {exc}", 2) from None


@app.command()
def practice(
    track: Annotated[
        list[str] | None,
        typer.Option(
            "--track",
            help="Track(s): basics, intermediate, advanced, "
            "data-science, behavioral, core-ml (repeatable; default the "
            "seed article's five, or every track for --review and --job).",
        ),
    ] = None,
    questions: Annotated[int, typer.Option("--questions", min=1, max=40, help="How many questions.")] = 5,
    question: Annotated[
        list[str] | None, typer.Option("--question", help="Ask this bank question id (repeatable, in order).")
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed for the question order.")] = None,
    follow_ups: Annotated[int, typer.Option("--follow-ups", min=0, max=2, help="Follow-ups per question.")] = 1,
    mode: Annotated[str, typer.Option("--mode", help="practice (feedback each answer) or mock.")] = "practice",
    adaptive: Annotated[bool, typer.Option("--adaptive", help="Pick difficulty from scores so far.")] = False,
    name: Annotated[str, typer.Option("--name", help="Your name (used in the greeting).")] = "",
    script: Annotated[Path | None, typer.Option("--script", help="Answers, one per line or a JSON list.")] = None,
    resume: Annotated[str | None, typer.Option("--resume", help="Continue an unfinished session.")] = None,
    user: Annotated[str, typer.Option("--user", help="Whose history is used and extended.")] = "guest",
    review: Annotated[
        bool, typer.Option("--review", help="Ask the questions whose weak key points are due (--user's).")
    ] = False,
    job: Annotated[
        str | None, typer.Option("--job", help="A job description (text, or @file): ask what the role needs.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the transcript and report as one JSON object.")
    ] = False,
) -> None:
    """A full interview in the terminal (type your answers, or --script them)."""
    from interviewer.session import SEED_TRACKS, TRACKS, Mode, SessionConfig

    if mode not in ("practice", "mock"):
        raise _fail(f"--mode must be practice or mock, not {mode!r}", 2)
    session_mode = cast(Mode, mode)  # checked just above
    answers = _read_script(script) if script else None
    if review and job is not None:
        raise _fail("choose --review or --job, not both", 2)
    description = _read_job(job) if job is not None else None

    def work() -> None:
        from interviewer.render import print_turn

        services = _services()
        interview = services.interview
        if resume:
            outcome = interview.resume(resume)
        else:
            # A review or a job looks in every track unless tracks are given; a plain interview asks the seed's five.
            tracks = track or list(TRACKS if review or description is not None else SEED_TRACKS)
            config = SessionConfig(candidate=name, tracks=tracks, questions=questions, seed=seed,
                                   follow_ups=follow_ups, mode=session_mode, adaptive=adaptive,
                                   question_ids=question or None)  # fmt: skip
            outcome = interview.begin(_aimed(services, config, user, review, description), user=user)
        session_id = outcome.session_id
        if not as_json:
            print_turn(out, outcome.lines, None)
        pending = list(answers) if answers is not None else None
        while not outcome.done or (pending and session_mode == "practice"):  # a retry may follow the last answer
            text = _next_answer(pending, as_json, session_id)
            if text is None:
                break
            outcome = interview.respond(session_id, text)
            if not as_json:
                if outcome.notice:  # once per session
                    out.print(f"[yellow]The LLM could not be used; the offline grader took over. "
                              f"({escape(outcome.notice)})[/]", highlight=False)  # fmt: skip
                print_turn(out, outcome.lines, outcome.grade if mode == "practice" else None)
        _print_session(services, session_id, as_json)

    _run(work)


def _aimed(services: Services, config: SessionConfig, user: str, review: bool, job: str | None) -> SessionConfig:
    """The config with its tracks checked and, for a review or a job, its questions chosen."""
    from interviewer import planning

    unknown = sorted(set(config.tracks) - set(services.bank.tracks))
    if unknown:
        raise _fail(f"unknown track(s) {', '.join(unknown)}: choose from {', '.join(services.bank.tracks)}", 2)
    return planning.aimed(config, services, user, review, job)


def _next_answer(pending: list[str] | None, as_json: bool, session_id: str) -> str | None:
    """The next scripted answer, or one typed at the prompt; None when there is none (the script ran out, or the
    candidate pressed Ctrl-D / Ctrl-C, which pauses the session)."""
    if pending is not None:
        if not pending:
            return None
        text = pending.pop(0)
        if not as_json:
            out.print(f"[bold cyan]You:[/] {escape(text)}", highlight=False)
        return text
    try:
        return out.input("[bold cyan]You:[/] ")
    except (EOFError, KeyboardInterrupt):
        out.print(f"\nPaused. Resume with: interviewer practice --resume {session_id}")
        return None


def _print_session(services: Services, session_id: str, as_json: bool) -> None:
    """The transcript and report as one JSON object, or where to find the report."""
    from interviewer.report import build_report

    info = services.storage.session(session_id)
    turns = services.storage.turns(session_id)
    report = build_report(session_id, info.state, turns, services.bank)
    if as_json:
        payload = {
            "session_id": session_id,
            "turns": [
                {
                    "question_id": t.question_id,
                    "kind": t.kind,
                    "prompt": t.prompt,
                    "answer": t.answer,
                    "intent": t.intent,
                    "grade": t.grade.model_dump(mode="json") if t.grade else None,
                    "reply": t.reply,
                }
                for t in turns
            ],  # fmt: skip
            "report": report.model_dump(mode="json"),
        }
        print(json.dumps(payload))
    elif info.state.done:
        out.print(f"\nReport: interviewer report {session_id}  (overall {report.overall}/5)")


@app.command()
def report(
    session_id: str,
    format: Annotated[str, typer.Option("--format", help="md or json.")] = "md",
) -> None:
    """The end-of-interview report for a session (Markdown or JSON)."""
    if format not in ("md", "json"):
        raise _fail("--format must be md or json", 2)

    def work() -> None:
        from interviewer.report import build_report, to_markdown

        services = _services()
        info = services.storage.session(session_id)
        built = build_report(session_id, info.state, services.storage.turns(session_id), services.bank)
        print(built.model_dump_json(indent=2) if format == "json" else to_markdown(built))

    _run(work)


@app.command()
def sessions(user: Annotated[str | None, typer.Option("--user", help="Only this user's sessions.")] = None) -> None:
    """List interview sessions (newest first), to resume or report on."""

    def work() -> None:
        table = Table(title="Sessions")
        table.add_column("id", no_wrap=True, min_width=32)
        for column in ("user", "status", "questions", "answered", "started"):
            table.add_column(column)
        for info in _services().storage.sessions(user):
            state = info.state
            table.add_row(info.id, escape(info.user), info.status, str(len(state.plan)), str(len(state.results)),
                          info.created_at.strftime("%Y-%m-%d %H:%M"))  # fmt: skip
        out.print(table)

    _run(work)


@app.command()
def progress(
    user: Annotated[str, typer.Option("--user", help="Whose progress.")] = "guest",
    as_json: Annotated[bool, typer.Option("--json", help="Print it as one JSON object.")] = False,
) -> None:
    """Key-point mastery per topic and question, and what is due for review."""

    def work() -> None:
        from interviewer.progress import progress_of
        from interviewer.render import print_progress

        services = _services()
        storage = services.storage
        built = progress_of(user, storage.mastery(user), storage.mastery_history(user), services.bank)
        if as_json:
            print(built.model_dump_json(indent=2))
        else:
            print_progress(out, built)

    _run(work)


@app.command()
def forget(
    user: Annotated[str, typer.Argument(help="The user whose sessions, turns and account are deleted.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a user with all their sessions and answers from the database."""
    if not yes and not typer.confirm(f"Delete {user!r} and all their sessions?", default=False):
        raise typer.Exit(1)

    def work() -> None:
        count = _services().storage.forget_user(user)
        out.print(f"Deleted {count} session(s) of {escape(user)}." if count or user else "Nothing to delete.")

    _run(work)


@app.command()
def transcribe(
    file: Annotated[Path, typer.Argument(help="An audio file (WAV, MP3, OGG, FLAC, WebM...).")],
    context: Annotated[str | None, typer.Option("--context", help="Words to expect (primes the recogniser).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print text, duration_s, words_per_minute, fillers.")] = False,
) -> None:
    """Offline speech to text, with speaking figures."""
    if problem := file_problem(file, "audio file"):
        raise _fail(problem, 2)

    def work() -> None:
        from interviewer.speech import make_stt, transcribe_file

        result = transcribe_file(make_stt(Settings.load()), file, context)
        if as_json:
            print(result.model_dump_json())
        elif result.unclear and not result.text.strip():
            raise _fail(f"nothing heard in {file}: only silence or noise; record the answer again, closer to the mic")
        else:
            out.print(escape(result.text), highlight=False)
            out.print(f"[dim]{result.duration_s:.1f}s, {result.words_per_minute:.0f} words per minute, "
                      f"{sum(result.fillers.values())} filler words[/]")  # fmt: skip

    _run(work)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover - `python -m interviewer.cli ...`
    main()
