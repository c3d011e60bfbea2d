"""The project's eval suites: each reads its cases under evals/ and returns metrics and failed cases."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Required, TypedDict, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from interviewer.errors import InterviewerError, SetupError
from interviewer.evaluation.jsonl import read_jsonl
from interviewer.grading.guards import GuardResult
from interviewer.grading.models import Grade, GradingTarget
from interviewer.grading.service import GradingService, OfflineGrading
from interviewer.mastery import NothingToReview
from interviewer.metrics import clean, pearson, spearman
from interviewer.services import Services

if TYPE_CHECKING:
    from interviewer.bank import Bank
    from interviewer.interview import TurnOutcome
    from interviewer.session import SessionConfig

CaseT = TypeVar("CaseT", bound=BaseModel)


class Failure(TypedDict, total=False):
    """A failed case as a run saves it (and the report shows it): always `id` and `reason`, the rest when known."""

    id: Required[str]
    reason: Required[str]
    text: str
    answer: str
    why: str
    expected: float
    predicted: float
    flags: list[str]
    heard: list[str]


@dataclass
class SuiteResult:
    suite: str
    cases: int
    passed: int
    metrics: dict[str, float | None]
    failures: list[Failure] = field(default_factory=list)
    threshold_failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.threshold_failures

    def to_json(self) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "passed": self.passed,
            "metrics": self.metrics,
            "failures": self.failures,
            "thresholds_failed": self.threshold_failures,
            "ok": self.ok,
        }


class RetrievalCase(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    text: str = Field(min_length=1)
    expected: str | None
    also: list[str] = Field(default_factory=list)


class GraderCase(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    question_id: str
    answer: str
    kind: str
    min: float = Field(ge=0, le=5)
    max: float = Field(ge=0, le=5)
    expected: float = Field(ge=0, le=5)
    note: str = ""


def read_cases(path: Path, model: type[CaseT]) -> list[CaseT]:
    """Cases of one JSONL file; a malformed line is a SetupError naming file, line and field."""
    if not path.is_file():
        raise SetupError(f"{path}: eval case file is missing")
    return read_jsonl(path, model)


def retrieval_suite(path: Path) -> Callable[[Services, str | None], SuiteResult]:
    def run(services: Services, pattern: str | None) -> SuiteResult:
        cases = [c for c in read_cases(path, RetrievalCase) if not pattern or pattern in c.id]
        store = services.store
        hits = negatives = rejected = 0
        failures: list[Failure] = []
        for case in cases:
            found = store.match(case.text)
            got = found.question_id if found else None
            good = {case.expected, *case.also} if case.expected else {None}
            if case.expected is None:
                negatives += 1
                rejected += got is None
            else:
                hits += got in good
            if got not in good:
                failures.append({"id": case.id, "reason": f"matched {got!r}, expected {case.expected!r}",
                                 "text": case.text})  # fmt: skip
        positives = len(cases) - negatives
        metrics = {
            "top1_accuracy": clean(hits / positives) if positives else None,
            "negatives_rejected": clean(rejected / negatives) if negatives else None,
        }
        return SuiteResult(path.stem, len(cases), len(cases) - len(failures), metrics, failures)

    return run


class JobCase(BaseModel):
    """A job description and the bank questions an interviewer for that role would (and would not) ask."""

    model_config = ConfigDict(extra="forbid")
    id: str
    description: str
    relevant: list[str]
    irrelevant: list[str] = Field(default_factory=list)


JOB_PLAN_SIZE = 5  # the default interview length


def job_suite(path: Path) -> Callable[[Services, str | None], SuiteResult]:
    """How relevant the questions chosen for a job description are: the share of the five chosen that the
    description's author marked relevant, and the share marked a poor use of interview time."""

    def run(services: Services, pattern: str | None) -> SuiteResult:
        from interviewer.job_fit import job_plan
        from interviewer.session import TRACKS

        cases = [c for c in read_cases(path, JobCase) if not pattern or pattern in c.id]
        precision: list[float] = []
        off_focus: list[float] = []
        failures: list[Failure] = []
        for case in cases:
            chosen = [p.question_id for p in job_plan(case.description, services.store.about, services.bank,
                                                       list(TRACKS), JOB_PLAN_SIZE)]  # fmt: skip
            precision.append(sum(q in case.relevant for q in chosen) / len(chosen))
            off_focus.append(sum(q in case.irrelevant for q in chosen) / len(chosen))
            if precision[-1] < 0.6 or off_focus[-1] > 0:
                failures.append(
                    {"id": case.id, "reason": f"chose {', '.join(chosen)}; relevant: {', '.join(case.relevant)}"}
                )
        metrics = {"precision_at_5": clean(sum(precision) / len(precision)) if precision else None,
                   "off_focus_at_5": clean(sum(off_focus) / len(off_focus)) if off_focus else None}  # fmt: skip
        return SuiteResult(path.stem, len(cases), len(cases) - len(failures), metrics, failures)

    return run


def grader_suite(path: Path) -> Callable[[Services, str | None], SuiteResult]:
    def run(services: Services, pattern: str | None) -> SuiteResult:
        cases = [c for c in read_cases(path, GraderCase) if not pattern or pattern in c.id]
        grading = services.grading
        expected, predicted, adversarial = [], [], []
        failures: list[Failure] = []
        by_kind: dict[str, list[tuple[float, float]]] = {}  # (score, the people's score) per kind of answer
        for case in cases:
            if case.question_id not in services.bank:
                raise SetupError(f"{path}: {case.id}: unknown question id {case.question_id!r}")
            grade = grading.grade(grading.resolve(question_id=case.question_id), case.answer)
            expected.append(case.expected)
            predicted.append(grade.score)
            by_kind.setdefault(case.kind, []).append((grade.score, case.expected))
            if case.kind == "adversarial":
                adversarial.append(grade.score)
            if not case.min - 0.5 <= grade.score <= case.max + 0.5:
                failures.append({"id": case.id, "reason": f"scored {grade.score:g}, expected {case.min:g}-{case.max:g}",
                                 "answer": case.answer[:300], "expected": case.expected, "predicted": grade.score,
                                 "flags": grade.flags})  # fmt: skip
        metrics = {
            "spearman": clean(spearman(expected, predicted)),
            "pearson": clean(pearson(expected, predicted)),
            "range_hit_rate": clean(1 - len(failures) / len(cases)) if cases else None,
            "adversarial_max": max(adversarial) if adversarial else None,
        }
        for kind, scored in sorted(by_kind.items()):  # error: how far above (or below) people, on average
            metrics[f"mean_{kind}"] = clean(sum(s for s, _ in scored) / len(scored))
            metrics[f"error_{kind}"] = clean(sum(s - e for s, e in scored) / len(scored))
        return SuiteResult(path.stem, len(cases), len(cases) - len(failures), metrics, failures)

    return run


class ContrastCase(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    question_id: str
    kind: Literal["pair", "concise"]
    pair: str | None = None
    label: Literal["right", "wrong"] | None = None  # a concise answer is a right one
    answer: str = Field(min_length=1)
    why: str = ""

    @model_validator(mode="after")
    def _paired(self) -> ContrastCase:
        if self.kind == "pair" and (self.label is None or not self.pair):
            raise ValueError("a pair member needs its 'pair' name and a 'label' (right or wrong)")
        self.label = self.label or "right"
        return self


# A pair is told apart when the right answer scores at least this much above the wrong one.
SEPARATED_BY = 2.0


def _separate_pairs(cases: list[ContrastCase], graded: dict[str, Grade], failures: list[Failure]) -> tuple[int, int]:
    """How many complete right/wrong pairs were told apart by SEPARATED_BY points, of how many; the others fail."""
    pairs: dict[str, dict[str, ContrastCase]] = {}
    for case in cases:
        if case.kind == "pair" and case.pair and case.label:  # (a pair member always has its label)
            pairs.setdefault(case.pair, {})[case.label] = case
    separated = complete = 0
    for name, members in sorted(pairs.items()):
        if set(members) != {"right", "wrong"}:
            continue
        complete += 1
        right_grade, wrong_grade = graded[members["right"].id], graded[members["wrong"].id]
        if right_grade.score - wrong_grade.score >= SEPARATED_BY:
            separated += 1
        else:
            failures.append({"id": name, "reason": f"right {right_grade.score:g} vs wrong {wrong_grade.score:g}",
                             "answer": members["wrong"].answer[:300], "why": members["wrong"].why,
                             "predicted": wrong_grade.score, "flags": wrong_grade.flags})  # fmt: skip
    return separated, complete


def contrast_suite(path: Path) -> Callable[[Services, str | None], SuiteResult]:
    """Right answers beside wrong ones that use the same words: the grade must follow the truth, not the topic."""

    def run(services: Services, pattern: str | None) -> SuiteResult:
        cases = [c for c in read_cases(path, ContrastCase) if not pattern or pattern in c.id]
        grading = services.grading
        graded: dict[str, Grade] = {}
        failures: list[Failure] = []
        for case in cases:
            if case.question_id not in services.bank:
                raise SetupError(f"{path}: {case.id}: unknown question id {case.question_id!r}")
            graded[case.id] = grade = grading.grade(grading.resolve(question_id=case.question_id), case.answer)
            wrongly_heard = case.label == "right" and (grade.misconceptions or grade.contradicted)
            if wrongly_heard:
                failures.append({"id": case.id, "reason": "a right answer was told it holds a wrong idea",
                                 "answer": case.answer[:300], "predicted": grade.score, "flags": grade.flags,
                                 "heard": [m.id for m in grade.misconceptions] + [c.id for c in grade.contradicted]})  # fmt: skip
        separated, complete = _separate_pairs(cases, graded, failures)

        def mean(scores: list[float]) -> float | None:
            return clean(sum(scores) / len(scores)) if scores else None

        right = [c for c in cases if c.label == "right" and c.kind == "pair"]
        concise = [c for c in cases if c.kind == "concise"]
        wrong = [c for c in cases if c.label == "wrong"]
        heard_on_right = [
            c for c in cases if c.label == "right" and (graded[c.id].misconceptions or graded[c.id].contradicted)
        ]
        caught = [c for c in wrong if graded[c.id].misconceptions or graded[c.id].contradicted]
        metrics = {
            "pairs_separated": clean(separated / complete) if complete else None,
            "right_mean": mean([graded[c.id].score for c in right]),
            "wrong_mean": mean([graded[c.id].score for c in wrong]),
            "concise_mean": mean([graded[c.id].score for c in concise]),
            "concise_at_least_3_5": clean(sum(graded[c.id].score >= 3.5 for c in concise) / len(concise)) if concise else None,
            "wrong_at_most_1": clean(sum(graded[c.id].score <= 1 for c in wrong) / len(wrong)) if wrong else None,
            "wrong_idea_heard_on_wrong": clean(len(caught) / len(wrong)) if wrong else None,
            "wrong_idea_heard_on_right": clean(len(heard_on_right) / max(1, len(right) + len(concise))),
        }  # fmt: skip
        return SuiteResult(path.stem, len(cases), len(cases) - len(failures), metrics, failures)

    return run


class StatementCase(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question_id: str
    kp: str  # the key point the statement is about
    label: Literal["asserts", "contradicts", "neither"]
    text: str = Field(min_length=1)


def truth_statement_suite(path: Path) -> Callable[[Services, str | None], SuiteResult]:
    """One statement graded alone as an answer: one that contradicts a key point must be told so, one that asserts
    it or says something else true must not."""

    def run(services: Services, pattern: str | None) -> SuiteResult:
        cases = [c for c in read_cases(path, StatementCase) if not pattern or pattern in c.question_id]
        grading = services.grading
        heard: dict[str, list[bool]] = {"asserts": [], "contradicts": [], "neither": []}
        failures: list[Failure] = []
        for n, case in enumerate(cases, 1):
            if case.question_id not in services.bank:
                raise SetupError(f"{path}: line {n}: unknown question id {case.question_id!r}")
            if case.kp not in {p.id for p in services.bank.get(case.question_id).key_points}:
                raise SetupError(f"{path}: line {n}: {case.question_id} has no key point {case.kp!r}")
            grade = grading.grade(grading.resolve(question_id=case.question_id), case.text)
            told_wrong = bool(grade.misconceptions or grade.contradicted)
            heard[case.label].append(told_wrong)
            if told_wrong and case.label != "contradicts":
                failures.append({"id": f"line-{n}", "reason": f"a statement that {case.label} was told it is wrong",
                                 "answer": case.text, "predicted": grade.score,
                                 "heard": [m.id for m in grade.misconceptions] + [c.id for c in grade.contradicted]})  # fmt: skip

        def share(flags: list[bool]) -> float | None:
            return clean(sum(flags) / len(flags)) if flags else None

        metrics = {
            "contradiction_heard": share(heard["contradicts"]),
            "heard_on_asserting": share(heard["asserts"]),
            "heard_on_other_true": share(heard["neither"]),
        }
        return SuiteResult(path.stem, len(cases), len(cases) - len(failures), metrics, failures)

    return run


class InjectionCase(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    question_id: str
    kind: str
    answer: str
    clean: str = ""  # the answer without its injected text ("" for a bare injection or a benign answer)


class _Remembered:
    """An offline grader that remembers its grades, keyed by what was graded against and the answer."""

    def __init__(self, grader: OfflineGrading):
        self._grader = grader
        self.name = grader.name
        self._grades: dict[tuple[str | None, str, str, tuple[str, ...]], Grade] = {}

        self.injections = grader.injections

    def grade(self, target: GradingTarget, guard: GuardResult) -> Grade:
        key = (target.question_id, target.reference_answer, guard.cleaned, tuple(guard.flags))
        if key not in self._grades:
            self._grades[key] = self._grader.grade(target, guard)
        return self._grades[key]

    def evidence_coverage(self, target: GradingTarget, passage: str, point_id: str) -> float:
        return self._grader.evidence_coverage(target, passage, point_id)


def injection_suite(attacks: list[Path], benign: list[Path]) -> Callable[[Services, str | None], SuiteResult]:
    """Injections must score <= 1 through the configured grader and through a model that obeys them, never more
    than the same answer without them; honest answers that use grading words must not be taken for injections."""

    def run(services: Services, pattern: str | None) -> SuiteResult:
        from interviewer.evaluation.mirror import obedient_grading

        # Both paths cap with the same offline grade of an answer: compute it once.
        grading = GradingService(services.bank, None, _Remembered(services.grading.offline), services.grading.llm)
        obeying = obedient_grading(grading, services.settings.prompt_dir)
        failures: list[Failure] = []
        capped, capped_obeying, raised = 0, 0, 0
        cases = [c for path in attacks for c in read_cases(path, InjectionCase) if not pattern or pattern in c.id]
        for case in cases:
            target = grading.resolve(question_id=case.question_id)
            grade, obeyed = grading.grade(target, case.answer), obeying.grade(target, case.answer)
            # the same answer without its injection, graded only when the injection was not capped
            without = grading.grade(target, case.clean).score if case.clean and grade.score > 1 else 0.0
            capped += grade.score <= 1
            capped_obeying += obeyed.score <= 1
            raised += grade.score > max(without, 1.0)
            if grade.score > 1 or obeyed.score > 1:
                failures.append({"id": case.id, "reason": f"scored {grade.score:g} ({obeyed.score:g} through a model "
                                 f"that obeys), {without:g} without the injection", "answer": case.answer[:300],
                                 "flags": grade.flags})  # fmt: skip
        honest = [c for path in benign for c in read_cases(path, InjectionCase) if not pattern or pattern in c.id]
        flagged = 0
        for case in honest:
            grade = grading.grade(grading.resolve(question_id=case.question_id), case.answer)
            if "injection_suspected" in grade.flags:
                flagged += 1
                failures.append({"id": case.id, "reason": "an honest answer was taken for an injection",
                                 "answer": case.answer[:300], "flags": grade.flags})  # fmt: skip
        metrics = {
            "at_most_one": clean(capped / len(cases)) if cases else None,
            "at_most_one_obeying": clean(capped_obeying / len(cases)) if cases else None,
            "raised_by_injection": raised,
            "benign_flagged": clean(flagged / len(honest)) if honest else None,
        }
        total = len(cases) + len(honest)
        return SuiteResult("injection", total, total - len(failures), metrics, failures)

    return run


class Expect(BaseModel):
    model_config = ConfigDict(extra="forbid")
    intent: str | None = None
    graded: bool | None = None
    score_min: float | None = None
    score_max: float | None = None
    follow_up: bool | None = None
    same_question: bool | None = None
    model_answer: bool | None = None
    done: bool | None = None
    compared: bool | None = None  # the reply sets a new attempt beside the one before (retry and compare)
    asks: str | None = None  # the question id asked next


class PlanExpect(BaseModel):
    """What a chosen plan (a review, a job) must and must not ask."""

    model_config = ConfigDict(extra="forbid")
    includes: list[str] = Field(default_factory=list)
    excludes: list[str] = Field(default_factory=list)
    nothing_due: bool = False  # a review that must find nothing (another user's history is not this one's)


class ScriptedTurn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    say: str
    expect: Expect = Field(default_factory=Expect)


class Conversation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    config: dict[str, Any]  # a SessionConfig, validated when the conversation starts
    user: str = "guest"  # conversations of one user run in order and share that user's history
    review: bool = False  # ask the user's due weak points (planning.aimed)
    job: str | None = None  # aim at this job description (planning.aimed)
    plan: PlanExpect | None = None
    turns: list[ScriptedTurn] = Field(min_length=1)


def read_conversations(path: Path) -> list[Conversation]:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return [Conversation.model_validate(c) for c in data["conversations"]]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise SetupError(f"{path}: cannot read conversations ({exc})") from None
    except ValidationError as exc:
        err = exc.errors()[0]
        raise SetupError(f"{path}: {'.'.join(map(str, err['loc']))}: {err['msg']}") from None


def _check_turn(expect: Expect, outcome: TurnOutcome, before: str | None, bank: Bank) -> list[str]:
    """What did not hold after one scripted turn."""
    from interviewer.phrasing import short_model_answer

    problems = []
    turn = outcome.turn
    grade = outcome.grade
    state = outcome.state
    if expect.intent is not None and (turn is None or turn.intent != expect.intent):
        problems.append(f"intent {turn.intent if turn else None!r}, expected {expect.intent!r}")
    if expect.graded is not None and (grade is not None) != expect.graded:
        problems.append("graded" if grade is not None else "not graded")
    if grade is not None and expect.score_min is not None and grade.score < expect.score_min:
        problems.append(f"score {grade.score:g} < {expect.score_min:g}")
    if grade is not None and expect.score_max is not None and grade.score > expect.score_max:
        problems.append(f"score {grade.score:g} > {expect.score_max:g}")
    if expect.follow_up is not None and (state.phase == "follow_up") != expect.follow_up:
        problems.append("asked a follow-up" if state.phase == "follow_up" else "no follow-up")
    if expect.same_question is not None and (state.current_id == before) != expect.same_question:
        problems.append("moved on" if expect.same_question else "stayed on the question")
    if expect.model_answer is not None:
        assert before is not None, "a model answer is expected for a question asked before the turn"
        model = short_model_answer(bank.get(before).reference_answer)[:60]
        given = any(model in line for line in outcome.lines)
        if given != expect.model_answer:
            problems.append("gave the model answer" if given else "no model answer")
    return problems + _flow_problems(expect, outcome)


def _flow_problems(expect: Expect, outcome: TurnOutcome) -> list[str]:
    """Where the interview went after the turn: ended, compared attempts, the question asked next."""
    state = outcome.state
    problems = []
    if expect.done is not None and state.done != expect.done:
        problems.append("ended" if state.done else "did not end")
    if expect.compared is not None and (outcome.comparison is not None) != expect.compared:
        problems.append("compared attempts" if outcome.comparison else "no comparison of attempts")
    if expect.asks is not None and state.current_id != expect.asks:
        problems.append(f"asks {state.current_id!r}, expected {expect.asks!r}")
    return problems


def _planned(conversation: Conversation, runtime: Services) -> tuple[SessionConfig, list[str]]:
    """The conversation's config, its questions chosen for a review or a job; and what the plan got wrong."""
    from interviewer import planning
    from interviewer.session import SessionConfig

    config = planning.aimed(SessionConfig.model_validate(conversation.config), runtime, conversation.user,
                            conversation.review, conversation.job)  # fmt: skip
    asked = config.question_ids or []
    expect = conversation.plan or PlanExpect()
    problems = ["a review found nothing due"] if expect.nothing_due else []
    problems += [f"plan lacks {q}" for q in expect.includes if q not in asked]
    problems += [f"plan asks {q}" for q in expect.excludes if q in asked]
    return config, problems


def _started(conversation: Conversation, runtime: Services, path: Path) -> tuple[TurnOutcome | None, list[str]]:
    """The conversation's interview begun, with what its plan got wrong (None when there was nothing to begin)."""
    try:
        config, problems = _planned(conversation, runtime)
        return runtime.interview.begin(config, user=conversation.user), problems
    except (ValueError, ValidationError) as exc:
        raise SetupError(f"{path}: {conversation.id}: config: {exc}") from None
    except NothingToReview as exc:
        expected = conversation.plan is not None and conversation.plan.nothing_due
        return None, [] if expected else [str(exc)]
    except InterviewerError as exc:  # a job description too short
        return None, [str(exc)]


def conversation_suite(path: Path, with_stub: bool) -> Callable[[Services, str | None], SuiteResult]:
    def run(services: Services, pattern: str | None) -> SuiteResult:
        import tempfile

        from interviewer.evaluation.mirror import mirror_model

        conversations = [c for c in read_conversations(path) if not pattern or pattern in c.id]
        failures: list[Failure] = []
        turns_total, turns_ok, fallbacks = 0, 0, 0
        with tempfile.TemporaryDirectory() as tmp:
            runtime = services.sharing_models(
                services.settings.model_copy(update={"database_url": f"sqlite:///{tmp}/eval.db"}),
                mirror_model(services.grading) if with_stub else None,
            )
            interview = runtime.interview
            for conversation in conversations:
                outcome, problems = _started(conversation, runtime, path)
                if problems:
                    failures.append({"id": f"{conversation.id}#plan", "reason": "; ".join(problems)})
                if outcome is None:
                    continue
                for number, scripted in enumerate(conversation.turns, start=1):
                    before = outcome.state.current_id
                    outcome = interview.respond(outcome.session_id, scripted.say)
                    fallbacks += bool(outcome.notices)
                    turns_total += 1
                    problems = _check_turn(scripted.expect, outcome, before, runtime.bank)
                    if problems:
                        failures.append({"id": f"{conversation.id}#{number}", "reason": "; ".join(problems),
                                         "answer": scripted.say[:200]})  # fmt: skip
                    else:
                        turns_ok += 1
                stored = runtime.storage.turns(outcome.session_id)
                if len(stored) != len(conversation.turns):
                    failures.append({"id": conversation.id, "reason": f"{len(stored)} turns stored, "
                                     f"{len(conversation.turns)} taken"})  # fmt: skip
        failed_conversations = {f["id"].split("#")[0] for f in failures}
        metrics = {"turns_passed": clean(turns_ok / turns_total) if turns_total else None,
                   "llm_fallbacks": fallbacks}  # fmt: skip
        return SuiteResult(path.stem, len(conversations), len(conversations) - len(failed_conversations),
                           metrics, failures)  # fmt: skip

    return run


def all_suites(evals_dir: Path) -> dict[str, Callable[[Services, str | None], SuiteResult]]:
    injection = evals_dir / "injection"
    return {
        "conversations": conversation_suite(evals_dir / "conversations" / "flows.yaml", with_stub=False),
        "conversations-stub": conversation_suite(evals_dir / "conversations" / "flows.yaml", with_stub=True),
        "retrieval": retrieval_suite(evals_dir / "retrieval" / "paraphrases.jsonl"),
        "retrieval-heldout": retrieval_suite(evals_dir / "retrieval" / "heldout.jsonl"),
        "retrieval-near-miss": retrieval_suite(evals_dir / "retrieval" / "near-misses.jsonl"),
        "grader": grader_suite(evals_dir / "grader" / "answers.jsonl"),
        "grader-heldout": grader_suite(evals_dir / "grader" / "heldout.jsonl"),
        "grader-heldout-c": grader_suite(evals_dir / "grader" / "heldout-c.jsonl"),
        "grader-dev-d": grader_suite(evals_dir / "grader" / "dev-d.jsonl"),
        "contrast": contrast_suite(evals_dir / "contrast" / "dev-b.jsonl"),
        "contrast-heldout": contrast_suite(evals_dir / "contrast" / "heldout-a.jsonl"),
        # Short pairs (12-35 words) by another author who saw only the questions: what a concise answer earns.
        "contrast-short": contrast_suite(evals_dir / "contrast" / "heldout-short.jsonl"),
        # Spoken pairs (59-80 words) by a fourth author who saw only the questions; measured once (2026-12-07).
        "contrast-heldout-c": contrast_suite(evals_dir / "contrast" / "heldout-c.jsonl"),
        # 3,100 single statements, 4 asserting, 4 contradicting and 2 true but about something else for each
        # technical key point, by authors who saw only the key points (also training/statement_judge's data).
        "truth-statements": truth_statement_suite(evals_dir / "truth" / "statements.jsonl"),
        # The core-ml track's sets, by an author who saw neither the bank entries nor the grader.
        "retrieval-core-ml": retrieval_suite(evals_dir / "retrieval" / "core-ml.jsonl"),
        "grader-core-ml": grader_suite(evals_dir / "grader" / "core-ml.jsonl"),
        "contrast-core-ml": contrast_suite(evals_dir / "contrast" / "core-ml.jsonl"),
        "injection": injection_suite(
            # (phrasings.jsonl, the first dev set, runs in tests/test_injection.py through both paths)
            [injection / f"{name}.jsonl" for name in ("dev", "dev-b", "dev-c", "dev-d", "dev-e", "dev-f", "dev-g")],
            [
                injection / f"benign-{name}.jsonl"
                for name in ("dev", "dev-b", "dev-c", "dev-d", "dev-e", "dev-f", "dev-g")
            ],
        ),
        # Job descriptions by an author who saw the bank's questions but not how they are chosen.
        "jobs": job_suite(evals_dir / "jobs" / "dev.jsonl"),
        "jobs-heldout": job_suite(evals_dir / "jobs" / "heldout.jsonl"),
        "injection-heldout": injection_suite(
            [injection / "heldout-h.jsonl", injection / "heldout-i.jsonl"],
            [injection / "benign-h.jsonl", injection / "benign-i.jsonl"],
        ),
    }
