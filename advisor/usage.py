"""How much the asker uses, read from everything they said: the hours, tokens, items and data a unit price multiplies."""

from __future__ import annotations

import re

from pydantic import BaseModel

from .quantities import CURRENCY, GPU_NAMES, NUM, WRITTEN_CURRENCY, _value, _value_in, currency_sign, extract

SECONDS_A_YEAR = 31_536_000

_HOURS_USED = re.compile(rf"(?:{NUM})\s*(?P<what>node|gpu|instance|machine|server|card|compute)[- ]?(?:hours|hrs)\b"
                         r"(?:\s*(?:/|per|a|each|every)\s*(?P<per>month|mo|year|yr|week|day))?", re.IGNORECASE)
_YEARLY_CUE = re.compile(r"\b(?:last year|a year|per year|this year|annual\w*|yearly|in \d{4}|over the year)\b",
                         re.IGNORECASE)
_PER_MACHINE = re.compile(rf"(?<![\d.])(?P<n>\d+)\s*(?:[x×]\s*)?(?:{GPU_NAMES})s?\b|(?P<m>\d+)\s+gpus?\s+(?:per|each|a)\s+"
                          r"(?:node|machine|server|box)", re.IGNORECASE)
_TOKENS_IN_OUT = re.compile(rf"(?P<a>{NUM.replace('?P<num>', '?P<anum>').replace('?P<mult>', '?P<amult>').replace('?P<word>', '?P<aword>').replace('?P<wmult>', '?P<awmult>')})"
                            r"\s*(?:tokens?\s+)?(?:in|input|of input|prompt)\b[^.;]{0,25}?"
                            rf"(?:{NUM})\s*(?:tokens?\s+)?(?:out|output)\b", re.IGNORECASE)
_TOKENS_EACH = re.compile(rf"(?:{NUM})\s*tokens?\s*(?:per|a|each|/|on average per)\s*(?:request|call|query|message|"
                          r"conversation|document|doc|ticket|chat|question|answer|page|summary|email)", re.IGNORECASE)
_DATA = re.compile(rf"(?:{NUM})\s*(?P<unit>tb|gb|pb)\b", re.IGNORECASE)
# "A fully loaded ML engineer here costs about KES 450,000 per month", "an engineer costs us $210k/year": one person's
# loaded cost, the price of the weeks of work an option takes.
_ENGINEER_COST = re.compile(r"\b(?:engineers?|developers?|devs?|sres?|data scientists?|ftes?|people)\b[^.;]{0,40}?"
                            rf"\b(?:costs?|is|at|runs?)\s+(?:us\s+)?(?:about\s+|around\s+|roughly\s+|~\s*)?"
                            rf"(?P<money>(?:{CURRENCY})\s?[\d.,]+\s*(?:k|m)?)\s*(?:/|per|a)\s*(?P<per>month|year|yr)\b",
                            re.IGNORECASE)

class Usage(BaseModel):
    """How much they use, from everything they said: what a unit price is multiplied by."""

    hours_a_year: float | None = None
    hours_of: str = ""  # "node" or "gpu": what the hours count
    gpus_per_machine: float | None = None
    requests_a_year: float | None = None
    tokens_per_request: float | None = None
    tokens_a_year: float | None = None
    items_once: float | None = None
    items_a_year: float | None = None
    data_gb: float | None = None
    seats: float | None = None  # the people a per-user price counts: their team today
    engineer_month: float | None = None  # one engineer's loaded cost a month, as they gave it
    engineer_sign: str = ""


def usage(texts: list[str]) -> Usage:
    """What they use, read from the whole conversation (the latest figure of each kind wins)."""
    u = Usage()
    for text in texts:
        for sentence in re.split(r"(?<=[.!?;])\s+|\n+", text):
            for m in _HOURS_USED.finditer(sentence):
                v = _value(m)
                per = (m.group("per") or "").lower()
                if v is None:
                    continue
                if per in ("month", "mo"):
                    v *= 12
                elif per in ("week",):
                    v *= 52
                elif per == "day":
                    v *= 365
                elif not (per in ("year", "yr") or _YEARLY_CUE.search(sentence)):
                    continue
                if u.hours_a_year is None or v > u.hours_a_year:  # "1,800 of the 7,800 node-hours": the whole
                    u.hours_a_year, u.hours_of = v, "gpu" if m.group("what").lower() in ("gpu", "card") else "node"
            if m := _PER_MACHINE.search(sentence):
                u.gpus_per_machine = float(m.group("n") or m.group("m"))
            if m := _TOKENS_IN_OUT.search(sentence):
                a = _value_in(m.group("a"))
                b = _value(m)
                if a and b:
                    u.tokens_per_request = a + b
            elif m := _TOKENS_EACH.search(sentence):
                u.tokens_per_request = _value(m)
            for m in _DATA.finditer(sentence):
                v = _value(m)
                if v:
                    u.data_gb = v * {"gb": 1, "tb": 1000, "pb": 1_000_000}[m.group("unit").lower()]
            if m := _ENGINEER_COST.search(sentence):
                v = _value_in(m.group("money"))
                cur = WRITTEN_CURRENCY.search(m.group("money"))
                if v:
                    u.engineer_month = v / 12 if m.group("per").lower() in ("year", "yr") else v
                    u.engineer_sign = currency_sign(cur.group(0)) if cur else "$"
        for q in extract(text):
            if q.kind == "engineers" and u.seats is None and q.value >= 2:
                u.seats = q.value  # the first team size told is today's ("one of us set it up" is no team); later ones are plans
            if q.kind == "traffic_rps":
                u.requests_a_year = q.value * SECONDS_A_YEAR
            elif q.kind == "tokens_per_day":
                u.tokens_a_year = q.value * 365
            elif q.kind == "items_per_day":
                u.items_a_year = q.value * 365
                u.requests_a_year = u.requests_a_year or q.value * 365
            elif q.kind == "items_backlog":
                u.items_once = q.value
    if u.tokens_a_year is None and u.requests_a_year and u.tokens_per_request:
        u.tokens_a_year = u.requests_a_year * u.tokens_per_request
    return u
