"""A seller's measurable claims, each turned into the test that checks it on the asker's own data before signing."""

from __future__ import annotations

import re

from ..compose import Citations, Context
from ..models import Section
from ..option_costs import _big
from ..quantities import _value_in, count_of

# A sentence that reports what a seller says ("Pinecone's sales engineer says ...", "their claims: ...").
_SELLER = re.compile(r"\b(?:says?|said|claims?|claimed|claiming|promis\w*|pitch\w*|guarantee\w*|assur\w*|tells? us|"
                     r"told us|according to|advertis\w*|boasts?|sales (?:engineer|rep|team|deck)|account (?:team|manager|"
                     r"exec\w*)|the vendor|the rep)\b", re.IGNORECASE)
_LATENCY = re.compile(r"\b(?:p\d{2}|latency|response time|cold[- ]starts?|start-?up time)\b[^.;]{0,40}?(?:\d+\s*(?:ms|milliseconds?|s|"
                      r"seconds?)\b|(?:under|below|less than|within) (?:a|one) second\b|sub-?second\b)|"
                      r"\b\d+\s*(?:ms|milliseconds?)\b", re.IGNORECASE)
# "we'd pay about 60% less", "cuts the bill by a third", "40% cheaper than running it yourselves": a saving on cost.
_SAVING = re.compile(r"\b(?:\d{1,3}(?:\.\d+)?\s*%|half|a third)\s*(?:\w+\s+){0,2}?(?:less|cheaper|lower|savings?|off)\b|"
                     r"\b(?:cut|cuts|reduce[sd]?|lower[sd]?|save[sd]?|saving)\b[^.;]{0,30}?\b(?:bill|costs?|spend|invoice)\b"
                     r"[^.;]{0,20}?\b(?:\d{1,3}(?:\.\d+)?\s*%|half|a third)", re.IGNORECASE)
_RATE = re.compile(r"\b\d[\d,.]*\s*(?:k\s*)?(?:qps|rps|requests?\s*(?:/|per|a)\s*s(?:ec(?:ond)?)?|queries per second)\b",
                   re.IGNORECASE)
_SHARE = re.compile(r"\b(?:catch\w*|detect\w*|find\w*|flag\w*|accura\w*|precision|recall|correct\w*|hallucinat\w*|"
                    r"reduc\w*|cut\w*|sav\w*|fewer|less)\b[^.;]{0,60}?\b\d{1,3}(?:\.\d+)?\s*%|\b\d{1,3}(?:\.\d+)?\s*%"
                    r"[^.;]{0,40}?\b(?:of|catch\w*|detect\w*|accura\w*|cheaper|faster|fewer|less|hallucinat\w*|errors?)\b",
                    re.IGNORECASE)
_SETUP = re.compile(r"\b(?:setup|set up|set-up|onboarding|integration|go live|live|deploy\w*|rollout|migration)\b[^.;]{0,40}?"
                    r"\b(?:an? afternoon|one afternoon|a day|one day|a week|an hour|minutes|\d+\s*(?:hours?|days?|weeks?))\b|"
                    r"\b(?:an? afternoon|one afternoon|in a day|in one day|in minutes|in \d+\s*(?:hours?|days?))\b",
                    re.IGNORECASE)
_NO_NEED = re.compile(r"\b(?:don'?t|do not|no|never) (?:need|have) to\b|\bno need\b|\bout of the box\b|\bcovers? "
                      r"(?:it|that|everything|all)\b", re.IGNORECASE)
_COMMIT = re.compile(r"\b(?P<n>\d+|one|two|three|twelve|twenty-four|thirty-six)[- ](?P<unit>months?|years?)\s+"
                     r"(?:commit\w*|contract|term|deal)\b|\b(?:annual|multi-year|yearly) (?:commit\w*|contract)\b",
                     re.IGNORECASE)
_GROWTH = re.compile(r"\bgrow\w*\s+(?:by\s+)?(?:about\s+|roughly\s+|~\s*)?(?P<n>[\d.,]+)\s*(?P<mult>k|m|million|thousand)?"
                     r"\s*(?:\w+\s+)?(?:a|per|each|every)\s+month\b", re.IGNORECASE)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def _said(m: re.Match) -> str:
    """The claim's words as a quote can hold them (no quote marks of their own inside)."""
    return " ".join(re.sub(r"[\"“”]", "", m.group(0)).split())


def claim_tests(ctx: Context, cites: Citations) -> Section | None:
    """The measurable claims in what a seller told them, each as the test that checks it on their own data, traffic
    and cases; None when they reported no claim with something to measure."""
    texts = [q for q, _ in ctx.history] + [ctx.question]
    claims = [s for t in texts for s in _sentences(t) if _SELLER.search(s)]
    quoted = [c for c in ctx.reading.pitched]
    said = " ".join(claims + quoted)
    if not said:
        return None
    items: list[str] = []
    latency, rate = _LATENCY.search(said), _RATE.search(said)
    if latency and re.search(r"cold[- ]starts?|start-?up", latency.group(0), re.IGNORECASE):
        # A cold start is measured from idle, not under steady load.
        items.append(f"*“{_said(latency)}”:* let the service scale to zero, then send a burst shaped like your real "
                     f"peak, with your own model and container, and time the first responses yourselves.")
    elif latency:
        at = f" at {_said(rate)}" if rate else " at your peak rate"
        items.append(f"*“{_said(latency)}”{at}:* replay your own queries, with the filters and payloads you really "
                     f"send, at that rate against a copy of your own data, and read the percentile yourselves; a "
                     f"seller's benchmark runs on its data, not yours.")
    grown = next((m for t in texts if (m := _GROWTH.search(t))), None)
    commit = next((m for t in texts if (m := _COMMIT.search(t))), None)
    if grown and commit and latency:
        added = f"{grown['n']}{grown['mult'] or ''}".strip()
        now = next((q for q in ctx.reading.quantities if q.kind == "stored_vectors"), None)
        # "12-month commit" runs 12 months, "2-year contract" 24, an "annual commitment" 12.
        months = count_of(commit["n"]) * (1 if commit["unit"].lower().startswith("month") else 12) if commit["n"] else 12
        size = ""
        if now is not None and (step := _value_in(added)):
            size = f" (about {_big(now.value + step * months)} from today's {now.text})"
        items.append(f"*At the size you will reach:* you add about {added} a month, so test at the size you will have "
                     f"at the end of the {_said(commit)}{size}, not today's.")
    if saving := _SAVING.search(said):
        items.append(f"*“{_said(saving)}”:* run a week of your real traffic, peak included, on their platform and set "
                     f"the invoice against what the same week costs you today, people's time to run each included; a "
                     f"saving quoted from their own price sheet assumes their usage, not yours.")
    for m in (x for x in _SHARE.finditer(said) if not (saving and x.start() <= saving.start() < x.end())):
        items.append(f"*“{_said(m)}”:* build a labelled set of your own cases, known failures included, count what it "
                     f"catches and what it flags wrongly, and ask on what data that figure was measured.")
        break
    if setup := _SETUP.search(said):
        items.append(f"*“{_said(setup)}”:* time the setup yourselves in the trial, end to end: access and single "
                     f"sign-on, where your data is processed, and the integration with what you run.")
    if _NO_NEED.search(said) and ctx.decision.component is not None and ctx.decision.component.build:
        items.append(f"*What they say you need not do stays yours:* {ctx.decision.component.build}"
                     + cites.support(ctx.decision.component.build, ctx.decision.component.note))
    if not items:
        return None
    if commit:
        items.append(f"*The {_said(commit)}:* sign it only after the trial meets your targets, or ask for a shorter "
                     f"term or an exit tied to those targets.")
    first = cites.support("proof of concept tests real requirements", "evaluating-vendors", "proof-of-concept")
    items[0] += first
    return Section(kind="guidance", title="Their claims, as tests on your own data", items=items)
