"""Eval reports: results.jsonl, summary.json, report.md, a self-contained report.html, and comparisons."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from ..errors import ConfigError, InputError
from .runner import LATENCY_METRICS, RATE_METRICS

METRICS = RATE_METRICS + LATENCY_METRICS


def parse_thresholds(items: list[str] | None) -> dict[str, float]:
    """Parse METRIC=VALUE pairs; unknown metrics and values outside [0, 1] are input errors."""
    out: dict[str, float] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep:
            raise InputError(f"--fail-under {item!r} is not METRIC=VALUE", "write e.g. --fail-under verdict_accuracy=0.9")
        if name not in RATE_METRICS:
            raise InputError(f"--fail-under: unknown metric {name!r}",
                             f"use one of {', '.join(RATE_METRICS)} (latency belongs in benchmarks/)")
        try:
            v = float(value)
        except ValueError:
            raise InputError(f"--fail-under {name}: {value!r} is not a number", "use a share between 0 and 1") from None
        if not 0 <= v <= 1:
            raise InputError(f"--fail-under {name}={v}: the value must be between 0 and 1", "e.g. 0.9 for 90%")
        out[name] = v
    return out


def missed_thresholds(summary: dict, thresholds: dict[str, float]) -> list[str]:
    """Human-readable misses; a metric that could not be measured (no scoring cases) is a miss too."""
    misses = []
    for name, floor in thresholds.items():
        value = summary.get(name)
        if value is None:
            misses.append(f"{name} was not measured (no case scores it) but --fail-under needs {floor}")
        elif value < floor:
            misses.append(f"{name} = {value:.4f} is below {floor}")
    return misses


def load_summary(path: Path) -> dict:
    """Read a previous summary.json for --compare."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"--compare: {path} does not exist", "pass the summary.json of an earlier run") from None
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"--compare: {path} is not a readable summary.json: {exc}",
                          "pass the summary.json written by `advisor eval`") from exc
    if not isinstance(data, dict) or "cases" not in data:
        raise ConfigError(f"--compare: {path} does not look like an eval summary (no 'cases' key)",
                          "pass the summary.json written by `advisor eval`")
    return data


def compare(summary: dict, baseline: dict) -> dict:
    """Per-metric deltas and the cases whose outcome flipped between the baseline and this run."""
    deltas = {}
    for m in METRICS:
        new, old = summary.get(m), baseline.get(m)
        deltas[m] = {"baseline": old, "current": new,
                     "delta": round(new - old, 4) if new is not None and old is not None else None}
    now, before = summary.get("outcomes", {}), baseline.get("outcomes", {})
    common = [c for c in now if c in before]
    return {"deltas": deltas,
            "pass_to_fail": [c for c in common if before[c] and not now[c]],
            "fail_to_pass": [c for c in common if not before[c] and now[c]],
            "new_cases": [c for c in now if c not in before],
            "removed_cases": [c for c in before if c not in now]}


def _fmt(v) -> str:
    if v is None:
        return "n/a"
    return f"{v:.3f}" if isinstance(v, float) else str(v)


def _question(r: dict) -> str:
    return " → ".join(r["turns"])


def _got(r: dict) -> str:
    if r["error"]:
        return f"error: {r['error']}"
    failed = [c for c in r["checks"] if not c["passed"]]
    return "; ".join(f"{c['name']}: {json.dumps(c['got'], ensure_ascii=False)}" for c in failed)


def _expected(r: dict) -> str:
    return json.dumps(r["expected"], ensure_ascii=False)


def _grid(table: dict[str, dict[str, int]]) -> tuple[list[str], list[tuple[str, list[int]]]]:
    """A confusion table as columns (every 'got' label, matches first) and rows (expected, counts)."""
    cols = sorted({g for row in table.values() for g in row}, key=lambda g: (g not in table, g))
    return cols, [(exp, [row.get(g, 0) for g in cols]) for exp, row in table.items()]


CONFUSIONS = (("act", "Act confusion"), ("component", "Component confusion"))


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_breakdowns(summary: dict) -> list[str]:
    lines: list[str] = []
    for name, title in CONFUSIONS:
        table = summary.get("confusion", {}).get(name) or {}
        lines += ["", f"## {title} (rows: expected, columns: got)", ""]
        if not table:
            lines.append("no case scores it")
            continue
        cols, rows = _grid(table)
        lines += ["| expected \\ got | " + " | ".join(map(_md_cell, cols)) + " |", "|---|" + "---|" * len(cols)]
        lines += ["| " + " | ".join([_md_cell(exp)] + [str(n) if n else "" for n in counts]) + " |"
                  for exp, counts in rows]
    by_act = summary.get("by_act") or {}
    lines += ["", "## By act", ""]
    if by_act:
        lines += ["| act | cases | passed | pass rate |", "|---|---|---|---|"]
        lines += [f"| {_md_cell(a)} | {v['cases']} | {v['passed']} | {_fmt(round(v['passed'] / v['cases'], 4))} |"
                  for a, v in by_act.items()]
    else:
        lines.append("no case scores it")
    return lines


def markdown(summary: dict, results: list[dict], comparison: dict | None) -> str:
    lines = [f"# Eval report ({summary.get('created', '')})", "",
             (f"{summary['cases']} cases, {summary['passed']} passed, {summary['failed']} failed; "
             f"retriever `{summary.get('retriever', '?')}`, generator `{summary.get('generator', '?')}`."), "",
             "| metric | value | scored over |" + (" baseline | delta |" if comparison else ""),
             "|---|---|---|" + ("---|---|" if comparison else "")]
    for m in METRICS:
        row = f"| {m} | {_fmt(summary.get(m))} | {summary['counts'].get(m, '')} |"
        if comparison:
            d = comparison["deltas"][m]
            row += f" {_fmt(d['baseline'])} | {_fmt(d['delta'])} |"
        lines.append(row)
    if comparison:
        for key, title in (("pass_to_fail", "Pass → fail"), ("fail_to_pass", "Fail → pass")):
            ids = comparison[key]
            lines += ["", f"## {title} ({len(ids)})", ""] + ([f"- {i}" for i in ids] or ["none"])
    lines += _md_breakdowns(summary)
    failed = [r for r in results if not r["passed"]]
    lines += ["", f"## Failed cases ({len(failed)})", ""]
    if failed:
        lines += ["| id | question | expected | got |", "|---|---|---|---|"]
        for r in failed:
            cells = [r["id"], _question(r), _expected(r), _got(r)]
            lines.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    else:
        lines.append("none")
    return "\n".join(lines) + "\n"


_CSS = """body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
table{border-collapse:collapse;margin:1em 0;width:100%}td,th{border:1px solid #ccc;padding:4px 8px;
text-align:left;vertical-align:top}th{background:#f3f3f3}.up{color:#1a7f37}.down{color:#c62828}
code{background:#f6f6f6;padding:0 3px}svg text{font:12px system-ui,sans-serif}
.grid{width:auto}.grid td{text-align:right;min-width:2.5em}.hit{background:#e8f5e9}.miss{background:#fdecea}"""


def _chart(summary: dict) -> str:
    """An inline SVG bar chart of the rate metrics (0..1)."""
    rates = [(m, summary.get(m)) for m in RATE_METRICS]
    bar_h, gap, label_w, width = 18, 6, 170, 420
    height = len(rates) * (bar_h + gap) + gap
    parts = [(f'<svg width="{label_w + width + 60}" height="{height}" '
             f'role="img" aria-label="metrics bar chart">')]
    for i, (m, v) in enumerate(rates):
        y = gap + i * (bar_h + gap)
        w = 0 if v is None else round(width * v)
        color = "#9e9e9e" if v is None else ("#2e7d32" if v >= 0.9 else "#f9a825" if v >= 0.7 else "#c62828")
        parts.append(f'<text x="0" y="{y + 13}">{escape(m)}</text>'
                     f'<rect x="{label_w}" y="{y}" width="{width}" height="{bar_h}" fill="#eee"/>'
                     f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="{color}"/>'
                     f'<text x="{label_w + width + 6}" y="{y + 13}">{_fmt(v)}</text>')
    return "".join(parts) + "</svg>"


def _html_breakdowns(summary: dict) -> list[str]:
    body = []
    for name, title in CONFUSIONS:
        table = summary.get("confusion", {}).get(name) or {}
        body.append(f"<h2>{title} <small>(rows: expected, columns: got)</small></h2>")
        if not table:
            body.append("<p>no case scores it</p>")
            continue
        cols, rows = _grid(table)
        head = "<tr><th>expected \\ got</th>" + "".join(f"<th>{escape(c)}</th>" for c in cols) + "</tr>"
        trs = "".join("<tr><th>" + escape(exp) + "</th>" + "".join(
            f'<td class="{"hit" if c == exp else "miss" if n else ""}">{n or ""}</td>' for c, n in zip(cols, counts))
            + "</tr>" for exp, counts in rows)
        body.append(f'<table class="grid">{head}{trs}</table>')
    by_act = summary.get("by_act") or {}
    body.append("<h2>By act</h2>")
    if by_act:
        trs = "".join(f"<tr><td>{escape(a)}</td><td>{v['cases']}</td><td>{v['passed']}</td>"
                      f"<td>{_fmt(round(v['passed'] / v['cases'], 4))}</td></tr>" for a, v in by_act.items())
        body.append("<table><tr><th>act</th><th>cases</th><th>passed</th><th>pass rate</th></tr>" + trs + "</table>")
    else:
        body.append("<p>no case scores it</p>")
    return body


def html(summary: dict, results: list[dict], comparison: dict | None) -> str:
    """One HTML file with inline CSS and SVG: no external assets."""
    head = "<tr><th>metric</th><th>value</th><th>scored over</th>" + (
        "<th>baseline</th><th>delta</th>" if comparison else "") + "</tr>"
    rows = []
    for m in METRICS:
        cells = [escape(m), _fmt(summary.get(m)), str(summary["counts"].get(m, ""))]
        if comparison:
            d = comparison["deltas"][m]
            better = d["delta"] is not None and ((d["delta"] < 0) if m in LATENCY_METRICS else (d["delta"] > 0))
            worse = d["delta"] is not None and d["delta"] != 0 and not better
            cls = "up" if better else "down" if worse else ""
            cells += [_fmt(d["baseline"]), f'<span class="{cls}">{_fmt(d["delta"])}</span>']
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    body = [(f"<h1>Eval report</h1><p>{summary['cases']} cases, {summary['passed']} passed, "
            f"{summary['failed']} failed; retriever <code>{escape(str(summary.get('retriever', '?')))}</code>, "
            f"generator <code>{escape(str(summary.get('generator', '?')))}</code>, "
            f"{escape(str(summary.get('created', '')))}.</p>"),
            "<h2>Summary</h2><table>" + head + "".join(rows) + "</table>",
            "<h2>Metrics</h2>" + _chart(summary)]
    if comparison:
        for key, title in (("pass_to_fail", "Pass → fail"), ("fail_to_pass", "Fail → pass")):
            ids = comparison[key]
            items = "".join(f"<li>{escape(i)}</li>" for i in ids) or "<li>none</li>"
            body.append(f"<h2>{title} ({len(ids)})</h2><ul>{items}</ul>")
    body += _html_breakdowns(summary)
    failed = [r for r in results if not r["passed"]]
    body.append(f"<h2>Failed cases ({len(failed)})</h2>")
    if failed:
        trs = "".join(f"<tr><td>{escape(r['id'])}</td><td>{escape(_question(r))}</td>"
                      f"<td>{escape(_expected(r))}</td><td>{escape(_got(r))}</td></tr>" for r in failed)
        body.append("<table><tr><th>id</th><th>question</th><th>expected</th><th>got</th></tr>" + trs + "</table>")
    else:
        body.append("<p>none</p>")
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Eval report</title>"
            f"<style>{_CSS}</style></head><body>{''.join(body)}</body></html>\n")


def write_reports(out: Path, summary: dict, results: list[dict], comparison: dict | None) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with (out / "results.jsonl").open("w", encoding="utf-8") as fh:
        for r in results:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    (out / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if comparison:
        (out / "comparison.json").write_text(json.dumps(comparison, indent=2) + "\n", encoding="utf-8")
    (out / "report.md").write_text(markdown(summary, results, comparison), encoding="utf-8")
    (out / "report.html").write_text(html(summary, results, comparison), encoding="utf-8")
