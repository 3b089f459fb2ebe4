"""The asker's own numbers run through the cost model: what building would cost over their horizon, against buying."""

from __future__ import annotations

import math
import re

from ..compose import Citations, Context
from ..models import Section
from ..quantities import GPU_NAMES, WRITTEN_CURRENCY, count_of, currency_sign, extract
from ..tco import clauses, inputs_from_text, project
from ..unit_prices import HOURS_PER_MONTH, Priced, capex, gpu_use, gpu_utilisation, priced
from .phrasing import cap, named_in

# The inputs an asker can give; a projection needs one of DECIDING (a horizon alone would leave every figure ours).
ASKER_INPUTS = ("build_engineers", "build_months", "vendor_month", "horizon_months", "loaded_cost_year",
                "maintenance_share", "maintenance_growth", "infra_month", "vendor_growth")
# "grows 10% a year", "price rises 5% annually": a growth the asker gave for the bought side's price.
_PRICE_GROWTH = re.compile(r"(?P<pct>\d+(?:\.\d+)?)\s*%\s*(?:a|per|each|every)\s*year|(?:grow\w*|ris\w*|increas\w*|up)\s+"
                           r"(?:by\s+)?(?:about\s+|roughly\s+|~\s*)?(?P<pct2>\d+(?:\.\d+)?)\s*%\s*(?:a|per|each|every)?\s*"
                           r"(?:year|annually)", re.IGNORECASE)
DECIDING = ("build_engineers", "build_months", "vendor_month", "loaded_cost_year")
# A currency the asker writes money in: a sign, or a code before a figure ("DKK 950,000"; "CAD drawings" is no money).
_CURRENCY = WRITTEN_CURRENCY
# "would cut the bill by 40%", "saves about 30% of the spend", "40% cheaper": what the other way still pays.
_CUT = re.compile(r"\b(?:cut|cuts|reduce|reduces|lower|lowers|save|saves|saving|trim|trims|slash|slashes)\b[^.;?!%]{0,40}?"
                  r"\b(?:by\s+)?(?:about\s+|around\s+|roughly\s+|~\s*)?(?P<pct>\d{1,2})\s*%|(?P<pct2>\d{1,2})\s*%\s+"
                  r"(?:cheaper|less|lower|savings?)\b", re.IGNORECASE)


def _money(value: float, unit: str) -> str:
    """"$470k", "€1.2M", "₩3.46B", "9,500": rounded the way people say sums."""
    if value >= 1e9:
        return f"{unit}{value / 1e9:.2f}".rstrip("0").rstrip(".") + "B"
    if value >= 1e6:
        return f"{unit}{value / 1e6:.1f}M".replace(".0M", "M")
    if value >= 1e5:
        return f"{unit}{round(value / 1e3):,}k"
    if value >= 1e4:
        return f"{unit}{value / 1e3:.1f}".rstrip("0").rstrip(".") + "k"
    return f"{unit}{round(value, -2):,.0f}"


def _price(value: float, unit: str) -> str:
    """"$2.50", "$50", "$190k": a price per unit as people write it."""
    if value < 100:
        return f"{unit}{value:,.2f}".replace(".00", "")
    return f"{unit}{value:,.0f}" if value < 1e4 else _money(value, unit)


_TIMES = {2: "twice", 3: "three times"}


def _described(p: Priced, said_before: str = "", vendor: str = "") -> str:
    """"8 H100s at $2.50 a GPU-hour around the clock come to about $14.6k a month": one price times its units
    (`said_before`: units already named in the same sentence are "the same")."""
    u = p.currency
    # "One ML engineer we would hire" opened the asker's sentence; inside ours it is "one ML engineer".
    told = re.sub(r"^(One|Two|Three|Four|Five|Six|Eight|Ten|Twelve)\b", lambda m: m.group(1).lower(), p.count_text)
    p = p.model_copy(update={"count_text": told})
    one = bool(re.match(r"(?:one|a|an|1)\b", p.count_text, re.IGNORECASE))
    what = p.count_text if p.count_text.lower().endswith("s") or p.kind != "gpu_hours" or one else p.count_text + "s"
    if p.kind == "gpu_hours" and one and not p.priced_unit:
        # "one H100 at $2.40 a GPU-hour around the clock comes to ...": one machine, one verb.
        return f"{what} at {_price(p.price, u)} a GPU-hour around the clock comes to {_price(p.monthly, u)} a month"
    if p.kind == "gpu_hours_used":
        return f"{p.count_text} at {_price(p.price, u)} a GPU-hour come to {_price(p.monthly, u)} a month"
    if p.kind == "gpu_hours" and p.priced_unit:
        return f"{p.priced_unit} at {_price(p.price, u)} an hour around the clock comes to {_price(p.monthly, u)} a month"
    if p.kind == "gpu_hours":
        return f"{what} at {_price(p.price, u)} a GPU-hour around the clock come to {_price(p.monthly, u)} a month"
    if p.kind == "machines":
        return f"{what} at {_price(p.price, u)} a month each come to {_price(p.monthly, u)} a month"
    if p.kind == "people":
        return f"{what} at {_price(p.price, u)} a year is about {_price(p.monthly, u)} a month"
    if p.kind == "seats":
        what = f"{what} of {vendor}" if vendor else what
        if re.search(r"\b(?:year|yr|annum)\b", p.price_text, re.IGNORECASE):
            # Priced by the year ("US$3,500 per GPU per year"): the year is the sum they will recognise.
            return f"{what} at {_price(p.price, u)} each a year come to {_money(p.monthly * 12, u)} a year"
        return f"{what} at {_price(p.price, u)} each come to {_price(p.monthly, u)} a month" + (
            f" ({p.assumed})" if p.assumed else "")
    cost = f"about {_money(p.total, u)}" if p.total is not None else f"about {_money(p.monthly, u)} a month"
    what = f"the same {what.split()[-1]}" if what == said_before else what
    if p.side == "own":
        each = f" done {_TIMES.get(p.passes, f'{p.passes} times')} each" if p.passes > 1 else ""
        return f"{what}{each}, at {p.assumed} for {_price(p.price, u)} an hour, come to {cost} of people's time"
    return f"{what} at {vendor + chr(39) + 's ' if vendor else ''}{_price(p.price, u)} each come to {cost}"


def _own_side(units: list[Priced]) -> list[Priced]:
    """The running costs of doing it yourselves; of two prices for the same units ("$62k/month on-demand, $38k/month
    with a commit") the lower."""
    best: dict[tuple[str, str], Priced] = {}
    for p in units:
        if p.side == "own" and p.monthly and ((p.kind, p.count_text) not in best or
                                             p.monthly < best[p.kind, p.count_text].monthly):
            best[p.kind, p.count_text] = p
    return list(best.values())


def already_said(ctx: Context, text: str) -> bool:
    """Whether `text` already multiplies out one of the asker's prices per unit."""
    text = text.replace(" comes to ", " come to ")  # "renting 16 H100s ... comes to" says the same multiplication
    return any(_described(p) in text or _described(p, "", _seller(ctx, p)) in text for p in priced(_texts(ctx)))


def _seller(ctx: Context, p: Priced) -> str:
    """The product of this row a bought price belongs to, when its sentence names exactly one."""
    products = ctx.decision.component.buy if ctx.decision.component and p.side == "vendor" else []
    named = [o.name for o in products if named_in(o, p.clause)]
    return named[0] if len(named) == 1 else ""


def untitled(said: str) -> str:
    """"On your numbers, 25 seats ..." under a "Your numbers" heading: "25 seats ..."."""
    rest = re.sub(r"^On your numbers,? ", "", said)
    return rest[:1].upper() + rest[1:]


def multiplied(ctx: Context, cites: Citations) -> str:
    """The asker's prices per unit times their units ("25 seats at $50"), and which side costs less when both sides
    are priced, cited; '' when they gave no price per unit."""
    everything = priced(_texts(ctx))
    own = _own_side(everything)
    units = [p for p in everything if p.side != "own" or not p.monthly or p in own][:4]
    if not units:
        return ""
    u = units[0].currency
    said = "On your numbers, " + "; ".join(_described(p, units[i - 1].count_text if i else "", _seller(ctx, p))
                                           for i, p in enumerate(units))
    for basis, tail in (("total", ""), ("monthly", " a month")):
        own = sum(getattr(p, basis) for p in units if p.side == "own" and getattr(p, basis))
        bought = sum(getattr(p, basis) for p in units if p.side == "vendor" and getattr(p, basis))
        if own and bought:
            less = "less" if own < bought else "more"
            said += (f", so doing it yourselves costs about {_money(abs(bought - own), u)}{tail} {less} than buying, "
                     f"before the tooling and the people who run it")
            break
    else:
        said += _token_break_even(ctx, units)
    # Arithmetic on the asker's own figures: no note states it, so none is cited for it.
    return said + "."


def _token_break_even(ctx: Context, units: list) -> str:
    """With only their own GPUs priced and their token volume told ("1.1B tokens a month"), the price per million
    tokens under which a hosted API costs less: the number to hold providers' price lists against."""
    own = sum(p.monthly for p in units if p.side == "own" and p.monthly)
    tokens = next((q for q in ctx.state.quantities if q.kind == "tokens_per_day"), None)
    if not own or tokens is None or any(p.side == "vendor" for p in units) or tokens.value <= 0:
        return ""
    signs = list(dict.fromkeys(p.currency for p in units if p.side == "own" and p.monthly))
    bill = next((q for q in ctx.state.quantities if q.kind == "money_per_month"), None)
    written = _CURRENCY.search(bill.text) if bill is not None else None
    bill_sign = currency_sign(written.group(0)) if written else units[0].currency
    unit, said_rate = units[0].currency, ""
    if len(signs) > 1 or bill_sign != unit:
        rates = _stated_rates(ctx)
        # The currency they ask the sum in ("per year, in CAD"), else the one most of their figures are in.
        unit = _asked_currency(ctx, {*signs, bill_sign}) or signs[0]
        if any(s != unit and (s, unit) not in rates for s in {*signs, bill_sign}):
            # GPUs priced in $ and people in CAD add up to no number: the sum would be in neither currency.
            shown = " and ".join(s.strip() for s in dict.fromkeys([*signs, bill_sign]))
            return f"; those come in {shown}, so convert them to one currency before setting them against your bill"
        own = sum(p.monthly * (rates[(p.currency, unit)] if p.currency != unit else 1.0)
                  for p in units if p.side == "own" and p.monthly)
        said_rate = next(f" at your rate of {r:g} {unit.strip()} to the {a.strip()}" for (a, b), r in rates.items()
                         if b == unit and a in {*signs, bill_sign})
    # "2.1B input tokens + 180M output tokens a month" is one volume in two parts: the break-even price is over both.
    told = [q for q in ctx.reading.quantities if q.kind == "tokens_per_day"]
    volume, said = tokens.value, tokens.text
    if len(told) > 1 and all(re.search(r"\b(?:input|output|prompt|completion)\b", q.text, re.IGNORECASE) for q in told):
        volume, said = sum(q.value for q in told), " plus ".join(q.text.strip() for q in told)
    per_million = own / (volume * 30 / 1e6)
    total = f" (about {_money(own, unit)} a month together{said_rate})" if said_rate else ""
    said = (f"{total}, so at {said} a hosted API costs less only while its price, input and output together, stays "
            f"under about {_price(per_million, unit)} per million tokens")
    if bill is not None and bill.value > 0:
        # Their bill over the same tokens is what they pay per million today: the number to hold against it.
        rate = _stated_rates(ctx).get((bill_sign, unit), 1.0) if bill_sign != unit else 1.0
        paid = bill.value * rate
        today = paid / (volume * 30 / 1e6)
        converted = f" ({_price(paid, unit)})" if bill_sign != unit else ""
        said += (f"; your bill of {_price(bill.value, bill_sign)}{converted} a month over those tokens is about "
                 f"{_price(today, unit)} per million")
        if re.search(r"\b(?:per year|a year|each year|annual\w*|yearly|per annum)\b", ctx.question, re.IGNORECASE):
            # "What does each option cost per year?": both sides over twelve months, at today's volume.
            said += (f"; a year at today's volume is about {_money(own * 12, unit)} running it yourselves against "
                     f"{_money(paid * 12, unit)} for the hosted API")
        if today < per_million:
            people = any(p.kind == "people" for p in units if p.side == "own")
            said += (f", so the machines pay only at about {per_million / today:.1f} times today's volume at today's "
                     f"prices" + ("" if people else ", before the people who run them"))
            growth = next((g for text in _texts(ctx) if (g := _monthly_growth(text))), 0.0)
            if 0 < growth < 1:
                months = math.log(per_million / today) / math.log(1 + growth)
                said += f"; growing {growth * 100:g}% a month, your volume gets there in about {months:.0f} months"
    return said


# "1 USD = 1.38 CAD", "1 EUR is about 1.08 USD": a rate the asker gives, to add their figures in one currency.
_RATE = re.compile(r"\b1\s*(?P<a>[a-z]{3}|[$€£])\s*(?:=|is|equals|~|≈|to|:)\s*(?:about |roughly |~\s*)?"
                   r"(?P<rate>\d+(?:[.,]\d+)?)\s*(?P<b>[a-z]{3}|[$€£])\b", re.IGNORECASE)


def _stated_rates(ctx: Context) -> dict[tuple[str, str], float]:
    """Exchange rates the asker stated, both ways, keyed by the signs sums are written in ("$", "CAD ")."""
    rates: dict[tuple[str, str], float] = {}
    for text in _texts(ctx):
        for m in _RATE.finditer(text):
            a, b = currency_sign(m["a"]), currency_sign(m["b"])
            r = float(m["rate"].replace(",", "."))
            if a != b and r > 0:
                rates[(a, b)], rates[(b, a)] = r, 1 / r
    return rates


def _asked_currency(ctx: Context, signs: set[str]) -> str:
    """The currency a question asks the sum in ("what does each cost per year, in CAD?"), among `signs`."""
    for m in re.finditer(r"\bin (?P<c>[a-z]{3}|[$€£])\b", ctx.reading.question, re.IGNORECASE):
        sign = currency_sign(m["c"])
        if sign in signs:
            return sign
    return ""



def _over(months: float) -> str:
    """"a year" for a sum over twelve months, else "over three years"."""
    return "a year" if months == 12 else f"over {_span(months)}"


def _span(months: float) -> str:
    if months % 12 == 0:
        years = int(months // 12)
        return {1: "one year", 2: "two years", 3: "three years", 4: "four years", 5: "five years"}.get(
            years, f"{years} years")
    return f"{months:g} months"


def _currency(ctx: Context) -> str:
    """The currency sign the asker writes money in ("$", "€"), '' when none."""
    sign = next((m.group(0) for t in _texts(ctx) for m in [_CURRENCY.search(t)] if m), "")
    return currency_sign(sign) if sign else ""


def convert_note(ctx: Context) -> str:
    """" Your figures come in $ and €: convert them ..." when the asker's money comes in two currencies, else ''."""
    signs = list(dict.fromkeys(currency_sign(m.group(0)).strip() for t in _texts(ctx)
                               for m in _CURRENCY.finditer(t)))
    if len(signs) < 2:
        return ""
    # "€95k a year each ... an Arize quote of $42k": a sum adds them as one currency.
    return f" Your figures come in {' and '.join(signs)}: convert them to one currency before relying on that sum."


def _cut_share(ctx: Context) -> float | None:
    """The share of today's bill a proposed move says it would save ("cut the bill by 40%" -> 0.4); None if unsaid."""
    for text in reversed(_texts(ctx)):
        if m := _CUT.search(text):
            share = float(m["pct"] or m["pct2"]) / 100
            return share if 0 < share < 1 else None
    return None


def _texts(ctx: Context) -> list[str]:
    """What the asker said in this conversation, oldest first (their numbers may come before the question)."""
    return [q for q, _ in ctx.history] + [ctx.question]


def loaded_cost(ctx: Context) -> tuple[float, bool]:
    """One engineer's loaded yearly cost: the asker's figure when they gave one (True), else the placeholder, or 0
    when the placeholder means nothing in the currency they write money in ("PKR 200k a year" for an engineer)."""
    theirs = given_numbers(ctx).get("loaded_cost_year")
    if theirs:
        return theirs, True
    return (ctx.loaded_cost_year if _placeholder_fits(ctx) else 0.0), False


def _placeholder_fits(ctx: Context) -> bool:
    """Whether the placeholder salary reads as a plausible figure in the currency they write money in."""
    return ctx.tco is None or _currency(ctx) in ctx.tco.placeholder_currencies


def _currency_of(ctx: Context, per_year: float) -> str:
    """The currency sign of the money they wrote for this yearly figure ("€70,000 a year"), else their first one."""
    for t in _texts(ctx):
        for c in clauses(t):
            for q in extract(c):
                if q.kind == "money_per_month" and abs(q.value * 12 - per_year) < 1 and (m := _CURRENCY.search(q.text)):
                    return currency_sign(m.group(0))
    return _currency(ctx)


def engineer_share(ctx: Context, per_year: float) -> str:
    """A yearly price as a share of one engineer's loaded year, and which year ("about 20% of one engineer's loaded
    year at your $150k a year"); '' without a loaded cost to set it against."""
    from ..hosting import share_of_engineer

    loaded, theirs = loaded_cost(ctx)
    if not loaded:
        return ""
    at = f"at your {_price(loaded, _currency_of(ctx, loaded))} a year" if theirs else \
        f"at a placeholder {loaded:,.0f} a year (use your own figure)"
    return f"{share_of_engineer(per_year, loaded)} {at}"


# "Can you calculate yearly TCO of both options?", "what would each cost per year?": sums over one year.
_PER_YEAR_ASKED = re.compile(r"\b(?:yearly|annual|annually|per year|a year|each year|every year|per annum|p\.?a\.?)\b"
                             r"(?![^?]*\bover\b)", re.IGNORECASE)


def _horizon(ctx: Context, given: dict[str, float]) -> int:
    """The months a sum runs over: the horizon they gave, else one year when the question asks per year, else the
    default."""
    if "horizon_months" in given:
        return int(given["horizon_months"])
    asking = [s for s in re.split(r"(?<=[.!?])\s+", ctx.reading.question) if s.rstrip().endswith("?")]
    if any(_PER_YEAR_ASKED.search(s) for s in asking):
        return 12
    return int(ctx.tco.defaults["horizon_months"].value if ctx.tco else 36)


def given_numbers(ctx: Context) -> dict[str, float]:
    """The cost inputs the asker stated in this conversation (never the defaults)."""
    if ctx.tco is None:
        return {}
    found = inputs_from_text(_texts(ctx)).model_dump(exclude_none=True)
    return {k: v for k, v in found.items() if k in ASKER_INPUTS}


def _quotes(ctx: Context) -> list[tuple[str, float]]:
    """Prices per month the asker gave for products of this row, each with the product named in its clause
    ("Databricks quote is $310k/year, Azure ML we estimate at ~$140k/year")."""
    options = ctx.decision.component.buy
    out: list[tuple[str, float]] = []
    for text in _texts(ctx):
        for clause in clauses(text):
            named = [o for o in options if named_in(o, clause)]
            monthly = [q.value for q in extract(clause) if q.kind == "money_per_month"]
            if len(named) == 1 and monthly and named[0].name not in (n for n, _ in out):
                out.append((named[0].name, monthly[0]))
    return out


def projection(ctx: Context, cites: Citations, horizon_enough: bool = False,
               build_side: bool = False, own_side: str = "") -> tuple[str, Section | None] | None:
    """A sentence comparing building and buying over the asker's horizon, cited, and the placeholders it rests on;
    None when the asker gave none of the numbers a projection needs (`horizon_enough`: a cost question that names
    its horizon, "over three years", or asks for figures outright, is answered on labelled placeholders;
    `build_side`: only when they said what the build would take)."""
    given = given_numbers(ctx)
    if ctx.decision.component is None or not (any(k in given for k in DECIDING) or horizon_enough and (
            "horizon_months" in given or ctx.reading.asks_numbers)):
        return None
    if build_side and not any(k in given for k in ("build_engineers", "build_months", "loaded_cost_year")):
        return None  # beside a verdict, a sum whose build side is all placeholders says less than the quote itself
    quotes = _quotes(ctx)
    kept = ""
    if quotes:
        # A price given for a named product is that product's, not the built system's servers.
        given.pop("vendor_month", None)
        if given.get("infra_month") in {v for _, v in quotes}:
            given.pop("infra_month")
        if "infra_month" not in given and len(quotes) == 1 and (cut := _cut_share(ctx)):
            # "Moving off it would cut the bill by 40%": the built side still pays the other 60% for its compute.
            given["infra_month"] = quotes[0][1] * (1 - cut)
            kept = f"the {1 - cut:.0%} of today's bill you would still pay for compute"
    if quotes or "vendor_month" in given:
        # A price they were quoted is that price: it grows only if they said so ("rises 5% a year").
        grown = next((m for t in _texts(ctx) for m in [_PRICE_GROWTH.search(t)] if m), None)
        given["vendor_growth"] = float(grown["pct"] or grown["pct2"]) / 100 if grown else 0.0
    # Moving off a product they pay for today: its bill runs on until what replaces it is built.
    names = {o.name for o in ctx.decision.component.buy if o.doc in ctx.state.running}
    replacing = bool(quotes) and len(quotes) == 1 and quotes[0][0] in names
    values, build, buy = project(given, ctx.tco, replacing)
    runs = [project({**given, "vendor_month": monthly}, ctx.tco, replacing) for _, monthly in quotes]
    if replacing:
        build = runs[0][1]  # the build side carries today's bill until the move is done
    if "loaded_cost_year" not in given and not _placeholder_fits(ctx):
        # "PKR 200k a year" for an engineer is no placeholder anyone could use: without their own salary figure,
        # a sum in a currency the placeholder was not set in would mislead.
        return None
    unit = _currency(ctx)
    months = int(values["horizon_months"])
    team = values["build_engineers"]
    who = f"{team:g} engineer{'s' if team != 1 else ''}"
    who = who if "build_engineers" in given else f"a placeholder team of {who}"
    if "loaded_cost_year" not in given and build_side:
        # A sum beside a verdict, with no section of placeholders under it, says where it rests on an assumed salary.
        who += f" at a placeholder loaded {_price(values['loaded_cost_year'], unit)} a year each (use your own figure)"
    paid = [x for x in (kept, f"{quotes[0][0]} until the move is done" if replacing else "") if x]
    plus = f", plus {' and '.join(paid)}," if paid else ""
    doing = own_side or f"Building {'the replacement' if replacing else 'it'}"
    said = (f"{doing} with {who}{plus} comes to about "
            f"{_money(build[-1], unit)} over {_span(months)}")
    if quotes:
        totals = [(name, run[2][-1], monthly) for (name, monthly), run in zip(quotes, runs, strict=True)]
        said += ", against " + " and ".join(f"about {_money(total, unit)} for {name} at {_money(monthly, unit)} a month"
                                            for name, total, monthly in totals)
        best = min([("running it yourselves" if own_side else "building", build[-1]),
                    *((name, total) for name, total, _ in totals)], key=lambda t: t[1])
        cheapest = f"staying on {best[0]}" if replacing and best[0] == quotes[0][0] else best[0]
        said += f", so {cheapest} is the cheapest on these numbers"
    elif "vendor_month" in given:
        named = [o.name for o in ctx.decision.component.buy if o.doc in ctx.plan.vendors]
        vendor = named[0] if len(named) == 1 else "the bought option"
        cheaper = "buying" if buy[-1] < build[-1] else "building"
        gap = abs(build[-1] - buy[-1])
        said += (f", against about {_money(buy[-1], unit)} for {vendor} at {_money(given['vendor_month'], unit)} "
                 f"a month, so {cheaper} is cheaper by about {_money(gap, unit)}")
    else:
        # With no price for the bought side, the price below which buying is cheaper is the number to take to vendors.
        said += f"; buying is cheaper over that time at any price under about {_money(build[-1] / months, unit)} a month"
    said += "." + cites.support("total cost of ownership maintenance operational staff upkeep", "key-factors",
                                "total cost")
    said += convert_note(ctx)
    # Every default the projection used is shown as an assumption to replace, with the reason it was chosen.
    placeholders = []
    # The maintenance's yearly growth is shown too: without it the sum cannot be rebuilt from the lines under it.
    shown_fields = ("build_months", "loaded_cost_year", "maintenance_share", "maintenance_growth", "buy_setup_weeks")
    for field in shown_fields:
        if field in given or (field == "buy_setup_weeks" and ("vendor_month" not in given and not quotes or replacing)) or (
                field == "build_months" and given.get("maintenance_share") == 1.0) or (
                field == "maintenance_growth" and (months <= 12 or not values.get("maintenance_share"))):
            continue  # theirs, or not used: no buy price to add a setup to, a payroll that never "launches", no later year
        d = ctx.tco.defaults[field]
        shown = f"{d.value:.0%}" if d.value < 1 else _money(d.value, unit) if d.value >= 1000 else f"{d.value:g}"
        placeholders.append(f"*{d.label[:1].upper()}{d.label[1:]}: {shown}.* {d.why}" + cites.support(d.why, d.note))
    section = Section(kind="facts", title="Placeholders in that sum (replace them with yours)",
                      items=placeholders) if placeholders else None
    return said, section


def build_effort(ctx: Context) -> bool:
    """Whether the asker said what a build would take ("2 engineers for 6 months")."""
    return any(q.kind == "build_engineers" for t in _texts(ctx) for q in extract(t)) or \
        "build_months" in given_numbers(ctx)


# "$3,200/month on the API, growing 10% a month" against "$14k/month for the GPUs": a bill that grows against a flat
# alternative, the comparison self-hosting and owning hardware come down to.
_GROWTH = re.compile(r"(?P<pct>\d+(?:\.\d+)?)\s*%\s*(?:(?:per|a|each|every|/)\s*)?(?P<per>month|mo\b|year|yr\b|quarter)|"
                     r"(?P<pct2>\d+(?:\.\d+)?)\s*%\s*(?:month[- ]over[- ]month|mom\b|m/m)", re.IGNORECASE)
_BILL = re.compile(r"\b(?:api|apis|bill|billed|spend|spending|invoices?|usage|hosted|openai|anthropic|tokens?)\b", re.IGNORECASE)
_PAYS = re.compile(r"\b(?:pay|pays|paying|paid)\b", re.IGNORECASE)
_QUOTED = re.compile(r"\b(?:quote[ds]?|quoting|charges?|priced|pricing|list price)\b", re.IGNORECASE)
_OWN = re.compile(r"\b(?:gpus?|h100s?|a100s?|nodes?|servers?|cluster|self[- ]?host\w*|colo\w*|hardware|setup|boxes)\b",
                  re.IGNORECASE)
_SPEND = re.compile(r"\b(?:bill|billed|spend|spent|spending|invoices?|commit\w*|edp|budget|cap|salary|salaries|"
                    r"payroll|loaded|went from|grew|growing)\b", re.IGNORECASE)
# Growth told in words rather than as a rate ("doubles in year 2", "scales linearly with vectors").
_CHANGES = re.compile(r"\b(?:doubl\w*|tripl\w*|scales? (?:up )?linearly|grows? (?:with|by|to)|growing to)\b", re.IGNORECASE)


# "have an external agency build a custom chat app (quoted EUR 85,000 + EUR 2,500/month)": a price for having it built
# is the build side's cost, not a product's price.
_COMMISSIONED = re.compile(r"\b(?:agency|agencies|contractors?|consultanc(?:y|ies)|consultants?|freelancers?|integrators?|"
                           r"outsourc\w*|dev shop|software house)\b[^.;!?]{0,60}\b(?:build|builds|building|develop\w*|"
                           r"write|writes|implement\w*|custom|bespoke)\b", re.IGNORECASE)


def is_price_quote(ctx: Context, said: str) -> bool:
    """Whether the money written `said` is a price for a product of this row (quoted, or named beside it), not a
    bill, a commitment or a budget."""
    products = ctx.decision.component.buy if ctx.decision.component else []
    for text in _texts(ctx):
        for sentence in re.split(r"(?<=[.;!?])\s+", text):
            for clause in clauses(sentence):
                if said in clause:
                    named = any(named_in(o, clause) for o in products)
                    return bool(_QUOTED.search(clause) or named) and not _SPEND.search(clause) and \
                        not _COMMISSIONED.search(sentence)
    return False


def _monthly_growth(text: str) -> float:
    m = _GROWTH.search(text)
    if m is None:
        return 0.0
    if m["pct2"]:
        return float(m["pct2"]) / 100
    per = m["per"].lower()
    pct = float(m["pct"]) / 100
    return pct if per.startswith("mo") else (1 + pct) ** (1 / 3) - 1 if per == "quarter" else (1 + pct) ** (1 / 12) - 1


# Growth told year by year: "the vector count doubles in year 2", "traffic triples by year 3", "grows 50% in year 2".
_YEAR_STEP = re.compile(r"\b(?P<how>doubl\w*|tripl\w*|quadrupl\w*|(?:grows?|growing|rises?|increases?)\s+(?:by\s+)?"
                        r"(?P<pct>\d+(?:\.\d+)?)\s*%|(?P<times>\d+(?:\.\d+)?)\s*x)\s+(?:in|by|during|from|for)\s+"
                        r"(?:the\s+)?(?:year\s+(?P<year>\d)|(?P<ordinal>second|third|fourth|fifth)\s+year)\b", re.IGNORECASE)
_ORDINAL = {"second": 2, "third": 3, "fourth": 4, "fifth": 5}
# Yearly compounding told as a rate: "grows 40% a year", "50% yearly growth".
_YEARLY = re.compile(r"\b(?:grows?|growing|rises?|increases?)\s+(?:by\s+)?(?:about\s+|~\s*)?(?P<pct>\d+(?:\.\d+)?)\s*%\s*"
                     r"(?:a|per|each|every)\s+year\b|(?P<pct2>\d+(?:\.\d+)?)\s*%\s*(?:yearly|annual|year-over-year|yoy)\s+"
                     r"growth\b", re.IGNORECASE)
# The people who run it are said not to grow with the volume ("the same SRE time", "no extra headcount").
_PEOPLE_FLAT = re.compile(r"\b(?:same|flat|unchanged|constant)\s+(?:\w+\s+){0,2}?(?:time|headcount|staff|effort|fte|people)\b|"
                          r"\bno (?:extra|more|additional) (?:people|headcount|staff)\b", re.IGNORECASE)


def yearly_steps(texts: list[str], months: int) -> list[float] | None:
    """How much the usage is each year against today, from growth told year by year or as a yearly rate ("doubles
    in year 2 and stays flat in year 3" over three years: [1, 2, 2]); None when no such growth is told."""
    years = max(1, -(-months // 12))
    factor = [1.0] * years
    told = False
    for text in texts:
        for m in _YEAR_STEP.finditer(text):
            year = int(m["year"] or _ORDINAL.get((m["ordinal"] or "").lower(), 0))
            how = m["how"].lower()
            step = 2.0 if how.startswith("doubl") else 3.0 if how.startswith("tripl") else 4.0 if \
                how.startswith("quadrupl") else 1 + float(m["pct"]) / 100 if m["pct"] else float(m["times"])
            if 2 <= year <= years:
                told = True
                for y in range(year - 1, years):
                    factor[y] *= step
        for m in _YEARLY.finditer(text):
            rate = float(m["pct"] or m["pct2"]) / 100
            told = True
            factor = [f * (1 + rate) ** y for y, f in enumerate(factor)]
    return factor if told else None


def _stepped(ctx: Context, bill: float, bill_name: str, own_units: list[Priced], alt: float, own: list[float],
             months: int, steps: list[float], unit: str) -> str:
    """The bill and the own side summed with the usage growing year by year: the bill and the machines grow with it,
    the people who run it stay as they are; the assumption is said."""
    units_used = own_units and alt == own[-1]
    people = sum(p.monthly for p in own_units if p.kind == "people") if units_used else 0.0
    machines = alt - people
    paid = sum(bill * steps[m // 12] for m in range(months))
    ours = sum(machines * steps[m // 12] + people for m in range(months))
    growth = ", ".join(f"{f:g}x in year {y + 1}" for y, f in enumerate(steps) if y) or "flat"
    priced_as = f"{bill_name} at {_price(bill, unit)} a month today" if bill_name != "the bill" else \
        f"the bill of {_price(bill, unit)} a month today"
    said = (f"On your numbers, with the usage at {growth} against today, {priced_as} comes to about "
            f"{_money(paid, unit)} over {_span(months)}, against about {_money(ours, unit)} for running it yourselves")
    if units_used:
        said += ", where " + " and ".join(_described(p) for p in own_units)
    said += (f"; that takes {bill_name} and the {'machines' if units_used else 'running costs'} to grow with the "
             f"usage" + (" and the people's time to stay the same" if people else "") + ". ")
    cheaper, gap = ("running it yourselves", paid - ours) if ours < paid else (bill_name, ours - paid)
    said += f"{cap(cheaper)} costs about {_money(gap, unit)} less over the {_span(months)}"
    said += "." if people else ", before the engineers who would run it."
    return said


_RUNNING = re.compile(r"\b(?:power|electricity|colo\w*|rack\w*|hosting|data ?cent(?:er|re)s?|cooling|support contract)\b",
                      re.IGNORECASE)


_PAYING = re.compile(r"\b(?:pay|paying|paid|spend|spent|costs?|costing|rent\w*)\b", re.IGNORECASE)
# "our cloud GPU bill is around $3,500/month", "we pay Lambda $9k a month for A100s": what renting costs today.
_RENTS = re.compile(r"\b(?:rent|rents|renting|rented|lease|leases|leasing)\b[^.;?!]{0,40}\b(?:gpus?|"
                    rf"{GPU_NAMES})", re.IGNORECASE)
_RENTED = re.compile(rf"\b(?:{GPU_NAMES}|compute|instances?|cloud|rent\w*|lambda|coreweave|runpod|modal)\b", re.IGNORECASE)


# "Our OpenAI bill is around 7,200,000 VND per month": a hosted model's bill is the rent that owned machines replace.
_API_BILL = re.compile(r"\b(?:api|apis|openai|anthropic|bedrock|gemini|mistral|together|fireworks|groq|tokens?)\b",
                       re.IGNORECASE)


def _gpu_bill(texts: list[str], bought: Priced) -> tuple[float, str] | None:
    """The monthly bill for rented GPUs the asker told, as (amount, how they said it); None when they told none."""
    for text in texts:
        for clause in clauses(text):
            if clause in bought.clause or not ((_RENTED.search(clause) or _API_BILL.search(clause))
                                               and (_BILL.search(clause) or _PAYING.search(clause))):
                continue
            monthly = [q for q in extract(clause) if q.kind == "money_per_month"]
            if monthly:
                return monthly[0].value, monthly[0].text.strip()
    if any(_RENTS.search(text) for text in texts):
        # "We rent 32 H100s from a cloud provider ... The bill is about ₩96 million per month.": the bill is told in a
        # sentence of its own, after the renting.
        for text in texts:
            for clause in clauses(text):
                # "We rent GPUs for training and pay about $12k a month": the payment cut from the renting by "and".
                if clause in bought.clause or _RUNNING.search(clause) or not (_BILL.search(clause) or _PAYING.search(clause)):
                    continue
                monthly = [q for q in extract(clause) if q.kind == "money_per_month"]
                if monthly:
                    return monthly[0].value, monthly[0].text.strip()
    return None


_GPU_COUNT = re.compile(rf"\b(?:(?:a|one|two|three|\d+) (?:rack|racks|cluster|set) of )?\d[\d,]*\s*(?:x\s*)?(?:{GPU_NAMES})s?\b",
                        re.IGNORECASE)
_GIVEN = re.compile(r"\b(?:for free|free of charge|at no cost|without charge|donated|gifted|lent|loaned|"
                    r"offered (?:us|to lend|to give))\b", re.IGNORECASE)


def _given_hardware(ctx: Context, texts: list[str]) -> Priced | None:
    """Machines given or lent to them ("a partner offered us a rack of 32 H100s for free"), as a purchase of nothing;
    None unless they own hardware that a sentence says costs them nothing to have."""
    if "owns-hardware" not in ctx.state.facts:
        return None
    for text in texts:
        for sentence in re.split(r"(?<=[.;!?])\s+", text):
            if _GIVEN.search(sentence) and (m := _GPU_COUNT.search(sentence)):
                cur = next((currency_sign(c.group(0)) for t in texts if (c := WRITTEN_CURRENCY.search(t))), "")
                return Priced(kind="capex", count=1.0, count_text=m.group(0), price=0.0, price_text="", currency=cur,
                              monthly=0.0, total=0.0, side="own", clause=sentence)
    return None


def rent_against_own(ctx: Context, cites: Citations) -> str:
    """Renting (GPU-hours or a monthly bill) summed over the asker's horizon against hardware bought once plus what it
    costs to keep it running, with the month buying pays for itself; '' unless they priced both."""
    texts = _texts(ctx)
    bought = capex(texts) or _given_hardware(ctx, texts)
    if bought is None:
        return ""
    rented = [p for p in priced(texts) if p.kind in ("gpu_hours_used", "gpu_hours")]
    bill = None if rented else _gpu_bill(texts, bought)
    if not rented and not bill:
        return ""
    if len(rented) == 1 and rented[0].kind == "gpu_hours" and not rented[0].priced_unit and (use := gpu_use(texts)):
        # "we train ~2 weeks every month on 8x H100 at $2.49/gpu-hr": the rent is for the hours they run, not the
        # month around the clock.
        hours, _, told = use
        p = rented[0]
        rented = [p.model_copy(update={"kind": "gpu_hours_used", "count": hours, "monthly": hours * p.price,
                                       "count_text": f"{hours:,.0f} GPU-hours a month ({told.split(', ')[0]})"})]
    rent = sum(p.monthly for p in rented) if rented else bill[0]
    rent_unit = rented[0].currency if rented else bought.currency
    running = 0.0
    for text in texts:
        for sentence in re.split(r"(?<=[.;!?])\s+", text):
            for clause in clauses(sentence):
                # "We'd only pay colocation + power, about USD 9k/month": a figure cut from its words by a comma
                # counts under its sentence when that sentence names running costs and no renting.
                if _RUNNING.search(clause) or (_RUNNING.search(sentence) and not _RENTED.search(sentence)):
                    running += sum(q.value for q in extract(clause) if q.kind == "money_per_month")
    given = given_numbers(ctx)
    months = _horizon(ctx, given)
    unit = bought.currency
    rate = _stated_rates(ctx).get((rent_unit, unit)) if rent_unit and unit and rent_unit != unit else None
    if rate:
        rent, rent_unit = rent * rate, unit  # "1 USD = 0.92 EUR": the rent in the currency the machines are priced in
    what = re.sub(r"^our own\b[:,]?\s*", "", bought.count_text)  # "buy our own: 64 H100s for ~$2.3M"
    what = what[0].lower() + what[1:] if re.match(r"(?:an?|the|two|three|four)\b", what, re.IGNORECASE) else f"the {what}"
    if rented:
        # "renting 64 H100s ... comes to": the renting is the subject, not the GPUs.
        renting = " and ".join(_described(p) for p in rented).replace(" come to ", " comes to ")
        said = f"On your numbers, renting {renting}, about {_money(rent * months, unit)}"
    else:
        told = next((c for t in texts for c in clauses(t) if bill[1] in c), "")
        kind = "API" if _API_BILL.search(told) and not _RENTED.search(told) else "GPU"
        said = f"On your numbers, your {kind} bill of {_price(rent, unit)} a month comes to about {_money(rent * months, unit)}"
    if rent_unit and unit and rent_unit != unit:
        # "$2.49/gpu-hr" against "€185k": no sum across currencies without their rate.
        said = said.replace(f"about {_money(rent * months, unit)}", f"about {_money(rent * months, rent_unit)}")
        said += f" over {_span(months)}, against {_money(bought.total, unit)} for {what}"
        said += f" plus {_price(running, unit)} a month to keep it running" if running else ""
        return (said + f". The two sides are in {rent_unit.strip()} and {unit.strip()}: convert at your rate before "
                "weighing them, and count the people who would run the machines.")
    said += f" over {_span(months)}, against {_money(bought.total, unit)} for {what}"
    said += f" plus {_price(running, unit)} a month to keep it running" if running else ""
    own_total = bought.total + running * months
    if not bought.total:
        # Machines given to them: nothing to pay back, only the monthly running cost against the rent.
        if rent <= running:
            return said.replace(f" against {unit}0 for", " against nothing for") + \
                "; at this use renting still costs less every month."
        return (said.replace(f" against {unit}0 for", " against nothing for") +
                f", so running them saves about {_money(rent * months - own_total, unit)} over the {_span(months)}, "
                "before the people who keep them running.")
    if rent <= running:
        return said + "; at this use renting costs less every month, so the hardware never pays for itself."
    back = bought.total / (rent - running)
    if own_total < rent * months:
        said += (f", so owning them costs about {_money(rent * months - own_total, unit)} less over the {_span(months)} and "
                 f"pays for itself after about {back:.0f} months")
    else:
        said += (f", so renting costs about {_money(own_total - rent * months, unit)} less over the {_span(months)}; "
                 f"at this use the hardware pays for itself only after about {back:.0f} months")
    said += ", before the people who would run it" + ("." if running else " and its power and hosting.")
    around_the_clock = bool(rented) and all(p.kind == "gpu_hours" for p in rented)
    used = _at_their_use(texts, rent, own_total, months, unit) if around_the_clock else None
    if used is not None:
        said, rent = f"{said} {used[0]}", used[1]
    if own_total < rent * months and ctx.decision.verdict == "buy":
        # The sum favours owning while the call is to rent: the note's reason is what reconciles the two.
        why = "owning adds buying, housing, powering and replacing the machines, and the people to run them"
        if cite := cites.support(f"steady measured GPU spend reserved committed capacity not owning; {why}",
                                 "training-infrastructure"):
            said += (f" On price alone that favours owning; a steady bill like this is still a case for reserved "
                     f"capacity from a provider rather than machines of your own, because {why}.{cite}")
    return said


def _at_their_use(texts: list[str], rent: float, own_total: float, months: int, unit: str) -> tuple[str, float] | None:
    """Renting only the hours they use, at the share of the time they said their GPUs are busy, and the share above
    which owning costs less, with the monthly rent at that use; None when they gave no share."""
    use = gpu_utilisation(texts)
    if use is None:
        return None
    share = use[0]
    at_use = rent * share
    said = (f"At the {share:.0%} use you measured, paying only for the hours you use would come to about "
            f"{_price(at_use, unit)} a month, {_money(at_use * months, unit)} over {_span(months)}, at that price "
            f"(on-demand prices usually run higher)")
    even = own_total / (rent * months)
    if even >= 1:
        return said + f"; at that price owning never pays for itself within {_span(months)}, however busy the machines.", at_use
    cheaper = "owning still costs less" if share > even else "renting costs less"
    return said + f", so {cheaper}: owning wins only while the GPUs are busy more than about {even:.0%} of the time.", at_use


# "30-40% of one engineer's time on Airflow upgrades", "half an SRE": the people cost of running it yourselves.
_SHARE = re.compile(r"(?:(?P<lo>\d{1,3})\s*%?\s*(?:-|–|to)\s*)?(?P<hi>\d{1,3})\s*%\s+of\s+(?:one|an?|1|our|a single)\s+"
                    r"(?:\w+\s+)?(?:engineer|person|sre|fte|dev(?:eloper)?|admin|ops person)s?(?:'s)?\b|"
                    r"\b(?P<half>half|a third|a quarter) (?:of )?an? (?:\w+ )?(?:engineer|sre|fte|person|admin)\b", re.IGNORECASE)
_FRACTION = {"half": 0.5, "a third": 1 / 3, "a quarter": 0.25}


def their_sum(ctx: Context, cites: Citations) -> str:
    """The sum their own numbers make of a choice that is not a bill against a build: rent against a purchase, else a
    share of an engineer against a managed quote, else people and prices on both sides; '' when they gave none."""
    from .option_sums import option_sums

    # Options they enumerated and priced ("(a) ... (b) ..."), each summed at their own usage, come first.
    return (option_sums(ctx) or ("",))[0] or rent_against_own(ctx, cites) or run_against_quote(ctx, cites) or people_both_ways(ctx, cites) or \
        gpu_use_against_owning(ctx, cites)


def told_sum(ctx: Context, cites: Citations) -> str:
    """Their sum of a choice, or under a call that depends on the money their bill against running it themselves."""
    return their_sum(ctx, cites) or (bill_against_own(ctx, cites) if ctx.decision.verdict == "depends" else "")


def gpu_use_against_owning(ctx: Context, cites: Citations) -> str:
    """How busy machines of their own would be, from how long their runs are and how often they run ("3 days on 8
    GPUs, every month"), when buying hardware is weighed and not priced; '' otherwise."""
    texts = _texts(ctx)
    if not weighs_hardware(ctx) or capex(texts) is not None or (use := gpu_use(texts)) is None:
        return ""
    hours, gpus, said = use
    idle = 1 - min(1.0, hours / (gpus * HOURS_PER_MONTH))
    return (f"On your numbers ({said}), your runs take about {hours:,.0f} GPU-hours a month, so {gpus:g} GPUs of your "
            f"own would sit idle about {idle:.0%} of the time.")


# "building it ourselves would need 2 engineers": a clause about the build side.
_BUILD_SIDE = re.compile(r"\b(?:build\w*|built|ourselves|in-house|in house|our own|homegrown|open[- ]source|diy)\b",
                         re.IGNORECASE)
_RUN_COSTS = re.compile(r"\b(?:cloud|infra\w*|hosting|servers?|compute|storage|clusters?|kubernetes|k8s|nodes?)\b",
                        re.IGNORECASE)
# Who runs what they have: "maintained by a 2-person platform team", "our 3 platform engineers run it".
_RUN_BY = re.compile(r"\b(?:maintained|run|operated|looked after|kept running|supported|managed)\s+by\b|"
                     r"\bplatform (?:team|engineers?)\s+(?:runs?|maintains?|operates?|keeps?)\b", re.IGNORECASE)
# "one of the two platform engineers": the part, not the whole.
_PART_OF = re.compile(r"\b(?P<n>\d+|one|two|three|four)\s+of\s+(?:the|our|those|these|its)\s+(?:\d+|two|three|four|five|six)\b",
                      re.IGNORECASE)


def _engineers(n: float) -> str:
    return f"{n:g} engineer{'s' if n != 1 else ''}"


def people_both_ways(ctx: Context, cites: Citations) -> str:
    """A year of each side on their numbers: the people a build needs at their loaded cost plus its running costs,
    against a product's yearly price plus the people it still needs ("Dataiku for 140k a year and 1 more engineer, or
    2 engineers and 20k of cloud to build it"); '' unless they gave people for the build and a price for the product."""
    comp = ctx.decision.component
    if comp is None or "build_months" in given_numbers(ctx):
        return ""  # a build estimate in months is the cost model's to project, first build then upkeep
    build_people = buy_people = None
    infra = price = 0.0
    product = ""
    priced_products: set[str] = set()
    for text in _texts(ctx):
        for clause in clauses(text):
            named = next((o for o in comp.buy if named_in(o, clause)), None)
            found = extract(clause)
            people = next((q.value for q in found if q.kind == "build_engineers"), None)
            if people is None and (named or _RUN_BY.search(clause)):
                # "maintained by a 2-person platform team", "Databricks says we'd still need one of the two platform
                # engineers": who runs each side, told as a team they have.
                part = _PART_OF.search(clause)
                people = count_of(part["n"]) if part else next((q.value for q in found if q.kind == "engineers"), None)
            monthly = [q.value for q in found if q.kind == "money_per_month"]
            if people is not None and named is not None and buy_people is None:
                buy_people, product = people, product or named.name
            elif people is not None and (_BUILD_SIDE.search(clause) or _RUN_BY.search(clause)) and build_people is None:
                build_people = people
            if monthly and named is not None:
                priced_products.add(named.name)
                if not price:
                    price, product = monthly[0] * 12, named.name
            elif monthly and _RUN_COSTS.search(clause) and not named:
                infra += monthly[0] * 12
    asked = [o for o in comp.buy if o.doc in ctx.plan.vendors]
    if not price and len(asked) == 1 and (quotes := _quotes_a_year(ctx)):
        # "Our team wants Databricks; the quote is €410,000 per year": the one product in play is what was quoted.
        price, product = quotes[-1], asked[0].name
    if build_people is None or not price or len(priced_products) > 1:
        return ""  # several products priced: the cost model weighs each quote against the build
    loaded, theirs = loaded_cost(ctx)
    if not loaded:
        return ""
    unit = _currency(ctx)
    ours = build_people * loaded + infra
    theirs_total = price + (buy_people or 0) * loaded
    kept = bool(_RUN_BY.search(" ".join(_texts(ctx))))  # what they run already, not a build ahead
    said = (f"On your numbers, {'keeping what you run' if kept else 'building'} comes to about {_money(ours, unit)} a "
            f"year ({_engineers(build_people)} at "
            f"{_loaded_at(loaded, theirs, unit)}" + (f", plus {_money(infra, unit)} of running costs" if infra else "") +
            f"), against about {_money(theirs_total, unit)} a year for {product} (its {_money(price, unit)} price" +
            (f" plus {_engineers(buy_people)}" if buy_people else "") + ")")
    months = int(given_numbers(ctx).get("horizon_months", 12))
    if months > 12:
        said += (f"; over {_span(months)} that is about {_money(ours * months / 12, unit)} against "
                 f"{_money(theirs_total * months / 12, unit)}")
    if ours < theirs_total and not kept:
        said += (f", so building costs about {_money(theirs_total - ours, unit)} a year less once it runs, before the "
                 f"months it takes to build and the upkeep that grows with it")
    elif ours < theirs_total:
        # What they run already works: no build months ahead, only its upkeep.
        said += (f", so keeping what you run costs about {_money(theirs_total - ours, unit)} a year less, as long as "
                 f"{_engineers(build_people)} can keep it running and growing")
    elif ours > theirs_total:
        said += f", so buying costs about {_money(ours - theirs_total, unit)} a year less"
    else:
        said += ", so the two are about even"
    return said + "."


_FTE = re.compile(r"(?P<n>\d+(?:[.,]\d+)?)\s*(?:ftes?\b|of an? (?:\w+ )?(?:engineer|fte|person|sre)\b)", re.IGNORECASE)
_SELF_RUN = re.compile(r"\b(?:self[- ]?host\w*|run (?:it )?ourselves|on our (?:own|existing)|in-house|open[- ]source)\b",
                       re.IGNORECASE)
# "$50 per user per month": a seat price; "we are 5 now and will be 12": the seats it is paid for, now and later.
_SEAT_PRICE = re.compile(r"(?P<cur>[$€£]|usd|eur|gbp)\s?(?P<amount>\d+(?:[.,]\d+)?)\s*(?:/|per|a)\s*(?:user|seat|licen[cs]e|"
                         r"editor|developer)\s*(?:/|per|a)\s*(?:month|mo)\b", re.IGNORECASE)
_SEATS_NOW = re.compile(r"\b(?:we are|we're|we have|there are|team of|for)\s+(?P<now>\d+)\b(?:[^.;?!]{0,40}?\b(?:will be|grow(?:ing)? "
                        r"to|up to|rising to|becoming)\s+(?P<later>\d+)\b)?", re.IGNORECASE)
# "2 days a month of an engineer": part of a person's time, priced at their loaded year (about 220 working days).
_DAYS_A_MONTH = re.compile(r"\b(?P<n>\d+(?:[.,]\d+)?|one|two|three|four|five)\s+(?:engineer |person |working )?days?\s+(?:a|per|"
                           r"each|every)\s+month\b", re.IGNORECASE)
WORKING_DAYS_A_YEAR = 220
# "plus someone to run it", "plus an engineer's time": a person the option needs, told without a share of their year.
_SOMEONE = re.compile(r"\bplus (?:someone|somebody|a person|an engineer|people|staff|(?:ops|engineering|engineer) time|"
                      r"the (?:time|people) to run it)\b", re.IGNORECASE)


def _mentions(options, text: str) -> list[tuple[int, int, object]]:
    """Where each option is named in `text`: (start, end, option), in order."""
    found = []
    for o in options:
        for n in (o.name, *o.aliases):
            found += [(m.start(), m.end(), o) for m in re.finditer(rf"\b{re.escape(n)}\b", text, re.IGNORECASE)]
    return sorted(found, key=lambda t: t[0])


def options_a_year(ctx: Context, cites: Citations) -> str:
    """Each option they priced, for a year, when they priced two or more and ask what each costs ("Dagster+ quoted
    €1.850 per month, Astronomer $2,900 per month, or self-hosting Prefect at 0,3 FTE of an engineer"); a share of an
    engineer is priced at the loaded cost they gave. Sums stay in each option's own currency. '' otherwise."""
    if ctx.decision.component is None or not any(
            _PER_YEAR_ASKED.search(s) or re.search(r"\beach\b", s, re.IGNORECASE)
            for s in re.split(r"(?<=[.!?])\s+", ctx.reading.question) if s.rstrip().endswith("?")):
        return ""
    loaded, theirs = loaded_cost(ctx)
    loaded_sign = next((currency_sign(c.group(0)) for t in _texts(ctx) for q in extract(t)
                        if q.kind == "money_per_month" and loaded and abs(q.value * 12 - loaded) < 1
                        and (c := WRITTEN_CURRENCY.search(q.text))), "")
    rows: list[tuple[str, float, str, str]] = []
    seen: set[tuple[str, bool]] = set()  # (product, run by themselves) already priced

    def add(key: tuple[str, bool], row: tuple[str, float, str, str]) -> None:
        rows.append(row)
        seen.add(key)
    for text in _texts(ctx):
        for sentence in re.split(r"(?<=[.;!?])\s+", text):
            at = _mentions(ctx.decision.component.buy, sentence)
            for i, (b, e, o) in enumerate(at):
                # The option runs to the next product named, unless that is the same one again close by ("Astronomer
                # (managed Airflow)").
                nxt = next((b2 for b2, _, o2 in at[i + 1:] if o2 is not o or b2 - e > 20), len(sentence))
                seg = sentence[b:nxt]
                before = sentence[:b]
                # "Qdrant Cloud about €1,900 a month, or self-hosted Qdrant on 3 servers": the same product run by
                # themselves is an option of its own.
                own = bool(_SELF_RUN.search(before[-25:]) or _SELF_RUN.search(sentence[e:e + 25]))
                if (o.doc, own) in seen or (o.doc, False) in seen and not own:
                    continue
                key = (o.doc, own)
                # "Astronomer (managed Airflow) $2,900 per month": the product named before the bracket is the option.
                # "Zilliz Cloud quoted ...": the option as they wrote it, not the product's own name.
                written = sentence[b:e] + (c.group(0) if (c := re.match(r"\s+Cloud\b", sentence[e:])) else "")
                written = written if written[:1].isupper() else o.name
                shown = m.group(1) if (m := re.search(r"\b([A-Z][\w+.-]*)\s*\([^()]*$", before)) else written
                shown = f"{shown} run yourselves" if own and (o.doc, False) in seen else shown
                fte = _FTE.search(seg)
                money = [q for q in extract(seg) if q.kind == "money_per_month" and not (
                    theirs and loaded and abs(q.value * 12 - loaded) < 1)]  # the engineer's loaded year is no price
                seat = _SEAT_PRICE.search(seg)
                days = _DAYS_A_MONTH.search(seg)
                # The seats may be told in the clause after the price ("$50 per user per month; we are 5 now ...").
                n = _SEATS_NOW.search(seg) or _SEATS_NOW.search(text[text.find(sentence) + len(sentence):][:120])
                if seat and n:
                    # "$50 per user per month; we are 5 now and will be 12": the year at today's seats and at the
                    # later count, as a range.
                    price = float(seat["amount"].replace(",", "."))
                    sign = currency_sign(seat["cur"])
                    now, later = int(n["now"]), int(n["later"] or n["now"])
                    # Growing from today's seats to the later count: taken as even growth, so the average seat count.
                    seats = (now + later) / 2
                    add(key, (shown, price * seats * 12, sign, f"{seat.group(0).strip()}, for {now} users now" + (
                        f" and {later} later, taken as growing evenly" if later != now else "")))
                    continue
                # "3 Hetzner servers at €180 a month each": the price of one machine, times the machines.
                many = re.search(r"(?P<n>\d+|two|three|four|five|six|eight|ten)\s+(?:[\w-]+\s+){0,3}?(?:servers?|nodes?|"
                                 r"machines?|vms?|instances?|boxes)\b[^.;]*?" + re.escape(money[0].text.strip()) +
                                 r"\s*each\b", seg, re.IGNORECASE) if money else None
                machines = count_of(many["n"]) if many else 1
                if money and days and theirs and not fte:
                    # "a VM at about €180/month, plus 2 days a month of an engineer": the machine and the time.
                    d = count_of(days["n"].replace(",", "."))
                    people = d * 12 * loaded / WORKING_DAYS_A_YEAR
                    sign = currency_sign(c.group(0)) if (c := WRITTEN_CURRENCY.search(money[0].text)) else _currency(ctx)
                    what = f"{many['n']} machines at {money[0].text.strip()} each" if many else money[0].text.strip()
                    how = (f"{what}, plus {days.group(0)} of an engineer at "
                           f"{_price(loaded, loaded_sign or sign)} a year, about {_money(people, sign)} a year")
                    add(key, (shown, money[0].value * machines * 12 + people, sign, how))
                    continue
                if fte and theirs and (_SELF_RUN.search(seg) or _SELF_RUN.search(before[-40:])):
                    share = float(fte["n"].replace(",", "."))
                    if 0 < share <= 5:
                        add(key, (f"{shown} run yourselves", share * loaded, loaded_sign,
                                     f"{fte.group(0)} at {_price(loaded, loaded_sign)} a year, in engineer time"))
                elif money and not fte:
                    sign = currency_sign(c.group(0)) if (c := WRITTEN_CURRENCY.search(money[0].text)) else _currency(ctx)
                    how = money[0].text.strip()
                    if theirs and loaded and _SOMEONE.search(seg):
                        # "$400/month infra plus someone to run it": the person is part of the price, unpriced; what
                        # each tenth of an engineer adds at their loaded year says how much it can take.
                        tenth = _money(loaded / 10, loaded_sign or sign)
                        how += f", plus someone's time to run it, not in the sum: each tenth of an engineer adds {tenth} a year"
                    add(key, (shown, money[0].value * 12, sign, how))
    if len(rows) < 2:
        return ""
    # "What does each option cost over the next two years?": the horizon they asked for, else one year.
    months = int(given_numbers(ctx).get("horizon_months") or 12)
    parts = [f"{name} about {_money(year * months / 12, sign)} ({how})" for name, year, sign, how in rows]
    said = ("On your numbers, for one year: " if months == 12 else f"On your numbers, {_over(months)}: ") \
        + "; ".join(parts) + "."
    signs = {sign.strip() for _, _, sign, _ in rows}
    same = [r for r in rows if r[2].strip() == rows[0][2].strip()]
    if len(signs) == 1:
        low = min(rows, key=lambda r: r[1])
        gap = (sorted(r[1] for r in rows)[1] - low[1]) * months / 12
        said += f" {low[0]} costs least, by about {_money(gap, low[2])} {_over(months)}."
    elif len(same) >= 2:
        low = min(same, key=lambda r: r[1])
        apart = [r[0] for r in rows if r[2].strip() != low[2].strip()]
        said += (f" Of the options in {low[2].strip()}, {low[0]} costs least; {' and '.join(apart)} "
                 f"{'is' if len(apart) == 1 else 'are'} priced in {' and '.join(sorted(signs - {low[2].strip()}))}: "
                 "convert at your rate before ranking all of them.")
    elif len(rows) == 2:
        # Arithmetic only: which is lower if the two currencies were taken one for one, and by how much.
        low, high = sorted(rows, key=lambda r: r[1])
        said += (f" The two are priced in different currencies: taken one for one, {low[0]} costs less, by about "
                 f"{_money((high[1] - low[1]) * months / 12, low[2])}; convert at your rate before relying on that.")
    if any(name.endswith("run yourselves") and how.endswith("in engineer time") for name, _, _, how in rows):
        said += " Running it yourselves also needs the machines it runs on, which are not in that sum."
    return said


def _quotes_a_year(ctx: Context) -> list[float]:
    """Yearly prices the asker said were quoted, clause by clause in the order they said them."""
    out = []
    for text in _texts(ctx):
        for clause in clauses(text):
            if _QUOTED.search(clause):
                monthly = [q.value for q in extract(clause) if q.kind == "money_per_month"]
                out += [monthly[0] * 12] if monthly else []
    return out


def _loaded_at(loaded: float, theirs: bool, unit: str) -> str:
    """Which loaded engineer-year a sum uses: theirs, or the placeholder (said so)."""
    return f"your loaded {_price(loaded, unit)} a year" if theirs else \
        f"a placeholder loaded {_price(loaded, unit)} a year (use your own figure)"


def run_against_quote(ctx: Context, cites: Citations) -> str:
    """Running it yourselves, told as a share of one engineer ("30-40% of one engineer's time"), against a yearly or
    monthly price quoted for the managed version, with the gap a year; '' unless they gave both."""
    share = quote = None
    for text in _texts(ctx):
        for clause in clauses(text):
            if share is None and (m := _SHARE.search(clause)):
                if m["half"]:
                    share = (_FRACTION[m["half"].lower()],) * 2
                else:
                    hi = float(m["hi"]) / 100
                    share = (float(m["lo"]) / 100 if m["lo"] else hi, hi)
    quotes = _quotes_a_year(ctx)
    quote = quotes[0] if quotes else None
    if share is None or quote is None:
        return ""
    loaded, theirs = loaded_cost(ctx)
    if not loaded:
        return ""
    unit = _currency(ctx)
    lo, hi = share[0] * loaded, share[1] * loaded
    cost = _money(lo, unit) if lo == hi else f"{_money(lo, unit)}-{_money(hi, unit)}"
    pct = f"{share[0]:.0%}" if lo == hi else f"{share[0]:.0%}-{share[1]:.0%}"
    at = _loaded_at(loaded, theirs, unit)
    said = (f"On your numbers, running it yourselves takes {pct} of one engineer, about {cost} a year at {at}, "
            f"against {_money(quote, unit)} a year quoted for the managed version")
    if hi < quote:
        gap = _money(quote - hi, unit) if lo == hi else f"{_money(quote - hi, unit)}-{_money(quote - lo, unit)}"
        said += f", so running it yourselves stays cheaper by about {gap} a year"
    elif lo > quote:
        said += f", so the managed version is cheaper by about {_money(lo - quote, unit)} a year"
    else:
        said += ", so the two are about even"
    return said + ", before the costs self-hosting leaves out below."


def quote_against_running(ctx: Context, cites: Citations) -> str:
    """A price quoted for a product ("renewal came in at $380k/year") against running an open-source one or their own
    instead, when they did not say what running it takes: the quote over their horizon, and how many engineers' loaded
    years it pays for, which is where running it yourselves stops being cheaper; '' without a quote."""
    quotes = _quotes_a_year(ctx)
    quote = quotes[-1] if quotes else None  # the latest ("renewal came in at $380k, up from $210k")
    loaded, theirs = loaded_cost(ctx)
    if quote is None or not loaded:
        return ""
    facts = ctx.vendor_facts or {}
    quoted = {o.doc for o in ctx.decision.component.buy if o.doc in ctx.state.running}
    alt = next((o for o in ctx.decision.component.buy if o.doc in ctx.reading.vendors and o.doc not in quoted
                and (f := facts.get(o.doc)) is not None and f.open_source), None)
    unit = _currency(ctx)
    months = given_numbers(ctx).get("horizon_months")
    over = f", about {_money(quote * months / 12, unit)} over {_span(months)}" if months and months != 12 else ""
    at = _loaded_at(loaded, theirs, unit)
    who = f"{alt.name} costs no licence, so running it yourselves" if alt else "Running it yourselves"
    return (f"On your numbers, the quote of {_money(quote, unit)} a year comes to{over.removeprefix(',') or ' that each year'}. "
            f"{who} is cheaper only while the people who run and extend it cost less: about "
            f"{quote / loaded:.1f} engineers a year at {at}, before the servers it runs on.")


_RENT = re.compile(r"\b(?:rent|rents|renting|rented|pay|paying|on[- ]demand|reserved)\b", re.IGNORECASE)


def weighs_hardware(ctx: Context) -> bool:
    """Whether buying machines is one of the options the conversation weighs ("or buy 4 nodes of 8xH100")."""
    from ..unit_prices import hardware_option

    return hardware_option(_texts(ctx))


def bill_against_hardware(ctx: Context, cites: Citations) -> str:
    """Their monthly bill over the horizon when buying machines is an option they priced no further ("$180k/month on
    AWS ... or buy 4 nodes of 8xH100"), with what the other side needs; '' otherwise."""
    texts = _texts(ctx)
    if not weighs_hardware(ctx) or capex(texts) is not None:
        return ""
    bill = next((q.value for t in texts for c in clauses(t) if _BILL.search(c) or _SPEND.search(c) or _RENT.search(c)
                 for q in extract(c) if q.kind == "money_per_month"), None)
    if bill is None:
        return ""
    given = given_numbers(ctx)
    months = _horizon(ctx, given)
    unit = _currency(ctx)
    return (f"On your numbers, the current {_money(bill, unit)} a month comes to about {_money(bill * months, unit)} "
            f"over {_span(months)}; to set the machines against it you need their purchase price, power and hosting, "
            f"the people who would run them, and how busy they would be between your runs.")


def bill_against_own(ctx: Context, cites: Citations) -> str:
    """A growing bill against a flat price for running it yourselves, summed over the asker's horizon, cited; ''
    unless the asker gave both."""
    if ctx.state.running and _cut_share(ctx) is not None:
        # "Leaving would cut the bill by 35%": the move keeps part of today's bill, which only the projection carries.
        return ""
    bill = growth = None
    bill_name = "the bill"
    own: list[float] = []
    units = priced(_texts(ctx))
    own_units = _own_side(units)
    priced_in = {p.clause for p in units}
    # People priced by a loaded year said in another sentence ("plus half of an MLOps engineer to run it"): the
    # sentence that needs them may price the rest of the same option ("MXN 28,000 per month in EC2 nodes").
    apart = {p.clause for p in own_units if p.kind == "people" and p.price_text not in p.clause}
    beside: list[float] = []
    products = ctx.decision.component.buy if ctx.decision.component else []
    for text in _texts(ctx):
        for sentence in re.split(r"(?<=[.;!?])\s+", text):
            # A price belongs to its clause, what it is the price of may be said earlier in the sentence ("The node
            # quote is ~$62k/month on-demand, ~$38k/month with a 1-year commit").
            for clause in clauses(sentence):
                # The period may be told earlier in the sentence ("Last month: ..., bill about $9,400").
                monthly = [q.value for q in extract(clause) if q.kind == "money_per_month"] or [
                    q.value for q in extract(sentence) if q.kind == "money_per_month" and q.text.strip() in clause]
                if not monthly:
                    continue
                # With the self-hosted side priced, a named product's quote is the bill it is weighed against.
                quoted = own_units and sentence not in {p.clause for p in own_units} and (
                    _QUOTED.search(clause) or any(named_in(o, clause) for o in products))
                # "Today we use the DeepL API Pro and pay roughly EUR 19,000 a month": what is paid for is told
                # in the clause before the payment.
                paid_for = _PAYS.search(clause) and _BILL.search(sentence) and not _OWN.search(clause)
                if (_BILL.search(clause) or quoted or paid_for) and bill is None:
                    bill, growth = monthly[0], _monthly_growth(text)
                    named = [o.name for o in products if named_in(o, clause)]
                    bill_name = named[0] if quoted and len(named) == 1 and not _BILL.search(clause) else "the bill"
                elif _OWN.search(sentence) and not _BILL.search(clause) and sentence not in priced_in:
                    own += monthly
                elif _OWN.search(sentence) and not _BILL.search(clause) and sentence in apart:
                    beside += monthly
    if own_units:
        own.append(sum(p.monthly for p in own_units) + sum(beside))
    if bill is None or not own:
        return ""
    given = given_numbers(ctx)
    months = _horizon(ctx, given)
    alt = min(own)
    unit = _currency(ctx)
    steps = yearly_steps(_texts(ctx), months) if not growth else None
    if steps:
        return _stepped(ctx, bill, bill_name, own_units, alt, own, months, steps, unit)
    paid = sum(bill * (1 + growth) ** m for m in range(months))
    passes = next((m + 1 for m in range(months) if bill * (1 + growth) ** m >= alt), None)
    priced_as = f"{bill_name} at {_price(bill, unit)} a month" if bill_name != "the bill" else \
        f"the bill of {_price(bill, unit)} a month" if not growth else "the bill"
    said = (f"On your numbers {priced_as} comes to about {_money(paid, unit)} {_over(months)}, against about "
            f"{_money(alt * months, unit)} for running it yourselves")
    if own_units and alt == own[-1]:
        said += ", where " + " and ".join(_described(p) for p in own_units) + (
            f", plus the {_money(sum(beside), unit)} a month you gave beside it" if beside else "")
    else:
        said += f" at {_money(alt, unit)} a month"
    gap = bill - alt
    if passes == 1 and not growth and not people_given(own_units, alt, own):
        # The monthly difference is what has to pay for the people who would run it: the number to weigh them against.
        said += (f"; running it yourselves costs about {_money(gap, unit)} a month less from the start, and that "
                 f"difference has to pay for the engineers who would run it.")
        return said + _flat_note(ctx, growth) + convert_note(ctx)
    if passes == 1 and not growth:
        said += f"; running it yourselves costs about {_money(gap, unit)} a month less from the start"
    elif passes == 1:
        said += "; running it yourselves costs less each month from the start"
    elif passes:
        said += (f"; growing {growth:.0%} a month, {bill_name} passes {_money(alt, unit)} a month in month {passes}, so "
                 f"only from then on would your own setup cost less each month")
    else:
        said += f"; {bill_name} stays under {_money(alt, unit)} a month for the whole {_span(months)}" if growth else \
            f", so {bill_name} costs less each month on these numbers"
    people = people_given(own_units, alt, own)
    said += ", with the engineer time you gave." if people else ", before the engineers who would run it."
    if not passes and not growth:
        said += _volume_to_pay(ctx, bill, alt)
    if growth and own_units and alt == own[-1]:
        # A bill that grows with the load, against machines priced at today's size, flatters the machines: the load
        # they carry grows by the same rate, so they would have to grow with it.
        said += (f" The machines are counted at today's size: a bill growing {growth:.0%} a month means the load grows "
                 f"as fast, so they would have to grow with it and the gap is smaller than this sum.")
    return said + _flat_note(ctx, growth) + convert_note(ctx)


def _volume_to_pay(ctx: Context, bill: float, alt: float) -> str:
    """With their token volume told, the volume at which the machines' monthly price equals the bill at today's price
    per token ("at what volume does self-hosting pay?"); '' without a volume."""
    tokens = next((q for q in ctx.state.quantities if q.kind == "tokens_per_day"), None)
    if tokens is None or tokens.value <= 0 or bill <= 0:
        return ""
    monthly = tokens.value * 30 * alt / bill
    times = alt / bill
    return (f" At the price per token you pay now, the machines cost less only above about {_tokens(monthly)} tokens "
            f"a month, {times:.0f} times your {tokens.text}, and only if they can serve that much.") if times >= 3 else (
        f" At the price per token you pay now, the machines cost less only above about {_tokens(monthly)} tokens a "
        f"month, and only if they can serve that much.")


def _tokens(n: float) -> str:
    return f"{n / 1e9:.1f}B" if n >= 1e9 else f"{n / 1e6:.0f}M"


def people_given(own_units: list[Priced], alt: float, own: list[float]) -> bool:
    """Whether the own side summed includes people's time the asker priced ("0.3 FTE at $190k/yr")."""
    return any(p.kind == "people" for p in own_units) and alt == own[-1]


def _flat_note(ctx: Context, growth: float) -> str:
    if not growth and any(_CHANGES.search(t) for t in _texts(ctx)):
        # "the vector count doubles in year 2": a change over time we do not model is said, not silently dropped.
        return " That sum takes today's prices as flat; the growth you describe is not in it."
    return ""


def quotes_against_people(ctx: Context) -> str:
    """Yearly prices they were quoted, set against one engineer's loaded year they gave ("$60-120k a year is about
    40-85% of one engineer at your $140k"); '' unless they gave both. Arithmetic on their figures: no citation."""
    from ..hosting import _PAY

    loaded, theirs = loaded_cost(ctx)
    if not theirs or not loaded:
        return ""
    found = [q for t in _texts(ctx) for c in clauses(t) if not _PAY.search(c)
             for q in extract(c) if q.kind == "money_per_month"]
    if not found:
        return ""
    lo, hi = min(q.value for q in found) * 12, max(q.value for q in found) * 12
    unit = _currency(ctx)
    price = _money(lo, unit) if lo == hi else f"{_money(lo, unit)}-{_money(hi, unit)}"
    share = f"{lo / loaded:.0%}" if lo == hi else f"{lo / loaded:.0%}-{hi / loaded:.0%}"
    paid = [s for t in _texts(ctx) for c in clauses(t) if _PAY.search(c) for s in _CURRENCY.findall(c)]
    pay_unit = paid[0] if paid else unit
    mixed = " (taking the two currencies as roughly equal)" if pay_unit != unit else ""
    return (f"On your numbers, {price} a year is about {share} of one engineer's loaded year at your "
            f"{_price(loaded, pay_unit)}{mixed}: building is cheaper only if writing and running the tool takes less of "
            f"your engineers' time than that, every year, and that time comes off your product.")


# "Google offered us US$300k in GCP credits", "Vertex would save us $8k a month": what a move between products gains.
_GAIN = re.compile(r"\b(?:credits?|discounts?|savings?|saves?|saving|cheaper|rebates?)\b", re.IGNORECASE)
_EXPIRES = re.compile(r"\b(?:expire|expires|expiring|run out|runs out|lapse|lapses|valid for|good for)\b[^.;?!]{0,30}?"
                      r"(?P<span>\d+\s+(?:months?|years?|weeks?))", re.IGNORECASE)


_RISE = re.compile(r"\b(?:renewal|renew\w*|went up|goes up|up from|it was|used to be|was|were|increase\w*|hike\w*|"
                   r"raised?|raising|jump\w*|doubl\w*|tripl\w*)\b", re.IGNORECASE)


def _price_rise(texts: list[str]) -> tuple[float, float] | None:
    """A yearly price told with what it was before ("renewal at $71k/year, it was $28k"): (old, new) per year."""
    for t in texts:
        for sentence in re.split(r"(?<=[.!?])\s+", t):
            if not _RISE.search(sentence):
                continue
            found = [q for q in extract(sentence) if q.kind in ("money", "money_per_month")]
            yearly = [q.value * 12 if q.kind == "money_per_month" else q.value for q in found]
            if len(yearly) == 2 and min(yearly) < max(yearly) and any(q.kind == "money_per_month" for q in found):
                first, second = yearly
                # Said new-then-old ("came in at 71k (it was 28k)") or old-then-new ("went from 30k to 75k").
                return (second, first) if re.search(r"\b(?:it was|used to be|was|up from)\b", sentence,
                                                     re.IGNORECASE) and first > second else (min(yearly), max(yearly))
    return None


def rise_weighed(ctx: Context) -> str:
    """"The renewal came in at A$71,000/year (it was A$28,000). Should we switch?": what staying now costs against the
    cost of moving; '' unless a move between two products is asked and a price rise told."""
    comp = ctx.decision.component
    if comp is None or not ctx.reading.asks_move or sum(o.doc in ctx.state.vendors for o in comp.buy) < 2:
        return ""
    rise = _price_rise(_texts(ctx))
    if rise is None:
        return ""
    old, new = rise
    unit = _currency(ctx)
    effort = {"low": "little", "medium": "moderate", "high": "a lot of"}[comp.migration_cost]
    return (f"Likely yes: staying now costs about {_money(new, unit)} a year, {_money(new - old, unit)} more than "
            f"the {_money(old, unit)} before, and moving takes {effort} effort here; the move pays if running the "
            f"other option costs you less than {_money(new, unit)} a year, your people's time included.")


def move_weighed(ctx: Context) -> str:
    """"Is the move worth it?" of a move between two products: what it gains on their numbers (credits, savings)
    against how costly moving is, and the window the gain lasts; '' when no such move is in play."""
    comp = ctx.decision.component
    if comp is None or not ctx.reading.asks_move or sum(o.doc in ctx.state.vendors for o in comp.buy) < 2:
        return ""
    texts = _texts(ctx)
    gain = next(((q, c) for t in texts for c in clauses(t) if _GAIN.search(c)
                 for q in extract(c) if q.kind in ("money", "money_per_month")), None)
    size = {"low": "small", "medium": "moderate", "high": "large"}[comp.migration_cost]
    if gain is None and (risen := rise_weighed(ctx)):
        return risen
    if gain is None:
        return (f"It is worth it only if you can name what the move gains, a lower bill or something the other product "
                f"does that yours cannot, and it outweighs the cost of moving, which is {size} here.")
    q, clause = gain
    what = f"the {q.text.strip()} in credits" if re.search(r"\bcredits?\b", clause, re.IGNORECASE) else \
        f"the {q.text.strip()} it saves"
    said = f"Only if {what} outweighs the cost of moving, which is {size} here"
    window = next((m["span"] for t in texts for m in [_EXPIRES.search(t)] if m), "")
    if window:
        lasts = f"those credits expire in {window}" if "credits" in what else f"the gain lasts {window}"
        said += f"; and {lasts}, so the move has to be finished and paying back within that window"
    return said + "."
