"""The command-line door: train, ingest, sources, ask, chat, serve, feedback export, eval."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from .errors import AdvisorError
from .settings import Settings

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Build-or-Buy Advisor: grounded answers to 'should we build or buy this ML infrastructure?'")
feedback_app = typer.Typer(help="Feedback collected from the UI, API and Slack.")
app.add_typer(feedback_app, name="feedback")


def _settings() -> Settings:
    return Settings()


def _fail(exc: AdvisorError) -> None:
    typer.secho(f"error: {exc.message}", fg="red", err=True)
    if exc.hint:
        typer.echo(f"hint: {exc.hint}", err=True)
    raise typer.Exit(exc.exit_code)


def _advisor(settings: Settings):
    from .chain import Advisor

    return Advisor(settings)


@app.command()
def ingest(paths: list[Path] = typer.Argument(None, help="Files or directories (default: the knowledge dir)."),
           rebuild: bool = typer.Option(False, "--rebuild", help="Delete the index and build it from scratch."),
           progress: bool | None = typer.Option(None, "--progress/--no-progress")) -> None:
    """Load, chunk, embed and store knowledge files; only changed files are re-embedded."""
    settings = _settings()
    try:
        from .embeddings import embeddings_for
        from .index import KnowledgeIndex, ingest_lock, rebuild_index
        from .knowledge import discover

        embeddings = embeddings_for(settings)
        targets = list(paths or [settings.knowledge_dir])
        with ingest_lock(settings):
            if rebuild:
                discover(targets)  # a bad path must fail before the old index is thrown away
                rebuild_index(settings)
            idx = KnowledgeIndex(settings, embeddings)
            report = idx.ingest(targets, progress=progress)
            embeddings.ensure_onnx()  # fast query-time encoder; the torch model stays the reference
    except AdvisorError as exc:
        _fail(exc)
    typer.echo(f"documents: {report.documents}  chunks: {report.chunks}")
    typer.echo(f"added: {report.added}  updated: {report.updated}  skipped: {report.skipped}  "
               f"deleted: {report.deleted}")
    if report.repaired:
        typer.echo(f"repaired: {report.repaired} entries out of step between Chroma and the ingest records "
                   "(an interrupted ingest or a deleted file)")
    for path, why in report.problems:
        typer.secho(f"skipped {path}: {why}", fg="yellow", err=True)
    if report.problems:
        typer.secho(f"{len(report.problems)} file(s) could not be ingested; the rest were indexed.",
                    fg="red", err=True)
        raise typer.Exit(5)


@app.command()
def train(cv: bool = typer.Option(False, "--cv", help="Also report k-fold cross-validation on the corpus."),
          folds: int | None = typer.Option(None, "--folds", min=2, help="Folds for --cv (default: training.yaml)."),
          out: Path | None = typer.Option(None, "--out", help="Write the cross-validation figures as JSON here.")) -> None:
    """Fit the understanding classifiers on knowledge/understanding/ and save them next to the corpus."""
    settings = _settings()
    try:
        from .embeddings import embeddings_for
        from .train import artefact_path, cross_validate
        from .train import train as fit

        embeddings = embeddings_for(settings)
        heads = fit(settings.knowledge_dir, embeddings, settings.embedding_model)
        typer.echo(f"trained on {heads.meta['utterances']} utterances and {heads.meta['clauses']} clauses "
                   f"-> {artefact_path(settings.knowledge_dir)}")
        if cv:
            figures = cross_validate(settings.knowledge_dir, embeddings, folds, settings.part_threshold,
                                     settings.condition_threshold)
            for key, value in figures.items():
                if isinstance(value, float):
                    typer.echo(f"{key:32} {value:.4f}")
            for share, value in figures.get("part_accuracy_by_threshold", {}).items():
                typer.echo(f"{'part_accuracy at ' + share:32} {value:.4f}")
            if out:
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    except AdvisorError as exc:
        _fail(exc)


@app.command()
def sources(as_json: bool = typer.Option(False, "--json")) -> None:
    """List indexed documents with their chunk counts."""
    settings = _settings()
    try:
        from .embeddings import LocalEmbeddings
        from .index import KnowledgeIndex

        items = KnowledgeIndex(settings, LocalEmbeddings(settings.embedding_model)).sources()
    except AdvisorError as exc:
        _fail(exc)
    if as_json:
        typer.echo(json.dumps([i.__dict__ for i in items], indent=2))
        return
    if not items:
        typer.echo("the index is empty: run `advisor ingest`")
        raise typer.Exit(4)
    for s in items:
        typer.echo(f"{s.chunks:4d}  {s.kind:8s}  {s.doc_id:32s}  {s.title}")
    typer.echo(f"{len(items)} documents, {sum(s.chunks for s in items)} chunks")


def _follow_up_hint(answer) -> None:
    """The conversation id, on stderr so that piping the answer still gives the answer alone."""
    typer.secho(f"conversation: {answer.conversation_id}  (follow up with: advisor ask -c {answer.conversation_id} "
                '"QUESTION")', dim=True, err=True)


@app.command()
def ask(question: str = typer.Argument(..., help="Your question, in quotes."),
        as_json: bool = typer.Option(False, "--json", help="Print the answer as JSON: the same object as "
                                     "POST /api/v1/ask returns."),
        conversation: str | None = typer.Option(None, "--conversation", "-c", metavar="ID",
                                                help="Ask a follow-up in this conversation (the id `advisor ask` "
                                                     "prints on stderr after an answer).")) -> None:
    """Ask one question and print a cited answer, verdict first; the conversation id goes to stderr."""
    from .errors import NotFoundError
    from .terminal import print_answer

    settings = _settings()
    try:
        answer = _advisor(settings).ask(question, conversation, channel="cli")
    except NotFoundError as exc:
        _fail(NotFoundError(exc.message, "leave out -c to start a new conversation, or pass the id printed as "
                                         "'conversation: ...' after an earlier answer"))
    except AdvisorError as exc:
        _fail(exc)
    if as_json:
        from .api import answer_json

        typer.echo(json.dumps(answer_json(answer), indent=2, ensure_ascii=False))
        return
    print_answer(answer)
    _follow_up_hint(answer)


def _stream_answer(advisor, line: str, cid: str | None):
    """One chat turn: on a terminal the answer forms live, then the whole answer is printed verdict first."""
    from contextlib import nullcontext

    from rich.console import Console
    from rich.live import Live
    from rich.markdown import Markdown

    from .terminal import print_answer

    console = Console()
    live = Live(console=console, transient=True, refresh_per_second=8) if console.is_terminal else None
    written, answer = "", None
    with live or nullcontext():
        for piece in advisor.stream(line, cid, channel="cli"):
            if not isinstance(piece, str):
                answer = piece
            elif live:
                written += piece
                live.update(Markdown(written))
    print_answer(answer, console)
    return answer


@app.command()
def chat() -> None:
    """An interactive conversation; follow-ups keep context. /new starts over, /quit leaves."""
    settings = _settings()
    try:
        advisor = _advisor(settings)
    except AdvisorError as exc:
        _fail(exc)
    cid = None
    typer.echo("Ask a build-vs-buy question. /new starts a new conversation, /quit (or Ctrl-D) leaves.")
    while True:
        try:
            line = input("you> ")
        except (EOFError, KeyboardInterrupt):
            typer.echo("")
            return
        if line.strip() in ("/quit", "/exit"):
            return
        if line.strip() == "/new":
            cid = None
            typer.echo("(new conversation)")
            continue
        if not line.strip():
            continue
        try:
            answer = _stream_answer(advisor, line, cid)
        except AdvisorError as exc:
            typer.secho(f"error: {exc}", fg="red")
            continue
        if answer.conversation_id != cid:
            _follow_up_hint(answer)
        cid = answer.conversation_id
        typer.echo("")


FEEDBACK_COLUMNS = ["id", "created", "channel", "conversation_id", "turn", "rating", "comment", "question",
                    "verdict", "answer", "citations"]


@feedback_app.command("export")
def feedback_export(out: Path | None = typer.Option(None, "--out", "-o", help="CSV file (default: stdout).")) -> None:
    """Export every feedback row as CSV; `created` is an ISO 8601 UTC time."""
    import csv
    import io
    from datetime import UTC, datetime

    from .store import Store

    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=FEEDBACK_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in Store(_settings().store_db).feedback():
        when = datetime.fromtimestamp(row["created"], UTC).isoformat(timespec="seconds")
        writer.writerow(row | {"created": when})
    text = buf.getvalue()
    if out:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {out}")
    else:
        sys.stdout.write(text)


@app.command("eval")
def eval_cmd(dataset: list[Path] | None = typer.Option(None, "--dataset", "-d", help="Dataset YAML file or dir (repeatable; default evals/datasets)."),
             out: Path | None = typer.Option(None, "--out", "-o", help="Report dir (default evals/runs/<timestamp>)."),
             compare: Path | None = typer.Option(None, "--compare", help="A previous summary.json to compare with."),
             retriever: str | None = typer.Option(None, "--retriever", help="hybrid, dense or bm25."),
             fail_under: list[str] | None = typer.Option(None, "--fail-under", help="METRIC=VALUE; exit 1 below it (repeatable)."),
             tag: list[str] | None = typer.Option(None, "--tag", help="Only cases with this tag (repeatable)."),
             verbose: bool = typer.Option(False, "--verbose", "-v", help="Print every case, not only failures.")) -> None:
    """Run the eval datasets through the advisor and write results, summary and reports."""
    from .errors import InputError

    try:
        if retriever and retriever not in ("hybrid", "dense", "bm25"):
            raise InputError(f"--retriever {retriever!r} is not a retriever", "use hybrid, dense or bm25")
        settings = _settings()
        if retriever:
            settings = settings.model_copy(update={"retriever": retriever})
        from .evaluation import run_eval

        def progress(i: int, n: int, r: dict) -> None:
            if verbose or not r["passed"]:
                why = r["error"] or "; ".join(c["name"] for c in r["checks"] if not c["passed"])
                typer.echo(f"[{i}/{n}] {'PASS' if r['passed'] else 'FAIL'} {r['id']}" + (f"  ({why})" if why else ""),
                           err=True)

        run = run_eval(settings, datasets=dataset, out=out, compare_to=compare, fail_under=fail_under,
                       tags=tag, on_result=progress)
    except AdvisorError as exc:
        _fail(exc)
    s = run.summary
    typer.echo(f"{s['cases']} cases: {s['passed']} passed, {s['failed']} failed  (retriever {s['retriever']})")
    for name in ("verdict_accuracy", "component_accuracy", "act_accuracy", "part_accuracy", "condition_f1",
                 "refusal_precision", "refusal_recall", "mention_rate", "cite_rate", "lead_rate", "not_mention_rate",
                 "citation_validity", "citation_support", "retrieval_hit_at_5", "retrieval_mrr",
                 "latency_ms_p50", "latency_ms_p95"):
        value = s.get(name)
        if value is None and name in ("act_accuracy", "part_accuracy", "condition_f1", "lead_rate", "not_mention_rate"):
            continue  # only shown when the datasets score them
        delta = run.comparison["deltas"].get(name, {}).get("delta") if run.comparison else None
        typer.echo(f"  {name:20s} {'n/a' if value is None else value:>8}" + (f"  ({delta:+})" if delta else ""))
    if run.comparison:
        typer.echo(f"pass -> fail: {', '.join(run.comparison['pass_to_fail']) or 'none'}")
        typer.echo(f"fail -> pass: {', '.join(run.comparison['fail_to_pass']) or 'none'}")
    typer.echo(f"reports: {run.out}/report.md, {run.out}/report.html")
    for miss in run.misses:
        typer.secho(f"fail-under: {miss}", fg="red", err=True)
    if run.misses:
        raise typer.Exit(1)


@app.command()
def serve(host: str | None = typer.Option(None, "--host", help="Bind address (default: $GRADIO_SERVER_NAME "
                                             "or 127.0.0.1)."),
          port: int | None = typer.Option(None, "--port", min=1, max=65535,
                                             help="Port (default: $GRADIO_SERVER_PORT or 7860)."),
          workers: int = typer.Option(1, "--workers", min=1, max=64,
                                      help="Worker processes sharing the port. With more than one, the API and "
                                           "Slack are served and the UI is not (run it with one worker)."),
          log_level: str = typer.Option("info", "--log-level")) -> None:
    """Serve the UI, the HTTP API and the Slack endpoints on one port."""
    import os

    host = host or os.environ.get("GRADIO_SERVER_NAME") or "127.0.0.1"
    if port is None:
        raw = os.environ.get("GRADIO_SERVER_PORT") or "7860"
        if not raw.isdigit() or not 0 < int(raw) < 65536:
            from .errors import InputError

            _fail(InputError(f"GRADIO_SERVER_PORT={raw!r} is not a port number", "use 1-65535 or pass --port"))
        port = int(raw)
    settings = _settings()
    import uvicorn

    if workers > 1:
        try:  # fail here, once, rather than in every worker: the database must be usable
            from .store import Store

            Store(settings.store_db).db.ping()
        except AdvisorError as exc:
            _fail(exc)
        typer.echo(f"serving the API on http://{host}:{port} with {workers} workers (API docs: /docs; "
                   "no web UI: serve it with one worker)")
        uvicorn.run("advisor.workers:create", factory=True, workers=workers, host=host, port=port,
                    log_level=log_level)
        return
    try:
        from .api import create_app

        web = create_app(settings)
    except AdvisorError as exc:
        _fail(exc)
    typer.echo(f"serving on http://{host}:{port}  (API docs: /docs)")
    uvicorn.run(web, host=host, port=port, log_level=log_level)


def main() -> None:
    app()


if __name__ == "__main__":
    main()


# review, tco and adr live in their own module; registered here so `advisor --help` lists them.
from .takeaways_cli import register as _register_takeaways

_register_takeaways(app, _fail)
