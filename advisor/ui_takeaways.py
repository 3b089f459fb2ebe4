"""The UI's takeaways: a "Review my stack" tab, a "Cost break-even" tab and the decision-record download."""

from __future__ import annotations

import tempfile
from pathlib import Path

import gradio as gr
import pandas as pd

from .errors import AdvisorError
from .review import markdown as review_markdown
from .takeaways import Takeaways
from .tco import FIELDS, TcoResult, load_defaults

NOT_LISTED, STATES = "not in our stack", ["built", "bought", "none"]


def _error(exc: AdvisorError) -> str:
    return f"**{exc.message}**" + (f"\n\n{exc.hint}" if exc.hint else "")


def review_from_form(t: Takeaways, text: str, engineers, conditions: list[str], *grid) -> str:
    """The review for the form (one state and 'what' per component) or, when given, the free-text description."""
    try:
        if text and text.strip():
            return review_markdown(t.review(text=text))
        slugs = t.matrix.slugs
        components = {slug: {"state": state, "what": (what or "").strip()}
                      for slug, state, what in zip(slugs, grid[0::2], grid[1::2], strict=True)
                      if state in STATES}
        if not components:
            return "Set at least one component to built, bought or none, or describe your stack in words."
        stack = {"conditions": list(conditions or []), "components": components}
        if engineers:
            stack["team"] = {"engineers": int(engineers)}
        return review_markdown(t.review(stack, source="form"))
    except AdvisorError as exc:
        return _error(exc)


def tco_outputs(result: TcoResult) -> tuple[pd.DataFrame, str]:
    """The chart's data (long form, one line per option) and the summary with its assumptions and sources."""
    df = pd.DataFrame({"month": result.months * 2,
                       "cumulative cost": result.build_cumulative + result.buy_cumulative,
                       "option": ["build"] * len(result.months) + ["buy"] * len(result.months)})
    lines = [result.summary, ""]
    if result.assumptions:
        lines += ["**Assumptions** (defaults you did not replace):", ""]
        lines += [f"- {a.label}: {a.value:g}. {a.why} {a.cite}" for a in result.assumptions]
    lines += ["", "**Sources**", ""] + [f"[{c.n}] {c.title} ({c.source})" for c in result.citations]
    return df, "\n".join(lines)


def takeaways_tabs(t: Takeaways, session: gr.State) -> None:
    """Add the two tabs to the current gr.Tabs (call inside it)."""
    with gr.Tab("Review my stack", id="review"):
        gr.Markdown("One row per component: what you run today. Leave a row at *not in our stack* to skip it, "
                    "or describe the stack in words below instead.")
        with gr.Row():
            engineers = gr.Number(label="Engineers", precision=0, minimum=1, elem_id="review-engineers")
            conditions = gr.CheckboxGroup(choices=[(c.label, c.id) for c in t.taxonomy.conditions],
                                          label="What holds for you", elem_id="review-conditions")
        grid = []
        comps = t.matrix.components
        for pair in (comps[i:i + 2] for i in range(0, len(comps), 2)):  # two components a row: a shorter form
            with gr.Row(equal_height=True):
                for comp in pair:
                    grid.append(gr.Dropdown([NOT_LISTED, *STATES], value=NOT_LISTED, label=comp.name, scale=2,
                                            min_width=150, elem_id=f"review-state-{comp.slug}"))
                    grid.append(gr.Textbox(label="what", placeholder="tool or system", scale=3, min_width=150,
                                           elem_id=f"review-what-{comp.slug}"))
        text = gr.Textbox(label="Or describe it", lines=2, elem_id="review-text",
                          placeholder="Airflow, a homegrown feature store, W&B, a Flask server, no monitoring, "
                                      "12 engineers, HIPAA")
        go = gr.Button("Review my stack", variant="primary", elem_id="review-go")
        out = gr.Markdown(elem_id="review-out")
        go.click(lambda *a: review_from_form(t, *a), [text, engineers, conditions, *grid], out)

    defaults = load_defaults(t.settings.knowledge_dir).defaults
    with gr.Tab("Cost break-even", id="tco"):
        gr.Markdown("Cumulative cost of building against buying. Leave a field empty to use the labelled "
                    "default; numbers you gave in the chat are used when you tick the box.")
        boxes = []
        for row in (FIELDS[:5], FIELDS[5:]):
            with gr.Row():
                # Text boxes, not gr.Number: an empty number box sends 0, and "empty means the default" must hold.
                boxes += [gr.Textbox(label=defaults[f].label, placeholder=f"default {defaults[f].value:g}",
                                     elem_id=f"tco-{f}") for f in row]
        use_chat = gr.Checkbox(label="Use numbers from this conversation", value=True, elem_id="tco-use-chat")
        go = gr.Button("Compare build and buy", variant="primary", elem_id="tco-go")
        plot = gr.LinePlot(x="month", y="cumulative cost", color="option", elem_id="tco-plot",
                           title="Cumulative cost", height=320)
        summary = gr.Markdown(elem_id="tco-summary")

        def compare(use, sess, *values):
            given = {f: v.strip().replace(",", "") for f, v in zip(FIELDS, values, strict=True) if v and v.strip()}
            try:
                result = t.tco(given, (sess or {}).get("cid") if use else None)
            except AdvisorError as exc:
                return gr.update(), _error(exc)
            return tco_outputs(result)

        go.click(compare, [use_chat, session, *boxes], [plot, summary])


def record_button(t: Takeaways, session: gr.State) -> None:
    """A 'Decision record' button under the chat that offers the conversation as a MADR Markdown file."""
    with gr.Row(elem_id="adr-row"):
        make = gr.Button("Decision record", size="sm", elem_id="adr-make", scale=0, min_width=160)
        file = gr.File(label="Decision record (MADR)", visible=False, elem_id="adr-file", scale=3)
    note = gr.Markdown(elem_id="adr-note")

    def export(sess):
        cid = (sess or {}).get("cid")
        if not cid:
            return gr.update(visible=False), "Ask a question first: the record is made from the conversation."
        try:
            text = t.adr(cid)
        except AdvisorError as exc:
            return gr.update(visible=False), _error(exc)
        path = Path(tempfile.mkdtemp(prefix="advisor-adr-")) / f"decision-record-{cid[:8]}.md"
        path.write_text(text, encoding="utf-8")
        return gr.update(value=str(path), visible=True), ""

    make.click(export, [session], [file, note])
