"""report.md and report.html, built from one list of tables so that the two always show the same figures.

The HTML is one self-contained file (inline CSS and SVG, no scripts, links or fonts): it opens offline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import escape

from .runner import LATENCY_METRICS, RATE_METRICS, UNDERSTANDING_FIELDS

METRICS = RATE_METRICS + LATENCY_METRICS
EMPTY = "no case scores it"


@dataclass
class Tab:
    """One report table: a title, a note under it, columns and rows (cells are plain text)."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    note: str = ""
    classes: list[list[str]] = field(default_factory=list)  # per cell, for the HTML (hit, miss, up, down)
    row_headers: bool = False  # the first cell of each row labels it (confusion tables)
    empty: str = EMPTY


def _fmt(v) -> str:
    if v is None:
        return "n/a"
    return f"{v:.3f}" if isinstance(v, float) else str(v)


def _share(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def _question(r: dict) -> str:
    return " → ".join(r["turns"])


def _got(r: dict) -> str:
    if r["error"]:
        return f"error: {r['error']}"
    failed = [c for c in r["checks"] if not c["passed"]]
    return "; ".join(f"{c['name']}: {json.dumps(c['got'], ensure_ascii=False)}" for c in failed)


# -- the tables --------------------------------------------------------------------------------------
def metrics_tab(summary: dict, comparison: dict | None) -> Tab:
    """Every metric, its denominator, the --fail-under threshold (when given) and the comparison."""
    thresholds = summary.get("thresholds") or {}
    cols = ["metric", "value", "scored over"] + (["threshold"] if thresholds else [])
    cols += ["baseline", "delta"] if comparison else []
    rows, classes = [], []
    for m in METRICS:
        v = summary.get(m)
        row, cls = [m, _fmt(v), str(summary["counts"].get(m, ""))], ["", "", ""]
        if thresholds:
            floor = thresholds.get(m)
            missed = floor is not None and (v is None or v < floor)
            row.append("" if floor is None else f"{floor:.3f} ({'missed' if missed else 'met'})")
            cls.append("down" if missed else "up" if floor is not None else "")
        if comparison:
            d = comparison["deltas"][m]
            better = d["delta"] is not None and ((d["delta"] < 0) if m in LATENCY_METRICS else (d["delta"] > 0))
            worse = d["delta"] is not None and d["delta"] != 0 and not better
            row += [_fmt(d["baseline"]), _fmt(d["delta"])]
            cls += ["", "up" if better else "down" if worse else ""]
        rows.append(row)
        classes.append(cls)
    return Tab("Summary", cols, rows, classes=classes)


def dataset_tab(summary: dict) -> Tab:
    """One row per dataset file: cases, passed and the accuracies it scores."""
    rows = []
    for name, f in (summary.get("by_file") or {}).items():
        rate = f.get("pass_rate", _share(f["passed"], f["cases"]))
        rows.append([name, str(f["cases"]), str(f["passed"]), _fmt(rate)]
                    + [_fmt(f.get(m)) for m in ("verdict_accuracy", "component_accuracy", "act_accuracy",
                                                "part_accuracy", "condition_f1")])
    return Tab("By dataset", ["dataset", "cases", "passed", "pass rate", "verdict", "component", "act", "part",
                              "conditions F1"], rows, note="n/a: not scored in that dataset.")


def understanding_tab(summary: dict) -> Tab:
    """How well each field of the reading was understood, over the cases that set it."""
    per = summary.get("understanding") or _understanding_from_rates(summary)
    rows = []
    for name in UNDERSTANDING_FIELDS:
        u = per.get(name)
        if not u or not u["scored"]:
            continue
        extra = (f"micro P {_fmt(u.get('precision'))}, R {_fmt(u.get('recall'))}, F1 {_fmt(u.get('f1'))}"
                 if name == "conditions" else "")
        rows.append([name, str(u["scored"]), str(u["correct"]), _fmt(u["accuracy"]), extra])
    return Tab("Understanding by field", ["field", "scored over", "correct", "accuracy", "set overlap"], rows,
               note="A case counts for a field when its dataset sets it; conditions are correct when the set "
                    "matches exactly.")


def _understanding_from_rates(summary: dict) -> dict:
    """For a summary written before the `understanding` key: the same figures from its metrics and counts."""
    per = {}
    for name in UNDERSTANDING_FIELDS:
        metric = "condition_f1" if name == "conditions" else f"{name}_accuracy"
        n, acc = summary.get("counts", {}).get(metric, 0), summary.get(metric)
        per[name] = {"scored": n, "correct": "n/a" if acc is None or name == "conditions" else round(acc * n),
                     "accuracy": None if name == "conditions" else acc}
    per["conditions"] |= {k: summary.get(f"condition_{k}") for k in ("precision", "recall", "f1")}
    return per


def _grid(table: dict[str, dict[str, int]]) -> tuple[list[str], list[tuple[str, list[int]]]]:
    """A confusion table as columns (every 'got' label, matches first) and rows (expected, counts)."""
    cols = sorted({g for row in table.values() for g in row}, key=lambda g: (g not in table, g))
    return cols, [(exp, [row.get(g, 0) for g in cols]) for exp, row in table.items()]


def confusion_tabs(summary: dict) -> list[Tab]:
    tabs = []
    for name, title in (("act", "Act confusion"), ("component", "Component confusion")):
        table = (summary.get("confusion") or {}).get(name) or {}
        cols, grid = _grid(table)
        tabs.append(Tab(f"{title} (rows: expected, columns: got)", ["expected \\ got", *cols],
                        [[exp] + [str(n) if n else "" for n in counts] for exp, counts in grid],
                        classes=[[""] + ["hit" if c == exp else "miss" if n else "" for c, n in zip(cols, counts)]
                                 for exp, counts in grid], row_headers=True))
    return tabs


def act_tab(summary: dict) -> Tab:
    rows = [[a, str(v["cases"]), str(v["passed"]), _fmt(_share(v["passed"], v["cases"]))]
            for a, v in (summary.get("by_act") or {}).items()]
    return Tab("By act", ["act", "cases", "passed", "pass rate"], rows)


def failures_tab(results: list[dict]) -> Tab:
    failed = [r for r in results if not r["passed"]]
    rows = [[r["id"], _question(r), json.dumps(r["expected"], ensure_ascii=False), _got(r)] for r in failed]
    return Tab(f"Failed cases ({len(failed)})", ["id", "question", "expected", "got"], rows, empty="none")


def flips(comparison: dict | None) -> list[tuple[str, list[str]]]:
    if not comparison:
        return []
    return [(f"{title} ({len(comparison[key])})", comparison[key])
            for key, title in (("pass_to_fail", "Pass → fail"), ("fail_to_pass", "Fail → pass"))]


def tabs_after_summary(summary: dict, results: list[dict]) -> list[Tab]:
    return [dataset_tab(summary), understanding_tab(summary), *confusion_tabs(summary), act_tab(summary),
            failures_tab(results)]


# -- Markdown ----------------------------------------------------------------------------------------------
def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_tab(t: Tab, heading: bool = True) -> list[str]:
    lines = (["", f"## {t.title}", ""] if heading else []) + ([t.note, ""] if t.note and t.rows else [])
    if not t.rows:
        return lines + [t.empty]
    lines += ["| " + " | ".join(map(_md_cell, t.columns)) + " |", "|---|" + "---|" * (len(t.columns) - 1)]
    return lines + ["| " + " | ".join(map(_md_cell, row)) + " |" for row in t.rows]


def markdown(summary: dict, results: list[dict], comparison: dict | None) -> str:
    lines = [f"# Eval report ({summary.get('created', '')})", "",
             (f"{summary['cases']} cases, {summary['passed']} passed, {summary['failed']} failed; "
              f"retriever `{summary.get('retriever', '?')}`, generator `{summary.get('generator', '?')}`."), ""]
    lines += _md_tab(metrics_tab(summary, comparison), heading=False)
    for title, ids in flips(comparison):
        lines += ["", f"## {title}", ""] + ([f"- {i}" for i in ids] or ["none"])
    for t in tabs_after_summary(summary, results):
        lines += _md_tab(t)
    return "\n".join(lines) + "\n"


# -- HTML -------------------------------------------------------------------------------------------------
_CSS = """body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
table{border-collapse:collapse;margin:1em 0;width:100%}td,th{border:1px solid #ccc;padding:4px 8px;
text-align:left;vertical-align:top}th{background:#f3f3f3}.up{color:#1a7f37}.down{color:#c62828}
code{background:#f6f6f6;padding:0 3px}svg text{font:12px system-ui,sans-serif}.note{color:#555}
.grid{width:auto}.grid td{text-align:right;min-width:2.5em}.hit{background:#e8f5e9}.miss{background:#fdecea}"""


def _html_tab(t: Tab) -> str:
    out = f"<h2>{escape(t.title)}</h2>"
    if not t.rows:
        return out + f"<p>{escape(t.empty)}</p>"
    if t.note:
        out += f'<p class="note">{escape(t.note)}</p>'
    head = "<tr>" + "".join(f"<th>{escape(c)}</th>" for c in t.columns) + "</tr>"
    body = []
    for i, row in enumerate(t.rows):
        cls = t.classes[i] if i < len(t.classes) else []
        cells = []
        for j, cell in enumerate(row):
            tag = "th" if t.row_headers and j == 0 else "td"
            attr = f' class="{cls[j]}"' if j < len(cls) and cls[j] else ""
            cells.append(f"<{tag}{attr}>{escape(cell)}</{tag}>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    grid = ' class="grid"' if t.row_headers else ""
    return out + f"<table{grid}>{head}{''.join(body)}</table>"


def chart(summary: dict) -> str:
    """An inline SVG bar chart of the rate metrics (0..1), with each --fail-under threshold as a line on its bar."""
    thresholds = summary.get("thresholds") or {}
    rates = [(m, summary.get(m)) for m in RATE_METRICS]
    bar_h, gap, label_w, width = 18, 6, 170, 420
    height = len(rates) * (bar_h + gap) + gap
    parts = [f'<svg width="{label_w + width + 150}" height="{height}" role="img" aria-label="metrics bar chart">']
    for i, (m, v) in enumerate(rates):
        y = gap + i * (bar_h + gap)
        floor = thresholds.get(m)
        w = 0 if v is None else round(width * v)
        if v is None:
            color = "#9e9e9e"
        elif floor is not None:
            color = "#2e7d32" if v >= floor else "#c62828"
        else:
            color = "#2e7d32" if v >= 0.9 else "#f9a825" if v >= 0.7 else "#c62828"
        label = _fmt(v) + (f" (floor {floor:.3f})" if floor is not None else "")
        parts.append(f'<text x="0" y="{y + 13}">{escape(m)}</text>'
                     f'<rect x="{label_w}" y="{y}" width="{width}" height="{bar_h}" fill="#eee"/>'
                     f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="{color}"/>'
                     f'<text x="{label_w + width + 6}" y="{y + 13}">{escape(label)}</text>')
        if floor is not None:
            x = label_w + round(width * floor)
            parts.append(f'<line class="threshold" data-metric="{escape(m)}" x1="{x}" x2="{x}" y1="{y - 2}" '
                         f'y2="{y + bar_h + 2}" stroke="#111" stroke-width="2"><title>--fail-under {escape(m)}='
                         f'{floor}</title></line>')
    return "".join(parts) + "</svg>"


def html(summary: dict, results: list[dict], comparison: dict | None) -> str:
    """One HTML file with inline CSS and SVG: no external assets."""
    body = [(f"<h1>Eval report</h1><p>{summary['cases']} cases, {summary['passed']} passed, "
             f"{summary['failed']} failed; retriever <code>{escape(str(summary.get('retriever', '?')))}</code>, "
             f"generator <code>{escape(str(summary.get('generator', '?')))}</code>, "
             f"{escape(str(summary.get('created', '')))}.</p>"),
            _html_tab(metrics_tab(summary, comparison)), "<h2>Metrics</h2>" + chart(summary)]
    if summary.get("thresholds"):
        body.append('<p class="note">A black line on a bar marks its --fail-under threshold; the bar is red '
                    "when the metric is below it.</p>")
    for title, ids in flips(comparison):
        items = "".join(f"<li>{escape(i)}</li>" for i in ids) or "<li>none</li>"
        body.append(f"<h2>{escape(title)}</h2><ul>{items}</ul>")
    body += [_html_tab(t) for t in tabs_after_summary(summary, results)]
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Eval report</title>"
            f"<style>{_CSS}</style></head><body>{''.join(body)}</body></html>\n")
