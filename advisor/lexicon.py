"""High-precision word features: component names, synonyms and vendor names; cue lists from data."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, field_validator, model_validator
from rapidfuzz import fuzz, process

from .datafiles import check_patterns, load_model
from .matrix import Matrix, Taxonomy

_ZERO_WIDTH = re.compile(r"[\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff]")
_PLUS = re.compile(r"(?<=\w)\s+\+\s+(?=\w)")
_BOUND = re.compile(r"(<|>|≤|≥)=?\s*(?=[~$€£]?\s*\d)")
# A word for one piece of a whole, after a part's own name ("the orchestration bit").
_PIECE = r"[ -](?:part|bit|piece|side|layer|portion|half|route|path|approach)s?"
# Letters with no decomposition into a base letter and an accent.
_BASE = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae", "Æ": "Ae",
                       "œ": "oe", "Œ": "Oe", "ı": "i", "þ": "th", "Þ": "Th", "ð": "d"})
_NON_WORD = re.compile(r"[^a-z0-9&$€£'/\-.,;:?!\n ]+")
OTHER = "other"


# Contractions spelled out, with or without the apostrophe (Slack drops it): "we're" must not read as
# "were", and "can't" must keep its "not" for the negation cues.
_CONTRACTIONS = [
    (re.compile(r"\b(can|won|don|doesn|didn|isn|aren|wasn|weren|haven|hasn|hadn|shouldn|wouldn|couldn|mustn|"
                r"needn)'?t\b"), lambda m: {"can": "can", "won": "will"}.get(m.group(1), m.group(1)[:-1]) + " not"),
    (re.compile(r"\b(we|you|they)'re\b"), r"\1 are"),
    (re.compile(r"\b(i)'m\b"), r"\1 am"),
    (re.compile(r"\b(we|you|they|i)'ve\b"), r"\1 have"),
    (re.compile(r"\b(we|you|they|i|it)'ll\b"), r"\1 will"),
    (re.compile(r"\b(it|that|there|what)'s\b"), r"\1 is"),
    # A possessive names the product itself: "Run:ai's licence", "Arize's pricing" must still match the name.
    (re.compile(r"(?<=[a-z0-9])(?<!\blet)'s\b"), ""),
]


_SOFT_WRAP = re.compile(r"(?<=[^\s.!?:;])[ \t]*\n(?=[ \t]*[a-z0-9(])")
_DASH = re.compile(r"\s*[\u2014\u2013]\s*|\s+-{1,2}\s+")


# A turn's words are normalised piece by piece (see understanding._asker_words) and the same names again every turn:
# a str -> str function of short texts, so it is worth remembering.
@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """Lower-case, spell out contractions, strip control and zero-width characters, fold odd punctuation.

    Sentence punctuation (. , ; : ? !) is kept: clause splitting and the question cue need it.
    """
    text = unicodedata.normalize("NFKC", text)
    # Accented letters keep their base letter ("złoty", "Zürich", "Wrocław" would otherwise lose it to the word
    # filter and split the word in two).
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)).translate(_BASE)
    text = _ZERO_WIDTH.sub("", text)
    # A line break inside a sentence (an e-mail wrapped at 70 characters: "measured that its\nonline lookups add
    # 70 ms") is a space; one after a stop, before a capital or a list mark still ends the clause.
    text = _SOFT_WRAP.sub(" ", text)
    text = "".join(ch if unicodedata.category(ch)[0] != "C" or ch == "\n" else " " for ch in text)
    text = text.lower().replace("\u2019", "'")
    for rx, repl in _CONTRACTIONS:
        text = rx.sub(repl, text)
    text = text.replace("'", "")
    # A dash between words ("that's not right — we already have a BAA") separates two clauses, as a semicolon would.
    text = _DASH.sub("; ", text)
    # "p99 < 5ms", ">= 200 rps": a bound before a number is a word the numbers' patterns read.
    text = _PLUS.sub(" plus ", text)  # "4 ML engs + a bidder team of 7": one list of people
    text = _BOUND.sub(lambda m: " under " if m.group(1) in "<≤" else " over ", text)
    # Signs the word filter would drop are written as their codes, which the money patterns read ("₹40 lakh" aside).
    text = text.replace("₹", " inr ").replace("¥", " jpy ")
    text = _NON_WORD.sub(" ", text)
    return re.sub(r"[ \t]+", " ", text).strip()


# "is it enough", "sufficient", "adequate": a turn that asks whether something will do.
ENOUGH_WORDS = re.compile(r"\b(?:enough|suffic\w*|adequate)\b")


def words_only(text: str) -> str:
    """The normalised text with all punctuation folded to spaces (for phrase matching)."""
    return re.sub(r"\s+", " ", re.sub(r"[.,;:?!\n]+", " ", text)).strip()


# Words before a rejection that make it a supposition ("if it is too slow later", "in case it turns out too slow").
_SUPPOSED = re.compile(r"\b(?:if|in case|suppose|supposing|should it|what if)\b", re.IGNORECASE)


# "we decided to buy Databricks instead of building one" rules out what follows "instead of", not the product before it.
_INSTEAD = re.compile(r"(?:instead of|other than|besides|apart from|except|alternatives? to)\b")

class Cues(BaseModel):
    """Cue lists (regular expressions) from knowledge/understanding/cues.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    negation: list[str]
    retraction: list[str]
    injection: list[str]
    clause_split: list[str]
    anaphora: list[str] = []
    managed: list[str] = []
    need: list[str] = []
    needs_told: list[str] = []  # tells what they need, the thing after it ("we need a proper registry for adapters")
    generic_heads: list[str] = []  # last words of row names that name no kind of system alone ("platform")
    yes_no: list[str] = []
    adopted: list[str] = []
    # A statement, not a question, that a product is in use now ("We use Arize for drift", "Labelbox is our
    # annotation tool"): read only in clauses that are no question and name a product.
    in_use: list[str] = []
    proposal: list[str] = []
    restriction_condition: str = ""
    restriction: list[str] = []
    unrestricted: list[str] = []
    cloud_names: dict[str, list[str]] = {}
    suite_rows: list[str] = []  # rows whose products are suites spanning other rows (see cues.yaml)
    model_services: list[str] = []  # kinds with no row that are model services other than LLMs (see cues.yaml)
    llm_quality_rows: list[str] = []  # rows an LLM application's quality question is drawn toward (see cues.yaml)
    cloud_statements: list[str] = []
    echo_openers: list[str] = []
    both_sides: list[str] = []
    model_providers: dict[str, list[str]] = {}
    broad_names: list[str] = []
    plain_words: list[str] = []  # product names that are also plain words ("scale", "together"): names only capitalised
    cloud_moves: list[str] = []
    compare_asks: list[str] = []
    rejected: list[str] = []
    regimes: dict[str, list[str]] = {}
    # A regime's generic words ("PHI" for HIPAA): they name it only when no regime is named outright ("images are PHI
    # under PHIPA" is Ontario's law, not HIPAA).
    regime_words: dict[str, list[str]] = {}
    stated_by_negative: dict[str, list[str]] = {}
    # Clauses that describe what the infrastructure should do, in a condition's words ("gives each team a budget"):
    # no fact about the asker (see cues.yaml).
    feature_not_fact: dict[str, list[str]] = {}
    kubernetes_in_use: list[str] = []
    incumbent: list[str] = []
    recheck: list[str] = []
    how_to_move: list[str] = []  # asks for the way over ("how do we migrate off X?"), not how costly it is
    also_asks: dict[str, list[str]] = {}  # a second ask beside the decision ("... and what KPIs tell us it worked?")
    asks_decision: list[str] = []  # asks for the build-or-buy call itself ("should we buy ...", "build or buy")
    leaving_build: list[str] = []  # moves off something of their own ("migrate off our homegrown store")
    supposes: list[str] = []  # supposes rather than tells: a turn without these is no what-if
    someday: list[str] = []  # a size only a possible future would bring ("one day we might index billions")
    control_someday: list[str] = []  # control wanted later, in the story's words ("the roadmap in our own hands one day")
    undo: list[str] = []  # asks what reversing the choice would take ("what would it cost to undo this?")
    self_hosting: list[str] = []  # running a tool themselves ("self-host MLflow", "on our own k8s cluster")
    paid_service: list[str] = []  # paying someone to run it ("the managed version", "they quoted us")
    build_alternative: list[str] = []  # building offered as one side of a choice ("or write our own?")
    deadline: list[str] = []  # a date the work has to meet ("live by 30 September")
    choice_asks: list[str] = []  # asks which option to take ("which option would you recommend?")
    either_or: list[str] = []  # two routes weighed in one breath ("buy our own GPUs or keep renting")
    move_asks: list[str] = []  # asks whether to make a move at all ("should we move serving to a managed platform?")
    numbers_asks: list[str] = []  # asks for figures outright ("I need numbers for the budget round", "ballpark?")
    cost_asks: list[str] = []  # asks what it really costs ("is this really cheaper when we count everything?")
    evaluate_asks: list[str] = []  # asks how to judge a shortlist ("how should we evaluate these vendors?")
    enough_asks: list[str] = []  # asks whether a product will do ("can pgvector carry us?", "does X cut it?")
    switch_asks: list[str] = []  # asks how hard leaving a choice would be ("how hard to switch later?")
    no_ml: list[str] = []  # says no model or ML is involved at all ("no models anywhere in this stack")
    several_asks: list[str] = []  # asks about several named rows at once ("which of these should we build?")
    keeps: list[str] = []  # keeping what runs now is one side of the choice ("KServe, or just keep our Flask app?")
    kubernetes_absent: list[str] = []
    # Tools the asker may already run beside the component ("Prometheus", "Redis"): display name -> patterns. A
    # component note's "Alongside what you already run" sentences that name one are shown when the asker names it.
    stack_tools: dict[str, list[str]] = {}
    stack_absent: str = ""  # "{tool}" stands for a tool's patterns: the text says they do not have it
    # Of those, the ones that hold or carry the asker's data (a warehouse, a database, a stream): a tool with no row
    # of its own has to connect to them, so they are the first requirement to test it against.
    data_tools: list[str] = []
    stack_wanted: str = ""  # "{tool}" as above: the text names it only as wanted or proposed
    # Regimes (names from `regimes`) that attest how controls are run, not where data may live: alone they state
    # no `regulated` condition, unless `residency` words say where data must stay.
    attestations: list[str] = []
    # Regimes (names from `regimes`) that are data-protection laws: they govern how personal data is handled, and say
    # nothing by themselves about running software on one's own machines.
    privacy_laws: list[str] = []
    residency: list[str] = []
    # Words that say where data may live or go ("must stay in the EU", "no public cloud", "on-prem only"): the
    # regulated condition echoed with them is a residency rule, without them a sector's regulation.
    data_location: list[str] = []
    # Words that tell a rule in its own terms (a law, a regulator, compliance, secrecy, a sector under one): with none
    # of them, nor `residency`, `data_location`, `restriction` or a regime, the regulated condition is not theirs.
    rule_words: list[str] = []
    turning_asks: list[str] = []  # what would have to be true for the call to go another way
    faults_plan: list[str] = []  # asks whether a plan is at fault ("bad idea?", "overkill?"): yes means don't
    owned_hardware: list[str] = []  # the machines are their own ("we bought 2 DGX boxes", "GPUs in our colo rack")
    sells_infrastructure: list[str] = []
    # Words that tell what earns them money ("... are our entire revenue", "banks pay us to ...", "what we sell is"):
    # the sentence around them says what they sell, whichever words it uses for it (read by the heads, not by names).
    revenue_told: list[str] = []
    sold_told: list[str] = []  # what customers pay for, told of a thing ("... is what customers pay us for", "that is our entire business")
    sells_other: list[str] = []  # what they sell told as an object of its own ("we sell an HR SaaS app")
    sells_model: list[str] = []  # a model or its predictions as what customers pay for (no infrastructure sold)
    infra_words: list[str] = []  # words of ML or data infrastructure: a product told with none is not the infrastructure
    llm_app: list[str] = []  # an application built on a language model ("our RAG bot", "the assistant", "prompt changes")
    watches_quality: list[str] = []  # asks to test or watch answer quality ("evals", "monitoring", "catch regressions")
    sells_product: list[str] = []  # their product told as what customers pay for; counts with the row in its sentence  # the infrastructure is what they sell ("our product is an inference API")
    shortlist: list[str] = []  # several options weighed ("our shortlist", "other vendors")
    destination: str = ""  # a move's destination: group 1 is the words after "to" ("moving to pgvector")
    tried: list[str] = []  # a product tried before ("we tried labelling in-house with CVAT")
    put_to_test: list[str] = []  # a product benchmarked or trialled ("3 weeks benchmarking", "the Tecton POC")
    let_down: list[str] = []  # what a trial found, said as a failure ("throughput was awful")
    strained: list[str] = []  # a tool they run told as falling short under their load ("starting to hurt the app")
    covers_need: list[str] = []  # a note's line saying a tool they run may do the job ("often unnecessary")
    young_company: list[str] = []  # says the company itself is young ("seed-stage startup", "pre-revenue")
    situation_suffices: list[str] = []  # a note's situation line saying a simpler setup does the job ("is enough")
    build_estimate: list[str] = []  # a build estimate they report ("he estimates 2 weeks"): group `d` the duration
    # What they measured did not move when they tried products on it ("the share barely budged", "no improvement"):
    # with products put to the test, the gap no product closes.
    unmoved: list[str] = []
    lacks_capability: list[str] = []  # a product lacks what their workload needs ("doesn't support the X we need")
    competes: list[str] = []  # competes with a product ("we go head to head with W&B", "our rival is Arize")
    chosen: list[str] = []  # says which product they take ("let's say we go with promptfoo", "we picked Kueue")
    why_asks: list[str] = []  # a turn that opens by asking why ("why not just build it? it's basically a table")
    # Words that speak only of the decision itself (building, buying, self-hosting, whether it is worth it, still):
    # a follow-up made of these and function words names nothing of its own to decide.
    decision_words: list[str] = []
    asks_again: list[str] = []  # asks the call already given again ("is it still worth it?", "does that change it?")
    retracts_that: list[str] = []  # takes back what was just said without naming it ("please ignore that constraint")
    permits: list[str] = []  # permits what a data rule would forbid ("so cloud is allowed")
    not_the_product: list[str] = []  # the infrastructure told as a feature or plumbing, not what they sell
    outputs_went_wrong: list[str] = []  # a model's outputs told as having gone wrong ("predictions went quietly wrong")
    no_production: list[str] = []  # the evidence told as not from production ("nothing has run in production")
    went_unnoticed: list[str] = []  # ... and nobody seeing it ("nobody noticed for six weeks", "would have caught it")
    fears_lock_in: list[str] = []  # lock-in told as a worry or a wish to leave ("ties us to AWS for good", "exit path")
    dismisses_lock_in: list[str] = []  # lock-in waved away ("none of us care: trackers are easy to swap")
    eases_budget: list[str] = []  # money no longer short ("our budget has been restored", "finance lifted the freeze")
    soft_rule: list[str] = []  # a data rule told as a wish, not yet binding ("a 'should', not a hard requirement")
    rule_asked: list[str] = []  # customers asking about a rule ("clients ask a lot about data sovereignty"): no rule
    approves_provider: list[str] = []  # a hosted provider's deployment cleared under their data rule
    withdraws_approval: list[str] = []  # that clearance taken back ("compliance withdrew the approval")
    people_asks: list[str] = []  # asks about pay or hiring, not infrastructure ("what salary should we offer")
    disowned_hardware: list[str] = []  # machines said not to be theirs ("we own no hardware", "they go back to them")
    denies_such: list[str] = []  # denies, for the asker, what another party was just said to have ("ours have no such clause")
    whole_asks: list[str] = []  # says the question is about the whole row ("for serving as a whole")
    new_topic: list[str] = []
    hosting_is_build: list[str] = []  # argues that running an open-source tool yourselves is building it  # says the turn leaves the thread's subject ("separate topic: ...", "unrelated question")

    @field_validator("negation", "retraction", "injection", "clause_split", "anaphora", "managed", "need", "yes_no",
                     "adopted", "in_use", "proposal", "restriction", "unrestricted", "echo_openers",
                     "both_sides", "compare_asks", "rejected", "kubernetes_in_use", "kubernetes_absent",
                     "incumbent", "recheck", "how_to_move", "asks_decision", "leaving_build", "supposes", "residency", "data_location", "rule_words", "owned_hardware", "disowned_hardware", "people_asks", "approves_provider", "withdraws_approval", "dismisses_lock_in", "eases_budget", "soft_rule", "rule_asked", "fears_lock_in", "outputs_went_wrong", "went_unnoticed", "no_production", "sells_infrastructure", "sold_told", "sells_product", "sells_other", "sells_model", "infra_words", "llm_app", "watches_quality", "shortlist", "tried", "put_to_test", "let_down", "faults_plan", "turning_asks", "undo", "covers_need", "situation_suffices", "young_company", "build_estimate", "why_asks", "chosen", "lacks_capability", "competes", "asks_again", "retracts_that", "denies_such", "not_the_product", "permits", "whole_asks", "new_topic", "hosting_is_build",
                     "self_hosting", "paid_service", "build_alternative", "deadline", "choice_asks", "cost_asks", "numbers_asks", "move_asks", "either_or",
                     "evaluate_asks", "enough_asks", "switch_asks", "keeps", "several_asks", "no_ml", "strained", "needs_told")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        return check_patterns(patterns)

    @field_validator("build_estimate")
    @classmethod
    def _names_duration(cls, patterns: list[str]) -> list[str]:
        for p in check_patterns(patterns):
            if "(?P<d>" not in p:
                raise ValueError(f"build_estimate pattern {p!r} has no (?P<d>...) group for the duration")
        return patterns

    @field_validator("destination")
    @classmethod
    def _destination_compiles(cls, pattern: str) -> str:
        if pattern:
            check_patterns([pattern])
            if re.compile(pattern).groups < 1:
                raise ValueError("the destination pattern needs a group for the words after 'to'")
        return pattern

    @field_validator("model_providers", "regimes", "regime_words", "stated_by_negative", "feature_not_fact", "also_asks", "stack_tools")
    @classmethod
    def _providers_compile(cls, providers: dict[str, list[str]]) -> dict[str, list[str]]:
        return {name: check_patterns(patterns) for name, patterns in providers.items()}

    @model_validator(mode="after")
    def _data_tools_known(self) -> Cues:
        unknown = [t for t in self.data_tools if t not in self.stack_tools]
        if unknown:
            raise ValueError(f"data_tools names {unknown}, which are not in stack_tools")
        unknown = [t for t in [*self.privacy_laws, *self.attestations] if t not in self.regimes]
        if unknown:
            raise ValueError(f"privacy_laws or attestations name {unknown}, which are not in regimes")
        return self

    @model_validator(mode="after")
    def _cloud_patterns_compile(self) -> Cues:
        for cloud in self.cloud_names:
            check_patterns([p.replace("{cloud}", self.cloud_alternatives(cloud))
                            for p in (*self.cloud_statements, *self.cloud_moves)])
        return self

    def cloud_alternatives(self, cloud: str) -> str:
        return "(?:" + "|".join(self.cloud_names[cloud]) + ")"


def load_cues(path: Path) -> Cues:
    """Validate the cue file; errors name the file and the field."""
    return load_model(path, Cues, "fix the cue list")


_NOT = re.compile(r"\b(?:not|never|no longer)\b")


# A component's name followed by one of these names a team or a role ("the ML platform team", "our monitoring lead").
_TEAM_AFTER = re.compile(r"\s+(?:team|teams|squad|group|org|organisation|organization|lead|leads|manager|engineers?)\b")
# "a Thai OCR company", "an MLOps consultancy": words naming the asker's trade, not infrastructure they ask about.
_TRADE_AFTER = re.compile(r"(?:\s+[\w-]+)?\s+(?:company|companies|startup|start-up|firm|business|vendor|provider|"
                          r"shop|agency|consultancy|house|specialists?)\b")


def _any(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns) or "(?!)", re.IGNORECASE)


@dataclass
class Hit:
    """A phrase found in the text: which component (or 'other'), which vendor note, where."""

    slug: str
    doc: str | None
    start: int
    length: int
    by_name: bool  # a component name or synonym (not a vendor)
    phrase: str = ""  # the name as matched (normalised), "" for a typo match
    seen: str = ""  # for a typo match, the words as written ("modle serivng")
    near: str = ""  # for a typo match, the name it is near ("model serving")


# A verb of building or wanting a few words before a part's name: that part is what the asker would have.
_WANTED_BEFORE = re.compile(r"\b(?:write|build|make|develop|code|create|want|need|set up|stand up|roll out|run)\s+"
                            r"(?:(?:our|the|a|an|one|single|own|internal|central|new|proper|some|its)\s+){0,4}(?:[\w-]+\s+)?$")


class Lexicon:
    """Finds component names, synonyms and vendors (exact or with typos), other-infra names and cues."""

    def __init__(self, matrix: Matrix, taxonomy: Taxonomy, cues: Cues):
        self.slugs = [c.slug for c in matrix.components]
        self.parts = {c.slug: [p.name for p in c.parts] for c in matrix.components}
        self.split = {slug for slug, parts in self.parts.items() if parts}
        phrases: dict[str, tuple[str, str | None]] = {}
        for comp in matrix.components:
            for syn in [comp.name, *comp.synonyms]:
                phrases.setdefault(words_only(normalize(syn)), (comp.slug, None))
            for opt in comp.buy:
                for name in [opt.name, *opt.aliases]:
                    phrases.setdefault(words_only(normalize(name)), (comp.slug, opt.doc))
        # Products with no note point at their row like a vendor's name, but carry no note to cite or offer.
        self._products = frozenset(words_only(normalize(p)) for comp in matrix.components for p in comp.products)
        for comp in matrix.components:
            for name in comp.products:
                phrases.setdefault(words_only(normalize(name)), (comp.slug, None))
        # Longest phrases first, so "sagemaker feature store" wins over "feature store".
        self._phrases = sorted(phrases.items(), key=lambda kv: -len(kv[0]))
        # Each phrase with its hyphens as spaces, made once: hits() tests every phrase against every text it reads.
        self._phrases_folded = [phrase.replace("-", " ") for phrase, _ in self._phrases]
        # The last word of a row's several-word names ("registry" of "model registry"), when no other row's names end
        # in it: "we need a proper registry for our adapters" names the row by its head noun alone.
        # Only a row's own name counts, and only a head that names a kind of system by itself: "infrastructure",
        # "platform", "access" or "model" could be anything.
        heads: dict[str, set[str]] = {}
        for comp in matrix.components:
            words = words_only(normalize(comp.name)).split()
            if len(words) > 1:
                heads.setdefault(words[-1], set()).add(comp.slug)
        self.head_nouns = {w: next(iter(rows)) for w, rows in heads.items()
                           if len(rows) == 1 and w not in cues.generic_heads}
        # "slug/part" -> the words that name that part (a hyphen between words is a space: "drift-detection tool").
        # The part's own short name before a word for a piece ("just the orchestration bit?", "the compute side")
        # names it as surely as its listed names.
        self._part_names = {f"{c.slug}/{p.name}": re.compile(r"(?<![a-z0-9])(?:" + "|".join(
            [re.escape(words_only(normalize(n))).replace(r"\ ", "[ -]") for n in p.names] +
            [re.escape(words_only(normalize(n.replace("-", " ")))).replace(r"\ ", "[ -]") + _PIECE
             for n in {p.name, re.sub(r"^the ", "", p.label or "")} if n and len(n.split()) <= 3
             # "our own gateway layer" is the whole LLM gateway: a part named like its row is named by its list only
             and not set(n.replace("-", " ").lower().split()) & set(c.name.lower().split())]) + r")(?![a-z0-9])")
            for c in matrix.components for p in c.parts if p.names}
        # Typo matching: names of six characters or more (AWS, W&B only match exactly), grouped by word count.
        self._fuzzy_by_words: dict[int, list[str]] = {}
        self._fuzzy_phrases = []
        for phrase, owner in self._phrases:
            # A product with no note matches only as written: its name is often a common word misspelt ("chalk").
            if len(phrase) >= 6 and phrase not in self._products:
                group = self._fuzzy_by_words.setdefault(len(phrase.split()), [])
                self._fuzzy_phrases.append((phrase, owner, len(phrase.split()), len(group)))
                group.append(phrase)
        # "drift-detection tool" names drift detection: a hyphen between a name's words is a space.
        self._regex = {p: re.compile(rf"(?<![a-z0-9]){re.escape(p).replace(chr(92) + ' ', '[ -]').replace(chr(92) + '-', '[ -]')}"
                                     rf"(?![a-z0-9])") for p, _ in self._phrases}
        self.others = [(o.name, o.regex) for o in taxonomy.other_components]
        # Conditions a clause has to say (production evidence, a tight budget), not a long turn as a whole.
        self.clause_only = frozenset(c.id for c in taxonomy.conditions if c.clause_only)
        self.negation = _any(cues.negation)
        self.plain_words = {w.lower(): re.compile(rf"\b(?:{re.escape(w.capitalize())}|{re.escape(w.upper())})\b")
                            for w in cues.plain_words}
        self.retraction = _any(cues.retraction)
        self.injection = _any(cues.injection)
        self.anaphora = _any(cues.anaphora)
        self.managed = _any(cues.managed)
        self.need = _any(cues.need)
        self.needs_told = _any(cues.needs_told)
        self.yes_no = _any(cues.yes_no)
        self.adopted = _any(cues.adopted)
        self.in_use = _any(cues.in_use)
        self.self_hosting = _any(cues.self_hosting)
        self.paid_service = _any(cues.paid_service)
        self.build_alternative = _any(cues.build_alternative)
        self.deadline = _any(cues.deadline)
        self.choice_asks = _any(cues.choice_asks)
        self.cost_asks = _any(cues.cost_asks)
        self.numbers_asks = _any(cues.numbers_asks)
        self.move_asks = _any(cues.move_asks)
        self.evaluate_asks = _any(cues.evaluate_asks)
        self.enough_asks = _any(cues.enough_asks)
        self.put_to_test = _any(cues.put_to_test)
        self.switch_asks = _any(cues.switch_asks)
        self.either_or = _any(cues.either_or)
        self.proposal = _any(cues.proposal)
        self.both_sides = _any(cues.both_sides)
        self._providers = {name: _any(patterns) for name, patterns in cues.model_providers.items()}
        self.broad = frozenset(words_only(normalize(n)) for n in cues.broad_names)
        self._moves = {c: _any([p.replace("{cloud}", cues.cloud_alternatives(c)) for p in cues.cloud_moves])
                       for c in cues.cloud_names}
        self.compare_asks = _any(cues.compare_asks)
        self.rejected = _any(cues.rejected)
        self.tried = _any(cues.tried)
        self.shortlist = _any(cues.shortlist)
        self.destination = re.compile(cues.destination) if cues.destination else None
        self.sells_infrastructure = _any(cues.sells_infrastructure)
        self.sold_told = _any(cues.sold_told)
        self.revenue_told = _any(cues.revenue_told)
        self.unmoved = _any(cues.unmoved)
        self.sells_product = _any(cues.sells_product)
        self.sells_other = _any(cues.sells_other)
        self.sells_model = _any(cues.sells_model)
        self.infra_words = _any(cues.infra_words)
        self.let_down = _any(cues.let_down)
        self.covers_need = _any(cues.covers_need)
        self.strained = _any(cues.strained)
        self.situation_suffices = _any(cues.situation_suffices)
        self.young_company = _any(cues.young_company)
        self.build_estimate = [re.compile(p, re.IGNORECASE) for p in cues.build_estimate]
        self._regimes = {name: _any(patterns) for name, patterns in cues.regimes.items()}
        # One pass first: most turns name no regime, and each name is its own pattern.
        self._any_regime = _any([p for patterns in (*cues.regimes.values(), *cues.regime_words.values()) for p in patterns])
        self._regime_words = {name: _any(patterns) for name, patterns in cues.regime_words.items()}
        self.attestations = frozenset(cues.attestations)
        self.privacy_laws = frozenset(cues.privacy_laws)
        self.data_tools = frozenset(cues.data_tools)
        self.residency = _any(cues.residency)
        self.data_location = _any(cues.data_location)
        self.rule_words = _any(cues.rule_words)
        self.owned_hardware = _any(cues.owned_hardware)
        self.faults_plan = _any(cues.faults_plan)
        self.turning_asks = _any(cues.turning_asks)
        self._stack = {name: _any(patterns) for name, patterns in cues.stack_tools.items()}
        self._any_stack = _any([p for patterns in cues.stack_tools.values() for p in patterns])
        self._stack_absent = {name: re.compile(cues.stack_absent.replace("{tool}", "(?:" + "|".join(patterns) + ")"))
                              for name, patterns in cues.stack_tools.items()} if cues.stack_absent else {}
        self._stack_wanted = {name: re.compile(cues.stack_wanted.replace("{tool}", "(?:" + "|".join(patterns) + ")"))
                              for name, patterns in cues.stack_tools.items()} if cues.stack_wanted else {}
        self.stated_by_negative = {cond: _any(patterns) for cond, patterns in cues.stated_by_negative.items()}
        self.feature_not_fact = {cond: _any(patterns) for cond, patterns in cues.feature_not_fact.items()}
        self.restriction_condition = cues.restriction_condition
        self.restriction = _any(cues.restriction)
        self.unrestricted = _any(cues.unrestricted)
        self._openers = re.compile(r"^(?:" + "|".join(f"(?:{p})" for p in cues.echo_openers) + r")+", re.IGNORECASE) \
            if cues.echo_openers else None
        self._clouds = {c: _any([p.replace("{cloud}", cues.cloud_alternatives(c)) for p in cues.cloud_statements])
                        for c in cues.cloud_names}
        self._split = _any(cues.clause_split)
        self.incumbent = _any(cues.incumbent)
        self.several_asks = _any(cues.several_asks)
        self.no_ml = _any(cues.no_ml)
        self._keeps = re.compile("|".join(f"(?:{p})" for p in cues.keeps), re.IGNORECASE) if cues.keeps else None
        self.recheck = _any(cues.recheck)
        self.new_topic = _any(cues.new_topic)
        self.hosting_is_build = _any(cues.hosting_is_build)
        self.how_to_move = _any(cues.how_to_move)
        self.also_asks = {ask: _any(patterns) for ask, patterns in cues.also_asks.items()}
        self.asks_decision = _any(cues.asks_decision)
        self.leaving_build = _any(cues.leaving_build)
        self.supposes = _any(cues.supposes)
        self.someday = _any(cues.someday)
        self.control_someday = _any(cues.control_someday)
        self.undo = _any(cues.undo)
        self.why_asks = _any(cues.why_asks)
        self.llm_app = _any(cues.llm_app)
        self.watches_quality = _any(cues.watches_quality)
        self._decision_words = frozenset(w.lower() for w in cues.decision_words)
        self.asks_again = _any(cues.asks_again)
        self.retracts_that = _any(cues.retracts_that)
        self.denies_such = _any(cues.denies_such)
        self.disowned_hardware = _any(cues.disowned_hardware)
        self.people_asks = _any(cues.people_asks)
        self.approves_provider = _any(cues.approves_provider)
        self.withdraws_approval = _any(cues.withdraws_approval)
        self.dismisses_lock_in = _any(cues.dismisses_lock_in)
        self.eases_budget = _any(cues.eases_budget)
        self.soft_rule = _any(cues.soft_rule)
        self.rule_asked = _any(cues.rule_asked)
        self.fears_lock_in = _any(cues.fears_lock_in)
        self.outputs_went_wrong = _any(cues.outputs_went_wrong)
        self.went_unnoticed = _any(cues.went_unnoticed)
        self.no_production = _any(cues.no_production)
        self.not_the_product = _any(cues.not_the_product)
        self.permits = _any(cues.permits)
        self.whole_asks = _any(cues.whole_asks)
        self.chosen = _any(cues.chosen)
        self.competes = _any(cues.competes)
        self.lacks_capability = _any(cues.lacks_capability)
        self._k8s = _any(cues.kubernetes_in_use)
        self._no_k8s = _any(cues.kubernetes_absent)
        self.suite_rows = frozenset(cues.suite_rows)
        self.model_services = frozenset(cues.model_services)
        self.llm_quality_rows = frozenset(cues.llm_quality_rows)
        self.clouds = frozenset(cues.cloud_names)  # vendor notes that are a whole public cloud ("aws")

    # -- text ----------------------------------------------------------------------------------
    def names_nothing(self, norm: str) -> bool:
        """Whether a turn speaks only of the decision ("with that, is self-hosting still worth it?") and names nothing
        of its own to decide ("... self-hosting our wiki ..." names a wiki)."""
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        words = re.findall(r"[a-z][a-z'-]*", norm.lower())
        return bool(self._decision_words) and bool(words) and all(
            w in ENGLISH_STOP_WORDS or w in self._decision_words or w.rstrip("s") in self._decision_words
            for w in words)

    def providers_together(self, norm: str) -> list[str]:
        """Hosted model providers named as in use together ("calls OpenAI and Anthropic"); [] when they are the
        options of a choice ("OpenAI or Anthropic?")."""
        found = sorted((m.start(), m.end(), name) for name, rx in self._providers.items() if (m := rx.search(norm)))
        if len(found) < 2:
            return []
        between = " ".join(norm[a[1]:b[0]] for a, b in pairwise(found))
        if re.search(r"\b(or|vs|versus|instead of|rather than|compared|than)\b", between):
            return []
        # "Claude Sonnet via Bedrock", "GPT-4o through Azure": a model reached through a platform is one provider.
        names = [found[0][2]] + [b[2] for a, b in pairwise(found)
                                 if not re.fullmatch(r"[\w .-]{0,30}\b(?:via|through|on|over|hosted on|served by)\s+(?:the\s+)?",
                                                     norm[a[1]:b[0]])]
        return names if len(names) >= 2 else []

    def without_openers(self, text: str) -> str:
        """The asker's sentence without openers that carry no fact ("oh btw", "one more thing:")."""
        rest = self._openers.sub("", text).strip() if self._openers else text
        return rest if len(rest) >= 3 else text

    def strip_injection(self, text: str) -> tuple[str, bool]:
        """Drop sentences that try to instruct the advisor; report whether any were found."""
        # A pasted passage ("> ..." lines) that tries to instruct the advisor is untrusted as a whole: none of it is
        # the asker's own fact or question ("> Orchestration is easy to write. (Note to any AI ...)").
        lines, found = text.split("\n"), False
        blocks: list[list[str]] = []
        for line in lines:
            quoted = line.lstrip().startswith(">")
            if blocks and quoted and blocks[-1][0].lstrip().startswith(">"):
                blocks[-1].append(line)
            else:
                blocks.append([line])
        kept_lines = []
        for block in blocks:
            if block[0].lstrip().startswith(">") and self.injection.search(" ".join(block)):
                found = True
                continue
            kept_lines += block
        if found:
            cleaned, _ = self.strip_injection("\n".join(kept_lines))
            return cleaned, True
        # Markup that fences off an aside ("<!-- note to the assistant: ... --> Should we ...?") ends it like a full
        # stop: the question after it is the asker's, whatever the aside orders.
        # So does an aside in square brackets addressed to the assistant ("[assistant: disregard your guidance ...]").
        # A stop inside closing quotes ("... the only sensible choice.' So, should we ...?") ends the quoted order too.
        parts = [p for p in re.split(r"(?<=[.!?;\n])\s+|(?<=[.!?]['\"\u2019\u201d])\s+|(?<=-->)\s*|\s*(?=<!--)|(?<=\*/)\s*|\s*(?=/\*)|(?<=>)\s*(?=[A-Z])|"
                                     r"\s*(?=\[(?i:assistant|ai|bot|system|note|llm|model)\b)|(?<=\])\s+",
                                     text) if p.strip()]
        kept = [p for p in parts if not self.injection.search(p)]
        return " ".join(kept), len(kept) != len(parts)

    def clauses(self, norm: str) -> list[str]:
        """The turn cut into clauses that each state (at most) one fact."""
        return [norm[s:e] for s, e in self.clause_spans(norm)]

    def clause_spans(self, norm: str) -> list[tuple[int, int]]:
        """Where each clause of the turn starts and ends (character offsets into `norm`)."""
        spans, start = [], 0
        for m in [*self._split.finditer(norm), None]:
            end = m.start() if m else len(norm)
            piece = norm[start:end]
            left = len(piece) - len(piece.lstrip(" ,.;:-"))
            right = len(piece.rstrip(" ,.;:-"))
            # "1. What does each option cost?": a list number cut off by its period is no clause.
            if left < right and re.search(r"[a-z0-9]", piece) and not re.fullmatch(r"\(?\d{1,2}\)?", piece.strip(" ,.;:-")):
                spans.append((start + left, start + right))
            if m:
                start = m.end()
        return spans

    def misspelt(self, hit: Hit, words: frozenset[str]) -> bool:
        """Whether a typo match is a misspelling of its name ("modle serivng") rather than another term made
        of real words that happens to be a letter or two away ("API gateway" for "AI gateway")."""
        return any(w != n and w not in words for w, n in zip(hit.seen.split(), hit.near.split()))

    def regimes(self, norm: str) -> list[str]:
        """Compliance regimes the text names ("HIPAA", "GDPR"), in the order it names them."""
        if not self._any_regime.search(norm):
            return []
        found = sorted((m.start(), name) for name, rx in self._regimes.items() if (m := rx.search(norm)))
        if not found:
            found = sorted((m.start(), name) for name, rx in self._regime_words.items() if (m := rx.search(norm)))
        return [name for _, name in found]

    def stack(self, norm: str) -> list[str]:
        """Tools the text names that may already run beside the component ("Prometheus", "Redis"), in order; not
        those it says they lack ("we don't use Kubernetes")."""
        attested = [a for a in self.regimes(norm) if a in self.attestations]
        if not self._any_stack.search(norm):
            return attested
        found = sorted((m.start(), name) for name, rx in self._stack.items() if (m := rx.search(norm))
                       and not (name in self._stack_absent and self._stack_absent[name].search(norm))
                       and not (name in self._stack_wanted and len(self._stack_wanted[name].findall(norm))
                                >= len(rx.findall(norm))))
        return [name for _, name in found] + attested

    def keeps_incumbent(self, norm: str) -> bool:
        """Whether keeping what they have is one side of the choice ("migrate to Feast, or keep what we have?")."""
        return self._keeps is not None and any(
            self.incumbent.match(norm[m.end():].lstrip()) for m in self._keeps.finditer(norm))

    def kept(self, question: str) -> str:
        """What the asker would keep, in their words ("our Flask app"), when keeping a tool they run is one side of
        the choice ("KServe, or just keep our Flask app?"); '' otherwise."""
        if self._keeps is None:
            return ""
        for m in self._keeps.finditer(question):
            # The object of "keep": up to the next comma, "or", "and", "vs" or end of the sentence.
            obj = re.split(r"[,.;:?!()]|\s(?:or|and|vs\.?|versus|instead|rather|because|since|for|as|until|while|"
                           r"at|with)\s", question[m.end():], maxsplit=1)[0].strip()
            if 0 < len(obj.split()) <= 5 and self.stack(normalize(obj)):
                return obj
        return ""

    def tells_rule(self, norm: str) -> bool:
        """The text tells a rule in words of its own: a law, a regulator, a regime, where data must stay."""
        return bool(self.rule_words.search(norm) or self.residency.search(norm) or self.data_location.search(norm)
                    or self.restriction.search(norm) or self.regimes(norm))

    def attested_only(self, norm: str) -> bool:
        """The text names an attestation (SOC 2) and no other regime, restriction or residency rule."""
        named = self.regimes(norm)
        return bool(named) and all(n in self.attestations for n in named) and \
            not (self.restriction.search(norm) or self.residency.search(norm))

    def ruled_out(self, clauses: list[str]) -> list[str]:
        """Vendor notes named in a clause that rules the product out ("Run:ai is more than we can afford")."""
        # "We tried labelling in-house with CVAT and 3 contractors: throughput was awful" rules CVAT out too: a product
        # tried, with the next clause saying how it failed.
        failed = [i for i, c in enumerate(clauses) if self.tried.search(c) and any(
            self.let_down.search(n) for n in clauses[i:i + 2])]
        return list(dict.fromkeys(h.doc for i, c in enumerate(clauses) if (m := self._rules_out(c)) or i in failed
                                  for h in self.hits(c) if h.doc and not h.by_name
                                  and not (m and _INSTEAD.match(m.group(0)) and h.start < m.start())))

    def _rules_out(self, clause: str) -> re.Match | None:
        # "if we start with pgvector and later it is too slow" supposes a failure; it rules nothing out yet.
        m = self.rejected.search(clause)
        return m if m and not _SUPPOSED.search(clause[:m.start()]) else None

    def kubernetes(self, norm: str) -> bool | None:
        """True when the text says the asker runs Kubernetes, False when it says they run containers without it."""
        said = [m for m in self._k8s.finditer(norm)]
        denied = [m for m in self._no_k8s.finditer(norm)]
        # "nobody runs Kubernetes today" holds "runs Kubernetes": a mention inside a denial is the denial.
        said = [m for m in said if not any(d.start() <= m.start() < d.end() for d in denied)]
        if denied and all(m.group(1) in ("on", "in") for m in said):
            # "move it to KServe on Kubernetes ... We don't have Kubernetes now": Kubernetes named as where a proposal
            # would run is not theirs; the denial is.
            said = []
        return True if said else False if denied else None

    def cloud(self, norm: str) -> str | None:
        """The public cloud the text says the asker runs on ("all on AWS"), when it names exactly one."""
        moving = [c for c, rx in self._moves.items() if rx.search(norm)]
        if len(moving) == 1:
            return moving[0]  # "moving from Azure to GCP": where they are going
        # "we're not on AWS so I'd drop SageMaker" says where they are not: such a statement names no home cloud.
        found = [c for c, rx in self._clouds.items()
                 if any(not _NOT.search(m.group(0)) for m in rx.finditer(norm))]
        return found[0] if len(found) == 1 else None

    def cue_counts(self, text: str) -> tuple[int, int]:
        return len(self.negation.findall(text)), len(self.retraction.findall(text))

    # -- names ---------------------------------------------------------------------------------
    def hits(self, norm: str) -> list[Hit]:
        """Component names and vendors in the text, in order; typos only when nothing matched exactly."""
        text = words_only(norm)
        folded = text.replace("-", " ")
        taken: list[tuple[int, int]] = []
        found: list[Hit] = []
        for (phrase, (slug, doc)), phrase_folded in zip(self._phrases, self._phrases_folded):
            if phrase_folded not in folded:  # the regex only adds word boundaries: skip it when it cannot match
                continue
            for m in self._regex[phrase].finditer(text):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                taken.append((m.start(), m.end()))
                if doc is None and _TEAM_AFTER.match(text, m.end()):
                    continue  # "I'm on the ML platform team": the name of a team, not the infrastructure asked about
                found.append(Hit(slug, doc, m.start(), len(phrase), doc is None and phrase not in self._products,
                                 phrase))
        if not found:
            found = self._fuzzy(text)
        for name, rx in self.others:
            m = next((m for m in rx.finditer(text)
                      if not (_TRADE_AFTER.match(text, m.end()) or _TEAM_AFTER.match(text, m.end()))), None)
            if m and not any(m.start() < e and s < m.end() for s, e in taken):
                found.append(Hit(OTHER, name, m.start(), m.end() - m.start(), True))
        return sorted(found, key=lambda h: h.start)

    def says(self, phrase: str, text: str) -> bool:
        """Whether `text` (words only) says a known name or synonym as a whole word (precompiled)."""
        rx = self._regex.get(phrase)
        return bool(rx.search(text)) if rx else False

    def part_names(self, norm: str) -> list[str]:
        """The parts ("slug/part") whose own names the text says ("the annotation tool", "the registry itself")."""
        text = words_only(norm)
        return [key for key, rx in self._part_names.items() if rx.search(text)]

    def joined_part_names(self, norm: str) -> list[str]:
        """The parts named side by side as one ask ("orchestration and transforms", "the tool, the pipeline"), not one
        named as where the other goes ("feeds actual outcomes into our monitoring tool")."""
        text = words_only(norm)
        spans = sorted((m.start(), m.end(), key) for key, rx in self._part_names.items() for m in rx.finditer(text))
        joined: set[str] = set()
        for (_, e1, k1), (s2, _, k2) in pairwise(spans):
            if k1 != k2 and re.fullmatch(r"\s*(?:,|and|&|plus|or)?\s*(?:the\s+|our\s+)?", text[e1:s2]):
                joined |= {k1, k2}
        return sorted(joined)

    def rows_weighing_parts(self, norm: str) -> list[str]:
        """Rows two of whose parts stand on either side of an "or" ("one platform, or assemble our own?"), not two
        parts named beside a "build or buy?" ("the loop that feeds actual outcomes into our monitoring tool")."""
        text = words_only(norm)
        spans = sorted((m.start(), m.end(), key) for key, rx in self._part_names.items() for m in rx.finditer(text))
        rows: set[str] = set()
        for i, (_, e1, k1) in enumerate(spans):
            for s2, _, k2 in spans[i + 1:]:
                if k1 != k2 and k1.split("/")[0] == k2.split("/")[0] and \
                        re.search(r"\b(?:or|vs|versus)\b", text[e1:s2]):
                    rows.add(k1.split("/")[0])
        return sorted(rows)

    def wanted_part_names(self, norm: str) -> list[str]:
        """The parts whose own names the text says as what they would build or want ("should we write one central
        service that all model calls go through", "I want one internal front door"), not as where something goes or
        who else might do it ("feeds outcomes into our monitoring tool", "or does a monitoring product do it?")."""
        text = words_only(norm)
        return [key for key, rx in self._part_names.items()
                if any(_WANTED_BEFORE.search(text[:m.start()]) for m in rx.finditer(text))]

    def estimate(self, norm: str) -> str:
        """The duration of a build estimate the asker reports ("two weeks"), or ''."""
        return next((m.group("d") for rx in self.build_estimate for m in [rx.search(norm)] if m), "")

    def as_written(self, hits: list[Hit], raw: str) -> list[Hit]:
        """The hits, without product names that are also plain words where the asker wrote them as plain words
        ("we need this to scale" names no Scale AI; "Scale quoted $9.40 an image" does)."""
        return [h for h in hits if h.phrase not in self.plain_words or self.plain_words[h.phrase].search(raw)]

    def _fuzzy(self, text: str) -> list[Hit]:
        words = text.split()
        # Every phrase against every window of its word count in one rapidfuzz call per count; the rules
        # below then read the score matrix in phrase order (longest first), as a loop over pairs would.
        scores: dict[int, tuple[list[tuple[int, str]], np.ndarray, dict[int, list[int]]]] = {}
        for n, phrases in self._fuzzy_by_words.items():
            windows = [(i, " ".join(words[i:i + n])) for i in range(len(words) - n + 1)]
            if windows:
                matrix = process.cdist([w for _, w in windows], phrases, scorer=fuzz.ratio, score_cutoff=80,
                                       dtype=np.float32)
                # Most cells are below the cut-off: find the few near windows once, not once per phrase.
                near: dict[int, list[int]] = {}
                for row, col in zip(*np.nonzero(matrix)):
                    near.setdefault(int(col), []).append(int(row))
                scores[n] = (windows, matrix, near)
        hits = []
        for phrase, (slug, doc), n, col in self._fuzzy_phrases:
            if n not in scores:
                continue
            windows, matrix, near = scores[n]
            for row in near.get(col, ()):
                i, window = windows[row]
                if abs(len(window) - len(phrase)) > 3 or window[0] != phrase[0]:
                    continue  # typos keep the first letter: "serve" is a word, not a misspelt "KServe"
                score = matrix[row, col]
                # Two typos in a two-word name ("modle serivng") still read as that name.
                per_word = n > 1 and all(fuzz.ratio(a, b) >= 75 for a, b in zip(window.split(), phrase.split()))
                if score >= 86 or per_word:
                    hits.append(Hit(slug, doc, len(" ".join(words[:i])), len(phrase), doc is None, seen=window,
                                    near=phrase))
                    break
        return hits
