"""CLI commands for the takeaways: `advisor review`, `advisor tco`, `advisor adr`."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from .errors import AdvisorError, InputError
from .review import markdown as review_markdown
from .settings import Settings
from .takeaways import Takeaways, load_stack_file


def register(app: typer.Typer, fail) -> None:
    """Add the three commands to the main CLI; `fail` maps an AdvisorError to its exit code."""

    @app.command()
    def review(file: Path = typer.Argument(None, help="A stack file (YAML or JSON); see docs/takeaways.md."),
               text: str = typer.Option(None, "--text", "-t", help="Describe the stack in words instead of a file."),
               as_json: bool = typer.Option(False, "--json", help="Print the review as JSON.")) -> None:
        """Review a whole stack: verdict, action and migration cost per component, the top actions first."""
        try:
            if (file is None) == (text is None):
                raise InputError("give a stack file or --text, not both or neither",
                                 "advisor review stack.yaml  |  advisor review --text 'Airflow, W&B, no monitoring'")
            t = Takeaways(Settings())
            rv = t.review(text=text) if text is not None else t.review(load_stack_file(file), source=str(file))
        except AdvisorError as exc:
            fail(exc)
        if as_json:
            typer.echo(rv.model_dump_json(indent=2))
            return
        if not sys.stdout.isatty():  # piped: Markdown another tool (or a wiki page) can take as it is
            typer.echo(review_markdown(rv))
            return
        con = Console()
        con.print("[bold]Do these first[/bold]" if rv.priorities else "Nothing to change: keep what you run.")
        for i, p in enumerate(rv.priorities, 1):
            con.print(f"{i}. {p.replace('**', '')}", markup=False)
        table = Table("Component", "Now", "Verdict", "Action", "Migration", "Why", show_lines=True)
        for r in rv.rows:
            table.add_row(r.name, r.state + (f": {r.what}" if r.what else ""), r.verdict.capitalize(),
                          r.action.replace("-", " "), r.migration_cost, r.reason)
        con.print(table)
        if rv.conditions:
            con.print("Conditions applied: " + ", ".join(rv.conditions), markup=False)
        for c in rv.citations:
            con.print(f"[{c.n}] {c.title} ({c.source})", markup=False)

    @app.command()
    def tco(build_engineers: float = typer.Option(None, help="Engineers building it."),
            loaded_cost_year: float = typer.Option(None, help="Loaded cost per engineer per year."),
            build_months: float = typer.Option(None, help="Months to build the first version."),
            maintenance_share: float = typer.Option(None, help="Share of the build team on upkeep after launch (0-1)."),
            maintenance_growth: float = typer.Option(None, help="Yearly growth of the upkeep (0.1 = 10%)."),
            infra_month: float = typer.Option(None, help="In-house infrastructure cost per month."),
            vendor_month: float = typer.Option(None, help="Vendor price per month."),
            vendor_growth: float = typer.Option(None, help="Yearly growth of the vendor price (0.1 = 10%)."),
            buy_setup_weeks: float = typer.Option(None, help="Weeks to integrate the vendor."),
            horizon_months: int = typer.Option(None, help="Months to compare."),
            conversation: str = typer.Option(None, "--conversation", "-c", help="Use numbers said in this conversation."),
            chart: Path = typer.Option(None, "--chart", help="Write the chart to this .svg or .png file."),
            as_json: bool = typer.Option(False, "--json", help="Print the result as JSON.")) -> None:
        """Build vs buy cost over time: break-even month and its sensitivity to a late build."""
        given = {k: v for k, v in {
            "build_engineers": build_engineers, "loaded_cost_year": loaded_cost_year, "build_months": build_months,
            "maintenance_share": maintenance_share, "maintenance_growth": maintenance_growth,
            "infra_month": infra_month, "vendor_month": vendor_month, "vendor_growth": vendor_growth,
            "buy_setup_weeks": buy_setup_weeks, "horizon_months": horizon_months}.items() if v is not None}
        try:
            result = Takeaways(Settings()).tco(given, conversation)
            if chart is not None:
                from .tco import chart as draw

                suffix = chart.suffix.lower().lstrip(".")
                if suffix not in ("svg", "png"):
                    raise InputError(f"--chart {chart}: unknown image type", "end the file name in .svg or .png")
                chart.write_bytes(draw(result, suffix))
        except AdvisorError as exc:
            fail(exc)
        if as_json:
            typer.echo(result.model_dump_json(indent=2))
            return
        con = Console(soft_wrap=not sys.stdout.isatty())
        con.print(result.summary, markup=False)
        table = Table("Month", "Build (cumulative)", "Buy (cumulative)")
        step = max(1, len(result.months) // 12)
        for i in range(step - 1, len(result.months), step):
            table.add_row(str(result.months[i]), f"{result.build_cumulative[i]:,.0f}", f"{result.buy_cumulative[i]:,.0f}")
        con.print(table)
        if result.assumptions:
            con.print("Assumptions (defaults you did not replace):")
            for a in result.assumptions:
                con.print(f"  {a.label}: {a.value:g}. {a.why} {a.cite}", markup=False)
        for c in result.citations:
            con.print(f"[{c.n}] {c.title} ({c.source})", markup=False)
        if chart is not None:
            con.print(f"chart written to {chart}", markup=False)

    @app.command()
    def adr(conversation_id: str = typer.Argument(..., help="The id `advisor ask` prints."),
            out: Path = typer.Option(None, "--out", "-o", help="Write the record to this file instead of stdout.")) -> None:
        """Export a conversation as an Architecture Decision Record (MADR Markdown)."""
        try:
            text = Takeaways(Settings()).adr(conversation_id)
        except AdvisorError as exc:
            fail(exc)
        if out is None:
            typer.echo(text, nl=False)
        else:
            out.write_text(text, encoding="utf-8")
            typer.echo(f"decision record written to {out}", err=True)

