"""Read one turn: component, part, act, conditions with polarity, and quantities (learned, not tuned)."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import numpy as np
from pydantic import BaseModel, Field, PrivateAttr

from .act_settling import ASKS, settle_act, settle_after_conditions
from .classifiers import Features, Heads, clause_dense, ngrams_sparse, turn_dense
from .corpus import NONE, OTHER, WHOLE
from .lexicon import ENOUGH_WORDS, Lexicon, normalize, words_only
from .quantities import (
    Quantity,
    Thresholds,
    busy,
    extract,
    implications,
    missed_target,
    quality_shortfall,
    small_team,
)


class Reading(BaseModel):
    """What one turn says, before the conversation's memory is applied."""

    question: str
    normalized: str
    component: str | None = None  # a matrix slug
    components: list[str] = Field(default_factory=list)  # every matrix component named, in order
    other_component: str | None = None  # ML/AI infrastructure with no matrix row
    vendors: list[str] = Field(default_factory=list)  # vendor note ids named
    rejected: list[str] = Field(default_factory=list)  # of those, the ones ruled out ("X is too expensive")
    regimes: list[str] = Field(default_factory=list)  # compliance regimes named ("HIPAA", "GDPR")
    data_location: str = ""  # words that say where data may live or go ("must stay in the EU"), as found
    shortlist: bool = False  # several options weighed, not all of them named ("Scale AI and two other vendors")
    destination: str = ""  # the words after "moving to" ("pgvector before black friday"), where a move goes
    asks_people: bool = False  # asks only about pay or hiring ("what salary should we offer an MLOps engineer?")
    approved_provider: str = ""  # a hosted provider cleared under their data rule ("compliance approved Azure OpenAI ...")
    disowns_hardware: bool = False  # says the machines are not (or no longer) theirs ("we own no hardware at all")
    withdraws_approval: bool = False  # an approval of a hosted provider taken back ("compliance withdrew the approval")
    owns_hardware: str = ""  # says the machines are their own ("2 boxes with 8x A100 in a colo rack"), as found
    model_product: str = ""  # says a model or its predictions are what customers pay for, as found ("the model is our product")
    stack: list[str] = Field(default_factory=list)  # tools named that may run beside the component ("Grafana")
    judged: list[str] = Field(default_factory=list)  # tools of `stack` named in a sentence asking "is X enough?"
    part_scores: dict[str, float] = Field(default_factory=dict)
    asked_part_scores: dict[str, float] = Field(default_factory=dict)  # from the asking sentences alone
    wanted_parts: list[str] = Field(default_factory=list)  # named_parts said as what they would build or want
    headed_parts: list[str] = Field(default_factory=list)  # "slug/part" named as the heading of an ask ("The store itself: ...?")
    either_parts: list[str] = Field(default_factory=list)  # "slug/part" named in a sentence that asks an either-or
    parts_weighed: list[str] = Field(default_factory=list)  # rows two of whose parts one sentence weighs ("X or Y?")
    named_parts: list[str] = Field(default_factory=list)  # "slug/part" named by the part's own words where it asks
    joined_parts: list[str] = Field(default_factory=list)  # of those, parts named side by side ("orchestration and transforms")
    act: str = "verdict"
    topic: str | None = None
    conditions: list[str] = Field(default_factory=list)  # stated as true
    negated: list[str] = Field(default_factory=list)  # said not to hold
    retracted: list[str] = Field(default_factory=list)  # taken back
    quantities: list[Quantity] = Field(default_factory=list)
    retracts_previous: bool = False  # takes back the last fact told without naming it ("scratch that requirement")
    by_magnitude: list[str] = Field(default_factory=list)  # conditions whose polarity here the numbers alone settled
    said: dict[str, str] = Field(default_factory=dict)  # condition -> the clause that says it, as written
    other_named: bool = False  # the "other" infrastructure was named (a vector DB, Kubeflow, ...)
    named: list[str] = Field(default_factory=list)  # components named outright or through a vendor
    named_rows: list[str] = Field(default_factory=list)  # components named outright (their name or a synonym)
    near_rows: list[str] = Field(default_factory=list)  # components named only through a near miss of a name
    anaphoric: bool = False  # points back at the conversation ("is it enough?")
    managed_cue: bool = False  # says nobody can run infrastructure ("no ops people")
    asks_need: bool = False  # "do we need more?" rather than "is it enough?"
    asks_move: bool = False  # asks whether to make a move at all ("should we move it to a managed platform?")
    asks_numbers: bool = False  # asks for figures outright ("I need numbers, even rough ones")
    asks_call: bool = False  # asks for the call in so many words ("should we buy ...", "build or buy?")
    yes_no: bool = False  # "can we switch later?" wants a yes or no first
    estimate: str = ""  # a build estimate they report, as its duration ("two weeks")
    adopted: bool = False  # a product is named as already in place ("pgvector is settled")
    adopted_in: list[str] = Field(default_factory=list)  # the sentences that tell something is in place
    in_use: bool = False  # a product told to be in use, maybe to be replaced ("we run Airflow today", "we use Arize")
    running: list[str] = Field(default_factory=list)  # vendor notes of the products told to be in use
    self_hosting: bool = False  # speaks of running a tool themselves ("self-host MLflow", "run Airflow ourselves")
    deadline: str = ""  # a date the work has to meet, as written ("live by 30 September")
    pitched: list[str] = Field(default_factory=list)  # a seller's quoted claims, as written ("10x faster than pgvector")
    told_only: bool = False  # names infrastructure only in sentences that tell, none in the one that asks
    build_alternative: bool = False  # offers building as one side of a choice ("or our own HNSW in Rust?")
    paid_service: bool = False  # speaks of paying for a hosted service ("the cloud version", "their quote")
    how_to_move: bool = False  # asks for the way over to another product ("how do we migrate off X?")
    also: list[str] = Field(default_factory=list)  # second asks beside the decision: rollout, measures, risks, move
    leaving_build: bool = False  # moves off something of their own ("migrate off our homegrown store")
    supposes: bool = False  # supposes rather than tells ("what if", "suppose", "imagine")
    cloud: str | None = None  # the public cloud the asker says they run on ("all on AWS")
    kubernetes: bool | None = None  # runs Kubernetes (True), runs containers without it (False), unsaid (None)
    proposal: bool = False  # asks us to judge a plan they state ("build it in-house. good idea?")
    asks_turning: bool = False  # asks what would have to be true for the call to go another way
    faults_plan: bool = False  # asks whether the plan is at fault ("bad idea?", "overkill?"), so yes means don't
    both_sides: bool = False  # asks about building and buying alike ("the risks either way?")
    asks_whole: bool = False  # says it means the whole row ("for serving as a whole")
    compares: bool = False  # asks what one option has that another lacks ("what do we lose?")
    incumbent: bool = False  # asks about the setup they have now ("is what we have enough?")
    no_ml: bool = False  # says no model or ML is involved at all ("there are no models anywhere in this stack")
    several: bool = False  # asks about several named rows at once ("which of these should we build?")
    kept: str = ""  # a tool they run that keeping is one side of the choice, in their words ("our Flask app")
    recheck: bool = False  # asks whether the call still holds ("does that change it?")
    new_topic: bool = False  # says it leaves the thread's subject ("separate topic: ...")
    hosting_is_build: bool = False  # argues that running an open-source tool is building it ("how is that not building?")
    act_in_scope: str = "verdict"  # the act were the turn in scope (for a follow-up the conversation keeps)
    injection: bool = False
    confidence: dict[str, float] = Field(default_factory=dict)
    why_opening: bool = False  # the turn opens by asking why ("why not just build it? ...")
    background_rows: list[str] = Field(default_factory=list)  # rows named only in sentences that tell, not ask
    names_nothing: bool = False  # speaks only of the decision ("is self-hosting still worth it?"), names no subject
    size_first: bool = False  # asks how hard a move is before the way over ("how painful is it, ... smarter than big-bang?")
    clauses: list[str] = Field(default_factory=list)  # the clauses that tell of their situation (normalised), in order
    # Each clause's sentence vector, row by row (what it says, for matching it against the notes' situations).
    _clause_vectors: np.ndarray | None = PrivateAttr(default=None)

    @property
    def clause_vectors(self) -> np.ndarray | None:
        return self._clause_vectors

    @property
    def in_scope(self) -> bool:
        return self.act != "off-topic"

    @property
    def proposes_stack(self) -> bool:
        """Proposes tools they already run ("why not just use the Redis and Airflow we run?")."""
        return self.adopted and bool(self.stack)

    def part_for(self, slug: str | None, parts: list[str], threshold: float = 0.5, min_mass: float = 0.0,
                 exclude: frozenset[str] = frozenset()) -> str:
        """The part of component `slug` this turn is about: one of its parts when the part head gives it
        at least `threshold` of the probability left for that component's parts and the whole, else 'whole'.
        With `min_mass`, a row given less than that share of the head's probability gets 'whole': the turn
        says nothing about its parts ("we're a bank, in case that matters")."""
        if not slug or not parts:
            return WHOLE
        # The head scores "slug/part" labels (whole included), so the choice is made within the row: one
        # row's "platform" or "whole" never lends its evidence to another's; a bare name counts for any row.
        allowed: dict[str, float] = {}
        for key, score in self.part_scores.items():
            row, _, name = key.rpartition("/")
            if (name == WHOLE or name in parts) and name not in exclude and row in ("", slug):
                allowed[name] = allowed.get(name, 0.0) + score
        total = sum(allowed.values())
        if total < min_mass:
            return WHOLE
        best = max(allowed, key=allowed.get) if allowed else WHOLE
        return best if best != WHOLE and total and allowed[best] / total >= threshold else WHOLE


# "We're looking at Flyte, Dagster+, Prefect Cloud, or Metaflow": a sentence that tells which options are weighed.
_WEIGHING = re.compile(r"\b(?:looking at|considering|evaluating|comparing|shortlist\w*|options?|alternatives?|"
                       r"choos\w+|deciding|candidates?|weighing)\b")
# "Airflow vs Dagster", "Snowflake versus BigQuery": options weighed against each other.
_VERSUS = re.compile(r"\b(?:vs\.?|versus)\s")
# A clause that opens with its verb ("have measured utilisation above 85%", "pay about $9k a month"): the subject is in
# the clause before it.
_SUBJECTLESS = re.compile(r"\s*(?:have|has|had|are|is|was|were|do|does|did|need|needs|want|wants|run|runs|use|uses|pay|"
                          r"pays|spend|spends|measured|saw|see|got|get|gets|keep|keeps|plan|plans|can|cannot|could|will|"
                          r"would|should|must|may)\b")


# A clause that opens like a question asks, whatever its punctuation ("should we use Arize").
_QUESTION_START = re.compile(r"^\W*(?:so |and |but |ok |then )?(?:should|shall|do|does|did|can|could|would|will|is|are|"
                             r"what|which|how|who|why|when|where|any|if|or)\b")


# "Albanian law says that data never leaves our cluster", "privilege rules and our engagement letters say the documents
# stay in our own data centre": a rule said to say where data stays obliges as much as "must".
# A strict duty said in the same clause as where data must be ("our prompt logs must stay in the EU"): a rule on where
# data lives, whoever set it.
# "nothing leaves the EU", "no customer data leaves our account": an absolute said as a fact is a rule too.
_MUST = re.compile(r"\b(?:must|has to|have to|may only|can only|must not|may not|cannot|can't|not allowed to|is not allowed)\b|"
                   r"\b(?:nothing|no (?:\w+ ){0,2}(?:data|records|files|documents|audio|images|prompts|traces))\s+"
                   r"(?:ever )?(?:leaves|goes (?:outside|out of|abroad)|is sent (?:outside|abroad)|crosses)\b")
_OBLIGED = re.compile(r"\b(?:must|has to|have to|may only|can only|cannot|can't|can not|may not|must not|not allowed|"
                      r"forbid\w*|prohibit\w*|required|requires?|needs?|mandat\w*|by law|only|never|"
                      r"(?:rules?|laws?|acts?|contracts?|letters?|policy|policies|regulations?|agreements?) "
                      r"(?:say|says|state|states|require|requires|dictate|dictates)|"
                      # the rule as the one that holds the data somewhere ("national law keeps the records in the country")
                      # ... or with its other parties between ("Czech law and our contracts with the schools keep ...")
                      r"(?:rules?|laws?(?! firms?)|acts?|regulations?|regulators?|supervisors?|policy|policies|contracts?) "
                      r"(?:[\w']+ ){0,6}?(?:keeps?|holds?|forces?|obliges?|binds?|confines?|restricts?|limits?|ties?))\b")
# The sides of an either-or ("one platform, or assemble our own?", "X vs Y").
# "... make sense for us, or not?" asks yes or no, it weighs nothing against it.
_EITHER = re.compile(r"\b(?:or|vs\.?|versus)\b(?!\s+not\b)")
# "... together ourselves instead of one big platform": the alternative set aside, not the subject asked about.
_SET_ASIDE = re.compile(r"\b(?:instead of|rather than)\s+(?:(?:paying for|buying|adopting|using|going with|a|an|the|one|"
                        r"single|big|end-to-end|managed|whole)\s+){0,4}[\w-]+(?:\s+platform)?")
# Currency names, for money counted coin by coin ("every rupee is watched", "we count every lempira").
_CURRENCIES = (r"dollar|euro|pound|rupee|cent|penny|franc|krona|krone|peso|real|rand|shekel|lira|dinar|dirham|naira|"
               r"shilling|yen|won|zloty|koruna|forint|leu|baht|ringgit|rupiah|dong|birr|cedi|kwacha|lev|taka|som|tenge|"
               r"lari|dram|lempira|quetzal|colon|sol|boliviano|guarani|kip|riel|kyat|rial|riyal|hryvnia|ruble|rouble|"
               r"manat|pula|metical|kwanza|leone|gourde|cordoba|ariary|afghani|kuna|lek|denar|mark|tugrik|togrog")
_TIGHT_BUDGET = re.compile(r"\b(?:tiny|small|tight|limited|shoestring|modest|minimal|minuscule|meagre|meager|"
                           r"constrained|very low|low)\s+(?:\w+\s+)?budgets?\b|"
                           # "every rupee is watched", "every dollar hurts": money counted coin by coin
                           r"\bevery (?:single )?(?:" + _CURRENCIES + r") (?:counts|is watched|is counted|matters|hurts|is precious)\b|"
                           # "we count every lempira right now", "watching every cent": the same, told as a verb
                           r"\b(?:count|counting|counts|watch|watching|watches|pinch|pinching|squeeze|squeezing) every (?:single )?"
                           r"(?:" + _CURRENCIES + r"|pennies|coin)s?\b|"
                           # "the owners cut IT spending to almost nothing", "paid out of our own savings"
                           r"\b(?:cut|cuts|slashed|slash|froze|frozen)\b[^.;?!]{0,40}?\bto (?:almost |nearly |practically |"
                           r"next to |close to )?(?:nothing|zero|the bone)\b|\bout of (?:our|my) own (?:savings|pockets?)\b|"
                           # "the board will not approve anything this year", "tooling spend is capped at €1,500 a
                           # month", "no new subscriptions": spending held to a cap or stopped is money that is short
                           r"\b(?:will not|won't|wont|refuses? to|never) (?:approve|sign off on|fund|pay for) (?:any|anything|new|more)\b|"
                           r"\b(?:budget|spend|spending|tooling|tools?|costs?)\b[^.;?!]{0,20}?\bcapped at\b|"
                           # "finance capped the whole ML spend at €4,000 a month", "a hard cap of 250 EUR per month on
                           # all our tooling": the same cap told the other way round
                           r"\bcap(?:ped|s)? (?:the |our |all |whole |total |entire )*(?:[\w-]+ ){0,2}(?:budget|spend|"
                           r"spending|tooling|tools|costs?)\b[^.;?!]{0,20}?\bat\b|"
                           r"\b(?:cap|ceiling|limit) of [^.;?!]{0,30}?\bon (?:all |the |our |whole |total )*(?:[\w-]+ ){0,2}"
                           r"(?:tooling|tools|spend|spending|software|budget|subscriptions)\b|"
                           r"\bno new (?:subscriptions|spend|spending|tools|licen[cs]es|vendors)\b|\bspending freeze\b")
_PAST = re.compile(r"\b(?:had|used to|was|were|no longer|anymore|any more|is over|'s over|behind us|not any)\b")
# A language model, named, or known by what it does for them: an assistant or chatbot that answers, drafts or summarises.
_LANGUAGE_MODEL = re.compile(r"\b(?:llms?|large language models?|language models?|open[- ]weights? models?|gpt-?\w*|"
                             r"claude|llama|mistral|gemini|qwen|(?:ai |internal |chat )?assistants?|chat ?bots?|"
                             r"copilots?|genai|generative ai|rag|retrieval[- ]augmented)\b")
_MODELS_NAMED = re.compile(r"\b(?:models?|ml|machine learning|predictions?|classifiers?|llms?|embeddings?|"
                           r"training (?:runs?|jobs?|data)|fine-tun\w*|inference)\b")
_RULE_NAMED = re.compile(r"\b(?:constraint|requirement|rule|restriction|limitation|condition|clause|obligation)s?\b")


# "An investor proposes we buy 2 DGX nodes and put them in a colo": machines only proposed are not theirs.
_PROPOSED = re.compile(r"\b(?:propos\w*|suggest\w*|wants? (?:us )?to|plan(?:s|ning)? to|consider\w*|thinking (?:of|about)|"
                       r"should we|could we|would we|whether to|to buy|to purchase|(?:we|us) buy|(?:we|us) purchase|"
                       r"quoted?|offer\w* to sell|"
                       # "(3) buy one 8x H100 server and put it in our own data centre", "or buy a DGX": an option listed
                       r"(?:\d{1,2}|[a-e])\)?\s+(?:buy|purchase|order)|\bor (?:to )?(?:buy|purchase))\b")


# The two topics that argue one side, and the words that name the side an asking sentence wants argued.
# "for each ML component", "across all our infrastructure pieces": every component at once, none in particular.
_EVERY_COMPONENT = re.compile(r"\b(?:each|every|all(?: (?:of )?(?:our|the))?|the various) (?:ml |ai |ml/ai |infrastructure |infra )?"
                              r"(?:components?|pieces?|parts of (?:the|our) (?:stack|platform)|build[- ]or[- ]buy decisions?)\b")
_WHOLE_STACK = re.compile(r"(?:whole|entire|full|complete) ml stack")
_ARGUED = ("arguments-for-building", "arguments-for-buying")
_ARGUED_SIDE = re.compile(r"\b(?:reasons?|case|arguments?|argue|why) (?:for |to |in favou?r of )?(?:(?:we |one |you )?"
                          r"(?:should )?)(buy\w*|build\w*)\b|"
                          # "when does rolling our own come out ahead of buying?": the side said to win
                          r"\b(build\w*|rolling our own|writing our own|buy\w*)\b[^.?!]{0,50}\b(?:come|comes) out ahead\b")


# "Two camps: buy Databricks (we're already on Azure) or build our own with Kubeflow": a product after an option's
# verb, with no word of use between, is one side of the choice, not what they run.
_OPTION_VERB = re.compile(r"\b(?:buy|buying|build|building|adopt|adopting|go with|going with|(?:move|moving|switch|"
                          r"switching|migrate|migrating) (?:over )?to|replace \w+ with)\b")


def _proposed_at(lex: Lexicon, clause: str, at: int) -> bool:
    """Whether the words just before the product at `at` propose it, not tell a choice made ("we decided to buy")."""
    start = max(0, at - 40)
    m = _PROPOSED.search(clause, start, at)
    return m is not None and not any(u.start() <= m.start() < u.end() for u in lex.in_use.finditer(clause))


def _offered(lex: Lexicon, clause: str, at: int) -> bool:
    """Whether the product at `at` follows an option's verb with no word of use after that verb."""
    verbs = [m for m in _OPTION_VERB.finditer(clause, 0, at)]
    if not verbs:
        return False
    # "we decided to buy Databricks" tells a choice made: the verb is inside the words of use.
    if any(m.start() <= verbs[-1].start() < m.end() for m in lex.in_use.finditer(clause)):
        return False
    return not lex.in_use.search(clause[verbs[-1].end():at])


# A rule scoped away from the asker's data ("the on-prem rule only covers patient records", "it applies to customer
# personal data", "was a misunderstanding"): a permission after it is the rule's last word for their data.
# Machines they own put to shared use ("200 GPUs we own, shared by 90 researchers"): a load, not just what they have.
_SHARED_LOAD = re.compile(r"\bshar(?:e|es|ed|ing)\b|\bsubmit\w*\b|\b\d+ (?:\w+ )?(?:engineers|researchers|scientists|users|"
                          r"teams)\b")
_OPTIONS_LISTED = re.compile(r"\b(?:options?|alternatives?|choices|candidates|shortlist(?:ed)?|on the table|"
                             r"(?:we(?:'re| are)|i(?:'m| am)) (?:looking at|considering|weighing|evaluating))\b")
# Products weighed in the past tense ("We looked at Statsig, Eppo and GrowthBook"): with `_OPTIONS_LISTED`, a sentence
# that lists the options for infrastructure with no row.
_WEIGHED_BEFORE = re.compile(r"\b(?:we|i) (?:have )?(?:looked at|considered|weighed|evaluated|compared|shortlisted|"
                             r"got (?:quotes|demos|pitches) from)\b")
_OWN_ITEM = re.compile(r"\b(?:our own|ourselves|ourself|in[- ]house|homegrown|home-grown)\b")
_WORRY = re.compile(r"\b(?:nervous|worr(?:y|ied|ies|ying)|afraid|scared|wary|concern(?:ed|s)?|uneasy|fears?|feared|"
                    r"anxious|paranoid|dread)\b")
_HELD_UNTIL = re.compile(r"\b(?:reserved|reservation|contract|lease[ds]?|leasing|credits?|licen[cs]es?|subscriptions?|"
                         r"commit(?:ted|ment)|valid|expir\w*|paid|prepaid|renewal|term)\b[^.;!?]{0,40}$", re.IGNORECASE)
_SCOPED = re.compile(r"\bonly (?:covers?|applies|apply|concerns?|affects?|relates? to)\b|\bappl(?:y|ies) (?:only )?to\b|"
                     r"\b(?:does|do) not (?:cover|apply)\b|\bmisunderstanding\b|\bnot (?:covered|in scope)\b|"
                     r"\b(?:is|are)(?:n't| not) true for\b|\bdoes(?:n't| not) hold for\b|\bnot the case for\b")


# A fragment that narrows the question to one piece ("Just the registry part.", "Specifically the GPUs themselves.").
_NARROWING = re.compile(r"^\W*(?:specifically|just|only|mainly|in particular|particularly|focus(?:ing)? on)\b")
# A bare question that judges the sentence before it, naming nothing itself.
_JUDGES_PREVIOUS = re.compile(r"^(?:and |so |but |ok,? |okay,? )?(?:why(?: not)?|is (?:he|she|they|that) right|who is right|"
                              r"thoughts|agree|fair|makes sense|does that make sense|yes or no|good idea|(?:the )?right call|"
                              r"sensible|wise|smart)\s*[?!.]*$")


def _points_back(lex: Lexicon, sentence: str) -> bool:
    """Whether a short question names nothing and points back at the sentence before it ("Write it or adopt one?"),
    not one that names its subject ("The scheduler: write our own or adopt one?")."""
    if _JUDGES_PREVIOUS.match(sentence.strip()):
        return True  # "He says we don't need a golden dataset ... Why not?" judges what was just said
    return len(sentence.split()) <= 8 and re.search(r"\b(?:it|this|that|these|those|them)\b", sentence) is not None \
        and not lex.hits(sentence)


def _permits(lex: Lexicon, clause: str) -> bool:
    """Whether a clause permits what a data rule would forbid ("so cloud is allowed"), not "no cloud is allowed"."""
    return any(not re.search(r"\b(?:no|not|never|nor|neither)\s+(?:\w+\s+)?$", clause[:m.start()])
               for m in lex.permits.finditer(clause))


def _names(condition: str, text: str) -> bool:
    """Whether `text` uses the condition's own word ("regulated", "lock-in", "budget", "scale", "early")."""
    return any(re.search(rf"\b{re.escape(w)}", text) for w in condition.split("-") if len(w) > 2)


# "A Zilliz rep claims it is "10x faster" and "scales to billions of vectors"": what a seller claims, in quotes, is
# their pitch, not the asker's size or load.
_CLAIMED = re.compile(r"\b(?:claim\w*|pitch\w*|promis\w*|advertis\w*|market\w*|brochure|sales\w*|rep|account exec\w*|"
                      r"vendor|they say|says|said|boast\w*|tout\w*|deck)\b", re.IGNORECASE)
_QUOTED = re.compile(r"[\"“”]([^\"“”]{3,120})[\"“”]")


# "A vendor rep showed us KServe doing 10,000 requests a second in a benchmark", "a hardware reseller sent us a TCO sheet
# claiming that owning 32 H100s pays for itself", "a chip vendor's published benchmark says ...": a seller's figures,
# told without quotes, are still their pitch (a price they quoted is no claim: it is what the asker would pay).
_SELLER = re.compile(r"\b(?:vendor|vendor's|rep|reps|reseller|resellers|salesperson|sales (?:team|engineer|rep|deck|pitch)|"
                     r"account exec\w*|their (?:benchmark|website|marketing|docs|brochure|case stud\w+)|published "
                     r"benchmarks?|case stud(?:y|ies)|white ?paper|brochure|marketing (?:page|material|deck))\b",
                     re.IGNORECASE)
_SELLER_SAYS = re.compile(r"\b(?:claim\w*|show(?:s|ed|n)?|demo\w*|promis\w*|advertis\w*|says|said|boast\w*|tout\w*|"
                          r"benchmark\w*|sheet)\b", re.IGNORECASE)
# "We measured lookups at 38 ms p99 ... and neither vendor could show us a fix": their own measurement is evidence.
_OWN_MEASURE = re.compile(r"\b(?:we|our (?:team|engineers?|tests?|pilot|trial)|i)\s+(?:\w+\s+)?(?:measured|ran|tested|"
                          r"benchmarked|saw|observed|clocked|recorded)\b|\b(?:neither|no|none of the) vendors?\b",
                          re.IGNORECASE)
# Nobody paying for it: what earns them money is something else ("plumbing that nobody pays us for").
_NOBODY = re.compile(r"\b(?:nobody|no one|no-one|no customers?|no clients?|none of (?:our|the) (?:customers|clients))\b")
# A figure someone measured ("55% of p99", "31 ms", "3x"): products tried on it are judged in numbers, not in feelings.
_MEASURED_FIGURE = re.compile(r"\b\d+(?:[.,]\d+)?\s?(?:%|percent|ms|milliseconds?|x)(?!\w)|\bp9\d\b|\d%")
_MONEY_SIGN = re.compile(r"[$€£¥₹]|\b(?:usd|eur|gbp|chf|dollars?|euros?|pounds?)\b", re.IGNORECASE)


def _seller_sentences(question: str) -> list[str]:
    """Whole sentences that tell a seller's figures unquoted (their numbers are no size or evidence of the asker's)."""
    return [m.group(0).strip() for m in re.finditer(r"[^.!?]+[.!?]?", question)
            if _SELLER.search(x := m.group(0)) and _SELLER_SAYS.search(x) and re.search(r"\d", x)
            and not _MONEY_SIGN.search(x) and not _OWN_MEASURE.search(x)]


def _pitched(question: str) -> list[str]:
    """Quoted phrases a seller's claim introduces (the claim verb within the 80 characters before the first quote, or
    a quote that follows another pitched one closely)."""
    out, last = [], -1000
    for m in _QUOTED.finditer(question):
        before = question[max(0, m.start() - 80):m.start()]
        if _CLAIMED.search(before) or m.start() - last < 40:
            out.append(m.group(1))
            last = m.end()
    return out


def _as_written(q, question: str):
    """The quantity with the asker's own spelling ("64 GPUs", not the normalised "64 gpus"), when found."""
    m = re.search(re.escape(q.text).replace(r"\ ", r"\s+"), question, re.IGNORECASE)
    if m:
        return q.model_copy(update={"text": m.group(0)})
    said = _spelled(q.text, question)  # "4 ml engs plus a team of 7" was "4 ML engs + a team of 7"
    return q.model_copy(update={"text": said}) if said != q.text else q


# How a hypothetical opens ("what if", "suppose", "imagine", "if"): a condition said in such a clause is supposed,
# not told.
HYPOTHETICAL = re.compile(r"^(?:and |so |but |ok |okay )?(?:what (?:if|about if|happens if)|suppose|supposing|say|"
                          r"imagine|hypothetically,?|let'?s say|assume|assuming|if)\s+(?:that\s+)?", re.IGNORECASE)


_SYMBOL_WORDS = {"+": "plus", "<": "under", "<=": "under", "≤": "under", ">": "over", ">=": "over", "≥": "over"}


@lru_cache(maxsize=64)
def _asker_words(question: str) -> tuple[tuple[str, int, int], ...]:
    """The question's words as normalize() spells them, each with where the asker wrote it.

    Each whitespace-separated piece is normalised on its own, so "we're" maps to "we are" and "Run:ai's" to
    "run ai" with the piece's place in the question; a piece that keeps its word count maps word for word.
    """
    out = []
    for piece in re.finditer(r"\S+", question):
        # A symbol standing alone that normalize() reads as a word: "4 engs + 7", "p99 < 5 ms".
        after = question[piece.end():].lstrip()[:2]
        symbol = _SYMBOL_WORDS.get(piece.group()) if piece.group() == "+" or re.match(r"[~$€£]?\d", after) else None
        norm = [symbol] if symbol else re.findall(r"\w+", normalize(piece.group()))
        if symbol:
            out.append((symbol, piece.start(), piece.end()))
            continue
        raw = list(re.finditer(r"[^\W_]+(?:['\u2019][^\W_]+)?%?", piece.group()))
        if len(raw) == len(norm):
            out += [(w, piece.start() + m.start(), piece.start() + m.end()) for w, m in zip(norm, raw)]
        elif raw:
            start, end = piece.start() + raw[0].start(), piece.start() + raw[-1].end()
            out += [(w, start, end) for w in norm]
    return tuple(out)


def _spelled(clause: str, question: str) -> str:
    """A normalised clause as the asker wrote it ("85% for a year", "A100s", "we're"), when it can be found."""
    words = re.findall(r"\w+", clause)
    asked = _asker_words(question)
    seq = [w for w, _, _ in asked]
    for i in range(len(seq) - len(words) + 1):
        if seq[i:i + len(words)] == words:
            start, end = asked[i][1], asked[i + len(words) - 1][2]
            if end < len(question) and question[end] == "%":
                end += 1
            # Brackets are dropped: "[1]" typed by the asker must never read as one of our citation markers.
            return re.sub(r"[\[\]]", "", question[start:end])
    return clause


def _effort_only(clause: str) -> bool:
    """Whether the only people a clause counts are the ones a build would take ("with 4 engineers over 9 months")."""
    kinds = {q.kind for q in extract(clause)}
    return "build_engineers" in kinds and not kinds & {"engineers", "headcount", "teams"}


def _sentence_at(text: str, at: int, end: int | None = None, stops: tuple[str, ...] = (".", "?", "!", "\n")) -> str:
    """The sentence of `text` that holds `text[at:end]`, without its stop; `stops` end a sentence ("2.9" is no end
    with `(". ", "? ", "! ")`)."""
    start = max(text.rfind(c, 0, at) for c in stops) + 1
    ends = [e for e in (text.find(c, at if end is None else end) for c in stops) if e >= 0]
    return text[start:min(ends) if ends else len(text)]


def _asked_at(text: str, start: int, end: int) -> bool:
    """Whether the sentence of `text` that holds `text[start:end]` is a question (it ends with "?")."""
    ends = [e for e in (text.find(c, end) for c in (". ", "? ", "! ", "\n")) if e >= 0]
    stop = min(ends) if ends else len(text.rstrip())
    tail = text[stop:stop + 1] if ends else text.rstrip()[-1:]
    return tail == "?"


def _listed_in(norm: str, phrase: str) -> bool:
    """Whether a name (as the lexicon matched it, punctuation folded) is named in a sentence listing the options."""
    want = re.compile(rf"(?<![\w-]){re.escape(phrase.strip())}(?![\w-])")
    return any(_OPTIONS_LISTED.search(x) and want.search(words_only(x).replace("-", " ") + " " + words_only(x))
               for x in re.split(r"(?<=[.?!])\s+|\n+", norm))


def _sentence_around(text: str, clause: str) -> str:
    """The sentence of `text` that holds `clause` (both normalised); the clause itself when it is not found."""
    at = text.find(clause)
    return clause if at < 0 else _sentence_at(text, at, at + len(clause))


_SPACED_STOPS = (". ", "? ", "! ")  # a full stop inside a figure ("1.2 million") ends no sentence


def _sentence_of(part: str, question: str) -> str:
    """The asker's sentence that holds `part` ("We spend $80k a month ... for a year"), without its stop."""
    for sentence in re.split(r"(?<=[.!?])\s+", re.sub(r"[\[\]]", "", question)):
        if part in sentence and not sentence.rstrip().endswith("?"):
            # "Follow-up, what if the facts change: a partner offers us 32 H100s": the lead-in before a colon is no
            # part of the fact.
            lead = sentence.rfind(": ", 0, sentence.find(part))
            return sentence[lead + 2 if lead >= 0 else 0:].rstrip(" .!")
    return part


def _in_brackets(question: str, phrase: str) -> bool:
    """Whether every mention of `phrase` in the question as written sits inside round brackets."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"\([^()]*\)", question)]
    at = [m.start() for m in re.finditer(re.escape(phrase.strip()), question, re.IGNORECASE)]
    return bool(at) and all(any(a <= i < b for a, b in spans) for i in at)


# The act of an asking clause read alone, as the second ask it makes beside the turn's own (Reading.also keys).
_SECOND_ASK = {"build-part": "build", "risks": "risks", "cost": "cost", "implement": "rollout", "switch": "leave"}


class Reader:
    """Applies the trained heads and the quantity thresholds to a turn."""

    def __init__(self, lexicon: Lexicon, heads: Heads, thresholds: Thresholds, embed_spans,
                 condition_threshold: float = 0.5, scope_threshold: float = 0.85, refusal_threshold: float = 0.5,
                 negation_without_cue: float = 0.7, words=None, echo_words: int = 25, off_topic_veto: float = 0.8,
                 act_asking_min_words: int = 6, clause_support_min: float = 0.25, part_row_min: float = 0.35,
                 asked_row_min: float = 0.45, asked_row_background_max: float = 0.1,
                 asked_row_whole_min: float = 0.05, asked_row_min_words: int = 12, named_row_min: float = 0.3,
                 second_ask_min: float = 0.8, listed_row_max: float = 0.5, named_part_row_max: float = 0.6):
        self.lex = lexicon
        self.heads = heads
        self.thresholds = thresholds
        self.embed_spans = embed_spans  # see LocalEmbeddings.embed_spans
        self.condition_threshold = condition_threshold
        self.scope_threshold = scope_threshold
        self.refusal_threshold = refusal_threshold
        self.off_topic_veto = off_topic_veto
        self.negation_without_cue = negation_without_cue
        self.act_asking_min_words = act_asking_min_words
        self.clause_support_min = clause_support_min
        self.part_row_min = part_row_min
        self.asked_row_min = asked_row_min
        self.asked_row_background_max = asked_row_background_max
        self.asked_row_whole_min = asked_row_whole_min
        self.asked_row_min_words = asked_row_min_words
        self.named_row_min = named_row_min
        self.second_ask_min = second_ask_min
        self.listed_row_max = listed_row_max
        self.named_part_row_max = named_part_row_max
        self.echo_words = echo_words  # the longest sentence echoed whole when its clause is a fragment
        self._words = words  # () -> the embedding model's whole words, to tell a misspelt name from another term
        self._known: frozenset[str] | None = None

    def read(self, question: str) -> Reading:
        cleaned, injected = self.lex.strip_injection(question)
        norm = normalize(cleaned)
        r = Reading(question=question, normalized=norm, injection=injected,
                    anaphoric=bool(self.lex.anaphora.search(norm)), managed_cue=bool(self.lex.managed.search(norm)),
                    asks_need=bool(self.lex.need.search(norm)), asks_numbers=bool(self.lex.numbers_asks.search(norm)),
                    asks_move=bool(self.lex.move_asks.search(norm)),
                    yes_no=bool(self.lex.yes_no.search(norm)),
                    asks_call=bool(self.lex.asks_decision.search(norm)), estimate=self.lex.estimate(norm),
                    adopted=bool(self.lex.adopted.search(norm)), cloud=self.lex.cloud(norm),
                    adopted_in=[x for x in re.split(r"(?<=[.?!;])\s+", norm) if self.lex.adopted.search(x)],
                    kubernetes=self.lex.kubernetes(norm),
                    proposal=bool(self.lex.proposal.search(norm)), both_sides=bool(self.lex.both_sides.search(norm)),
                    asks_whole=bool(self.lex.whole_asks.search(norm)),
                    compares=bool(self.lex.compare_asks.search(norm)), incumbent=bool(self.lex.incumbent.search(norm)),
                    several=bool(self.lex.several_asks.search(norm)), no_ml=bool(self.lex.no_ml.search(norm)),
                    recheck=bool(self.lex.recheck.search(norm)), new_topic=bool(self.lex.new_topic.search(norm)),
                    hosting_is_build=bool(self.lex.hosting_is_build.search(norm)),
                    how_to_move=bool(self.lex.how_to_move.search(norm)),
                    also=[ask for ask, rx in self.lex.also_asks.items() if rx.search(norm)],
                    leaving_build=bool(self.lex.leaving_build.search(norm)), supposes=bool(self.lex.supposes.search(norm)),
                    self_hosting=bool(self.lex.self_hosting.search(norm)),
                    paid_service=bool(self.lex.paid_service.search(norm)),
                    build_alternative=bool(self.lex.build_alternative.search(norm)),
                    names_nothing=self.lex.names_nothing(norm))
        if not norm:
            r.act = "off-topic"
            return r
        moved, way = self.lex.switch_asks.search(norm), self.lex.how_to_move.search(norm)
        r.size_first = bool(moved and way and moved.start() < way.start())
        spans = self.lex.clause_spans(norm)
        clauses = [norm[s:e] for s, e in spans] or [norm]
        texts = [norm, *clauses] if len(clauses) > 1 else [norm]
        # One encoder run: the turn's vector, and a second row in which each clause reads only itself.
        E = self.embed_spans([norm], [spans if len(spans) > 1 else []])[0]
        G = ngrams_sparse(texts)
        # The clauses that tell rather than ask: what the asker says of their situation.
        told = [norm[e:e + 1] != "?" and not _QUESTION_START.match(c) for (_, e), c in zip(spans, clauses)]
        r.clauses = [c for c, t in zip(clauses, told) if t] if len(clauses) > 1 else []
        r._clause_vectors = E[1:][told] if len(clauses) > 1 else None
        # "We run a ticketing platform" is a letter away from "Run:ai" in real words: no typo of the product's name.
        hits = [h for h in self.lex.as_written(self.lex.hits(norm), question)
                if h.by_name or not h.seen or self._misspelt(h)]
        if any(h.doc for h in hits):
            # Only products the turn names for real ("We run a call-centre" is not Run:ai).
            real = {h.doc for h in hits if h.doc}
            # "He wants to run Dagster OSS on the ECS cluster we already have": what is proposed is not in use, only
            # the cluster it would run on.
            running = [h.doc for c, t in zip(clauses, told) if t and self.lex.in_use.search(c)
                       for h in self.lex.as_written(self.lex.hits(c), question) if h.doc in real
                       and not _proposed_at(self.lex, c, h.start)
                       and not _offered(self.lex, c, h.start)]
            r.in_use = bool(running)
            r.running = list(dict.fromkeys(running))
        r.rejected = self.lex.ruled_out(clauses)
        r.regimes = self.lex.regimes(norm)
        # Where data may live is told, not weighed: "Options: Fivetran, self-hosted Airbyte on our GKE, ..." names a
        # place an option would run, and says nothing of a rule.
        r.data_location = next((m.group(0) for m in self.lex.data_location.finditer(norm)
                                if not _OPTIONS_LISTED.search(_sentence_at(norm, m.start(), m.end()))), "")
        r.shortlist = bool(self.lex.shortlist.search(norm))
        r.destination = m.group(1) if self.lex.destination and (m := self.lex.destination.search(norm)) else ""
        # Told, not asked: "do we need our own cluster?" or "would owning GPUs in a colo be cheaper?" weighs owning.
        r.model_product = m.group(0) if (m := self.lex.sells_model.search(norm)) else ""
        owned = [m.group(0) for m in self.lex.owned_hardware.finditer(norm)
                 if not _asked_at(norm, m.start(), m.end()) and not _PROPOSED.search(
                     re.split(r"[.?!;]", norm[max(0, m.start() - 80):m.start()])[-1])]
        # The machines told with their count ("we already own 4 servers with 8x a100") say more than "our own servers".
        r.owns_hardware = next((o for o in owned if re.search(r"\d", o)), owned[0] if owned else "")
        # "compliance confirmed that Azure OpenAI in Switzerland North is acceptable": the exception the rule allows.
        r.approved_provider = m.group(0) if (m := self.lex.approves_provider.search(norm)) and not re.search(
            r"\b(?:not|never|no longer|won't|will not|refused|rejected)\b", m.group(0)) else ""
        # "Compliance withdrew the approval this morning, so nothing is approved after all": the exception is gone.
        r.withdraws_approval = bool(self.lex.withdraws_approval.search(norm)) and not r.approved_provider
        if self.lex.disowned_hardware.search(norm):
            # "From January we own no hardware at all": the machines told before are not theirs to run.
            r.owns_hardware, r.disowns_hardware = "", True
        r.faults_plan = bool(self.lex.faults_plan.search(norm))
        r.asks_turning = bool(self.lex.turning_asks.search(norm))
        # "32 H100 reserved at Lambda (until June)", "credits expiring next year": when something they hold runs out
        # is no date the work must meet.
        when = next((m for m in self.lex.deadline.finditer(r.question)
                     if not _HELD_UNTIL.search(r.question[max(0, m.start() - 60):m.start()])), None)
        r.deadline = when.group(0) if when else ""
        r.stack = self.lex.stack(norm)
        # "Is Azure APIM enough as our LLM gateway?": the tool judged, however it is spelt there.
        r.judged = [t for x in re.split(r"(?<=[.!?])\s+|\n", norm) if ENOUGH_WORDS.search(x)
                    for t in self.lex.stack(x)] if r.stack else []
        r.kept = self.lex.kept(cleaned) if r.stack else ""
        x = Features(turn_dense(self.lex, norm, E[0], hits)[None, :], G[0])
        # The sentences that ask (a question mark, or question words without it), when others tell the background.
        # A stop inside a word or a figure ("gpt-4.1", "1.5k") ends no sentence.
        sents = [(m.start(), m.end()) for m in re.finditer(r"(?:[^.!?\n]|[.!?](?=[^\s.!?]))*[^.!?\n\s]"
                                                           r"(?:[^.!?\n]|[.!?](?=[^\s.!?]))*[.!?]*", norm)]
        asking = [(b, e) for b, e in sents if norm[b:e].rstrip().endswith("?") or self.lex.asks_decision.search(
            norm[b:e]) or any(ASKS.match(c) for c in re.split(r"[,:;]\s*", norm[b:e]))] if len(sents) > 1 else []
        xa = None
        if asking and len(asking) < len(sents) and len(spans) > 1:
            # The part as the asking sentences alone say it: background that settles one part ("Registry is
            # MLflow, fine.") pulls the whole turn's reading toward the row; the planner may use this instead.
            inside = [k for k, (b, _) in enumerate(spans) if any(sb <= b < se for sb, se in asking)]
            if inside:
                text = " ".join(norm[b:e] for b, e in asking)
                v = E[[k + 1 for k in inside]].mean(axis=0)
                xa = Features(turn_dense(self.lex, text, v / (np.linalg.norm(v) + 1e-12),
                                         self.lex.as_written(self.lex.hits(text), question))[None, :],
                              ngrams_sparse([text])[0])
                # "I want one internal front door that all model calls go through. Write it or adopt one?": a short
                # question that points back asks about the sentence before it, so the part is read with it.
                pointed = [sents[i - 1] for i, x in enumerate(sents) if i and x in asking and sents[i - 1] not in asking
                           and _points_back(self.lex, norm[x[0]:x[1]])]
                with_pointed = [k for k, (b, _) in enumerate(spans) if any(sb <= b < se for sb, se in [*pointed, *asking])]
                xp = xa
                if len(with_pointed) > len(inside):
                    ptext = " ".join(norm[b:e] for b, e in sorted([*pointed, *asking]))
                    v = E[[k + 1 for k in with_pointed]].mean(axis=0)
                    xp = Features(turn_dense(self.lex, ptext, v / (np.linalg.norm(v) + 1e-12),
                                             self.lex.as_written(self.lex.hits(ptext), question))[None, :],
                                  ngrams_sparse([ptext])[0])
                r.asked_part_scores = dict(zip(self.heads["part"].classes,
                                               self.heads["part"].proba(xp)[0].round(4).tolist()))
        # After a long background the component, like the act, is read from the whole turn and the asking sentences
        # together ("Fashion retailer ... fine-tune a vision-language model monthly ... Should we rent cloud GPUs or buy
        # our own server?" asks about GPU compute, whatever model the background names).
        long_ask = xa is not None and len(" ".join(norm[b:e] for b, e in asking).split()) >= self.act_asking_min_words
        self._components(r, x, hits, [a for a in (words_only(norm[b:e]) for b, e in asking) if a],
                         [h.doc for h in hits if h.slug == OTHER and any(b <= h.start < e for b, e in asking)],
                         also=xa if long_ask else None,
                         told_ask=len(" ".join(norm[b:e] for b, e in asking).split()) >= self.asked_row_min_words)
        if asking and len(asking) < len(sents):
            # "... the person who wrote the serving layer left. Is it still worth staying on our own platform?": a row
            # named only in a sentence that tells, never in one that asks.
            # Only when the sentence that asks asks the thread's call again ("is it still worth ...?"); "Same setup,
            # now for model monitoring: ... Build or buy for that?" moves the thread to the row it names.
            told_rows = {h.slug for h in hits if h.by_name and h.slug != OTHER}
            r.background_rows = sorted(told_rows - {h.slug for h in hits if h.by_name and any(
                b <= h.start < e for b, e in asking)}) if any(self.lex.asks_again.search(norm[b:e])
                                                              for b, e in asking) else []
            # "A wiki page says which one is in production" tells; only a sentence that asks asks about several rows.
            r.several = r.several and any(self.lex.several_asks.search(norm[b:e]) for b, e in asking)
            # "credit risk scoring, 4 models ... does Evidently cut it?": the risks asked about are in a sentence that
            # asks, not a word of the business they describe.
            # So are a rollout or KPIs ("20B rows a year and growing with the smart-meter rollout").
            r.also = [a for a in r.also if a not in ("risks", "rollout", "measures", "hosting") or any(
                self.lex.also_asks[a].search(norm[b:e]) for b, e in asking)]
            # Everything named sits in the sentences that tell ("our warehouse is BigQuery ... does that change
            # things?"): the question itself names nothing.
            r.told_only = not any(b <= h.start < e for h in hits for b, e in asking)
        # "For the model registry itself, should we write one?": a part named in its own words where the turn asks.
        # A short question that points back names its part in the sentence before it (see asked_part_scores).
        pointed = [sents[i - 1] for i, x in enumerate(sents) if i and x in asking and sents[i - 1] not in asking
                   and _points_back(self.lex, norm[x[0]:x[1]])]
        # "Just the drift-detection tool itself, please. Money is tight. Write one or use one?": a fragment that
        # narrows the question names its part as the asking sentence would.
        pointed += [x for x in sents if x not in asking and x not in pointed and _NARROWING.match(norm[x[0]:x[1]])]
        r.named_parts = self.lex.part_names(_SET_ASIDE.sub(" ", " ".join(norm[b:e] for b, e in [*pointed, *asking])
                                                           if asking else norm))
        r.joined_parts = self.lex.joined_part_names(" ".join(norm[b:e] for b, e in [*pointed, *asking])
                                                    if asking else norm)
        rows = {k.split("/")[0] for k in r.named_parts}
        if len(rows) == 1 and r.component and r.component not in rows and \
                r.confidence.get("component", 1.0) < self.named_part_row_max:
            # "... wants one single platform from one vendor for all our ML, from notebooks to serving. Yes or no?": a
            # part named in its own words where the turn asks names its row, when the head's pick is unsure.
            r.component = next(iter(rows))
            r.components = [r.component, *(c for c in r.components if c != r.component)]
        # A part named on one side of an either-or whose other side is the row's other way ("One ML platform for
        # everyone, or build our own?", "Databricks, or assemble our own stack?") is one side of the row's question.
        r.wanted_parts = self.lex.wanted_part_names(_SET_ASIDE.sub(" ", " ".join(
            norm[b:e] for b, e in [*pointed, *asking])) if asking else norm)
        # "The vector store itself: pgvector, or an index we write?" names its part as a heading before the colon;
        # the either-or after it weighs ways to get that part.
        r.headed_parts = [k for b, e in (asking or [(0, len(norm))]) if ": " in norm[b:e]
                          for k in self.lex.part_names(norm[b:e].split(": ", 1)[0])]
        r.either_parts = [k for b, e in (asking or [(0, len(norm))]) for seg in re.split(r":\s", norm[b:e])
                          if _EITHER.search(seg) for k in self.lex.part_names(_SET_ASIDE.sub(" ", seg))]
        # "One ML platform, or assemble our own from open-source pieces?": two parts of one row as the sides of an
        # either-or in one sentence that asks weigh the row itself.
        for b, e in asking or [(0, len(norm))]:
            if _EITHER.search(norm[b:e]):
                rows = self.lex.rows_weighing_parts(_SET_ASIDE.sub(" ", norm[b:e]))
                r.parts_weighed += sorted(set(rows) - set(r.parts_weighed))
        # A matrix component named outright (or with a typo) puts the turn in scope, whatever else it says.
        # Or the component head is sure the turn is about *some* ML/AI component, even when it is torn between
        # two ("LLM calls ... API or self-host?": inference or observability): only "no component" is a refusal.
        # A name that also means infrastructure outside ML ("uptime monitoring") leaves it to the heads.
        # ML infrastructure with no row named outright ("our own agent framework") counts the same way.
        in_scope = any(h.by_name and h.slug != OTHER and h.phrase not in self.lex.broad
                       and (h.phrase or self._misspelt(h)) for h in hits) or any(
            h.slug == OTHER and words_only(normalize(h.doc or "")) not in self.lex.broad for h in hits) or (
            # Infrastructure named only in words that also mean non-ML systems ("a data warehouse" fed to churn
            # models) counts the same way when the heads are this sure it is ML infrastructure.
            (r.component is not None or r.other_component is not None)
            and 1.0 - self._p("component", x, NONE) >= self.scope_threshold
            # Row words about systems with no model in them ("monitoring for our PHP monolith") sway the component
            # head; when the act head is this sure the turn is off-topic, that head's confidence alone does not
            # keep it in scope.
            and self._p("act", x, "off-topic") < self.off_topic_veto) or (
            # The component head points at a row and the act head is not sure it is off-topic.
            r.component is not None and self._p("act", x, "off-topic") < self.refusal_threshold)
        if not in_scope and xa is not None and r.component is not None \
                and 1.0 - self._p("component", xa, NONE) >= self.scope_threshold \
                and self._p("act", xa, "off-topic") < self.refusal_threshold \
                and self._p("act", x, "off-topic") < self.off_topic_veto:
            # "We're a four-person startup building an assistant for customs brokers. Client contracts say ... Hosted
            # LLM or not?": the background about their business sways the heads off-topic; the sentence that asks,
            # read alone, is plainly about a row, and it is what they ask.
            in_scope = True
        if not in_scope and r.component == "llm-inference" and r.self_hosting and _LANGUAGE_MODEL.search(norm) \
                and self._p("act", x, "off-topic") < self.off_topic_veto:
            # "sales team tool: an LLM drafts our follow-up emails. API or self-hosting it?": a language model they
            # would call or run themselves is LLM inference, whatever the trade around it pulls the act head toward.
            in_scope = True
        if not in_scope and r.component == "llm-gateway" and re.search(
                r"\b(?:two|three|four|several|\d+|multiple|many) (?:model |llm |ai )?providers\b", norm):
            # "Three apps, two providers. Gateway: build or buy?": a gateway in front of several providers is the LLM
            # gateway, not an API gateway of the web stack, however short the turn the act head reads as off-topic.
            in_scope = True
        if not in_scope and r.component is not None and _MODELS_NAMED.search(norm) and \
                self._p("act", x, "off-topic") < self.off_topic_veto and \
                self._row_votes(xa if xa is not None else x).get(r.component, 0.0) >= self.scope_threshold:
            # "bank in tashkent, central bank rules say customer data stays in uzbekistan. monitoring for our 14 credit
            # models: build or buy?": the trade sways the act head toward off-topic, but both heads put the question on
            # one row and it names the models that row serves; "monitoring for our PHP monolith" names none.
            in_scope = True
        if not in_scope and r.component in (None, "ml-monitoring") and r.other_component is None and \
                "ml-monitoring" in self.heads["component"].classes and \
                self.lex.outputs_went_wrong.search(norm) and self.lex.went_unnoticed.search(norm):
            # "Our harvest-weight predictions went quietly wrong after the rains, and nobody noticed for six weeks.
            # Build something that would have caught it, or buy one?": a model's outputs gone wrong unseen is the
            # need model monitoring meets, whatever the trade around it pulls the act head toward.
            r.component, in_scope = "ml-monitoring", True
            r.components = ["ml-monitoring", *[c for c in r.components if c != "ml-monitoring"]]
        r.confidence["some-row"] = round(1.0 - self._p("component", x, NONE), 4)
        # What is asked lives in the sentences that ask: after a long background ("I inherited a homegrown tracker, a
        # Kubeflow cluster, ...") the whole turn reads like a request for a verdict on what it names, so the act is
        # read from the whole turn and the asking sentences together.
        if xa is not None and len(" ".join(norm[b:e] for b, e in asking).split()) < self.act_asking_min_words:
            xa = None  # "what now?" says nothing of what is asked that the whole turn does not say better
        p_act = self._proba("act", x, also=xa)  # once: the picks below only leave classes out
        settle_act(r, self.lex, norm, clauses, lambda exclude: self._pick("act", p_act, exclude), in_scope)
        r.confidence["off-topic"] = round(self._p("act", x, "off-topic"), 4)
        if len(spans) > 1 and r.act not in ("off-topic", "statement"):
            r.also = [*r.also, *self._second_asks(r, spans, clauses, told, E, G)]
        r.topic, r.confidence["topic"] = self._best("topic", x)
        if r.topic in _ARGUED and (side := _ARGUED_SIDE.search(" ".join(norm[b:e] for b, e in asking))
                                   or _ARGUED_SIDE.search(norm)):
            # "I'm the one who likes writing things. Convince me: the strongest reasons to buy instead?": the side the
            # asking sentence names is the argument asked for, whatever the story around it leans to.
            r.topic = "arguments-for-buying" if (side.group(1) or side.group(2)).startswith("buy") else "arguments-for-building"
        part = self.heads["part"]
        r.part_scores = dict(zip(part.classes, part.proba(x)[0].round(4).tolist()))
        # A latency target looser than the scale line settles nothing, and is no reason to echo as their scale.
        r.pitched = _pitched(question)
        # Quantities inside a seller's claims, quoted or not, are theirs.
        pitched = [*r.pitched, *_seller_sentences(question)]
        found = [w for w in (_as_written(q, question) for q in extract(norm)) if not any(w.text in x for x in pitched)]
        # A measured latency counts only against a target it misses ("p95 is 180 ms; product wants under 100 ms"),
        # said once as both numbers; a latency target looser than the scale line settles nothing otherwise, and is
        # no reason to echo as their scale.
        missed = missed_target(found)
        r.quantities = [q for q in found if q.kind != "latency_measured_ms" and (
            q.kind != "latency_ms" or q.value <= self.thresholds.for_component(r.component).latency_ms.scale_at_most
            and not missed)]
        r.quantities += [missed] if missed else []
        self._conditions(r, clauses, spans, E, G)
        if "scale" in r.conditions and "scale" not in r.by_magnitude and r.act != "what-if" and \
                self.lex.someday.search(r.said.get("scale", "") or norm):
            # "A colleague wants Milvus now because one day we might index billions; no such project exists": a size
            # only a possible future brings is not theirs today (measured or committed sizes say so without these words).
            r.conditions = [c for c in r.conditions if c != "scale"]
            r.negated = [*r.negated, "scale"] if "scale" not in r.negated else r.negated
        said_scale = r.said.get("scale", "")
        if "scale" in r.conditions and "scale" not in r.by_magnitude and said_scale and \
                self.lex.owned_hardware.search(_sentence_around(r.normalized, normalize(said_scale))) and \
                not _SHARED_LOAD.search(around := _sentence_around(r.normalized, normalize(said_scale))) and \
                not re.search(r"\b(?:busy|saturated|fully used|maxed|queue\w*)\b", around):
            # "Forgot to say: we already own 32 V100s, left over from a previous project": the machines they have, not a
            # load they must carry (their count is no scale, see the magnitudes above), whatever the head made of it.
            r.conditions = [c for c in r.conditions if c != "scale"]
        settle_after_conditions(r, self.lex, norm)
        return r

    def _weighed_other(self, asking: list[str], vendors) -> str | None:
        """The kind of infrastructure with no row whose products the asking sentences weigh against each other
        (two or more of them, and no product or name of a row beside them); None otherwise."""
        text = " ".join(asking)
        if not text or not (self.lex.choice_asks.search(text) or _VERSUS.search(text)):
            return None
        if any(h.doc not in self.lex.clouds and re.search(rf"\b{re.escape(h.phrase)}\b", text) for h in vendors if h.phrase):
            return None
        for name, rx in self.lex.others:
            if len({m.group(0) for m in rx.finditer(text)}) >= 2:
                return name
        return None

    def _options_other(self, r: Reading, asking: list[str]) -> str | None:
        """The kind of infrastructure with no row whose products one sentence lists as the options ("Options: Bedrock
        Guardrails, Lakera Guard, NeMo Guardrails or Llama Guard"), outnumbering the products of any row there and
        with no row named outright, when the sentences that ask ask for a pick or the call; None otherwise."""
        text = " ".join(asking)
        if not text or not (self.lex.choice_asks.search(text) or self.lex.asks_decision.search(text)
                            or _VERSUS.search(text)):
            return None
        for m in re.finditer(r"(?:[^.?!;\n]|[.](?=\S))+[.?!;]?", r.normalized):  # "Rendered.ai" stays in its sentence
            if not (_OPTIONS_LISTED.search(m.group(0)) or _WEIGHED_BEFORE.search(m.group(0))):
                continue
            sentence = words_only(m.group(0))
            for name, rx in self.lex.others:
                spans = [x.span() for x in rx.finditer(sentence)]
                if len(spans) < 2:
                    continue
                # A product whose name holds a row's vendor ("Bedrock Guardrails", "Modal Sandboxes") is the kind's.
                row_hits = [h for h in self.lex.hits(sentence) if h.slug != OTHER and (
                    h.by_name and h.phrase not in self.lex.broad or h.doc and h.doc not in self.lex.clouds)
                    and not any(b <= h.start < e for b, e in spans)]
                # The build side among the options ("or fine-tuning our own NER model on top of Presidio") names
                # what they would write, not a row they ask about.
                items = [(x.start(), x.end()) for x in re.finditer(r"[^,;]+?(?=,|;| or |$)", sentence)]
                own = [(b, e) for b, e in items if _OWN_ITEM.search(sentence[b:e])]
                if max(Counter(h.slug for h in row_hits).values(), default=0) < len(spans) and \
                        not any(h.by_name and not any(b <= h.start < e for b, e in own) for h in row_hits):
                    return name
        return None

    def _listed_as_options(self, text: str, vendors) -> bool:
        """Whether one sentence lists two or more products of one row as alternatives ("We're looking at Flyte,
        Dagster+, Prefect Cloud, or Metaflow")."""
        for m in re.finditer(r"(?:[^.?!;]|[.](?=\S))+[.?!;]?", text):  # "Union.ai" stays inside its sentence
            if not (m.group(0).endswith("?") or _WEIGHING.search(m.group(0))):
                continue  # "five teams each call OpenAI, Anthropic or Google directly" tells what they use
            sentence = words_only(m.group(0))
            docs = {h.doc or h.phrase: h.slug for h in vendors if h.phrase and h.slug != OTHER and h.doc not in self.lex.clouds
                    and self.lex.says(h.phrase, sentence)}
            if max(Counter(docs.values()).values(), default=0) >= 2 and re.search(r"\bor\b", m.group(0)):
                return True
        return False

    def _misspelt(self, hit) -> bool:
        """A typo match puts a turn in scope only when it misspells the name; "API gateway" is made of real words
        and is another term a letter away from "AI gateway". Without a vocabulary every typo match counts."""
        if self._words is None:
            return True
        if self._known is None:
            self._known = self._words()
        return self.lex.misspelt(hit, self._known)

    def _second_asks(self, r: Reading, spans, clauses: list[str], told: list[bool], E: np.ndarray, G) -> list[str]:
        """The second asks no cue names, read clause by clause: an asking clause the act head, reading it alone, gives
        another act than the turn's ("which parts do we actually write ourselves, and what are the risks?")."""
        found: list[str] = []
        for k, (clause, tells) in enumerate(zip(clauses, told)):
            if tells or len(clause.split()) < 3:
                continue
            xc = Features(turn_dense(self.lex, clause, E[k + 1], self.lex.hits(clause))[None, :], G[k + 1])
            act, p = self._best("act", xc)
            key = _SECOND_ASK.get(act)
            if key == "leave" and self.lex.how_to_move.search(clause):
                key = "move"  # "how would we migrate the 40 jobs?" asks the way over, not what leaving later takes
            if key == "rollout" and {"measures", "move"} & set(r.also):
                continue  # "... and what should we measure to know it worked?" is the measures a cue already named
            if key and p >= self.second_ask_min and act != r.act and key not in r.also and key not in found:
                found.append(key)
        return found

    def _listed_rows(self, r: Reading, hits) -> list[str]:
        """Rows whose products are named in a sentence that lists the options ("options: do MIG and quotas ourselves,
        buy Run:ai, or move notebooks to the cloud"): a product named by name is as sure a sign as the row's name."""
        # A whole public cloud ("AWS IoT Greengrass") names no row of its own.
        return list(dict.fromkeys(h.slug for h in hits if h.doc and not h.by_name and h.slug != OTHER and h.phrase
                                  and h.doc not in self.lex.clouds and _listed_in(r.normalized, h.phrase)))

    def _p(self, head: str, x, label: str) -> float:
        h = self.heads[head]
        return float(h.proba(x)[0][h.classes.index(label)]) if label in h.classes else 0.0

    def _best(self, head: str, x: np.ndarray, exclude: set[str] | None = None) -> tuple[str, float]:
        return self._pick(head, self._proba(head, x), exclude)

    def _proba(self, head: str, x: np.ndarray, also=None) -> np.ndarray:
        """The head's probabilities for `x` (averaged with its reading of `also`, the asking sentences, when given)."""
        h = self.heads[head]
        return h.proba(x)[0] if also is None else (h.proba(x)[0] + h.proba(also)[0]) / 2

    def _pick(self, head: str, p: np.ndarray, exclude: set[str] | None = None) -> tuple[str, float]:
        """The best class of `p`, leaving out `exclude`, with its probability."""
        h = self.heads[head]
        if exclude:
            p = np.where([c in exclude for c in h.classes], 0.0, p)
        i = int(p.argmax())
        return h.classes[i], round(float(p[i]), 4)


    def _components(self, r: Reading, x: np.ndarray, hits, asking: list[str] = (),
                    others_asked: list[str] = (), also=None, told_ask: bool = False) -> None:
        named = [h.slug for h in hits if h.by_name and h.slug != OTHER]
        exact = [h.slug for h in hits if h.by_name and h.slug != OTHER and (h.phrase or self._misspelt(h))]
        # Rows named outright in the sentences that ask (only when background sentences come with them).
        # One word ("orchestration", "inference", "observability") is part of several rows' names: not enough.
        asked = {h.slug for h in hits if h.by_name and h.slug != OTHER and len(h.phrase.split()) > 1
                 and h.phrase not in self.lex.broad and any(re.search(rf"\b{re.escape(h.phrase.strip())}", a)
                                                            for a in asking)}
        # A specific product outranks a generic cloud ("SageMaker Feature Store" over "AWS").
        vendors = [h for h in sorted(hits, key=lambda h: (-h.length, h.start)) if not h.by_name]
        r.vendors = list(dict.fromkeys(h.doc for h in hits if h.doc and not h.by_name))
        r.named_rows = list(dict.fromkeys(named))
        r.near_rows = [s for s in r.named_rows if s not in exact and s not in {h.slug for h in vendors}]
        for slug in named + [h.slug for h in vendors]:
            if slug not in r.components:
                r.components.append(slug)
        # A bare public cloud ("our own AWS account") says where things run, not which component is asked about.
        r.named = [s for s in r.components if s in named or any(h.slug == s and h.doc not in self.lex.clouds
                                                                for h in vendors)]
        p = self._proba("component", x)
        if also is not None:
            # Only a sentence that asks plainly about a row ("Should we rent cloud GPUs or buy our own server?") counts
            # beside a whole turn that already reads as some row; a generic one ("is the fix something we write?",
            # "how should we evaluate them?") leaves the whole turn's reading as it is.
            h = self.heads["component"]
            pa = self._proba("component", also)
            rows = [i for i, c in enumerate(h.classes) if c not in (NONE, OTHER)]
            if h.classes[int(p.argmax())] != NONE and max(pa[i] for i in rows) >= self.scope_threshold:
                p = (p + pa) / 2
        best, conf = self._pick("component", p)
        if also is not None and told_ask and best not in (NONE, OTHER) and not asked:
            # "We serve 80 pricing models, 30 million predictions a day. The nightly job that joins actual outcomes back
            # onto each prediction so we can measure accuracy: build it or buy it?": the background reads as serving,
            # the sentence that asks plainly as monitoring (both heads on it agree) and not at all as serving.
            # Only a question that tells its own subject (at least `asked_row_min_words` words): "Do we build the
            # inference stack or buy it?" leans on the background for which inference.
            # The whole turn holds that sentence too: a row it gives next to nothing ("Write the scheduling part
            # ourselves?" after forty nightly pipeline jobs) is the short sentence's words misread, not its subject.
            votes, whole = self._row_votes(also), self._row_votes(x)
            top = max(votes, key=votes.get, default=best)
            if top != best and votes[top] >= self.asked_row_min and votes.get(best, 0.0) < self.asked_row_background_max \
                    and whole.get(top, 0.0) >= self.asked_row_whole_min:
                best, conf = top, votes[top]
        r.confidence["component"] = conf
        # "our whole ML stack" with no product beside it is every component at once ("wants to write our whole ML stack
        # ourselves", "the build-vs-buy review for our whole ML stack"); put on a platform product ("our whole ML stack
        # on Databricks") it is that platform.
        whole_stack = bool(hits) and all(h.by_name and h.slug == "ml-platform" and _WHOLE_STACK.fullmatch(h.phrase.strip())
                                         for h in hits)
        every = (not hits or whole_stack) and bool(_EVERY_COMPONENT.search(r.normalized) or whole_stack)
        if best not in (NONE, OTHER) and every:
            # "We've settled build or buy for each ML component. How do we carry it out?": every component, none named,
            # is the decision in general, not the row the head leans to.
            best = NONE
        if best == NONE and others_asked and self._p("act", x, "off-topic") < self.refusal_threshold:
            # The head finds no row, but the sentence that asks names infrastructure without one ("Keep Confluent Cloud,
            # move to Amazon MSK, or run Kafka ourselves?") and the act head does not take the turn for off-topic.
            best = OTHER
        asks = "?" in r.normalized or bool(self.lex.asks_decision.search(r.normalized))
        if best == NONE and asks and not others_asked and not every and \
                p[self.heads["component"].classes.index(NONE)] < 0.5 and \
                self._p("act", x, "off-topic") < self.refusal_threshold:
            # "Who should label them for our triage model: our own people or a managed workforce?": the head's "no row"
            # wins only by plurality, its rows together outweigh it; the part head, whose classes are the rows' parts,
            # settles which row when it puts most of its mass on one. Read from the asking sentences only when they tell
            # their own subject: "How should we evaluate them before picking one?" says "evaluate", not LLM evals.
            # Only a turn that asks: "Just so you know, we run 300 models" tells facts and leaves the subject open.
            best = self._row_by_parts(x, also if told_ask else None) or best
        service = next((h.doc for h in hits if h.slug == OTHER and h.doc in self.lex.model_services), None)
        if best == "llm-inference" and service and not _LANGUAGE_MODEL.search(r.normalized) and not any(
                h.slug == best and (h.doc or len(h.phrase.split()) > 1) for h in hits):  # "fine-tune" fits any model
            # "We record 12,000 hours of calls a month ... fine-tune Whisper ourselves? Build or buy?": a model service
            # with no row, named where no language model is, is the subject, not LLM inference.
            best, others_asked = OTHER, [service, *others_asked]
        elif best not in (NONE, OTHER, "llm-inference") and service and not any(h.slug == best for h in hits):
            # "Google Speech-to-Text v1 is bad on code-mixed Tamil ... Deepgram, or self-host Whisper?": a model service
            # with no row, named outright, is the subject when nothing in the turn names the row the head leans to
            # (transcripts "for QA" sound like labelling work, but no labelling name or product is said).
            best, others_asked = OTHER, [service, *others_asked]
        if best == OTHER and not others_asked:
            # "A Databricks account team offered a deal ... or we go deeper into Vertex AI. Which would you choose?":
            # two products of one row weighed as the options name the subject, whatever infrastructure of no row the
            # background names ("all our data is already in BigQuery").
            products, _ = self._weighed_products(r, vendors, asking)
            top, n = products.most_common(1)[0] if products else (None, 0)
            best = top if n >= 2 else best
        listed_rows = self._listed_rows(r, hits)
        if best == OTHER and not others_asked and (exact or listed_rows):
            # "A contractor's scripts pull it all into Snowflake ... Fivetran quoted NZ$58k, or Airbyte, or dbt with an
            # orchestrator?": infrastructure of no row named only in the background is where the subject sits; a row
            # named outright that the head gives a fair share is the subject.
            classes = self.heads["component"].classes
            row = max([*exact, *listed_rows], key=lambda s: p[classes.index(s)] if s in classes else 0.0)
            # Or it is named among the options they list ("Options I see: Datastream, Fivetran with the Oracle connector,
            # or Debezium + Kafka by ourselves") and is the row the head ranks first: the options are what is asked.
            listed = any(h.slug == row and h.phrase and h.phrase not in self.lex.broad and _OPTIONS_LISTED.search(
                _sentence_around(r.normalized, h.phrase.strip())) for h in hits) or row in listed_rows
            ranked = max((c for c in classes if c not in (NONE, OTHER)), key=lambda c: p[classes.index(c)])
            if row in classes and (p[classes.index(row)] >= self.named_row_min or listed and row == ranked):
                best = row
        options = list(dict.fromkeys([*listed_rows, *(
            h.slug for h in hits if h.by_name and h.slug != OTHER and h.phrase and h.phrase not in self.lex.broad
            and _listed_in(r.normalized, h.phrase))]))
        if best not in (NONE, OTHER) and not asked and len(options) == 1 and options[0] != best and \
                r.confidence["component"] < self.listed_row_max:
            # "Options for deployment and updates: Edge Impulse, AWS IoT Greengrass, or our own ..." after a story of
            # models retrained on customers' data: the one row the options they list belong to is the subject, when
            # the head's own pick is unsure.
            best = options[0]
        if best == OTHER:
            # Named in the sentence that asks, it is the subject ("build our own experimentation platform or buy
            # Statsig?"); one named in the background ("Snowflake is our warehouse") is what it sits beside.
            # Of several named in the background, the kind whose products they list as options ("We looked at Statsig,
            # Eppo and GrowthBook") over one they merely run ("Data is in BigQuery").
            others = [h for h in hits if h.slug == OTHER]
            listed_other = next((h.doc for h in others for x in [_sentence_around(
                r.normalized, r.normalized[h.start:h.start + h.length])] if _OPTIONS_LISTED.search(x)
                or _WEIGHED_BEFORE.search(x)), None)
            named_other = next(iter(others_asked), None) or listed_other or next((h.doc for h in others), None)
            r.other_component, r.other_named = named_other or "this infrastructure", named_other is not None
            r.components = []
        elif best != NONE and not asked and (weighed := self._weighed_other(asking, vendors)
                                             or self._options_other(r, asking)):
            # "Self-hosted Kafka on Strimzi, Amazon MSK, or stay on Confluent?": products of one kind of
            # infrastructure with no row, weighed against each other, name the subject, whatever row the background
            # ("it feeds our ETA models", "platform team of 5") pulls the head toward.
            r.other_component, r.other_named = weighed, True
            r.components = []
        elif best != NONE and others_asked and not asked and not any(
                h.slug == best and h.phrase and (h in vendors or h.phrase not in self.lex.broad)
                and any(h.phrase.strip() in a for a in asking) for h in hits):
            # "Should we buy a PII redaction product or build our own on Presidio?" in a post about calling an LLM: the
            # sentence that asks names infrastructure with no row and no row of its own, so that is the subject.
            r.other_component, r.other_named = next(iter(others_asked)), True
            r.components = []
        elif best != NONE and len(asked) == 1 and best not in asked:
            # "Nothing from our training runs may leave our AWS account. Experiment tracker: write one or buy?": the
            # head follows the background's words; the one row named outright in the asking sentence is the subject.
            r.component = next(iter(asked))
            r.components = [r.component] + [s for s in r.components if s != r.component]
        elif best != NONE and not asked and not any(h.slug != OTHER and h.phrase and re.search(
                rf"\b{re.escape(h.phrase.strip())}\b", a) for h in hits for a in asking) and \
                (needed := self._needed_row(r, hits)) and needed != best:
            # "We need a proper registry for adapters: versions, base model, eval scores, approvals. Options: ... What
            # should we use?" after a story told in LLM words: the thing they say they need is what the bare ask is
            # about, whatever row the background's words pull the head toward.
            r.component = needed
            r.components = [needed] + [s for s in r.components if s != needed]
        elif best != NONE:
            # Two or more products of one row weighed against each other ("SageMaker endpoints vs KServe vs BentoML")
            # name the subject, whatever one product of another row ("SageMaker") pulls the head toward.
            # Only products weighed as options count: "OpenAI and Anthropic" behind a proxy are what a gateway sits
            # in front of, not a choice between inference products.
            products, in_ask = self._weighed_products(r, vendors, asking)
            top, n = (in_ask if max(in_ask.values(), default=0) >= 2 else products).most_common(1)[0] \
                if products else (best, 0)
            if n >= 2 and products.get(best, 0) < n and in_ask.get(best, 0) < n and not asked:
                best = top
            spelled = [s for s in dict.fromkeys(exact) if s != best and s not in self.lex.suite_rows and any(
                h.slug == s and h.by_name and len(h.phrase.split()) > 1 and h.phrase not in self.lex.broad for h in hits)]
            # "We went all-in on SageMaker (Studio, Pipelines, endpoints, Model Registry)": a row listed in brackets
            # among the suite's pieces says what the suite holds, not what is asked about.
            spelled = [s for s in spelled if not all(_in_brackets(r.question, h.phrase) for h in hits
                                                     if h.slug == s and h.by_name and h.phrase)]
            if best in self.lex.suite_rows and best not in named and len(spelled) == 1 and not asked:
                # "Our SageMaker line ... the team wants open-source model serving on our own cluster": the suite is
                # where the work runs today; the one row named outright is what is asked about.
                best = spelled[0]
            if best in self.lex.llm_quality_rows and "llm-observability" in self.heads["component"].classes and \
                    any(self.lex.watches_quality.search(a) for a in (asking or [r.normalized])) and \
                    self.lex.llm_app.search(r.normalized) and (self.lex.providers_together(r.normalized) or any(
                        h.slug == "llm-inference" for h in hits)):
                # "We run a RAG support bot on OpenAI + pgvector ... how do we roll out proper evals and monitoring?": the
                # quality of an LLM application's answers is what is asked about, not the model API or monitoring of
                # classic models the words pull toward. Asked, not told: "answer quality in Japanese is very important"
                # beside a TCO question is a requirement on the model, not a question about evals.
                best = "llm-observability"
            gateway = [h for h in hits if h.slug == "llm-gateway" and h.by_name and len(h.phrase.split()) > 1]
            if best == "llm-inference" and gateway and not asked and all(
                    h.doc or len(h.phrase.split()) == 1 for h in hits if h.slug == best):
                # "Each agency has its own contract with Azure OpenAI or Mistral ... one shared service every app sends
                # its model calls through, with quotas and billing": the providers named are what the gateway sits in
                # front of, and the gateway is described in its own words.
                best = "llm-gateway"
            r.component = best
            r.components = [best] + [s for s in r.components if s != best]
        elif exact and not every:
            # A matrix component named outright, or misspelt, is high-precision evidence the head missed (a near
            # miss made of real words, "API gateway" for "AI gateway", is not).
            r.component = exact[0]
            r.components = [exact[0]] + [s for s in r.components if s != exact[0]]
        else:
            r.components = []

    def _needed_row(self, r: Reading, hits) -> str | None:
        """The one row a sentence says they need, named right after the need ("we need a proper registry for our
        adapters") by one of its names or by a head noun only its names end in; None when none or several."""
        text, rows = words_only(r.normalized), set()
        for m in self.lex.needs_told.finditer(text):
            # Told, not asked ("do we need a layer ...?"), and a thing, not a deed ("we want to wire MLflow ...").
            at = r.normalized.find(" ".join(text[m.start():m.end()].split()[:2]))
            if text[m.end():].startswith("to ") or re.search(r"\b(?:do|does|would|should|will|did)\s*$",
                                                             text[:m.start()]) or at >= 0 and _asked_at(r.normalized, at, at + 1):
                continue
            end = m.end() + len(" ".join(text[m.end():].split()[:3]))
            named = [h.slug for h in hits if h.slug != OTHER and m.end() <= h.start < end
                     and (h.doc or len(h.phrase.split()) > 1 and h.phrase not in self.lex.broad)]
            heads = [self.lex.head_nouns[w] for w in text[m.end():end].split() if w in self.lex.head_nouns]
            if named or heads:
                rows.add((named or heads)[0])
        return next(iter(rows)) if len(rows) == 1 else None

    def _sold_by_meaning(self, r: Reading, units: list[str], E: np.ndarray) -> list[int]:
        """The clause that tells what earns them money, when its sentence (with the one before, when it points back)
        reads as the row asked about to both heads (`part_row_min`, the bar a row named by the heads alone must clear):
        "subscriptions to that comparison view are our entire revenue", after a sentence describing a run tracker."""
        sents = [m for m in re.finditer(r"[^.;?!]+[.;?!]?", r.normalized) if m.group(0).strip()]
        for k in range(1, len(units)):
            if not self.lex.revenue_told.search(units[k]) or self.lex.negation.search(units[k]) or \
                    _NOBODY.search(units[k]):
                continue  # "a feature store would be plumbing that nobody pays us for"
            at = next((i for i, m in enumerate(sents) if units[k] in m.group(0)), None)
            if at is None:
                continue
            # "That", "those", "it": what earns the money is said in the sentence before.
            chosen = sents[at - 1:at + 1] if at and self.lex.anaphora.search(units[k]) else sents[at:at + 1]
            text = " ".join(m.group(0).strip() for m in chosen)
            if self.lex.sells_model.search(text) or self.lex.not_the_product.search(text) or \
                    self.lex.retraction.search(text) or _NOBODY.search(text):
                continue  # the model itself, plumbing inside what they sell, or a claim taken back
            inside = [i for i in range(1, len(units)) if any(units[i] in m.group(0) for m in chosen)]
            v = E[inside].mean(axis=0)
            x = Features(turn_dense(self.lex, text, v / (np.linalg.norm(v) + 1e-12), self.lex.hits(text))[None, :],
                         ngrams_sparse([text])[0])
            votes = self._row_votes(x)
            top = max(votes, key=votes.get, default="")
            if top == r.component and votes[top] >= self.part_row_min:
                return [k]
        return []

    def _row_votes(self, x) -> dict[str, float]:
        """Each row's mean probability from the component and part heads (the part head's summed over the row's
        parts) for one reading."""
        comp, part = self.heads["component"], self.heads["part"]
        votes: Counter = Counter()
        for c, v in zip(comp.classes, comp.proba(x)[0]):
            if c not in (NONE, OTHER):
                votes[c] += float(v) / 2
        for c, v in zip(part.classes, part.proba(x)[0]):
            votes[c.split("/", 1)[0]] += float(v) / 2
        return dict(votes)

    def _row_by_parts(self, x, also=None) -> str | None:
        """The row the component and part heads agree on (`_row_votes`), read from the asking sentences when given,
        if their mean on it reaches `part_row_min`."""
        votes = self._row_votes(also if also is not None else x)  # what is asked lives in the sentences that ask
        row = max(votes, key=votes.get, default=None)
        return row if row is not None and votes[row] >= self.part_row_min else None

    def _weighed_products(self, r: Reading, vendors, asking) -> tuple[Counter, Counter]:
        """Rows of the products weighed as options, over the turn and in its asking sentences (empty unless a choice
        is asked)."""
        weighed = bool(self.lex.choice_asks.search(r.normalized) or _VERSUS.search(r.normalized)
                       or self._listed_as_options(r.normalized, vendors))
        if not weighed:
            return Counter(), Counter()
        products = Counter(h.slug for h in vendors if h.slug != OTHER and h.doc not in self.lex.clouds)
        # The products in the sentence that weighs them are the options: "9 teams calling openai + anthropic +
        # bedrock directly ... looking at litellm proxy vs portkey vs kong, or a thin proxy of our own" weighs gateways,
        # whatever the background calls.
        weighing = [words_only(m.group(0)) for m in re.finditer(r"(?:[^.?!;]|[.](?=\S))+[.?!;]?", r.normalized)
                    if _VERSUS.search(m.group(0)) or _WEIGHING.search(m.group(0))]
        options = {h.doc or h.phrase: h.slug for h in vendors if h.slug != OTHER and h.phrase and h.doc not in self.lex.clouds
                   and any(self.lex.says(h.phrase, w) for w in weighing)}
        if max(Counter(options.values()).values(), default=0) >= 2:
            products = Counter(options.values())
        # The products weighed where the turn asks outrank those of the background: "Our product calls OpenAI,
        # Claude and Gemini ... LiteLLM vs Portkey vs our own thin gateway?" weighs gateways, whatever it calls.
        in_ask = Counter({h.doc or h.phrase: h.slug for h in vendors if h.slug != OTHER and h.phrase and h.doc not in
                          self.lex.clouds and any(self.lex.says(h.phrase, a) for a in asking)}.values())
        return products, in_ask

    def _conditions(self, r: Reading, clauses: list[str], spans: list[tuple[int, int]], E: np.ndarray,
                    G: np.ndarray) -> None:
        """Each condition is detected in the whole turn or in one clause; its polarity comes from the
        clause that says it most clearly; quantities then settle what magnitude decides."""
        units = [r.normalized, *clauses] if len(clauses) > 1 else [r.normalized]
        X = Features(np.stack([clause_dense(self.lex, c, e) for c, e in zip(units, E)]), G)
        cond_head, pol_head = self.heads["condition"], self.heads["polarity"]
        P, Q = cond_head.proba(X), pol_head.proba(X)
        said: dict[str, tuple[int, str]] = {}  # condition -> (clause position, polarity)
        echo: dict[str, int] = {}  # condition said by the whole turn -> the clause that says most of it
        asks = [r.normalized[e:e + 1] == "?" for _, e in spans] if len(units) > 1 else []
        pitched = [normalize(x) for x in (*r.pitched, *_seller_sentences(r.question))]
        # A clause inside a seller's quoted claim ("scales to billions of vectors") tells nothing of the asker.
        claimed = {i for i in range(1, len(units)) if any(units[i].strip() and units[i].strip() in x for x in pitched)}
        for k, cond in enumerate(cond_head.classes):
            if P[:, k].max() < self.condition_threshold:
                continue
            # Polarity is clause-local: take the last clause that carries the condition (a correction comes
            # after what it corrects: "we're a bank, but no residency rules apply"), else the whole turn.
            carrying = [i for i in range(1, len(units)) if P[i, k] >= self.condition_threshold]
            if claimed and carrying:
                if all(i in claimed for i in carrying):
                    continue
                carrying = [i for i in carrying if i not in claimed]
            if cond in self.lex.feature_not_fact:
                # "... one service that holds the keys, gives each team a budget": what the product should do.
                told = [i for i in carrying if not self.lex.feature_not_fact[cond].search(units[i])]
                if carrying and not told:
                    continue
                carrying = told
            if cond == "early-stage" and carrying:
                # "... over the next 9 months with 4 engineers" counts the people a build would take, not the team
                # asking: a clause whose only headcount is such an effort says nothing of their stage.
                kept = [i for i in carrying if not _effort_only(units[i])]
                if not kept:
                    continue
                carrying = kept
            if not carrying and len(units) > 1 and cond in self.lex.clause_only and \
                    P[1:, k].max() < self.clause_support_min and pol_head.classes[int(Q[0].argmax())] == "stated":
                # A measurement or a money problem is said in a clause ("p99 stayed at 40 ms against a 12 ms budget",
                # "cash is tight"); a long turn that only reads like one as a whole ("test models on live traffic and
                # know whether baskets grew", "we want real monitoring this quarter") said neither. A turn that as a whole
                # takes one back ("the assistant only ever sees our public pages, never attendee data") still does.
                continue
            best = carrying[-1] if carrying else 0
            if not carrying and len(units) > 1 and P[1:, k].max() >= self.condition_threshold / 2:
                # Said by the turn as a whole: the clause that says most of it speaks for its polarity, not the whole
                # turn, whose other clauses ("not on their roadmap") deny other things.
                best = 1 + int(P[1:, k].argmax())
            polarity = pol_head.classes[int(Q[best].argmax())]
            # Except a retraction: once a turn takes a condition back ("forget the budget part"), its other
            # clauses on it give the reason ("we closed a round, money's fine"), never restate it.
            retracting = [i for i in carrying if pol_head.classes[int(Q[i].argmax())] == "retracted"]
            if retracting and polarity == "stated":
                best, polarity = retracting[-1], "retracted"
            # A clause that names the condition with no negative word ("we're regulated") reads as a negation
            # only when the head is fairly sure: the bare word turns up in far more negations than statements
            # in the training clauses, and that alone must not flip it. Clauses that do not name it ("we're a
            # mid-size company") keep the head's reading.
            unsure = polarity == "negated" and not self.lex.cue_counts(units[best])[0] and \
                Q[best][pol_head.classes.index("negated")] < self.negation_without_cue
            if unsure and _names(cond, units[best]):
                polarity = "stated"
            elif unsure:
                # "it's approved for our sector": no negative word and the polarity head torn, so the clause neither
                # states nor denies the condition; an earlier clause that carries it speaks instead, else none does and
                # the conversation keeps what it had.
                earlier = [i for i in carrying if i != best]
                whole = pol_head.classes[int(Q[0].argmax())]
                if earlier:
                    best = earlier[-1]
                    polarity = pol_head.classes[int(Q[best].argmax())]
                elif P[0, k] >= self.condition_threshold and whole != "stated":
                    # "... the freeze is lifted and money for tooling is back to normal": the turn as a whole is sure.
                    polarity = whole
                else:
                    continue
            # A clause cut at a comma may hold the negative word and not the verb it governs ("nothing about our
            # models, training metadata included, may leave our data centre"): the rule is read in its sentence.
            sentence = _sentence_around(r.normalized, units[best]) if polarity == "negated" else units[best]
            if polarity == "negated" and cond == self.lex.restriction_condition and \
                    self.lex.restriction.search(sentence) and not self.lex.unrestricted.search(sentence):
                # "No public cloud is allowed" forbids: the negative word is the rule, not its absence.
                polarity = "stated"
            if polarity == "stated" and cond == self.lex.restriction_condition and _SCOPED.search(r.normalized) and \
                    any(_permits(self.lex, units[i]) for i in range(max(best, 1 if len(units) > 1 else 0), len(units))):
                # "... only covers patient records, so cloud is allowed": the rule's last word for their data permits.
                polarity = "negated"
            if (polarity == "negated" or polarity == "retracted" and not self.lex.retraction.search(units[best])) and \
                    cond in self.lex.stated_by_negative and self.lex.stated_by_negative[cond].search(units[best]):
                # "we have no budget for tooling" says money is short; so does "the CFO just froze spending: no new
                # licence costs", which takes nothing back in words
                polarity = "stated"
            # A condition said by the turn as a whole is echoed from its sentence (below), wherever its polarity came from.
            said[cond] = (best if carrying else 0, polarity)
            if not carrying and len(units) > 1:
                # Said by the turn as a whole ("we spend $80k a month ... and measured 85% utilisation"): the
                # clauses that say most of it are what the answer echoes, never the question itself.
                facts = [i for i in range(1, len(units)) if not asks[i - 1]] or list(range(1, len(units)))
                echo[cond] = max(facts, key=lambda i: P[i, k])
        # Magnitude decides: "3 requests per minute" is a small load, whatever the words suggest (against the
        # thresholds of the row asked about, when it has its own).
        thresholds = self.thresholds.for_component(r.component)
        team = small_team(r.quantities, thresholds)
        magnitude: dict[str, str] = {}  # condition -> the polarity the numbers gave it
        # A count inside a larger one of the same kind ("two audio models" of 14; "one model vendor" of the three
        # told in ordinals after it) is part of it, no size of its own.
        most = {k: max((q.value for q in r.quantities if q.kind == k), default=0) for k in ("models", "providers")}
        for pos, clause in enumerate(clauses if r.quantities else [], 1):  # a clause's numbers are the turn's
            if pos in claimed:
                continue  # a seller's claimed figure is no size of theirs
            found = [q for q in extract(clause) if not any(q.text in x for x in pitched)
                     and not (q.kind in most and q.value < most[q.kind])]
            if self.lex.owned_hardware.search(clause) and not _SHARED_LOAD.search(_sentence_around(r.normalized, clause)):
                # "We already own 24 GPUs in our server room": the machines they have, not a load they must carry
                # ("200 GPUs we own, shared by 90 researchers" is the load of sharing them).
                found = [q for q in found if q.kind != "gpus"]
            for c, polarity in implications(found, thresholds).items():
                if c in said and said[c][1] == "retracted":
                    continue
                if c == "scale" and polarity == "negated" and magnitude.get(c) == "stated":
                    # "rents 32 H100s ... quoted for 4 servers with 8 H100 each": the largest load told decides, not
                    # the smaller count a later clause breaks it into.
                    continue
                if c == "early-stage" and polarity == "negated" and team and \
                        not any(q.kind in ("engineers", "teams") for q in found):
                    continue  # "We're 3 data scientists. The company has 4,000 staff.": the team's size decides
                if c == "early-stage" and polarity == "negated" and self.lex.young_company.search(r.normalized) and \
                        (young := thresholds.engineers.young_not_early_stage_at_least) is not None and \
                        any(q.kind == "engineers" for q in found) and \
                        not any(q.kind in ("teams", "headcount", "company_age_months") or q.kind == "engineers" and
                                q.value >= young for q in found):
                    continue  # "We're a 12-engineer seed-stage startup": a young company's team, still small
                said[c] = (pos, polarity)
                magnitude[c] = polarity
        told_across = [q for q in r.quantities if q.kind == "providers" and not any(q.text in c for c in clauses)]
        for c, polarity in implications(told_across, thresholds).items():
            # "one model vendor for practice, grammar feedback on a second, a third on trial": a count told across
            # clauses is the turn's, where no clause says it whole.
            if c not in magnitude and said.get(c, (0, ""))[1] != "retracted":
                said[c] = (said.get(c, (0, ""))[0], polarity)
                magnitude[c] = polarity
        if any(q.kind == "latency_missed_ms" for q in r.quantities) and \
                said.get("scale", (0, ""))[1] != "retracted":
            # The target and the measure that misses it are often told in two clauses: the turn as a whole settles it.
            at = next((pos for pos, clause in enumerate(clauses, 1) if any(
                q.kind == "latency_measured_ms" for q in extract(clause))), 0)
            said["scale"] = (at, "stated")
            magnitude["scale"] = "stated"
            if self.lex.put_to_test.search(r.normalized) and r.vendors and \
                    said.get("production-evidence", (0, ""))[1] not in ("negated", "retracted"):
                # "Feast ... 3 weeks benchmarking: p99 is 31 ms; the network gives us 10 ms": a product measured short
                # of the target is evidence that products fall short, not only a demanding load.
                said["production-evidence"] = (at, "stated")
                magnitude["production-evidence"] = "stated"
        gap = next((pos for pos, clause in enumerate(clauses, 1) if self.lex.lacks_capability.search(clause)), 0)
        market = bool(gap) and re.search(r"\b(?:nothing|no \w+|none of the \w+) (?:on the market|available|off the shelf|we )",
                                         clauses[gap - 1]) is not None
        if gap and (r.vendors or market) and said.get("production-evidence", (0, ""))[1] not in ("negated", "retracted"):
            # "SageMaker doesn't support the custom batching our recommender needs": a product they use or tried,
            # short of a capability their workload needs, is the gap no product closes, not a wish.
            said["production-evidence"] = (gap, "stated")
        short = next((pos for pos, clause in enumerate(clauses, 1) if quality_shortfall(clause)), 0) or \
            (len(clauses) if quality_shortfall(r.normalized) else 0)
        if short and (r.vendors or self.lex.put_to_test.search(r.normalized)) and \
                said.get("production-evidence", (0, ""))[1] not in ("negated", "retracted"):
            # "After nine months on Pinecone and a trial of Milvus, neither gets recall above 0.6; we need 0.9": products
            # measured short of the quality they need is the gap no product closes, told in numbers.
            said["production-evidence"] = (short, "stated")
        unmoved = next((pos for pos, clause in enumerate(clauses, 1) if self.lex.unmoved.search(clause)), 0)
        if unmoved and r.vendors and _MEASURED_FIGURE.search(r.normalized) and self.lex.put_to_test.search(r.normalized) and \
                said.get("production-evidence", (0, ""))[1] not in ("negated", "retracted"):
            # "Production profiles put JPEG decoding at 55% of p99. Five weeks of mirrored traffic through Triton and
            # BentoML: the share barely budged": products tried on the measured problem left it where it was.
            said["production-evidence"] = (unmoved, "stated")
        staged = next((pos for pos, clause in enumerate(clauses, 1) if self.lex.no_production.search(clause)), 0) or \
            (len(clauses) if self.lex.no_production.search(r.normalized) else 0)
        if staged and said.get("production-evidence", (0, ""))[1] != "retracted":
            # "Correction: all of those numbers came from our staging load tests. Nothing has run in production.": the
            # figures are no evidence from production, whatever they read like.
            said["production-evidence"] = (staged, "negated")
            magnitude.pop("production-evidence", None)
        young_team = thresholds.engineers.young_not_early_stage_at_least if self.lex.young_company.search(r.normalized) else None
        past = [pos for pos, clause in enumerate(clauses if r.quantities else [], 1)
                # A company's headcount counts only when they tell of no small team of their own ("3 data scientists
                # inside a 4,000-person retailer" have a small team's capacity).
                if any(q.kind in ("engineers", "teams", *(("headcount",) if not team else ()))
                       and (n := getattr(thresholds, q.kind).not_early_stage_at_least)
                       is not None and q.value >= n and not (q.kind == "engineers" and young_team is not None
                                                             and q.value < young_team) for q in extract(clause))]
        if past and said.get("early-stage", (0, ""))[1] == "stated":
            # "~220 engineers, six product teams ... Platform team is 5 people": an organisation that size is past the
            # early stage, whichever clause comes last (the turn as a whole reads so too; see implications()).
            said["early-stage"] = (past[0], "negated")
            magnitude["early-stage"] = "negated"
        if said.get("production-evidence", (0, ""))[1] == "stated" and not r.quantities and \
                said.get("scale", (0, ""))[1] == "stated":
            # Evidence is told in performance words ("measured recall", "can't keep up with our load"); with
            # no magnitude given at all, those words report the measurement, not a scale requirement.
            said.pop("scale")
        pos = said.get("scale", (0, ""))[0]
        if pos and said["scale"][1] == "stated" and magnitude.get("scale") != "stated" and \
                {q.kind for q in extract(clauses[pos - 1])} == {"latency_measured_ms"} and \
                not any(q.kind == "latency_missed_ms" for q in r.quantities):
            # "p95 around 120 ms" told of what they run, with no target it misses, is how it performs today, not a
            # load they cannot meet.
            said.pop("scale")
        models = [q.value for q in r.quantities if q.kind == "models"]
        if models and thresholds.models.scale_at_least is not None and max(models) >= thresholds.models.scale_at_least \
                and said.get("scale", (0, ""))[1] == "negated" and magnitude.get("scale") == "negated":
            # "26 models ... 19 of the 26 endpoints get fewer than 500 requests a day": light traffic in one clause
            # does not make many models few; the count of models is its own kind of scale.
            at = next((pos for pos, clause in enumerate(clauses, 1) if any(q.kind == "models" for q in extract(clause))), 0)
            said["scale"], magnitude["scale"] = (at, "stated"), "stated"
        if said.get("scale", (0, ""))[1] == "stated":
            said.pop("simple", None)  # one model at 20k requests per second is not a simple need
        several = thresholds.providers.not_simple_at_least
        if (busy(r.quantities, thresholds) or several and len(self.lex.providers_together(r.normalized)) >= several) \
                and said.get("simple", (0, ""))[1] != "retracted":
            # Steady traffic anywhere in the turn ("~20 requests per second ... two more models") or two providers
            # in use ("calls OpenAI and Anthropic") is past the small case, whatever another clause counts.
            said["simple"] = (0, "negated")
            if busy(r.quantities, thresholds):
                magnitude["simple"] = "negated"
        sold = [i for i in range(1, len(units)) if self.lex.sells_infrastructure.search(units[i])] \
            if len(units) > 1 else ([0] if self.lex.sells_infrastructure.search(units[0]) else [])
        if not sold and r.component:
            # "The similarity index over every registered mark is what customers pay us for", "mapping agencies license
            # it for their own annotators": what customers pay for, told of the row asked about, is that row.
            for m in self.lex.sold_told.finditer(r.normalized):
                told = _sentence_at(r.normalized, m.start(), stops=_SPACED_STOPS).strip()
                if any(h.slug == r.component for h in self.lex.hits(told)) and not self.lex.sells_model.search(told):
                    sold = [next((i for i in range(1, len(units)) if units[i] in told), 0)]
                    break
        if not sold and r.component:
            # "We're going head to head with W&B" about experiment tracking: they compete with the products of the
            # very row asked about, so that infrastructure is what they sell.
            sold = [i for i in range(1, len(units)) if self.lex.competes.search(units[i]) and any(
                not h.by_name and h.slug == r.component for h in self.lex.hits(units[i]))]
        if not sold and r.component:
            # "We make an annotation tool for drone imagery that agronomists subscribe to. Should the labelling interface
            # be ours?": their product, told as what customers pay for, is the row asked about.
            sentences = (_sentence_at(r.normalized, m.start(), stops=_SPACED_STOPS).strip()
                         for m in self.lex.sells_product.finditer(r.normalized))
            told = [x for x in sentences if any(h.slug == r.component for h in self.lex.hits(x))]
            sold = [next((i for i in range(1, len(units)) if units[i] in told[0]), 0)] if told else []
        if not sold and r.component and len(units) > 1:
            sold = self._sold_by_meaning(r, units, E)
        if not sold and said.get("core-differentiator", (0, ""))[1] == "stated":
            pos = said["core-differentiator"][0] or echo.get("core-differentiator", 0)
            told = _sentence_around(r.normalized, units[pos]) if pos else r.normalized
            if self.lex.sells_other.search(told) and not self.lex.infra_words.search(told) and not self.lex.hits(told):
                # "We sell an HR SaaS app that 2,000 companies subscribe to. Should we build a feature store?": what
                # they sell is another thing than the infrastructure asked about.
                said.pop("core-differentiator")
        if not sold and said.get("core-differentiator", (0, ""))[1] == "stated":
            pos = said["core-differentiator"][0] or echo.get("core-differentiator", 0)
            told = _sentence_around(r.normalized, units[pos]) if pos else r.normalized
            if self.lex.sells_model.search(told) or (not pos and self.lex.sells_model.search(r.normalized)):
                # "The valuation model itself is our product; banks pay us per valuation": the edge is the model and
                # its data, not the infrastructure under it, which stays the commodity it is for everyone else.
                said.pop("core-differentiator")
        plumbing = [i for i in range(1, len(units)) if self.lex.not_the_product.search(units[i])] \
            if len(units) > 1 else ([0] if self.lex.not_the_product.search(units[0]) else [])
        if plumbing and not sold and said.get("core-differentiator", (0, ""))[1] != "retracted":
            # "We sell a hiking-trail app; search is one feature in it, not what people pay for": the infrastructure is
            # plumbing inside what they sell, whatever the head made of the clause naming what they sell.
            said["core-differentiator"] = (plumbing[-1], "negated")
        was = said.get("core-differentiator", (0, ""))
        if sold and (was[1] != "negated" or not self.lex.cue_counts(units[was[0]])[0]):
            # A negation with no negative word in its clause is the head's guess; what they sell, said in so many words,
            # outweighs it.
            # "Our product is a low-latency inference API customers call": the infrastructure is what they sell, whatever
            # the head made of the clause (its price and latency read as a scale need).
            said["core-differentiator"] = (sold[0], "stated")
        if "regulated" not in said and set(r.regimes) - self.lex.attestations:
            # A compliance regime named ("we must meet FedRAMP High", "PHI under HIPAA") is a rule the asker is
            # under, whatever the head made of the words around it; an attestation (SOC 2) alone is not.
            at = next((i for i in range(1, len(units)) if set(self.lex.regimes(units[i])) - self.lex.attestations), 0)
            said["regulated"] = (at, "stated")
        if "regulated" not in said:
            # "must keep survey documents on-premises by law", "secrecy rules mean client files can't be processed
            # outside our own infrastructure": a rule on where data may be, told with the rule's own words, is the
            # regulated condition whatever the head made of the sentence around it.
            # The rule may be cut from its place by commas ("Privilege rules and our engagement letters say the
            # documents, and anything derived from them, stay in our own data centre"): its sentence tells it.
            ruled = [i for i in (range(1, len(units)) if len(units) > 1 else [0])
                     if self.lex.data_location.search(units[i]) and ((
                         self.lex.rule_words.search(sent := _sentence_around(r.normalized, units[i]))
                         and _OBLIGED.search(sent)) or _MUST.search(units[i]))]
            if ruled:
                said["regulated"] = (ruled[0], "stated")
        elif said["regulated"][1] == "stated" and len(units) > 1 and r.data_location and \
                not self.lex.data_location.search(units[said["regulated"][0]]):
            # "Our clients' contracts say recordings must stay in India, and the DPDP rules are coming into force": the
            # clause that says where the data must stay is the rule echoed back, not the law named after it.
            ruled = [i for i in range(1, len(units)) if r.data_location in units[i] and (
                _MUST.search(units[i]) or _OBLIGED.search(_sentence_around(r.normalized, units[i])))]
            if ruled:
                said["regulated"] = (ruled[0], "stated")
        if "budget" not in said:
            # "Tiny budget at our dairy in Oran": a budget called small, in those words, is the budget condition
            # whatever the head made of the place and trade around it; its polarity is the clause's own.
            # Told as past ("we had a tight budget last year but that's over") it is no budget of theirs now.
            tight = [i for i in (range(1, len(units)) if len(units) > 1 else [0]) if _TIGHT_BUDGET.search(units[i])
                     and not _PAST.search(_sentence_around(r.normalized, units[i]))]
            if tight:
                # "the board will not approve anything": a shortage told with a negative word is still stated.
                pol = "stated" if self.lex.stated_by_negative.get("budget") is not None and \
                    self.lex.stated_by_negative["budget"].search(units[tight[0]]) else pol_head.classes[int(Q[tight[0]].argmax())]
                said["budget"] = (tight[0], pol)
        if "lock-in" not in said or said["lock-in"][1] == "negated":
            # "I'm wary of tying every job script to one vendor's scheduler", "the board wants an exit path": the worry
            # told in the story's words is the lock-in condition whatever the head made of it; its polarity is the
            # clause's own ("our investor asks about an exit path, but none of us care").
            feared = [i for i in (range(1, len(units)) if len(units) > 1 else [0])
                      if self.lex.fears_lock_in.search(units[i])]
            if feared and "lock-in" in said:
                # The head read the worry as denied; only a worry word with no dismissal beside it overrules it.
                feared = [i for i in feared if _WORRY.search(units[i]) and not self.lex.dismisses_lock_in.search(units[i])]
            if feared:
                # "leadership is getting nervous about being tied to AWS forever": a worry word says the fear is held,
                # whatever polarity the head reads into "tied" (it learnt "never be tied again" as a denial's words).
                worried = _WORRY.search(units[feared[0]]) and not self.lex.dismisses_lock_in.search(units[feared[0]])
                said["lock-in"] = (feared[0], "stated" if worried else pol_head.classes[int(Q[feared[0]].argmax())])
        if "control-later" not in said and "production-evidence" not in said:
            # "One day we'll want the model roadmap in our own hands rather than a provider's": control wanted later,
            # told in the story's words, with nothing measured behind it.
            # Read in the clause's sentence: "so that one day, if we ever need something special, it's ours" is cut
            # at its commas.
            wanted = [i for i in (range(1, len(units)) if len(units) > 1 else [0])
                      if self.lex.control_someday.search(_sentence_around(r.normalized, units[i]))]
            if wanted:
                said["control-later"] = (wanted[0], pol_head.classes[int(Q[wanted[0]].argmax())])
        if said.get("budget", (0, "stated"))[1] == "stated":
            # "Scratch the money part: the contract got signed and our budget has been restored.", "finance lifted the
            # freeze this morning": money short no longer, whatever the head made of the clause.
            eased = [i for i in range(said.get("budget", (0, ""))[0], len(units)) if self.lex.eases_budget.search(units[i])]
            if eased:
                said["budget"] = (eased[0], "negated")
        if said.get("lock-in", (0, ""))[1] == "stated":
            # "Our investor keeps asking about lock-in, but honestly none of us care: trackers are easy to swap."
            waved = [i for i in range(said["lock-in"][0], len(units)) if self.lex.dismisses_lock_in.search(units[i])]
            if waved:
                said["lock-in"] = (waved[0], "negated")
        if said.get("regulated", (0, ""))[1] == "stated":
            # "Legal says chat logs should ideally not leave Korea, but it's a 'should', not yet a hard requirement": a
            # rule told as a wish in its own sentence (or the next) forbids nothing yet, so it is no regulated condition.
            at = said["regulated"][0]
            if any(self.lex.soft_rule.search(_sentence_around(r.normalized, units[i]))
                   for i in range(at, min(at + 2, len(units)))):
                said["regulated"] = (at, "negated")
        if said.get("regulated", (0, ""))[1] == "stated" and \
                self.lex.rule_asked.search(_sentence_around(r.normalized, units[said["regulated"][0]])) and \
                not self.lex.tells_rule(" ".join(u for i, u in enumerate(units[1:], 1)
                                                 if not self.lex.rule_asked.search(u))):
            # "Clients ask a lot about data sovereignty (some are in-house legal at banks)": their customers' concern,
            # no rule the asker is under, unless another clause tells one.
            said.pop("regulated")
        if said.get("regulated", (0, ""))[1] == "stated" and not self.lex.tells_rule(r.normalized):
            # "Hola, we're a legal-tech in Santiago", "Tel Aviv uni if that matters": a place, a customer or a line of
            # work is no rule; a rule is told in its own words (a law, a regulator, a regime, where data must stay).
            said.pop("regulated")
        if said.get("regulated", (0, ""))[1] == "stated" and self.lex.attested_only(r.normalized):
            # "Our customers require SOC 2": an attestation of how controls are run is no rule on where data
            # lives; buying from vendors that hold one is the usual route, so it does not read as regulated.
            said.pop("regulated")
        for i in [i for i in range(1, len(units)) if self.lex.denies_such.search(units[i])]:
            # "The group's clinic division has client contracts forbidding SaaS ... our own contracts have no such
            # clause": what the clause before said is another party's; the asker denies it for themselves.
            before = [pos for c, (pos, pol) in said.items() if pol == "stated" and 0 < pos < i and c not in magnitude]
            for c in [c for c, (pos, pol) in said.items() if before and pol == "stated" and pos == max(before)
                      and c not in magnitude]:
                said[c] = (i, "negated")
        back = [i for i in range(len(units)) if (i or len(units) == 1) and self.lex.retracts_that.search(units[i])
                and P[i].max() < self.condition_threshold]
        if back:
            # "The residency rule only covers account numbers ... Please ignore that constraint.": what the turn said
            # before takes it back; a turn that is only the retraction ("Scratch that requirement.") takes back
            # what the conversation added last (the planner knows it).
            earlier = [c for c, (pos, pol) in said.items() if pol == "stated" and 0 < pos < back[-1]]
            for c in earlier:
                said[c] = (said[c][0], "retracted")
            if not earlier and _RULE_NAMED.search(units[back[-1]]):
                # "The in-country requirement is dropped. The bank accepts a provider under a signed DPA.": what follows
                # a rule taken back gives its reason, never restates it (numbers still count). "Scratch that, it's 8,000
                # a second" corrects with new facts instead.
                for c in [c for c, (pos, pol) in said.items() if pos > back[-1] and c not in magnitude]:
                    said.pop(c)
            r.retracts_previous = not earlier and not said and not r.quantities
        # Which polarities the numbers alone settled: the conversation weighs those against the numbers of
        # earlier turns ("2 models" after "8k requests a second" is no small need).
        r.by_magnitude = [c for c, (_, polarity) in said.items() if magnitude.get(c) == polarity]
        for cond, (pos, polarity) in sorted(said.items(), key=lambda kv: kv[1][0]):
            {"stated": r.conditions, "negated": r.negated, "retracted": r.retracted}[polarity].append(cond)
            if pos == 0 and cond in echo:
                r.said[cond] = _sentence_of(_spelled(units[echo[cond]], r.question), r.question)
            else:
                r.said[cond] = _spelled(units[pos] if pos < len(units) else r.normalized, r.question)
                cut = 0 < pos <= len(spans) and (
                    r.normalized[spans[pos - 1][1]:spans[pos - 1][1] + 1] == "," or
                    # "... rented A100s and have measured utilisation above 85%": a second half that opens with its
                    # verb has no subject of its own ("..., and we'd rather not ..." has one).
                    re.search(r"\b(?:and|but|or)\s*$", r.normalized[:spans[pos - 1][0]]) is not None
                    and _SUBJECTLESS.match(r.normalized[spans[pos - 1][0]:]) is not None)
                if 0 < pos < len(spans) and r.normalized[spans[pos - 1][1]:spans[pos - 1][1] + 1] == ":":
                    # "Production data from the last four months: pre-processing takes 70% of request time": a lead-in
                    # before a colon says nothing alone; what follows it is the fact.
                    r.said[cond] = f"{r.said[cond]}: {_spelled(units[pos + 1], r.question)}"
                elif cut:
                    # A clause cut at a comma is a fragment ("legal told us no training data," ... "can leave our
                    # AWS account"): a short sentence is echoed whole.
                    whole = _sentence_of(r.said[cond], r.question)
                    r.said[cond] = whole if len(whole.split()) <= self.echo_words else r.said[cond]
            if r.said[cond].count("(") != r.said[cond].count(")"):
                # A clause cut inside an aside ("prospect (a German insurer, would be ~30% of revenue) contractually
                # forbids ...") reads as nonsense: the whole sentence is echoed, without its asides.
                whole = _sentence_of(r.said[cond], r.question)
                r.said[cond] = re.sub(r"\s*\([^()]*\)", "", whole) if whole != r.said[cond] else \
                    re.sub(r"^[^()]*\)\s*|\s*\([^()]*$", "", r.said[cond])
            r.said[cond] = self.lex.without_openers(r.said[cond])
            if re.match(r"(?:or|nor|either)\b", r.said[cond], re.IGNORECASE):
                # "... Bloomreach, or build our own (two-tower retrieval + a ranker) with the 3 data scientists we have":
                # a clause that is one of the options listed reads as nonsense echoed as a fact; the answer falls back
                # to the fact's own words ("with 3 data scientists").
                r.said.pop(cond)
