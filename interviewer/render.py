"""Rich rendering of grades and evaluation results for the terminal."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from interviewer.evaluation.dataset import DatasetResult
from interviewer.grading.models import Grade
from interviewer.progress import Progress


def print_grade(console: Console, grade: Grade) -> None:
    lines = [f"[bold]{grade.score:g}/5[/] ({grade.band}) · grader: {escape(grade.grader)}"]
    if grade.flags:
        lines.append(f"flags: {escape(', '.join(grade.flags))}")
    lines.append("")
    lines.append(escape(grade.feedback))
    for point in grade.covered:
        lines.append(f"[green]✓[/] {escape(point.text)}  [dim]“{escape(point.evidence)}”[/]")
    for wrong in grade.contradicted:
        lines.append(f"[red]✗[/] said wrongly: [dim]“{escape(wrong.evidence)}”[/] → {escape(wrong.correction)}")
    for gap in grade.missed:
        lines.append(f"[yellow]✗[/] {escape(gap.text)}")
    for item in grade.misconceptions:
        lines.append(f"[red]![/] {escape(item.belief)} → {escape(item.correction)}")
    title = escape(
        f"{grade.question_id}: {grade.question_text[:80]}" if grade.question_id else grade.question_text[:80]
    )
    console.print(Panel("\n".join(lines), title=title, expand=False))
    console.print(Panel(escape(grade.model_answer), title="model answer", expand=False, style="dim"))


def print_dataset_result(console: Console, result: DatasetResult) -> None:
    table = Table(title=f"Grader agreement with human scores (n={result.n})")
    for name in ("pearson", "spearman", "rmse", "mae", "qwk"):
        table.add_column(name, justify="right")
    table.add_row(*(f"{getattr(result, k):.3f}" if getattr(result, k) is not None else "n/a"
                    for k in ("pearson", "spearman", "rmse", "mae", "qwk")))  # fmt: skip
    console.print(table)
    worst = Table(title="Largest disagreements")
    for name in ("id", "human", "predicted", "answer"):
        worst.add_column(name)
    for item in result.worst():
        worst.add_row(escape(str(item["id"])), f"{item['score_true']:g}", f"{item['score_pred']:g}",
                      escape(item["answer"][:90]))  # fmt: skip
    console.print(worst)


def print_turn(console: Console, lines: list[str], grade: Grade | None) -> None:
    """What the interviewer said, and in practice mode the grade card."""
    if grade is not None:
        missed = "; ".join(m.text for m in grade.missed[:2])
        console.print(f"[dim]score {grade.score:g}/5 ({escape(grade.band)})"
                      + (f" · missed: {escape(missed)}" if missed else "") + "[/]", highlight=False)  # fmt: skip
    for line in lines:
        console.print(f"[bold magenta]Interviewer:[/] {escape(line)}", highlight=False)


def print_progress(console: Console, progress: Progress) -> None:
    """Mastery per topic, the due list, then every key point graded so far by question."""
    if not progress.questions:
        console.print(f"No graded answers yet for {escape(progress.user)}: finish an interview first.")
        return
    topics = Table(title=f"Mastery of {escape(progress.user)}")
    for column in ("topic", "key points", "mastered", "due now"):
        topics.add_column(column)
    for topic in progress.topics:
        topics.add_row(topic.track, str(topic.points), f"{topic.mastered} ({topic.mastered / topic.points:.0%})",
                       str(topic.due))  # fmt: skip
    console.print(topics)
    if progress.due:
        console.print("[bold]Due for review[/] (interviewer practice --review):")
        for point in progress.due:
            console.print(
                f"  - {escape(point.key_point)} [dim]({point.question_id}, {point.outcome})[/]", highlight=False
            )
    else:
        console.print("Nothing is due for review now.")
    for question in progress.questions:
        console.print(f"\n[bold]{escape(question.text)}[/] [dim]{question.track}[/]", highlight=False)
        for point in question.points:
            console.print(f"  {point.outcome:<12} due {point.due:%Y-%m-%d %H:%M}  "
                          f"{escape(point.key_point)}", highlight=False)  # fmt: skip
