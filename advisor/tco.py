"""Total cost of ownership: cumulative build vs buy cost by month, the break-even month and its sensitivity."""

from __future__ import annotations

import io
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .datafiles import load_model
from .errors import InputError
from .models import Citation
from .notes import NoteCiter
from .quantities import count_of, extract

MONEY_MAX = 1e12  # any real budget fits; beyond it sums could overflow to infinity, which JSON cannot carry
FIELDS = ("build_engineers", "loaded_cost_year", "build_months", "maintenance_share", "maintenance_growth",
          "infra_month", "vendor_month", "vendor_growth", "buy_setup_weeks", "horizon_months")


class TcoInputs(BaseModel):
    """The asker's numbers; a field left out takes the default from knowledge/tco.yaml, shown as an assumption."""

    model_config = ConfigDict(extra="forbid")

    build_engineers: float | None = Field(None, gt=0, le=1000, description="Engineers building it.")
    loaded_cost_year: float | None = Field(None, ge=0, le=MONEY_MAX, description="Loaded cost per engineer per year.")
    build_months: float | None = Field(None, gt=0, le=120, description="Months to build the first version.")
    maintenance_share: float | None = Field(None, ge=0, le=1, description="Share of the build team on maintenance after launch.")
    maintenance_growth: float | None = Field(None, ge=0, le=2, description="Yearly growth of the maintenance effort.")
    infra_month: float | None = Field(None, ge=0, le=MONEY_MAX, description="Infrastructure cost per month of the in-house system.")
    vendor_month: float | None = Field(None, ge=0, le=MONEY_MAX, description="Vendor price per month.")
    vendor_growth: float | None = Field(None, ge=-0.5, le=2, description="Yearly growth of the vendor price.")
    buy_setup_weeks: float | None = Field(None, ge=0, le=104, description="Weeks of the same team to integrate the vendor.")
    horizon_months: int | None = Field(None, ge=1, le=120, description="Months compared.")


class Default(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: float
    label: str
    note: str
    why: str


class TcoDefaults(BaseModel):
    """knowledge/tco.yaml: one default per input, and the overruns the sensitivity lines use."""

    model_config = ConfigDict(extra="forbid")
    defaults: dict[str, Default]
    overruns: list[float] = Field(min_length=1)
    # Currencies (as sums are written back: "$", "€", "CHF ") in which the placeholder salary reads as a plausible
    # figure; in others ("PKR ", "₹", "¥") a placeholder sum would be off by orders of magnitude, so none is made.
    placeholder_currencies: list[str] = Field(default_factory=lambda: ["", "$", "€", "£"])

    def model_post_init(self, _context) -> None:
        missing = [f for f in FIELDS if f not in self.defaults]
        unknown = [f for f in self.defaults if f not in FIELDS]
        if missing or unknown:
            raise ValueError(f"defaults must name exactly {', '.join(FIELDS)} (missing {missing}, unknown {unknown})")


class Assumption(BaseModel):
    """A default the asker did not replace."""

    field: str
    label: str
    value: float
    why: str
    cite: str = ""


class Scenario(BaseModel):
    """The comparison when the build takes longer than estimated."""

    overrun: float = Field(description="0.5 = the build takes 50% longer than estimated.")
    break_even_month: int | None
    build_total: float
    buy_total: float


class TcoResult(BaseModel):
    """Cumulative costs month by month, break-even, sensitivity, the assumptions used and their sources."""

    inputs: dict[str, float]
    assumptions: list[Assumption]
    months: list[int]
    build_cumulative: list[float]
    buy_cumulative: list[float]
    break_even_month: int | None
    scenarios: list[Scenario]
    summary: str
    citations: list[Citation]


def load_defaults(knowledge_dir: Path) -> TcoDefaults:
    return load_model(Path(knowledge_dir) / "tco.yaml", TcoDefaults, "see the comments at the top of knowledge/tco.yaml")


def parse_inputs(data: object) -> TcoInputs:
    """Inputs from a dict (JSON body, CLI options); InputError naming the field otherwise."""
    try:
        return TcoInputs.model_validate(data or {})
    except ValidationError as exc:
        err = exc.errors()[0]
        name = ".".join(map(str, err["loc"])) or "(body)"
        raise InputError(f"TCO input '{name}': {err['msg']}",
                         f"known inputs: {', '.join(FIELDS)}; omit one to use its labelled default") from exc


def _curves(v: dict[str, float], overrun: float = 0.0, replacing: bool = False) -> tuple[list[float], list[float]]:
    """Cumulative build and buy costs by month (`replacing`: the bought product is the one they pay for today, so the
    build side keeps paying it until the build is done)."""
    monthly_eng = v["loaded_cost_year"] / 12
    months = int(v["horizon_months"])
    build_for = v["build_months"] * (1 + overrun)
    team = v["build_engineers"]
    build, buy, cb, cy = [], [], 0.0, 0.0
    for m in range(1, months + 1):
        building = min(1.0, max(0.0, build_for - (m - 1)))  # share of this month still spent building
        since_launch = max(0.0, m - build_for) / 12
        upkeep = team * v["maintenance_share"] * monthly_eng * (1 + v["maintenance_growth"]) ** since_launch
        price = v["vendor_month"] * (1 + v["vendor_growth"]) ** ((m - 1) // 12)
        cb += team * monthly_eng * building + (1 - building) * (upkeep + v["infra_month"]) + \
            (building * price if replacing else 0.0)
        setup = team * v["loaded_cost_year"] / 52 * v["buy_setup_weeks"] if m == 1 and not replacing else 0.0
        cy += price + setup
        build.append(round(cb, 2))
        buy.append(round(cy, 2))
    return build, buy


def _break_even(build: list[float], buy: list[float]) -> int | None:
    """The first month from which building has cost no more in total than buying, and stays so."""
    for i in range(len(build)):
        if all(b <= y for b, y in zip(build[i:], buy[i:], strict=True)):
            return i + 1
    return None


def compute(inputs: TcoInputs, knowledge_dir: Path) -> TcoResult:
    """Build vs buy cost over the horizon, with every default labelled and cited."""
    table = load_defaults(knowledge_dir)
    citer = NoteCiter(Path(knowledge_dir))
    given = inputs.model_dump(exclude_none=True)
    values: dict[str, float] = {f: float(given.get(f, table.defaults[f].value)) for f in FIELDS}
    assumptions = [Assumption(field=f, label=d.label, value=d.value, why=d.why, cite=citer.cite(d.note))
                   for f, d in table.defaults.items() if f not in given]
    build, buy = _curves(values)
    even = _break_even(build, buy)
    scenarios = []
    for o in table.overruns:
        b, y = _curves(values, o)
        scenarios.append(Scenario(overrun=o, break_even_month=_break_even(b, y), build_total=b[-1], buy_total=y[-1]))
    months = int(values["horizon_months"])
    return TcoResult(inputs=values, assumptions=assumptions, months=list(range(1, months + 1)),
                     build_cumulative=build, buy_cumulative=buy, break_even_month=even, scenarios=scenarios,
                     summary=_summary(even, build, buy, scenarios, months, citer), citations=citer.citations())


def project(given: dict[str, float], defaults: TcoDefaults,
            replacing: bool = False) -> tuple[dict[str, float], list[float], list[float]]:
    """The values used (the asker's, else the defaults) and the cumulative build and buy costs by month
    (`replacing`: see `_curves`)."""
    values = {f: float(given.get(f, defaults.defaults[f].value)) for f in FIELDS}
    build, buy = _curves(values, replacing=replacing)
    return values, build, buy


def _when(month: int | None, horizon: int) -> str:
    return f"month {month}" if month else f"none within {horizon} months"


def _summary(even: int | None, build: list[float], buy: list[float], scenarios: list[Scenario], horizon: int,
             citer: NoteCiter) -> str:
    if even == 1:
        head = "Building costs no more than buying from the first month, on these numbers."
    elif even:
        head = (f"Building costs more at first and breaks even in month {even} of {horizon}: "
                f"after {horizon} months, build {build[-1]:,.0f} against buy {buy[-1]:,.0f}.")
    else:
        head = (f"Building does not break even within {horizon} months: after {horizon} months, "
                f"build {build[-1]:,.0f} against buy {buy[-1]:,.0f}.")
    sens = "; ".join(f"if the build takes {s.overrun:.0%} longer, break-even is {_when(s.break_even_month, horizon)}"
                     for s in scenarios)
    why = citer.cite("risk-of-building")
    return f"{head} Build estimates tend to run low {why}: {sens}."


# "2 engineers for 6 months", "six months to build", "takes 4 months": the asker's build estimate.
_N = r"\d+(?:\.\d+)?|one|two|three|four|five|six|eight|nine|ten|twelve"
# "2 engineers for 6 months", "Two ML engineers at about €95k a year each, for six months": people and how long.
_BUILD = re.compile(rf"\b(?P<eng>{_N})\s*(?:[a-z]+\s+)?(?:engineers?|devs?|developers?|people|ppl|fte)\b"
                    r"(?:(?!\b(?:and|but|we|i|have|had|has|since)\b)[^.;?!]){0,45}?"
                    rf"\b(?:for|over|during)\s+(?:about\s+|around\s+|roughly\s+)?(?P<months>{_N})\s*months?",
                    re.IGNORECASE)
# "six months to build", "9-12 months of migration work", "the migration would take 9-12 months": a range counts at
# its upper end, since build estimates run low.
_SPAN = r"(?:\d+(?:\.\d+)?\s*(?:-|–|to)\s*)?(?P<months{n}>\d+(?:\.\d+)?)\s*months?"
_MONTHS = re.compile(_SPAN.format(n="") + r"\s+(?:to\s+(?:build|migrate|move|port|rewrite|re-?platform|set (?:it |this |that )?up|"
                     r"stand (?:it |this |that )?up|deploy|integrate)|of\s+(?:work|"
                     r"building|engineering|migration))|\b(?:build|migration|move|rewrite|port|re-?platforming)\w*\b"
                     r"[^.;?!\d]{0,25}?\b(?:would|will|could|should|might|to)?\s*take\s+(?:us\s+)?(?:about\s+|around\s+|"
                     r"roughly\s+|~\s*)?" + _SPAN.format(n="2"), re.IGNORECASE)
_VENDOR = re.compile(r"\b(quote|quoted|vendor|licen[cs]e|subscription|pricing|charges?|costs?\s+us|saas|seat)",
                     re.IGNORECASE)
# "each" counts after a figure ("$185k each", "$110k a year each"), not in "the cost per page for each option".
_LOADED = re.compile(r"\b(loaded|salary|salaries|per engineer|an engineer costs)|"
                     r"\d\s?[kKmM]?(?:\s*(?:a|per|/)\s*(?:year|yr|annum|month|mo))?\s+each\b", re.IGNORECASE)
# A person whose cost is told who builds nothing ("one data entry staff costs VND 12M a month"): not an engineer's year.
_NOT_ENGINEER = re.compile(r"\b(?:data[- ]entry|clerks?|annotators?|label+ers?|typists?|moderators?|call[- ]cent(?:er|re)|"
                           r"(?:support |service |sales )?agents?|nurses?|drivers?|operators?|coders?)\b", re.IGNORECASE)
# "plus ~$70k/year of extra infra": what the built system's servers cost, beside the people.
_INFRA = re.compile(r"\b(infra|infrastructure|hosting|servers?|compute|cloud bill|storage)\b", re.IGNORECASE)
# "hiring 2 platform engineers": people taken on for it stay on it, so the whole team is its upkeep after launch.
# People hired or added for it ("3 additional platform engineers") stay on the payroll after the build.
_HIRED = re.compile(r"\b(?:hire|hiring|hired|headcount for|new hires?|additional|extra|more|new)\b", re.IGNORECASE)
_CLAUSES = re.compile(r"(?<=[.;!?])\s+|,(?!\d{3}\b)\s*|\s+(?:and|but|while|whereas)\s+")  # not "$3,200"


def clauses(text: str) -> list[str]:
    """The clauses a number belongs to ("the vendor quoted $8k a month, and an engineer costs ...")."""
    return _CLAUSES.split(text)


# "over three years", "a 5-year TCO", "across 24 months": how far ahead the asker wants the costs compared.
# "for 6 months" after a team ("3 engineers for 6 months") is how long the build takes, not the horizon.
_HORIZON = re.compile(r"\b(?:(?:over|across|in|within|during)\s+(?:the\s+)?|for\s+the\s+)(?:next\s+|first\s+|coming\s+)?"
                      r"(?P<n>\d+|two|three|four|five|six|ten)\s+(?P<unit>years?|months?)\b|"
                      r"\b(?P<n2>\d+|two|three|four|five|six|ten)[- ](?P<unit2>year|month)\s+(?:\w+\s+)?(?:comparison|tco|"
                      r"horizon|view|total|cost|costs|projection|outlook|picture|math|sum)\b", re.IGNORECASE)


# "What does that cost us in year one?", "the first-year cost": a horizon of twelve months.
_FIRST_YEAR = re.compile(r"\b(?:in |for |over )?(?:year (?:one|1)|(?:the |our )?first[- ]year)\b(?! (?:of|after) )", re.IGNORECASE)


def _horizon(text: str) -> float | None:
    m = _HORIZON.search(text)
    if m is None:
        return 12.0 if _FIRST_YEAR.search(text) else None
    n, unit = (m["n"], m["unit"]) if m["n"] else (m["n2"], m["unit2"])
    value = count_of(n) * (12 if unit.lower().startswith("year") else 1)
    return value if 1 <= value <= 120 else None


# "3 engineers for a year", "two people over 18 months": a build told in years is counted in months.
_IN_YEARS = re.compile(r"\b(for|over|during)\s+(about\s+|around\s+|roughly\s+)?(a|one|1|two|2|three|3|half a)\s+years?\b",
                       re.IGNORECASE)
_YEARS = {"a": 12, "one": 12, "1": 12, "two": 24, "2": 24, "three": 36, "3": 36, "half a": 6}
_WEEKS = re.compile(r"\b(\d+(?:\.\d+)?)\s*weeks?\b", re.IGNORECASE)


def inputs_from_text(texts: list[str]) -> TcoInputs:
    """Numbers the asker already gave in a conversation: build team and months, vendor price, loaded cost, horizon."""
    found: dict[str, float] = {}
    texts = [_IN_YEARS.sub(lambda m: f"{m[1]} {m[2] or ''}{_YEARS[m[3].lower()]} months", t) for t in texts]
    # "6 weeks to set it up": an estimate in weeks is counted in months like the rest.
    texts = [_WEEKS.sub(lambda m: f"{float(m[1]) * 12 / 52:.2g} months", t) for t in texts]
    for text in texts:
        if (months := _horizon(text)) is not None:
            found["horizon_months"] = months
        # People and months told in one sentence with commas between them ("Two engineers at €95k each, for six
        # months") are one build estimate.
        for sentence in re.split(r"(?<=[.;!?])\s+", text):
            if m := _BUILD.search(sentence):
                found["build_engineers"], found["build_months"] = (count_of(m[k])
                                                                    for k in ("eng", "months"))
        # Each number belongs to the clause around it ("the vendor quoted $8k a month, and an engineer costs ...").
        for clause in clauses(text):
            if m := _BUILD.search(clause):
                found["build_engineers"], found["build_months"] = (count_of(m[k])
                                                                    for k in ("eng", "months"))
            elif m := _MONTHS.search(clause):
                found["build_months"] = float(m["months"] or m["months2"])
            for q in extract(clause):
                if q.kind == "build_engineers" and "build_engineers" not in found:
                    found["build_engineers"] = q.value  # "we'd need 2 engineers on it"
                    if _HIRED.search(clause):
                        # People hired for it are a payroll from the first month to the last, at the same size.
                        found["maintenance_share"], found["maintenance_growth"] = 1.0, 0.0
                engineer = _LOADED.search(clause) and not (_NOT_ENGINEER.search(clause) and
                                                           not re.search(r"\bengineers?\b", clause, re.IGNORECASE))
                if q.kind == "money_per_month" and engineer:
                    found["loaded_cost_year"] = q.value * 12
                elif q.kind == "money" and engineer and q.value >= 10_000:
                    found["loaded_cost_year"] = q.value  # "$185k fully loaded each": a year's cost of one person
                elif q.kind == "money_per_month" and _VENDOR.search(clause):
                    found["vendor_month"] = q.value
                elif q.kind == "money_per_month" and _INFRA.search(clause):
                    found["infra_month"] = q.value
    # A figure read from prose that no estimate can take ("2 data scientists, 0 mle" is no team of zero to build with)
    # is left out, not raised: the asker gave no such input, and the answer must still come.
    return TcoInputs(**{k: v for k, v in found.items() if _valid(k, v)})


def _valid(field: str, value: float) -> bool:
    try:
        TcoInputs(**{field: value})
    except ValidationError:
        return False
    return True


def chart(result: TcoResult, fmt: str = "svg") -> bytes:
    """The cumulative-cost chart as SVG or PNG bytes (matplotlib, no display needed)."""
    if fmt not in ("svg", "png"):
        raise InputError(f"chart format {fmt!r} is not supported", "use svg or png")
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 4), dpi=100)
    ax = fig.add_subplot()
    ax.plot(result.months, result.build_cumulative, label="build (cumulative)", color="#b45309")
    ax.plot(result.months, result.buy_cumulative, label="buy (cumulative)", color="#1d4ed8")
    if result.break_even_month:
        ax.axvline(result.break_even_month, color="#6b7280", linestyle="--", label=f"break-even: month {result.break_even_month}")
    ax.set_xlabel("month")
    ax.set_ylabel("cumulative cost")
    ax.legend(loc="upper left")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt)
    return buf.getvalue()
