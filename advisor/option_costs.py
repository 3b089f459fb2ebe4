"""The options an asker priced, each summed for a year from their own prices and usage (hours, tokens, items, data)."""

from __future__ import annotations

import itertools
import re

from pydantic import BaseModel, Field

from .quantities import (
    _MONEY,
    _VOLUME_KINDS,
    CURRENCY,
    GPU_NAMES,
    NUM,
    WRITTEN_CURRENCY,
    _value,
    count_of,
    currency_sign,
)
from .unit_prices import _THROUGHPUT
from .usage import _PER_MACHINE, Usage, usage

HOURS_A_YEAR = 8760

# Where options are enumerated: "(a) ...", "b) ...", "Option 2: ...", "- ..." at a line start.
_MARK = re.compile(r"(?:(?<=^)|(?<=[\s:;,]))(?:\((?P<p>[a-eA-E1-5])\)|(?P<b>[a-eA-E1-5])\)(?=\s)|"
                   r"(?:option|opt\.?)\s+(?P<o>[a-eA-E1-5]|one|two|three|four)\b\s*[:.)\-–]?)", re.MULTILINE | re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*•]|\d[.)])\s+", re.MULTILINE)
# Where one option ends and the next begins when they are written as prose: "...; or hire ...", ". Alternatively, ...".
_OR = re.compile(r";\s*(?:or|and or)\s+|\.\s+(?:alternatively|or else|or|otherwise|the alternative(?: would be| is)?|"
                 r"another option(?: would be| is)?|option two(?: is)?|the other option(?: is)?)\s*[:,]?\s+", re.IGNORECASE)
# "Today we pay X a month ... The alternative: Y": a bill they pay set against one alternative is summed elsewhere
# (figures.py), with its own wording; here only options offered side by side.
_PAYING_NOW = re.compile(r"\b(?:we pay|we're paying|we are paying|today we|currently we|we currently|we spend|our bill)\b",
                         re.IGNORECASE)
# "stay on-demand", "keep what we have": the option that keeps today's spend, priced from what they said before it.
_STAY = re.compile(r"^\s*(?:to\s+)?(?:stay|staying|keep|keeping|remain|continue|do nothing|status quo|as (?:is|today)|"
                   r"renew|renewing)\b", re.IGNORECASE)
_ROUND_CLOCK = re.compile(r"\b(?:24/7|24x7|around the clock|round the clock|always[- ]on|all year|full[- ]time|"
                          r"every hour)\b", re.IGNORECASE)
_DEPRECIATED = re.compile(rf"\b(?:depreciat\w*|amortis\w*|amortiz\w*|written off)\s+(?:\w+\s+)?over\s+(?:{NUM})\s*"
                          r"years?\b", re.IGNORECASE)
_FOR_MONTHS = re.compile(rf"\bfor\s+(?:{NUM})\s*months?\b", re.IGNORECASE)
_NEED_COUNT = re.compile(r"\b(?:need(?:s|ed)?|want|buy|get|run)\s+(?P<n>two|three|four|five|six|eight|ten|\d+)\b"
                         r"(?!\s*(?:%|tokens?|hours?|months?|years?|weeks?|days?|people|engineers?))", re.IGNORECASE)
_PEOPLE_NOUNS = (r"labell?ers?|annotators?|contractors?|freelancers?|people|persons?|staff|engineers?|analysts?|"
                 r"reviewers?|experts?|temps?|students?|clerks?|raters?|linguists?|developers?|devs?|sres?")
_MACHINE_NOUNS = r"servers?|nodes?|machines?|boxes|instances?|vms?|gpus?|cards?"
_COUNTED = re.compile(rf"(?:{NUM})\s+(?:[\w-]+\s+){{0,3}}?(?P<noun>{_PEOPLE_NOUNS}|{_MACHINE_NOUNS})\b", re.IGNORECASE)
_FTE = re.compile(r"(?P<n>\d+(?:[.,]\d+)?|half|a quarter|a third)\s*(?:of\s+)?(?:an?\s+)?(?:ftes?\b|of an? (?:\w+ )?"
                  r"(?:engineer|person|sre|developer)\b)|(?P<pct>\d{1,2})\s*%\s*of\s+(?:one|an?|1)\s+(?:[\w-]+\s+){0,2}?"
                  r"(?:engineer|person|sre|developer|fte)(?:'s)?\b", re.IGNORECASE)
# "for just the 10 weeks", "for 3 months": how long an hourly price runs.
_FOR_SPAN = re.compile(rf"\bfor\s+(?:just\s+|only\s+)?(?:the\s+)?(?:{NUM})\s*(?P<unit>weeks?|months?|days?)\b", re.IGNORECASE)
_SPAN_HOURS = {"week": 168, "month": 730, "day": 24}
# Between the two ends of a quoted range ("between $2.05 and $2.40/GPU-hour", "$2.05-$2.40 per GPU-hour").
_RANGE_JOIN = re.compile(r"\s*(?:and|to|-|–|—)\s*", re.IGNORECASE)
_PLUS_UNPRICED = re.compile(r"\bplus\s+(?P<what>[^,;.()$€£\d]{4,60})", re.IGNORECASE)
_LABEL_CUT = re.compile(r"\s*(?:\(|,|;|:|\bquoted\b|\bquotes?\b|\bcosts?\b|\bcosting\b|\bat\b|\bfor about\b|\bpriced\b|"
                        r"\boffers?\b|\bcharges?\b|\bwhich\b|\bwhere\b|\bat about\b|\b~)", re.IGNORECASE)
_UNIT = re.compile(
    r"\s*(?:/|per\b|an?\b|each\b)\s*(?:(?P<gpuh>(?:gpu|card|h100|a100|h200|l4|l40s?)[- ]?(?:hours?|hrs?|h)\b)|"
    r"(?P<nodeh>(?:node|instance|machine|server|box)[- ]?(?:hours?|hrs?|h)\b)|(?P<hour>hours?|hrs?|h)\b|"
    r"(?P<ktok>(?:1[,.]?000|1k|thousand|k)\s*(?:input |output )?tokens?)\b|"
    r"(?P<mtok>(?:1m|1 million|one million|million|m|1[,.]000[,.]000)\s*(?:input |output )?tokens?)\b|"
    r"(?P<tok>tokens?)\b|(?P<gb>gb|gigabytes?)(?P<gbmonth>[- ]?months?)?\b|(?P<tb>tb|terabytes?)\b|"
    r"(?P<item>[a-z][a-z-]+))", re.IGNORECASE)
_ITEM_NOUNS = re.compile(rf"^(?:{_VOLUME_KINDS['items']}|requests?|calls?|queries|predictions?|inferences?|"
                         r"labels?|annotations?|listings?)$", re.IGNORECASE)
_SEAT_NOUNS = re.compile(r"^(?:users?|seats?|members?|editors?|developers?|engineers?|licen[cs]es?|heads?)$", re.IGNORECASE)
# "free for 12 months, then about $39 per user per month": the first year's months that cost nothing.
# "we spent $41k" over "the last 2 months": money already spent over a span is a rate.
_SPENT = re.compile(r"\b(?:spent|spend|spending|paid|billed|bill (?:was|came to))\s*(?:about |around |roughly |~\s*)?$",
                    re.IGNORECASE)
_PAST_SPAN = re.compile(rf"\b(?:last|past|over|for|in|during)\s+(?:the\s+)?(?:last\s+|past\s+|first\s+)?(?:{NUM})\s*"
                        r"(?P<unit>weeks?|months?)\b", re.IGNORECASE)
_FREE_FOR = re.compile(rf"\bfree\s+(?:for\s+)?(?:the\s+first\s+)?(?:{NUM})\s*months?\b", re.IGNORECASE)
# "maybe 2 weeks of work", "about 3 months of one engineer's time": people's time an option takes, once.
_WORK_SPAN = re.compile(rf"(?:{NUM})\s*(?P<unit>days?|weeks?|months?)\s+of\s+(?:\w+\s+){{0,3}}?(?:work|effort|"
                        r"engineering|time|development|dev time)\b", re.IGNORECASE)
_PER_THING = re.compile(rf"^\s*(?:/|per|an?)\s*(?P<noun>{_MACHINE_NOUNS}|{_PEOPLE_NOUNS}|head)\b|^\s*each\b",
                        re.IGNORECASE)


class CostLine(BaseModel):
    """One priced thing in an option: how it was counted, and what it comes to."""

    how: str
    sign: str
    per_year: float = 0.0
    once: float = 0.0


class OptionCost(BaseModel):
    """One option they priced, summed."""

    label: str
    tag: str = ""  # "(a)", "(2)": how they marked it, when they did
    lines: list[CostLine] = Field(default_factory=list)
    unpriced: list[str] = Field(default_factory=list)

    @property
    def signs(self) -> set[str]:
        return {line.sign.strip() for line in self.lines}

    @property
    def per_year(self) -> float:
        return sum(line.per_year for line in self.lines)

    @property
    def once(self) -> float:
        return sum(line.once for line in self.lines)


def segments(text: str) -> list[tuple[str, str]]:
    """The options one message enumerates, as (label, text); [] when it names fewer than two."""
    marks = list(_MARK.finditer(text))
    if len(marks) < 2:
        marks = [m for m in _BULLET.finditer(text)]
        if len(marks) < 2 or not all(_MONEY.search(text[m.end():n.start()]) for m, n in itertools.pairwise(marks)):
            marks = []
    if len(marks) >= 2:
        out = []
        for i, m in enumerate(marks):
            end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
            seg = text[m.end():end]
            seg = re.split(r"\n\s*\n|(?<=[.!])\s+(?=[^.!?]*\?)", seg)[0]  # the last one ends at its paragraph or the question
            if i + 1 == len(marks) and all(text[:x.start()].endswith("\n") or x.start() == 0 or
                                           text[x.start() - 1] in " \t" and text[:x.start()].rstrip(" \t").endswith("\n")
                                           for x in marks):
                seg = seg.split("\n")[0]  # options one to a line: the last ends with its line
            tag = next((g for g in m.groups() if g), "") or m.group(0).strip(" -*•.)")
            out.append((f"({tag.lower()})" if len(tag) == 1 else f"option {tag.lower()}" if tag else "",
                        seg.strip(" ;,.\n")))
        return out
    # Prose: the paragraph that prices them, cut at "; or" and ". Alternatively,".
    for para in re.split(r"\n\s*\n", text):
        parts = _OR.split(para)
        if len(parts) < 2:
            continue
        # The options begin where the money does ("Options: Scale AI quoted USD 0,22 per item; or hire ...").
        first = parts[0]
        start = max(first.rfind(":", 0, _MONEY.search(first).start()) + 1 if _MONEY.search(first) else 0, 0)
        sent = [s.start() for s in re.finditer(r"(?<=[.!?])\s+", first[:(_MONEY.search(first) or re.search("$", first)).start()])]
        start = max(start, sent[-1] if sent else 0)
        parts[0] = first[start:]
        parts[-1] = re.split(r"(?<=[.!])\s+(?=[^.!?]*\?)", parts[-1])[0]
        if _PAYING_NOW.search(parts[0]):
            return []
        if sum(bool(_MONEY.search(p)) for p in parts) >= 2 or len(parts) >= 2 and _MONEY.search(parts[0]) and \
                sum(bool(_MONEY.search(p)) for p in parts) >= 1 and len(parts) >= 3:
            return [("", p.strip(" ;,.\n")) for p in parts]
    return []


def _label(tag: str, seg: str) -> str:
    """A short name for an option: its letter and the words before its first price, cut at a verb or bracket."""
    # "we also got a quote to buy 2 servers outright": the option is what the quote is for.
    seg = re.sub(r"^\s*(?:we|i)\s+(?:also\s+)?(?:got|have|received|were given|asked for)\s+(?:a\s+|an\s+)?(?:quote|offer|bid|"
                 r"proposal)s?\s+(?:to|for)\s+", "", seg, flags=re.IGNORECASE)
    words = _LABEL_CUT.split(seg, maxsplit=1)[0].strip()
    words = re.sub(r"^(?:alternatively|or|and)\b[,:]?\s*", "", words, flags=re.IGNORECASE)
    # "We train on rented p4d.24xlarge": the option is what they name after their verb.
    words = re.sub(r"^(?:we|our team|today we|currently we)\s+(?:\w+\s+)?(?:on|with|in|using)\s+", "", words,
                   flags=re.IGNORECASE)
    words = words.split()[:6]
    while words and words[-1].lower() in ("one", "a", "an", "the", "of", "for", "with", "covering", "to", "on", "in", "and",
                                          "our", "your", "at", "by", "from", "which", "that"):
        words.pop()
    words = " ".join(words)
    return f"{tag} {words}".strip() if words else tag or "an option"


def _count_for(seg: str, before: str, after: str) -> tuple[float, str]:
    """How many of a priced thing there are: "per server" after the price counts the option's machines, "10 labellers
    ..., each costs" the people before it."""
    m = _PER_THING.match(after)
    each = re.search(r"\beach\b[^.;,]{0,12}$", before[-20:])
    if not (m or each):
        return 1.0, ""
    noun = (m.group("noun") or "") if m and m.groupdict().get("noun") else ""
    if noun and re.fullmatch(_MACHINE_NOUNS, noun, re.IGNORECASE):
        n = _machines(seg)
        return n, f"{_fmt(n)} {noun}s" if n > 1 else ""
    people = [c for c in _COUNTED.finditer(before) if re.fullmatch(_PEOPLE_NOUNS, c.group("noun"), re.IGNORECASE)
              and not re.search(r"[$€£]\s*$", before[:c.start()])]
    if people:
        c = people[-1]
        v = _value(c) if c.group("num") else count_of(c.group("word"))
        return (v or 1.0), c.group(0)
    if noun or each:
        n = _machines(seg)
        return n, ""
    return 1.0, ""


def _machines(seg: str) -> float:
    """Machines an option buys or runs ("we'd need two", "3 servers"), 1 if unsaid."""
    if n := _NEED_COUNT.search(seg):
        return count_of(n["n"])
    for c in _COUNTED.finditer(seg):
        if re.match(_MACHINE_NOUNS, c.group("noun"), re.IGNORECASE) and not re.match(r"gpus?|cards?", c.group("noun"),
                                                                                       re.IGNORECASE):
            return _value(c) or count_of(c.group("word") or "1") or 1.0
    return 1.0


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if v >= 100 else f"{v:,.2f}".rstrip("0").rstrip(".")


def price_lines(seg: str, u: Usage, context: str = "") -> tuple[list[CostLine], list[str]]:
    """Each price in one option's text, multiplied by what it is per; and what it names without a price."""
    lines: list[CostLine] = []
    unpriced: list[str] = []
    years = _DEPRECIATED.search(seg) or _DEPRECIATED.search(context)
    months = _FOR_MONTHS.search(seg)
    machines = _machines(seg)
    found = list(_MONEY.finditer(seg))
    for k, m in enumerate(found):
        v = _value(m)
        if v is None or v == 0:
            continue
        cur = WRITTEN_CURRENCY.search(m.group(0))
        sign = currency_sign(cur.group(0)) if cur else "$"
        said = m.group(0).strip()
        nxt = found[k + 1] if k + 1 < len(found) else None
        if nxt is not None and not m.group("per") and _RANGE_JOIN.fullmatch(seg[m.end():nxt.start()]):
            # "quotes between $2.05 and $2.40/GPU-hour": the low end of a range is priced per what the high end is;
            # the sum takes the top of the range, and says so.
            continue
        low = found[k - 1] if k > 0 else None
        if low is not None and _RANGE_JOIN.fullmatch(seg[low.end():m.start()]) and not low.group("per"):
            said = f"{low.group(0).strip()} to {said} (top of the range)"
        per = (m.group("per") or "").lower()
        before, after = seg[max(0, m.start() - 60):m.start()], seg[m.end():m.end() + 40]
        if re.match(r"\s*%|\s*off\b", after):
            continue
        unit = _UNIT.match(after) if not per else None
        n, counted = _count_for(seg, seg[:m.start()], after)
        fte = _FTE.search(before[-60:])
        share = (int(fte["pct"]) / 100 if fte["pct"] else 0.5 if fte["n"] == "half" else 0.25 if fte["n"] == "a quarter"
                 else 1 / 3 if fte["n"] == "a third" else float(fte["n"].replace(",", "."))) if fte else 1.0
        if per in ("year", "yr", "annum"):
            lines.append(CostLine(how=f"{fte.group(0)} at {said}" if fte else f"{_fmt(n)} × {said}" if n > 1 else said,
                                  sign=sign, per_year=v * share * n))
        elif per in ("month", "mo"):
            span = _value(months) if months else None
            if span and span < 12:
                lines.append(CostLine(how=f"{counted + ' at ' if n > 1 else ''}{said} for {_fmt(span)} months",
                                      sign=sign, once=v * n * span))
            else:
                lines.append(CostLine(how=f"{_fmt(n)} × {said}" if n > 1 else said, sign=sign,
                                      per_year=v * 12 * n * share))
        elif unit and unit.group("hour") and re.search(_PEOPLE_NOUNS, seg, re.IGNORECASE) and \
                not re.search(rf"{GPU_NAMES}|gpus?|{_MACHINE_NOUNS.replace('|gpus?|cards?', '')}", seg, re.IGNORECASE):
            # "contract annotators at $30/hour; in our pilot they did 20 images per hour": people's hours, as many as
            # the items take at the pace they measured; with no pace, the sum is left to them.
            told = context + " " + seg
            pace = next((_value(t) for t in _THROUGHPUT.finditer(told) if _value(t)
                         and not re.search(rf"(?:{CURRENCY})\s*$", told[:t.start()], re.IGNORECASE)), None)
            if pace and u.items_once:
                hours = u.items_once / pace
                lines.append(CostLine(how=f"{_big(u.items_once)} items at {_fmt(pace)} an hour, {_big(hours)} hours at "
                                          f"{said}", sign=sign, once=v * hours))
            else:
                unpriced.append(f"{said}{unit.group(0)} (no hours of work given)")
        elif unit and (unit.group("gpuh") or unit.group("nodeh") or unit.group("hour")):
            gpus = float(g.group("n") or g.group("m")) if (g := _PER_MACHINE.search(seg)) else u.gpus_per_machine
            per_gpu = bool(unit.group("gpuh")) or (bool(unit.group("hour")) and v < 15 and gpus and gpus > 1)
            span = _FOR_SPAN.search(after + seg[m.end() + 40:m.end() + 80]) or _FOR_SPAN.search(seg)
            if span and not _ROUND_CLOCK.search(seg) and (length := _value(span)):
                unit_h = _SPAN_HOURS[span["unit"].lower().rstrip("s")]
                hours, whose = length * unit_h * (1 if per_gpu else machines), f"{_fmt(length)} {span['unit']} around the clock"
                mult = (gpus or 1) if per_gpu else 1
            elif _ROUND_CLOCK.search(seg) or not u.hours_a_year:
                hours, whose = HOURS_A_YEAR * machines, (f"{_fmt(machines)} machines " if machines > 1 else "") + \
                    "around the clock" + ("" if _ROUND_CLOCK.search(seg) else " (no hours of use given)")
                mult = (gpus or 1) if per_gpu else 1
            else:
                hours, whose = u.hours_a_year, f"your {_fmt(u.hours_a_year)} {u.hours_of}-hours a year"
                mult = (gpus or 1) if per_gpu and u.hours_of == "node" else 1
            gpu_note = f" × {_fmt(mult)} GPUs" if mult > 1 else ""
            lines.append(CostLine(how=f"{whose}{gpu_note} at {said}", sign=sign, per_year=v * hours * mult))
        elif unit and (unit.group("ktok") or unit.group("mtok") or unit.group("tok")):
            size = 1000 if unit.group("ktok") else 1_000_000 if unit.group("mtok") else 1
            if u.tokens_a_year:
                lines.append(CostLine(how=f"about {_big(u.tokens_a_year)} tokens a year at {said} {unit.group(0).strip()}",
                                      sign=sign, per_year=v * u.tokens_a_year / size))
            else:
                unpriced.append(f"{said}{unit.group(0)} (no token volume given)")
        elif unit and (unit.group("gb") or unit.group("tb")):
            gb = u.data_gb
            price_gb = v / 1000 if unit.group("tb") else v
            if not gb:
                unpriced.append(f"{said}{unit.group(0)} (no data size given)")
            elif unit.group("gbmonth") or re.search(r"\b(?:a|per)\s+month\b", after):
                lines.append(CostLine(how=f"{_big(gb)} GB at {said}{unit.group(0)}", sign=sign, per_year=price_gb * gb * 12))
            else:
                lines.append(CostLine(how=f"{_big(gb)} GB moved once at {said}{unit.group(0)}", sign=sign, once=price_gb * gb))
        elif unit and unit.group("item") and _SEAT_NOUNS.match(unit.group("item")) and (
                seat_per := re.match(r"\s*(?:/|per|an?|each)\s*(?P<per>month|mo|year|yr)\b", after[unit.end():])):
            # "$39 per user per month": a seat for each of the team they have today.
            seats = u.seats or 1.0
            yearly = v * (12 if seat_per["per"].lower() in ("month", "mo") else 1)
            free = _FREE_FOR.search(seg)
            months_free = min(_value(free) or 0, 12) if free else 0
            lines.append(CostLine(how=f"{_fmt(seats)} users at {said} {unit.group(0).strip()}{seat_per.group(0)}",
                                  sign=sign, per_year=yearly * seats))
            if months_free:
                # Counted as a saving once, so a sum over several years stays right.
                lines.append(CostLine(how=f"less the first {_fmt(months_free)} months free", sign=sign,
                                      once=-v * seats * months_free * (1 if seat_per["per"].lower() in ("month", "mo") else 1 / 12)))
            if not u.seats:
                unpriced.append("how many users")
        elif unit and unit.group("item") and _ITEM_NOUNS.match(unit.group("item")):
            if u.items_once:
                lines.append(CostLine(how=f"{_big(u.items_once)} items at {said} each", sign=sign, once=v * u.items_once))
            elif u.items_a_year or u.requests_a_year:
                count = u.items_a_year or u.requests_a_year
                lines.append(CostLine(how=f"about {_big(count)} a year at {said} each", sign=sign, per_year=v * count))
            else:
                unpriced.append(f"{said} per {unit.group('item')} (no count given)")
        elif not per and not unit and _SPENT.search(before) and (
                span := _PAST_SPAN.search(seg) or _PAST_SPAN.search(context)) and (length := _value(span)):
            months_spent = length * (12 / 52 if span["unit"].lower().startswith("week") else 1.0)
            lines.append(CostLine(how=f"{said} spent over {_fmt(length)} {span['unit']}", sign=sign,
                                  per_year=v / months_spent * 12))
        elif not per and not unit and re.search(r"\b(?:costs?|price[ds]?|buy|purchase|capex|upfront|one[- ]off|once|"
                                                r"quoted?|quotes)\b", before[-40:] + after[:25], re.IGNORECASE):
            # "costs CHF 320,000 and we'd need two": the price of one, times the count they need; "€2.3M for 8
            # nodes" is the price of all of them.
            # A count told before the price ("buy 2 servers of 8x H100 outright, ~$620k") is what the price buys.
            count = n if n > 1 else count_of(c["n"]) if (c := _NEED_COUNT.search(seg[m.end():])) else 1
            total = v * count
            if years and (span := _value(years)):
                lines.append(CostLine(how=f"{_fmt(count) + ' × ' if count > 1 else ''}{said} depreciated over "
                                          f"{_fmt(span)} years", sign=sign, per_year=total / span))
            else:
                lines.append(CostLine(how=f"{_fmt(count) + ' × ' if count > 1 else ''}{said} once", sign=sign, once=total))
    for w in _WORK_SPAN.finditer(seg):
        length = _value(w)
        if not length:
            continue
        months = length * {"day": 1 / 21, "week": 12 / 52, "month": 1.0}[w["unit"].lower().rstrip("s")]
        if u.engineer_month:
            lines.append(CostLine(how=f"{w.group(0)} at {u.engineer_sign.strip()} {_fmt(u.engineer_month)} an engineer-month",
                                  sign=u.engineer_sign, once=months * u.engineer_month))
        else:
            unpriced.append(f"{w.group(0)} (no cost of an engineer given)")
    for p in _PLUS_UNPRICED.finditer(seg):
        if not _MONEY.search(seg[p.start():p.start() + 90]):
            unpriced.append(p["what"].strip())
    return lines, unpriced


def _big(v: float) -> str:
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if v >= size:
            return f"{v / size:,.1f}".rstrip("0").rstrip(".") + f" {word}"
    return f"{v:,.0f}"


def cost_options(texts: list[str]) -> list[OptionCost]:
    """The options of the latest message that enumerates two or more, each summed; [] when none does or fewer than
    two of its options come to a sum."""
    u = usage(texts)
    for i in range(len(texts) - 1, -1, -1):
        segs = segments(texts[i])
        if not segs:
            continue
        first = texts[i].find(segs[0][1][:30])
        context = texts[i][:max(first, 0)]
        out = []
        for tag, seg in segs:
            lines, unpriced = price_lines(seg, u, context)
            if not lines and _STAY.search(seg):
                # "(a) stay on-demand": today's price, said before the options, at their usage; recurring only.
                found, _ = price_lines(context or "\n".join(texts[:i]), u)
                lines = [x for x in found if x.per_year][:1]
            label = _label(tag, seg)
            if not lines and not unpriced:
                unpriced = ["no price given"]
            out.append(OptionCost(label=label, tag=tag if tag.startswith("(") else "", lines=lines, unpriced=unpriced))
        if sum(bool(o.lines) for o in out) >= 2:
            return out
        return []
    return []
