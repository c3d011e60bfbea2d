"""Rich rendering of grades and evaluation results for the terminal."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from interviewer.evaluation.dataset import DatasetResult
from interviewer.grading.models import Grade


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
