"""Prices per unit the asker gave ("$2.50/GPU-hr", "$50 a seat", "$9.40 per image"), multiplied by the units they have."""

from __future__ import annotations

import re

from pydantic import BaseModel

from .quantities import _GPUS, _MULT, CURRENCY, GPU_NAMES, NUM, _value, code_first, count_of, currency_sign

HOURS_PER_MONTH = 730  # 24 x 365 / 12: a machine rented around the clock
# No single data-centre GPU rents for this much an hour: an hourly price at or above it beside several GPUs ("p4d.24xlarge
# (8x A100) at $32.77/hour") is the machine's hour, not each GPU's.
GPU_HOUR_PRICE_BELOW = 15.0
_SENTENCES = re.compile(r"(?<=[.;!?])\s+|\n+")
_MONEY = r"(?P<cur>" + CURRENCY + r")\s?(?P<amount>\d+(?:,\d{3})*(?:\.\d+)?)\s*(?P<amult>k|mm|m|million|bn|b|billion)?\b"
_PER = r"\s*(?:/|per|an?|each)\s*"
_ITEMS = (r"images?|x-?rays?|scans?|photos?|pictures?|labels?|annotations?|documents?|docs|pages?|tasks?|items?|"
          r"records?|frames?|videos?|clips?|tickets?|samples?|examples?|transcripts?|studies|slides?|texts?|"
          r"reviews?|contracts?|forms?|receipts?|invoices?|claims?|files?|messages?|chats?|conversations?|emails?|"
          r"utterances?|sentences?|recordings?|segments?")
# What a price is per. An "hour" alone is a GPU's hour beside GPUs and a person's hour beside people (resolved below).
_UNIT_PRICE = re.compile(
    _MONEY + _PER + r"(?:(?P<gpu_hour>(?:gpu|h100|a100|h200|l4|l40s?|card)[- ]?(?:hours?|hrs?|h)\b)|"
    r"(?P<seat>(?:user |editor |annotator |developer )?(?:seats?|licen[cs]es?|users?|editors?)\b)|"
    # "US$3,500 per GPU per year": a licence priced by the GPUs it manages.
    r"(?P<gpu_licence>(?:gpus?|cards?|accelerators?)\b(?![- ]?(?:hours?|hrs?|h)\b))|"
    rf"(?P<item>(?:labell?ed |annotated |reviewed )?(?:{_ITEMS})\b)|(?P<hour>hours?|hrs?|h)\b)"
    r"(?:\s*(?:/|per|a)\s*(?P<per>month|mo|year|yr|annum)\b)?", re.IGNORECASE)
# "3,000 A100 GPU-hours/month", "about 2k GPU hours a month": hours of GPU use a month.
_GPU_HOURS_USED = re.compile(rf"(?:{NUM})\s*(?:(?:{GPU_NAMES})\s*)?(?:gpu[- ]?)?(?:hours?|hrs?)\s*(?:/|per|a|each|every)\s*"
                             r"(?:month|mo)\b", re.IGNORECASE)
# "8x H100", "8×H100": a count glued to its "x" leaves no word boundary for NUM, so the "x" is dropped first.
_GLUED = re.compile(rf"(?<![\w.])(\d+)\s*[x×]\s*(?=(?:{GPU_NAMES})\b)", re.IGNORECASE)
_SEATS = re.compile(rf"(?:{NUM})\s+(?:[a-z-]+\s+)?(?:seats?|licen[cs]es?|users?|editors?|annotators?|labell?ers?)\b",
                    re.IGNORECASE)
_ITEM_COUNT = re.compile(rf"(?:{NUM})\s*(?:[a-z-]+\s+){{0,2}}(?P<noun>{_ITEMS})\b"
                         r"(?!\s+(?:an?|per|each|every)\s+(?:hour|hr|h|minute|min)\b)"
                         r"(?:\s+(?:per|a|each|every)\s+(?P<per>day|week|month|quarter|year))?", re.IGNORECASE)
# "3 nodes at $750/mo", "two boxes, $4k a month each": machines with a price each.
# "one 8x H100 server", "an 8-GPU box": the number counts the GPUs in one machine, not machines.
_MACHINES = re.compile(rf"(?P<what>(?:{NUM})(?!\s*-\s*gpus?\b|\s*[x×]?\s*(?:{GPU_NAMES})\s+(?:[a-z]+\s+)?(?:node|server|box|machine|instance|host)\b(?!s))\s*(?:x\s*)?(?:[a-z0-9.-]+\s+)?(?:nodes?|servers?|boxes|instances?|machines?|vms?))\b"
                       r"\s*(?:at|@|for|costing|of|,)?\s*(?:about |around |roughly |~\s*)?" + _MONEY +
                       r"\s*(?:/|per|a)\s*(?P<per>month|mo|year|yr)\b", re.IGNORECASE)
# "0.3 FTE at $190k/yr", "half an engineer at $180k a year": part of a person's year.
_WHO = (r"(?P<what>(?P<fte>\d+(?:\.\d+)?|half(?: of)? an?|a (?:quarter|third|fifth|tenth) of an?|one)\s*(?:(?:more|extra|additional|new)\s+)?"
        r"(?:of\s+an?\s+)?(?:(?:ml|data|platform|mlops|senior|junior|backend|infra|ai|devops)\s+){0,2}(?:ftes?|engineers?|"
        r"sres?|persons?|people|devs?|developers?)(?:\s+of\s+an?\s+[a-z]+)?)\b")
_PEOPLE = re.compile(_WHO + r"[^$€£\d.;]{0,40}?" + _MONEY + r"\s*(?:/|per|a)\s*(?:year|yr|annum)\b", re.IGNORECASE)
# "hire one more SRE (annual cost about ¥9,000,000)": the year said before the sum.
_PEOPLE_ANNUAL = re.compile(_WHO + r"[^$€£\d.;]{0,30}?\b(?:annual|annually|yearly|per year|a year|per annum)\b"
                            r"[^$€£\d.;]{0,25}?" + _MONEY + r"(?!\s*(?:/|per|a)\s*(?:month|mo|hour|hr|day)\b)", re.IGNORECASE)
_FRACTIONS = {"half a": 0.5, "half an": 0.5, "a quarter of a": 0.25, "a quarter of an": 0.25, "one": 1.0,
              "a third of a": 1 / 3, "a third of an": 1 / 3, "a fifth of a": 0.2, "a fifth of an": 0.2,
              "a tenth of a": 0.1, "a tenth of an": 0.1}
_PERSON = re.compile(r"\b(?:annotators?|labell?ers?|radiologists?|doctors?|clinicians?|contractors?|freelancers?|"
                     r"reviewers?|experts?|specialists?|lawyers?|nurses?|people|staff|students?|raters?|linguists?|"
                     r"engineers?|pathologists?|physicians?|translators?|in-house|our own)\b", re.IGNORECASE)
# "reading 45 an hour", "label ~60 images/hr": how much one person gets through in an hour.
_THROUGHPUT = re.compile(rf"(?:{NUM})\s*(?:[a-z-]+\s+|[a-z-]+(?=/))?(?:/|per|an?|each)\s*(?:hour|hr|h)\b", re.IGNORECASE)
# "~2.5 min per image for a dermatologist", "90 seconds an item": how long one item takes, so how many fit in an hour.
_TIME_PER_ITEM = re.compile(rf"(?:{NUM})\s*(?P<unit>minutes?|mins?|seconds?|secs?)\s*(?:/|per|an?|each|for each|for an?)\s*"
                            rf"(?:[a-z-]+\s+)?(?:{_ITEMS})\b", re.IGNORECASE)


def _pace_from_time(text: str) -> float | None:
    """Items an hour from the time one item takes ("2.5 min per image" is 24 an hour); None when none is said."""
    for m in _TIME_PER_ITEM.finditer(text):
        v = _value(m)
        if v:
            return (60.0 if m["unit"].lower().startswith("min") else 3600.0) / v
    return None


# "each read by two radiologists", "double-labelled", "labelled twice": people's passes over each item.
_PASSES = re.compile(r"\b(?:by|from)\s+(?P<n>two|three|2|3)\s+(?:[a-z-]+\s+)?"
                     r"(?:radiologists?|annotators?|labell?ers?|reviewers?|readers?|doctors?|experts?|people|"
                     r"clinicians?|raters?|pathologists?)\b|\b(?P<double>double)[- ]?(?:read|labell?ed|annotated|"
                     r"reviewed|checked)|\b(?:read|labell?ed|annotated|reviewed)\s+(?P<twice>twice)\b", re.IGNORECASE)
_N = {"two": 2, "three": 3, "2": 2, "3": 3}
_MONTHS_PER = {"day": 1 / 30.4, "week": 7 / 30.4, "month": 1.0, "quarter": 3.0, "year": 12.0}


class Priced(BaseModel):
    """One price per unit times the units it applies to."""

    kind: str  # gpu_hours | gpu_hours_used | seats | items | machines | people | capex
    count: float
    count_text: str  # the units as the asker wrote them ("8×H100", "25 seats", "120k chest X-rays")
    price: float
    price_text: str  # the price as written ("$2.50/GPU-hr")
    currency: str
    monthly: float | None = None  # a running cost per month
    total: float | None = None  # a one-off cost (items with no period)
    side: str  # own (GPUs, machines, people, in-house work) | vendor (seats, a service's price per item)
    assumed: str = ""  # what the sum takes for granted ("around the clock", "if that is a monthly seat price")
    priced_unit: str = ""  # the machine an hourly price is for, as written ("8x H100 node"), when it is not one GPU's
    passes: int = 1  # people's passes over each item
    clause: str  # the sentence the price came from


def _amount(m: re.Match) -> float:
    value = float(m["amount"].replace(",", ""))
    return value * _MULT.get((m["amult"] or "").lower(), 1)


def _currency(m: re.Match) -> str:
    cur = m["cur"].strip().lower()
    return currency_sign(cur)


def _count(pattern: re.Pattern, sentence: str, texts: list[str], price: str) -> tuple[float, str] | None:
    """The units a price applies to: counted in its own sentence, else the largest count in the conversation (the
    price itself left out: "$1,200 per user" counts no users)."""
    for scope in ([sentence], texts):
        found = [(v, m.group(0).strip()) for t in scope for m in pattern.finditer(t.replace(price, " "))
                 if (v := _value(m))]
        if found:
            return max(found) if scope is texts else found[0]
    return None


# "2 x 8-H100 servers", "two 8xH100 nodes", "3 servers with 8 A100s each": machines of so many GPUs each.
_PER_MACHINE = re.compile(rf"(?:(?P<machines>\d+|two|three|four|five|six|eight|ten)\s*(?:x|×)?\s*)?(?P<gpus>\d+)\s*(?:-|x|×)?"
                          rf"\s*(?P<name>{GPU_NAMES})\s+(?:[a-z]+\s+)?(?:servers?|nodes?|boxes|box|machines?|"
                          r"instances?|hosts?)\b", re.IGNORECASE)


def _machine_priced(part: str, price: str) -> tuple[float, float, str] | None:
    """(machines, GPUs in each, as written) when an hourly price follows the machine it is for ("a rented 8x H100
    node from CoreWeave (~$49/hr)"); None when the price is not a machine's."""
    before = part[:part.find(price)] if price in part else part
    last = None
    for last in _PER_MACHINE.finditer(before):
        pass
    if last is None or re.search(r"\beach\b|\bper (?:gpu|card)\b", part[last.end():], re.IGNORECASE):
        return None
    machines, gpus = count_of(last["machines"] or "1"), float(last["gpus"])
    noun = last.group(0).split()[-1].lower().rstrip("s")
    noun = "box" if noun == "boxe" else noun
    said = f"one {gpus:g}x {last['name']} {noun}" if machines == 1 else \
        f"{machines:g} {gpus:g}x {last['name']} {noun}{'es' if noun == 'box' else 's'}"
    return machines, gpus, said


def _gpu_count(sentence: str, texts: list[str], price: str) -> tuple[float, str] | None:
    """The GPUs a GPU-hour price applies to, like `_count`, where "2 x 8-H100 servers" counts 16 GPUs, not 8."""
    def found(text: str) -> list[tuple[float, str]]:
        text = text.replace(price, " ")
        at: list[tuple[int, float, str]] = []
        for m in _PER_MACHINE.finditer(text):
            machines = m["machines"] or "1"
            n = count_of(machines) * float(m["gpus"])
            name = "GPUs" if m["name"].lower().startswith("gpu") else m["name"].rstrip("sS") + "s"
            at.append((m.start(), n, f"{n:g} {name}"))
        spans = [m.span() for m in _PER_MACHINE.finditer(text)]
        at += [(g.start(), v, g.group(0).strip()) for g in _GPUS.finditer(text)
               if (v := _value(g)) and not any(a <= g.start() < b for a, b in spans)]
        return [(n, said) for _, n, said in sorted(at)]
    for scope in ([sentence], texts):
        counts = [f for t in scope for f in found(t)]
        if counts:
            return max(counts) if scope is texts else counts[0]
    return None


# "buy our own 8x A100 server for $250k", "purchasing two DGX boxes at $300k each": hardware bought once.
_CAPEX = re.compile(r"\b(?:buy|buying|bought|purchas\w*|own|selling|sells)\s+(?P<what>(?:our own\s+|an?\s+|the\s+|(?P<n>\d+|two|three|four)"
                    r"\s+)?[^$€£.;,?!(]{0,40}?)\s*(?:for|at|costing|(?:would|will|should|could|might) cost|costs?|,|\()\s*"
                    r"(?:(?:quoted|priced|listed|offered)\s+(?:to us\s+)?(?:at\s+)?)?(?:about\s+|around\s+|roughly\s+|~\s*)?" + _MONEY +
                    r"(?P<each>\s*each)?(?!\s*(?:/|per|a|an)\s*(?:month|mo|year|yr|hour|hr|h|gpu|seat|image|item)\b)",
                    re.IGNORECASE)
# "a quote of about $320k for an 8xH100 server", "an 8-GPU box would cost $250k": the price first, or the machine
# first with a one-off cost, where no "buy" stands before it.
_HW = r"(?:servers?|boxes|box|nodes?|dgx\w*|cluster|hardware|machines?|rigs?|workstations?)"
_CAPEX_QUOTE = re.compile(r"\b(?:quote[ds]?|quotation|priced|offer(?:ed)?|price tag)\b[^$€£.;?!]{0,25}?" + _MONEY +
                          r"(?!\s*(?:/|per|a|an)\s*(?:month|mo|year|yr|hour|hr|h|gpu|seat)\b)\s+(?:for|on)\s+"
                          rf"(?P<what>(?:an?\s+|the\s+|one\s+|(?P<n>\d+|two|three|four)\s+)?[^$€£.;,?!(]{{0,40}}?\b{_HW}(?:\s+{_HW})?)\b|"
                          rf"(?P<what2>(?:an?|the|one)\s+[^$€£.;,?!(]{{0,30}}?\b{_HW})\s+(?:would|will|should|could|might)?\s*"
                          r"costs?\s+(?:us\s+)?(?:about\s+|around\s+|roughly\s+|~\s*)?" +
                          _MONEY.replace("?P<cur>", "?P<cur2>").replace("?P<amount>", "?P<amount2>").replace("?P<amult>", "?P<amult2>") +
                          r"(?!\s*(?:/|per|a|an)\s*(?:month|mo|year|yr|hour|hr|h|gpu|seat)\b)", re.IGNORECASE)
_PRONOUN = re.compile(r"them|these|those|they|it|that|the same(?: gpus| cards| machines)?", re.IGNORECASE)


def capex(texts: list[str]) -> Priced | None:
    """Hardware bought once ("buy our own 8x A100 server for $250k"), as a one-off total; None when none is told."""
    for text in (_GLUED.sub(r"\1 ", code_first(t)) for t in texts):
        for sentence in _SENTENCES.split(text):
            m = _CAPEX.search(sentence)
            if m and _PRONOUN.fullmatch((m["what"] or "").strip()) and (told := list(_GPUS.finditer(text[:text.find(sentence)]))):
                # "We rent 64 H100s ... Buying them would cost $1.9M": the machines are the ones counted before.
                return Priced(kind="capex", count=1.0, count_text=told[-1].group(0), price=_amount(m),
                              price_text=m.group(0)[m.start("cur") - m.start():].strip(), currency=_currency(m),
                              monthly=0.0, total=_amount(m), side="own", clause=sentence)
            if m and _GPUS.search(m["what"] or "") or m and re.search(r"\b(?:servers?|boxes|box|nodes?|dgx|cluster|"
                                                                      r"hardware|machines?)\b", m["what"] or "", re.IGNORECASE):
                price = _amount(m)
                what = m["what"].strip()
                # "Buy option: 8 HGX H100 servers at about $310k each": the count follows a label.
                labelled = re.match(r"^[a-z ]{1,20}:\s*(?P<n>\d+|two|three|four|five|six|eight|ten)\s+", what, re.IGNORECASE)
                if labelled:
                    what = what[what.index(":") + 1:].strip()
                n = m["n"] or (labelled["n"] if labelled else "")
                count = count_of(n or "1") if m["each"] else 1.0
                extra, extras = _extras(sentence[m.end():])
                return Priced(kind="capex", count=count, count_text=what + extras, price=price,
                              price_text=m.group(0)[m.start("cur") - m.start():].strip(), currency=_currency(m),
                              monthly=0.0, total=price * count + extra, side="own", clause=sentence)
            if q := _CAPEX_QUOTE.search(sentence):
                named = "" if q["what"] else "2"
                amount = float(q["amount" + named].replace(",", "")) * _MULT.get((q["amult" + named] or "").lower(), 1)
                return Priced(kind="capex", count=1.0, count_text=q["what" + named].strip(), price=amount,
                              price_text=q.group(0), currency=currency_sign(q["cur" + named]),
                              monthly=0.0, total=amount, side="own", clause=sentence)
    return None


# "... at $290k each plus ~$60k of networking and storage": one-off costs that come with the machines.
_PLUS = re.compile(r"^\s*,?\s*(?:plus|and|\+|with)\s+(?:another\s+|about\s+|around\s+|roughly\s+|~\s*)?" + _MONEY +
                   r"(?!\s*(?:/|per|a|an)\s*(?:month|mo|year|yr|hour|hr|h|gpu|seat)\b)(?P<what>\s+(?:of|for|in)\s+[a-z &-]{0,40}?(?=\s*(?:,|\band\s+(?:another\s+|about\s+|around\s+|~\s*)?[$€£]|\bplus\b|\+|[.;?!]|$)))?",
                   re.IGNORECASE)


# "plus InfiniBand and storage about $450k": what comes first, then its one-off price.
_PLUS_NAMED = re.compile(r"^\s*,?\s*(?:plus|\+)\s+(?P<what>[a-z][a-z &/-]{1,40}?)\s+(?:at\s+|for\s+|of\s+)?(?:about\s+|around\s+|"
                         r"roughly\s+|~\s*)?" + _MONEY + r"(?!\s*(?:/|per|a|an)\s*(?:month|mo|year|yr|hour|hr|h|gpu|seat|rack)\b)",
                         re.IGNORECASE)


def _extras(rest: str) -> tuple[float, str]:
    """The one-off costs said right after a machine's price ("plus ~$60k of networking", "plus InfiniBand and storage
    about $450k"), and what they buy (" and the networking"; '' when not said)."""
    total, names = 0.0, []
    while m := _PLUS.match(rest) or _PLUS_NAMED.match(rest):
        total += _amount(m)
        if m["what"]:
            names.append(re.sub(r"^\s*(?:of|for|in)\s+", "", m["what"]).strip())
        rest = rest[m.end():]
    return total, (" and the " + " and ".join(names)) if names else (" and the extras" if total else "")


# "our own Kubernetes cluster", "our own EKS nodes" are owned in the cloud, not machines bought; "each model on its own
# endpoint on GPU instances" owns nothing.
# "We own 48 A100s" tells what is already theirs, not an option to buy; "buy our own GPUs" weighs one.
_HARDWARE = re.compile(r"\b(?:buy|buying|bought|purchas\w*|(?<!its )(?<!their )(?<!we )(?<!already )(?<!i )own|owning)\b(?:(?!\b(?:kubernetes|k8s|eks|gke|aks|aws|gcp|"
                       r"azure|cloud)\b)[^.?!;]){0,30}\b(?:nodes?(?![.]?js\b| (?:backend|service|app|api|code|server)s?\b)|servers?|gpus?|boxes|"
                       r"h100s?|a100s?|h200s?|l40s?|dgx\w*|hardware|cluster)\b|\bcolo(?:cate|cated|cation)?\b|"
                       r"\bbare[- ]metal\b", re.IGNORECASE)


def hardware_option(texts: list[str]) -> bool:
    """Whether buying machines is one of the options weighed ("buy 4 nodes of 8xH100 and colocate them"); "our own
    gateway in our Node backend" speaks of Node.js, not of machines."""
    return any(_HARDWARE.search(t) for t in texts)


def priced(texts: list[str]) -> list[Priced]:
    """Every price per unit in the asker's messages, multiplied by the units they said they have, oldest first; a
    later message's prices of one kind replace the earlier ones (see `_latest`)."""
    texts = [_GLUED.sub(r"\1 ", code_first(t)) for t in texts]
    per_message: list[list[Priced]] = []
    corrects: list[bool] = []
    for text in texts:
        corrects.append(bool(_CORRECTS.search(text)))
        found: list[Priced] = []
        for sentence in _SENTENCES.split(text):
            found += _machines(sentence, texts) + _people(sentence)
            for m in _UNIT_PRICE.finditer(sentence):
                if got := _unit(m, sentence, texts):
                    found.append(got)
        if not any(p.kind == "people" for p in found):
            found += _people_apart(text)
        per_message.append(found)
    return _latest(per_message, corrects)


# "Correction: ...", "the $1.85 was their spot price", "actually it's $2.60", "the revised quote": a message that
# corrects a figure told before.
_CORRECTS = re.compile(r"\b(?:correct(?:ion|ions|ed)|actually|sorry|instead|revised|updated|turns? out|i meant|"
                       r"(?:that|it|this) was (?:the|their|our|a|an|just)|was (?:only )?(?:their|the|our) [a-z-]+ "
                       r"(?:price|rate|quote))\b", re.IGNORECASE)


def _latest(per_message: list[list[Priced]], corrects: list[bool]) -> list[Priced]:
    """Every price, except where a later message corrects those of one kind: then only that message's count ("the
    $1.85 was spot; the reserved quote is $2.60" is no second bill to add), and of its prices, one it only repeats
    from before is a reference to the old figure, dropped beside a new one. A message that corrects nothing adds its
    prices to the earlier ones (a second vendor's seat price weighed against the first)."""
    out: list[Priced] = []
    for kind in dict.fromkeys(p.kind for found in per_message for p in found):
        messages = [[p for p in found if p.kind == kind] for found in per_message]
        last = max(i for i, found in enumerate(messages) if found)
        earlier = {p.price for found in messages[:last] for p in found}
        new = [p for p in messages[last] if p.price not in earlier]
        corrected = last > 0 and earlier and (corrects[last] or len(new) < len(messages[last]))
        out += (new or messages[last]) if corrected else [p for found in messages for p in found]
    return sorted(out, key=lambda p: next(i for i, found in enumerate(per_message) if p in found))


# "The node quote is ~$62k/month ... We'd want two nodes": a price for one machine, and how many elsewhere.
_ONE_MACHINE = re.compile(r"\b(?:the|a|an|one|per|each|every|single)\s+(?:[a-z0-9.-]+\s+)?(?P<noun>node|server|box|"
                          r"machine|instance)\b", re.IGNORECASE)
_MONTHLY = re.compile(_MONEY + r"\s*(?:/|per|a)\s*(?P<per>month|mo|year|yr)\b", re.IGNORECASE)


def _machines(sentence: str, texts: list[str]) -> list[Priced]:
    out = []
    one = _ONE_MACHINE.search(sentence)
    if one and not _MACHINES.search(sentence):
        noun = one["noun"].lower()
        plural = re.compile(rf"(?:{NUM})\s+(?:[a-z0-9.-]+\s+)?{noun}e?s\b", re.IGNORECASE)
        many = max(((v, c.group(0)) for t in texts for c in plural.finditer(t) if (v := _value(c)) and v >= 2),
                   default=None)
        for m in _MONTHLY.finditer(sentence) if many else ():
            monthly = _amount(m) / 12 if m["per"].lower() in ("year", "yr") else _amount(m)
            out.append(Priced(kind="machines", count=many[0], count_text=many[1], price=monthly,
                              price_text=m.group(0).strip(), currency=_currency(m), monthly=many[0] * monthly,
                              side="own", clause=sentence))
    for m in _MACHINES.finditer(sentence):
        n, price = _value(m), _amount(m)
        if not n or n < 2:
            continue  # one machine's price is already the monthly figure
        monthly = price / 12 if m["per"].lower() in ("year", "yr") else price
        out.append(Priced(kind="machines", count=n, count_text=m["what"], price=monthly, price_text=m.group(0)[m.start("cur") - m.start():].strip(),
                          currency=_currency(m), monthly=n * monthly, side="own", clause=sentence))
    return out


# "An MLOps engineer costs us MXN 1,300,000 per year fully loaded": one person's year, said apart from who is needed.
_ENGINEER_YEAR = re.compile(r"\b(?:an?|one|each|per)\s+(?:[a-z-]+\s+){0,2}?(?:engineers?|sres?|developers?|devs?|ftes?|"
                            r"persons?|hires?)\b[^.;?!$€£]{0,40}?" + _MONEY + r"\s*(?:/|per|a)\s*(?:year|yr|annum)\b",
                            re.IGNORECASE)
# Who is needed, with no price beside it: part of a person, or someone hired or set to run it.
_RUNS_IT = re.compile(r"\b(?:to (?:run|operate|maintain|look after|own|support) (?:it|them|this|that)|hire|hiring|"
                      r"dedicated)\b", re.IGNORECASE)


def _people_apart(text: str) -> list[Priced]:
    """People needed in one sentence ("plus half of an MLOps engineer to run it") priced by one person's loaded year
    said in another ("An MLOps engineer costs us MXN 1,300,000 per year")."""
    rate = next(_ENGINEER_YEAR.finditer(text), None)
    if rate is None:
        return []
    out = []
    for sentence in _SENTENCES.split(text):
        if rate.group(0) in sentence or _PEOPLE.search(sentence) or _PEOPLE_ANNUAL.search(sentence):
            continue
        for m in re.finditer(_WHO, sentence, re.IGNORECASE):
            raw = re.sub(r"^half\s+of\s+", "half ", m["fte"].lower())
            share = _FRACTIONS.get(raw) if raw in _FRACTIONS else float(raw) if raw[0].isdigit() else None
            if not share or share > 5 or share >= 1 and not _RUNS_IT.search(sentence):
                continue
            yearly = _amount(rate)
            out.append(Priced(kind="people", count=share, count_text=m["what"], price=yearly,
                              price_text=rate.group(0)[rate.start("cur") - rate.start():].strip(),
                              currency=_currency(rate), monthly=share * yearly / 12, side="own", clause=sentence))
    return out


def _people(sentence: str) -> list[Priced]:
    out = []
    found = list(_PEOPLE.finditer(sentence))
    for m in found or _PEOPLE_ANNUAL.finditer(sentence):
        raw = re.sub(r"^half\s+of\s+", "half ", m["fte"].lower())
        share = _FRACTIONS.get(raw) if raw in _FRACTIONS else float(raw)
        if not share or share > 50:
            continue
        yearly = _amount(m)
        out.append(Priced(kind="people", count=share, count_text=m["what"], price=yearly, price_text=m.group(0)[m.start("cur") - m.start():].strip(),
                          currency=_currency(m), monthly=share * yearly / 12, side="own", clause=sentence))
    return out


_LIST_PARTS = re.compile(r",\s*(?=plus\b|and\b|as well as\b)|;\s*|\s+plus\s+")  # "A at $x, plus B at $y": two items


def _unit(m: re.Match, sentence: str, texts: list[str]) -> Priced | None:
    price, cur = _amount(m), _currency(m)
    base = {"price": price, "price_text": m.group(0).strip(), "currency": cur, "clause": sentence}
    per = (m["per"] or "").lower()
    # The part of the sentence the price sits in says whose hour it is: "two L40S at EUR 1.60 per hour each, plus one
    # ML engineer we would hire" prices the GPUs; the engineer is the next item of the list.
    part = next((p for p in _LIST_PARTS.split(sentence) if m.group(0) in p), sentence)
    hour_of_gpu = m["gpu_hour"] or (m["hour"] and _GPUS.search(part) and not _PERSON.search(part))
    if hour_of_gpu:
        used = _count(_GPU_HOURS_USED, sentence, texts, m.group(0))
        if used is not None:
            # "3,000 A100 GPU-hours a month at $1.80": the hours they use, not GPUs kept busy around the clock.
            return Priced(kind="gpu_hours_used", count=used[0], count_text=used[1], monthly=used[0] * price,
                          side="own", **base)
        machine = None if m["gpu_hour"] else _machine_priced(part, m.group(0))
        if machine is not None:
            # "a rented 8x H100 node (~$49/hr quoted)": the hour is the machine's, not each GPU's.
            machines, gpus_each, said = machine
            return Priced(kind="gpu_hours", count=machines * gpus_each, count_text=said, priced_unit=said,
                          monthly=machines * price * HOURS_PER_MONTH, side="own", assumed="around the clock", **base)
        gpus = _gpu_count(sentence, texts, m.group(0))
        if gpus is None:
            return None
        if gpus[0] > 1 and price >= GPU_HOUR_PRICE_BELOW and not m["gpu_hour"] and \
                not re.search(r"\beach\b|\bper (?:gpu|card)\b", part, re.IGNORECASE):
            plural = "" if gpus[1].endswith("s") else "s"
            return Priced(kind="gpu_hours", count=gpus[0], count_text=gpus[1], priced_unit=f"a machine with {gpus[1]}{plural}",
                          monthly=price * HOURS_PER_MONTH, side="own", assumed="around the clock", **base)
        return Priced(kind="gpu_hours", count=gpus[0], count_text=gpus[1], monthly=gpus[0] * price * HOURS_PER_MONTH,
                      side="own", assumed="around the clock", **base)
    if m["gpu_licence"]:
        gpus = _gpu_count(sentence, texts, m.group(0))
        if gpus is None:
            return None
        monthly = price / 12 if per in ("year", "yr", "annum") else price
        return Priced(kind="seats", count=gpus[0], count_text=gpus[1], monthly=gpus[0] * monthly, side="vendor",
                      assumed="" if per else "if that is a monthly price per GPU", **base)
    if m["seat"]:
        seats = _count(_SEATS, sentence, texts, m.group(0))
        if seats is None:
            return None
        monthly = price / 12 if per in ("year", "yr", "annum") else price
        return Priced(kind="seats", count=seats[0], count_text=seats[1], monthly=seats[0] * monthly, side="vendor",
                      assumed="" if per else "if that is a monthly price per seat", **base)
    message = " ".join(t for t in texts if sentence in t)
    if m["hour"] and (_PERSON.search(part) or not _GPUS.search(sentence) and _PERSON.search(message)):
        return _person_hours(m, sentence, texts, base)
    if m["item"]:
        items = _items(sentence, texts, exclude=m.group(0))
        if items is None:
            return None
        n, said, months = items
        return Priced(kind="items", count=n, count_text=said, side="vendor",
                      **({"monthly": n * price / months} if months else {"total": n * price}), **base)
    return None


def _items(sentence: str, texts: list[str], exclude: str = "") -> tuple[float, str, float | None] | None:
    """How many items there are to do, as written, and over how many months when they come with a period."""
    for scope in ([sentence], texts):
        found = []
        for t in scope:
            for m in _ITEM_COUNT.finditer(t.replace(exclude, " ") if exclude else t):
                v = _value(m)
                if v and v >= 100:  # "2 labels" is no workload; counts of work run in the hundreds and up
                    months = _MONTHS_PER[m["per"].lower()] if m["per"] else None
                    found.append((v, m.group(0).strip(), months))
        if found:
            return max(found, key=lambda f: f[0])
    return None


def _person_hours(m: re.Match, sentence: str, texts: list[str], base: dict) -> Priced | None:
    """People paid by the hour who get through so many items an hour: a price per item, times the items."""
    # The pace may be said in the next sentence ("in our pilot they averaged 45 reads per hour").
    rest = sentence[m.end():] + " " + sentence[:m.start()] + " " + " ".join(t.replace(m.group(0), " ") for t in texts if sentence in t)
    pace = next((v for t in _THROUGHPUT.finditer(rest) if (v := _value(t))), None)
    each = None if pace else next((m.group(0) for m in _TIME_PER_ITEM.finditer(rest) if _value(m)), None)
    pace = pace or _pace_from_time(rest)
    items = _items(sentence, texts)
    if not pace or items is None:
        return None
    n, said, months = items
    passes = next((_N.get((p["n"] or "").lower(), 2) for t in texts for p in [_PASSES.search(t)] if p), 1)
    cost = n * passes * base["price"] / pace
    return Priced(kind="items", count=n, count_text=said, side="own", passes=passes,
                  assumed=f"{each.strip()} ({pace:.3g} an hour)" if each else f"{pace:g} an hour", **({"monthly": cost / months} if months else {"total": cost}), **base)


# "each run maybe 3 days on 8 GPUs", "10 hours on 8 H100s", "8 GPUs for two days": how long one run holds how many GPUs.
_COUNT = r"\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|ten|twelve|sixteen"
_HOURS_IN = {"hour": 1, "day": 24, "week": 168}  # keyed by _unit_hours
_RUN = re.compile(rf"(?P<dur>{_COUNT})\s*(?P<unit>hours?|hrs?|h|days?|weeks?)\s+(?:(?:each|every|a|per)\s+(?:week|month|quarter|year)\s+)?(?:each\s+)?on\s+(?P<gpus>\d+)\s*(?:x\s*)?"
                  rf"(?:[a-z0-9]+\s+)?(?:{GPU_NAMES})\b|(?P<gpus2>\d+)\s*(?:x\s*)?(?:{GPU_NAMES})\s+for\s+(?:about\s+|around\s+)?"
                  rf"(?P<dur2>{_COUNT})\s*(?P<unit2>hours?|hrs?|h|days?|weeks?)\b", re.IGNORECASE)
# "a fine-tune every month", "roughly once a month", "twice a quarter", "weekly": how often a run happens.
_PER_MONTH = {"week": 52 / 12, "month": 1.0, "quarter": 1 / 3, "year": 1 / 12}
_OFTEN = re.compile(r"\b(?:(?P<n>once|twice|one|two|three|four|\d+)\s+(?:runs?\s+|times\s+|jobs?\s+)?(?:a|per|each|every)\s+"
                    r"(?P<per>week|month|quarter|year)|every\s+(?P<every>week|month|quarter|year)|"
                    r"(?P<adv>weekly|monthly|quarterly|yearly))\b", re.IGNORECASE)
_ADVERB = {"weekly": "week", "monthly": "month", "quarterly": "quarter", "yearly": "year"}


def gpu_use(texts: list[str]) -> tuple[float, float, str] | None:
    """GPU-hours a month their runs take, the GPUs one run holds, and how they said it ("3 days on 8 GPUs, every
    month"); None unless they told both a run's length and how often it runs."""
    for text in (_GLUED.sub(r"\1 ", t) for t in texts):
        run = _RUN.search(text)
        often = _OFTEN.search(text)
        if not run or not often:
            continue
        gpus = float(run["gpus"] or run["gpus2"])
        hours = count_of(run["dur"] or run["dur2"]) * _HOURS_IN[_unit_hours(run["unit"] or run["unit2"])]
        if often["n"]:
            n = often["n"].lower()
            per_month = count_of(n) * _PER_MONTH[often["per"].lower()]
        else:
            per_month = _PER_MONTH[(often["every"] or _ADVERB[often["adv"].lower()]).lower()]
        return gpus * hours * per_month, gpus, f"{run.group(0).strip()}, {often.group(0).strip()}"
    return None


# "we used the GPUs about 40% of the time", "utilisation was ~35%", "busy 40% of the time", "idle 60% of the time".
_USE = re.compile(r"(?:\b(?:used|using|use|busy|utili[sz](?:ed|ation)|occupied|running|ran|in use|loaded)\b[^.;?!%]{0,40}?"
                  r"(?P<used>\d{1,3}(?:\.\d+)?)\s*%|(?P<used2>\d{1,3}(?:\.\d+)?)\s*%\s*(?:gpu\s+)?(?:utili[sz]ation|"
                  r"use|usage|busy|of the time)|\bidle\b[^.;?!%]{0,25}?(?P<idle>\d{1,3}(?:\.\d+)?)\s*%)", re.IGNORECASE)
_GPU_WORDS = re.compile(rf"\b(?:{GPU_NAMES}|cards?|cluster|machines?|nodes?|servers?|boxes|instances?|compute)\b",
                        re.IGNORECASE)


def gpu_utilisation(texts: list[str]) -> tuple[float, str] | None:
    """The share of the time their GPUs are busy, as a fraction and as said ("about 40% of the time"), from the
    latest message that tells it; None when none does."""
    for text in reversed(texts):
        for sentence in _SENTENCES.split(text):
            m = _USE.search(sentence)
            if not m or not _GPU_WORDS.search(sentence):
                continue
            if m["idle"]:
                share = 1 - float(m["idle"]) / 100
            else:
                share = float(m["used"] or m["used2"]) / 100
            if 0 < share < 1:
                return share, m.group(0).strip()
    return None


def _unit_hours(unit: str) -> str:
    u = unit.lower()
    return "day" if u.startswith("day") else "week" if u.startswith("week") else "hour"
