"""Plan a turn: fold the reading into the conversation and settle component, part, act, topic and refusal once."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from .act_settling import ASKS
from .corpus import WHOLE
from .hosting import find_choice, self_hosting_is_a_part
from .matrix import Matrix, Taxonomy
from .quantities import Quantity, Thresholds, corrected_volume, grown, implications
from .understanding import HYPOTHETICAL, Reading

# Numbers that measure the same thing: a later one corrects the earlier ("12 engineers" then "250 people now").
SAME_MEASURE = {"headcount": "engineers", "teams": "engineers", "latency_ms": "latency", "latency_missed_ms": "latency"}


# "Self-host an open-weight model or call a hosted API?": the other side of the row offered beside a part named.
_OR = re.compile(r"\bor\b")
# The two sides of a row weighed in one asking sentence: something paid for against their own.
_PAID_SIDE = re.compile(r"\b(?:api|apis|hosted|provider|providers|saas|vendor|paying|pay for|subscription|managed)\b")
_OWN_SIDE = re.compile(r"\b(?:our own|ourselves|self-host\w*|in-house|stand up|roll our own|host (?:it|them) ourselves)\b")
_ALSO = re.compile(r"\b(?:also|too|as well|additionally|besides|on top of that)\b")
# "a hosted model API like OpenAI or Anthropic": products given as examples of one thing, not options weighed.
_EXAMPLES = re.compile(r"\b(?:like|such as|e\.?g\.?|for example|for instance)\s+(?:[\w.:-]+\s+){0,2}?[\w.:-]+"
                       r"(?:\s*,\s*(?:[\w.:-]+\s+){0,2}?[\w.:-]+)*\s+or\s+[\w.:-]+(?:\s+[\w.:-]+)?")
# A move toward building ("could we move off Airflow onto our own scheduler?"), not between bought products.
_TOWARD_OWN = re.compile(r"\b(?:build|building|write|writing|our own|homegrown|in-house|ourselves|diy|custom)\b")
# "can we just use Databricks jobs for all of it?", "couldn't we simply use what Snowflake has?"
_JUST_USE = re.compile(r"\b(?:can|could|should|can't|couldn't|shouldn't)\s+(?:we|i)\s+(?:not\s+)?(?:just|simply|also)\s+"
                       r"(?:use|rely on|go with|stick (?:to|with))\b")
# The sentence that asks whether news changes the answer ("Does that change the pick?", "still the same call?").
_RECHECK_SENTENCE = re.compile(r"\b(?:change|changes|alter|affect|shift|flip|still|same|different|now what|leave us)\b")
_BOUGHT = re.compile(r"\b(?:api|apis|hosted|provider|providers|saas)\b")
# "I meant the registry, not monitoring", "I was asking about serving", "mixed things up": the subject corrected.
_MEANT = re.compile(r"\b(?:i|we) (?:meant|mean)\b|\bmeant to (?:say|ask|write|type)\b|\b(?:i|we) (?:was|were) (?:asking|talking) "
                    r"about\b|\bmixed (?:things|them|it|those|these) up\b|\bwrong (?:component|thing|word|tool|term)\b|"
                    r"\bshould have (?:said|asked|written)\b")


# Tuning still to do ("should we fine-tune", "train our own adapters", "distil it"), not models already tuned ("a LoRA
# adapter fine-tuned on their tickets").
_TUNING_ASKED = re.compile(r"\b(?:fine[- ]?tun(?:e|es|ing)|finetun(?:e|es|ing)|tun(?:e|ing) (?:it|them|the model|a model|"
                           r"our own)|train(?:ing)? (?:our own |the |new |an? )?(?:adapters?|lora|loras|model on)|distil\w*|"
                           # "train Mistral 7B further on our 40k support transcripts", "continue pre-training it"
                           r"train\w*\b[^.?!]{0,40}?\b(?:further|on (?:our|their|these|those|all|the) )|"
                           r"(?:further|continued?|continuing) (?:pre-?)?train\w*)\b",
                           re.IGNORECASE)


# A rate told as the busiest moment ("peak ~120 QPS on weekday mornings", "70k reads/s in the Friday rush").
_PEAK = re.compile(r"\b(?:peaks?|peaking|rush|spikes?|bursts?|busiest|black friday|cyber monday|at most|max(?:imum)?)\b")


# A hosted model API told without its name ("sends 1.1 billion tokens a day to a hosted API").
_HOSTED_API = re.compile(r"\bhosted (?:model )?(?:apis?|providers?|models?)\b|\b(?:the|an?|their) (?:llm |model )?api\b")


# The sentence that asks names self-hosting itself ("Should we self-host that workload?"): the part is what is asked.
_SELF_HOSTING_ASKED = re.compile(r"\bself[- ]?host\w*|\b(?:run|host|serve) (?:it|them|that|this|the model|models?|"
                                 r"that workload|it all) (?:ourselves|in-house|on our own)\b|\bour own gpus\b|\bin-house\b")


def _clause_of(norm: str, text: str) -> str:
    """The clause of `norm` (between commas or stops) that holds `text`; '' when it is not there."""
    norm, text = norm.lower(), text.lower().strip()
    at = norm.find(text)
    if at < 0:
        return ""
    start = max(norm.rfind(c, 0, at) for c in ",;.?!\n") + 1
    stops = [i for i in (norm.find(c, at + len(text)) for c in ",;.?!\n") if i >= 0]
    return norm[start:min(stops, default=len(norm))]

class ConversationState(BaseModel):
    """What a conversation has established so far; stored between turns."""

    component: str | None = None
    components: list[str] = Field(default_factory=list)
    other_component: str | None = None
    part: str = WHOLE
    conditions: list[str] = Field(default_factory=list)
    topic: str | None = None
    act: str | None = None
    facts: dict[str, str] = Field(default_factory=dict)  # quantity kind -> as the asker wrote it
    quantities: list[Quantity] = Field(default_factory=list)  # the numbers told so far, the latest of each kind
    negated: list[str] = Field(default_factory=list)  # conditions the asker said do not hold
    vendors: list[str] = Field(default_factory=list)  # vendor notes the asker has named, latest last
    cloud: str | None = None  # the public cloud the asker runs on, as last stated
    kubernetes: bool | None = None  # whether the asker runs Kubernetes, as last stated
    rejected: list[str] = Field(default_factory=list)  # vendor notes the asker ruled out ("too expensive")
    stack: list[str] = Field(default_factory=list)  # tools the asker named that may run beside it ("Grafana")
    running: list[str] = Field(default_factory=list)  # vendor notes of products the asker said they run
    asked_vendors: list[str] = Field(default_factory=list)  # vendor notes named by the last choice or "enough?" asked
    # The question asked again by a follow-up that only changes facts said "do we need ...?", which is answered the
    # other way round from "is it enough?" ("Do we need a vector database?" then "300M vectors now. Same answer?").
    asked_need: bool = False
    turns: int = 0


class Plan(BaseModel):
    """Everything later stages need to know about this turn, settled here and nowhere else."""

    state: ConversationState  # the conversation after this turn (unchanged but for the count when refused)
    previous: ConversationState
    refuse: bool = False
    act: str = "verdict"
    topic: str | None = None  # the guidance note that answers a general question
    added: list[str] = Field(default_factory=list)  # conditions this turn added
    removed: list[str] = Field(default_factory=list)  # conditions this turn took away
    supposed: list[str] = Field(default_factory=list)  # of those added, the ones a what-if only supposes
    recheck: bool = False  # a follow-up asking whether the call still holds ("does that change your answer?")
    # A follow-up that only changes the facts of a choice or of "is X enough?" asks that again: the act answered.
    reasked: str | None = None
    vendors: list[str] = Field(default_factory=list)  # the products this turn asks about
    several: list[str] = Field(default_factory=list)  # rows asked about together ("which of these ..."), in order
    aside: bool = False  # a turn that asks nothing and tells what they run ("everything else is on Vertex AI")
    # A product of a row they run, proposed for the infrastructure without a row in play ("can't we just use W&B for
    # the product A/B tests too?"): its note id.
    reuses: str | None = None
    topic_sure: bool = False  # the topic head is sure of a general question's topic (its note may answer it)

    @property
    def has_subject(self) -> bool:
        s = self.state
        return bool(s.component or s.other_component or self.topic)


class Planner:
    """Turns a reading plus the conversation so far into a `Plan`."""

    DECIDING = frozenset({"verdict", "vendor", "enough", "build-part"})  # acts that need a component to decide
    REASKED = frozenset({"vendor", "enough"})  # acts a follow-up that only changes the facts asks again
    SEVERAL_ACTS = frozenset({"verdict", "build-part", "switch", "risks", "cost", "general"})  # answerable per row
    SEVERAL_AT_MOST = 6

    def __init__(self, matrix: Matrix, taxonomy: Taxonomy, part_threshold: float = 0.5,
                 switch_threshold: float = 0.5, part_min_mass: float = 0.0, follow_up_general_confidence: float = 0.5,
                 follow_up_refusal_confidence: float = 0.7, no_subject_refusal: float = 0.2,
                 anaphoric_switch_threshold: float = 0.8, asked_part_min_mass: float = 0.6,
                 follow_up_off_topic_min: float = 0.5, vendor_facts: dict | None = None, thresholds: Thresholds | None = None,
                 topic_confidence: float = 0.5, asked_whole_at_least: float = 0.85):
        self.matrix = matrix
        self.asked_whole_at_least = asked_whole_at_least
        self.thresholds = thresholds
        self.vendor_facts = vendor_facts or {}
        self.asked_part_min_mass = asked_part_min_mass
        self.topic_confidence = topic_confidence
        self.taxonomy = taxonomy
        self.part_threshold = part_threshold
        self.part_min_mass = part_min_mass
        self.switch_threshold = switch_threshold
        self.follow_up_general_confidence = follow_up_general_confidence
        self.follow_up_refusal_confidence = follow_up_refusal_confidence
        self.follow_up_off_topic_min = follow_up_off_topic_min
        self.no_subject_refusal = no_subject_refusal
        self.anaphoric_switch_threshold = anaphoric_switch_threshold
        self.parts = {c.slug: [p.name for p in c.parts] for c in matrix.components}

    def plan(self, state: ConversationState, r: Reading) -> Plan:
        thread = state
        if r.new_topic and (state.component or state.other_component):
            # "Also, separate topic: should we build our own player analytics?" leaves the thread's subject: what it
            # asks about is read as if first asked (refused when it is no ML infrastructure); what they told so far
            # (their conditions, numbers, stack) still holds.
            state = state.model_copy(update={"component": None, "components": [], "other_component": None,
                                             "part": WHOLE, "act": None, "asked_vendors": []})
        if not r.in_scope and (state.component or state.other_component) and (r.conditions or (
                (r.negated or r.retracted or r.quantities)
                and r.confidence.get("act", 1.0) < self.follow_up_refusal_confidence)
                or r.confidence.get("off-topic", 1.0) < self.follow_up_off_topic_min or r.names_nothing
                # "And the code that cleans and joins our billing exports with app events?" points back, and its words
                # read as the row in play: a part of the thread's own subject, not a new one to refuse.
                or (r.anaphoric and r.component is not None and r.component == state.component)
                # "the workstations are plain Ubuntu, no kubernetes": a turn that only tells, mid-conversation, tells
                # it of the thread; there is no other question in it to refuse.
                or (r.act_in_scope == "statement" and "?" not in r.normalized and not r.injection)):
            # A follow-up that states a fact about the asker ("our security team says traces can't go to any
            # third-party SaaS. Does that change it?", "our API invoices are about $2k a month") belongs to the
            # conversation, whatever its words suggest; numbers alone do so unless the act head is sure the turn
            # is about something else ("unrelated: we pay $300 a month for HubSpot, build our own CRM?"). Any other
            # turn the act head is unsure is off-topic ("Our images can't leave our servers. So which would you
            # pick?") stays in the conversation too, and so does a turn that speaks only of the decision and names
            # nothing of its own ("With that, is self-hosting still worth it?"): its subject is the thread's.
            r = r.model_copy(update={"act": r.act_in_scope})
        elif not r.in_scope and (state.component or state.other_component) and r.why_opening:
            # "Why not just build it? It's basically a database with a web UI." asks why of the answer just given.
            r = r.model_copy(update={"act": "why"})
        if r.act in self.DECIDING and r.confidence.get("off-topic", 0.0) >= self.no_subject_refusal and not (
                r.component or r.other_component or state.component or state.other_component or r.conditions
                or r.negated):
            # A decision asked about nothing the heads recognise as ML/AI infrastructure, which the act head also
            # suspects is off-topic ("swap Freshdesk for a ticket system we write in-house?"), is not ours to
            # answer; an unnamed piece of AI infrastructure ("our own agent framework?") the act head trusts is.
            r = r.model_copy(update={"act": "off-topic"})
        if r.no_ml and not (state.component or state.other_component):
            # "Envoy or our own proxy in front of our REST APIs? There are no models anywhere in this stack.": the
            # asker says it is not ML infrastructure, whatever row words the question shares with it.
            r = r.model_copy(update={"act": "off-topic"})
        if not r.in_scope:
            # A refused turn does not move the conversation (an off-topic aside keeps the thread).
            return Plan(state=thread.model_copy(update={"turns": thread.turns + 1}), previous=thread,
                        refuse=True, act=r.act)
        new = state.model_copy(deep=True)
        new.turns += 1
        act = r.act
        changes_facts = bool(r.conditions or r.negated or r.retracted or r.quantities)
        if (act == "general" and changes_facts and state.component and r.component in (None, state.component)
                and r.confidence.get("act", 1.0) < self.follow_up_general_confidence):
            # "sorry, misspoke: it's 4 teams, roughly 90 engineers. same answer?" corrects the facts of the question in
            # play; only a confident reading makes it a general question.
            act = "statement"
        if act == "general" and "build" in r.also and state.component and r.component in (None, state.component):
            # "Is there some middle ground where they build only the part they care about?" after a verdict asks
            # which part of that component is theirs to build.
            act = "build-part"
        unsure_choice = act == "vendor" and not r.vendors and \
            r.confidence.get("act", 1.0) < self.follow_up_general_confidence
        if (act in ("what-if", "enough") or unsure_choice) and r.recheck and state.component and not r.supposes:
            # "Correction: we're moving from Azure to GCP. Does that change your answer?" tells a fact and asks whether
            # the call still holds; nothing in it is supposed, and nothing they run is weighed as enough. Nor is a
            # product asked for when none is named and only an unsure reading says so ("... which puts them under GxP.
            # does that change the answer?").
            act = "verdict"
        if (act == "verdict" and r.anaphoric and r.component and state.act in self.taxonomy.act_notes
                and len(r.normalized.split()) <= 8):
            # "And specifically for model serving?" after a question about risks asks the same thing of
            # the newly named component.
            act = state.act
        held = self.matrix.get(state.component) if state.component else None
        if act == "verdict" and r.asks_move and not r.destination and held is not None and \
                sum(o.doc in state.vendors for o in held.buy) >= 2 and \
                (r.component in (None, state.component) or r.component not in r.named):
            # "So honestly, is the move worth it?" after "which pieces of moving from SageMaker to Vertex AI are
            # painful?" asks about the move between the products in play, not the build-or-buy call.
            act = "switch"
        new.act = act
        # A follow-up that names nothing and mostly tells facts ("our API invoices are about $2k a month. Does that
        # change anything?") keeps the part in play: facts qualify the question, they do not change its subject.
        tells = changes_facts and r.component not in r.named and \
            r.confidence.get("act", 1.0) < self.follow_up_general_confidence
        # Guidance asked of the thread ("how would we roll it out without breaking our batch jobs?") describes its
        # context in words that suggest other components; only a sure reading takes it elsewhere.
        # The same holds for guidance asked with no row named outright ("how do we migrate without a quality drop, and
        # what if the provider retires the model version we rely on?"): a near miss of a row's name ("model
        # version") is a word of its context, not a new subject.
        applied = act in self.taxonomy.act_notes and (r.anaphoric or r.component in r.near_rows) or (
            # "What if our data must stay in the EU?" mid-conversation supposes a fact about the thread's subject: with
            # no row or product named, only a sure reading takes it elsewhere.
            act == "what-if" and not r.named and not r.vendors)
        switch = self.anaphoric_switch_threshold if applied else self.switch_threshold
        named = [s for s in r.named if s not in r.near_rows] if applied else r.named
        # A thread on infrastructure without a row ("a guardrails layer") is held the same way as one on a row.
        guessed = r.component and r.component not in named and (state.component or state.other_component) \
            and r.confidence.get("component", 1.0) < switch
        # A follow-up that tells facts and then asks about them ("6 of them need GPUs, each on its own T4. same
        # answer?", "our warehouse is BigQuery. does that change things?") names tools of its stack, not a new
        # subject; a new question ("We also need a feature store. Build or buy?", "Now experiment tracking. Which
        # tool?") names its subject and asks about it.
        told = bool(r.told_only and state.component and (r.recheck or act not in ("verdict", "general") and (
            act == "what-if" or (r.component or r.other_component) not in r.named)))
        guessed = guessed or (told and r.component not in (None, state.component))
        # "Forget the plan, the deal fell through. We're staying at one model and about 500 calls a day. So?" changes
        # facts of the thread and names no row or product: only a sure reading takes it elsewhere.
        guessed = guessed or bool(state.component and r.component not in (None, state.component) and not r.named
                                  and not r.vendors and (r.retracted or r.negated or r.quantities)
                                  and r.confidence.get("component", 1.0) < self.anaphoric_switch_threshold)
        # "Just the scheduling part, then: could we write that ourselves?" points back and names a part of the row in
        # play: its words ("scheduling") suggest another row, but the part is the thread's own.
        # A product named beside it ("skip the golden set and just have GPT-4.1 grade live chats") is a tool of the
        # part, not a new subject.
        guessed = guessed or bool(r.anaphoric and state.component and r.component not in (
            r.named_rows if r.vendors else named) and any(k.startswith(f"{state.component}/") for k in r.named_parts))
        # "Why not write the scheduler as well? How hard can it be?" after a data-pipeline answer pushes back on the call
        # in play: with no row or product named outright, its words ("scheduler") are the thread's, not a new subject.
        guessed = guessed or bool(act == "why" and (state.component or state.other_component) and not named
                                  and not r.vendors and not r.new_topic)
        # "Say we move to self-hosted MLflow. In which order?" in a thread on the model registry: every product named is
        # also one of the thread's own row (MLflow's registry), so the row stays.
        here = self.matrix.get(state.component) if state.component else None
        guessed = guessed or bool(here and r.vendors and r.component not in (None, state.component)
                                  and r.component not in r.named_rows and not r.named_rows
                                  and set(r.vendors) <= {o.doc for o in here.buy})
        # "What if next year we move all training to rented cloud GPUs? Does the answer change?" supposes new facts and
        # asks the call in play again: with no row or product named, the subject stays.
        guessed = guessed or bool(r.recheck and act in ("what-if", "verdict") and state.component and r.component
                                  not in (None, state.component, *named) and not r.vendors)
        # A turn mid-conversation that asks nothing and tells what they run, naming another row only through a
        # product ("Should have said: everything else we run is on Vertex AI."), tells the stack around the question;
        # it does not change the subject, and the question is asked again with it.
        aside = bool(state.component and r.component not in (None, state.component) and r.component not in r.named_rows
                     and (act == "statement" or "?" not in r.normalized and r.in_use and not r.several))
        # "If we moved to Vertex AI next year, what would be hardest to bring across?" names where the thing in play
        # would go, through a product of another row: the move is still about the thing in play.
        moving = bool(act == "switch" and state.component and r.component not in (None, state.component)
                      and r.component not in r.named_rows and not r.several)
        # "Why not just use Redis and the Airflow jobs we already run?" after a feature-store answer proposes tools they
        # run for the thing in play, named only through products: it does not move the question to the tools' rows.
        proposes = bool(r.proposes_stack and state.component and r.component not in (None, state.component)
                        and r.component not in r.named_rows and not r.several
                        and act in ("why", "enough", "verdict", "vendor"))
        if proposes and r.why_opening:
            act = "why"  # "why not just use ...?" asks why the call does not settle on what they run
        elif proposes and act == "vendor" and _JUST_USE.search(r.normalized):
            # "Our CTO signed with Databricks: can we just use its jobs for all of it?" asks whether the product they
            # are getting will do for the thing in play, not which of that row's products to pick.
            act = "enough"
        # "Retraction: the $18k included a one-off backfill plus embeddings for search." asks nothing and only comes near
        # another row's name ("embeddings for search"): it corrects the facts of the thread, not its subject.
        aside = aside or bool(state.component and r.component not in (None, state.component) and r.component in
                              r.near_rows and "?" not in r.normalized and not r.several)
        # "Correction: we stopped using SageMaker Feature Store last year." after a question about moving their whole
        # platform tells a fact about one of the pieces in play; it does not make that piece the subject.
        aside = aside or bool(state.component and r.component not in (None, state.component) and act == "statement"
                              and r.component in state.components and "?" not in r.normalized and not r.several)
        # "Extra context: the investor wants us to build our own serving, our own monitoring, our own scheduler." tells
        # facts that name the thread's row among others; it asks nothing, and the subject stays.
        asks = "?" in r.normalized or r.asks_call or any(ASKS.match(c) for c in re.split(r"[.,:;!\n]\s*", r.normalized))
        aside = aside or bool(state.component and r.component not in (None, state.component)
                              and state.component in r.components and not asks)
        # "Facts I forgot: ... And two groups also want to serve a couple of models." mid-way through a cluster question
        # adds a need beside the one in play; it asks nothing about it, so the subject stays.
        aside = aside or bool(state.component and r.component not in (None, state.component) and act == "statement"
                              and not asks and _ALSO.search(r.normalized) and not r.several)
        # "Sorry, I meant the model registry, not monitoring": the subject itself is corrected, to the row they name.
        if state.component and r.component not in (None, state.component) and r.component in r.named_rows \
                and _MEANT.search(r.normalized):
            aside = guessed = False
            act = "verdict" if act == "statement" else act
        if aside:
            act = "statement"
        # "... and the person who wrote the serving layer left. With that, is it still worth staying on our own
        # platform?" asks of the thread again; the row named only in the background is part of the news.
        # So is a thread on infrastructure without a row ("do we still need the redaction layer, now the LLM is
        # self-hosted?"): the row named in the news is background.
        background = bool((state.component or state.other_component) and r.component not in (None, state.component)
                          and r.anaphoric and r.component in r.background_rows and not r.several)
        # "Say we move to GKE and our DevOps engineer leaves: how hard is it to go back to Vertex?" after a serving
        # question that named Vertex: products the thread already named, and no row named outright, keep the subject.
        retold = bool(state.component and r.component not in (None, state.component) and r.vendors
                      and set(r.vendors) <= set(state.vendors) and not r.named_rows and not r.several)
        # "What if we also burst the inference campaigns to Google Cloud? Does that change the pick?" after a scheduler
        # answer supposes news and asks whether the pick still holds: another row's words inside the news ("inference")
        # do not make that row the subject.
        # "Does that change the serving answer?" names the row it asks about in the asking sentence itself: that row.
        rechecked = bool(state.component and r.component not in (None, state.component) and r.recheck
                         and r.anaphoric and not r.several and not _MEANT.search(r.normalized)
                         and not self._names_row_in_recheck(r))
        guessed = guessed or aside or moving or proposes or background or retold or rechecked
        # "Can't we just use W&B for the A/B tests too?" in a thread on an experimentation platform: a product they run,
        # named only as itself, proposed for the thing in play; the subject stays, and whether it will do is the ask.
        reuses = next((v for v in r.running if v in r.vendors), None) if (
            state.other_component and not state.component and r.component and r.component not in r.named_rows
            and not r.other_component and not r.several) else None
        # A what-if that supposes facts ("what if we only get 2 platform engineers?"), not one that names a new subject
        # ("and the pipeline that brings the outcomes back?").
        supposes_facts = bool(r.quantities or r.conditions or r.negated or r.retracted)
        if reuses:
            act = new.act = "enough"
            new.other_component = state.other_component
        elif act == "general" and len(set(r.named_rows)) >= 2 and not r.vendors:
            # "We'll decide on tracking, pipelines, serving and monitoring this year: where do teams go wrong?" asks
            # across the rows it lists, not about the first of them.
            new.component, new.components, new.other_component, new.part = None, [], None, WHOLE
        elif guessed:
            # A follow-up that names nothing ("what if our data must stay in the EU?") and only weakly
            # suggests another component stays on the thread rather than jumping to the guess.
            part = self._part(r, state.component) if state.component else WHOLE
            if part != WHOLE and not ((r.recheck or act == "what-if" and supposes_facts) and not r.named_parts):
                # "... and we need <100 ms retrieval. Does that change your answer?" asks the question in play again.
                new.part = part
        elif r.component:
            same = r.component == state.component
            new.component, new.components, new.other_component = r.component, list(r.components), None
            part = self._part(r, r.component)
            # "What if we only get 2 platform engineers?" changes a fact, not the subject: no part named, the part in
            # play stays (the words "platform engineers" are no question about the one-platform part).
            if same and (r.component not in r.named and tells or (r.recheck or act == "what-if" and supposes_facts)
                         and not r.named_parts):
                # "Production data: pre-processing takes 70% of request time. Does that change what you'd do?" asks the
                # question in play again with new facts; what the facts are about is not a new subject.
                part = state.part
            new.part = part if part != WHOLE or not same else state.part
        elif r.other_component and (r.other_named or not state.component) and not told:
            # Unnamed "other" infrastructure mid-conversation ("which tool then?") stays on the thread, under the name
            # it was given there ("a guardrails layer", not "this infrastructure").
            kept = state.other_component if state.other_component and not r.other_named else r.other_component
            new.component, new.components, new.other_component, new.part = None, [], kept, WHOLE
        elif act == "general" and not r.anaphoric:
            # General guidance ("where do companies go wrong?") leaves the component; risks, cost,
            # switching, vendors and rollout asked mid-conversation apply to the component in play.
            new.component, new.components, new.other_component, new.part = None, [], None, WHOLE
        elif new.component and not tells and r.act != "statement":
            # A turn that only tells facts ("no regulations, not a startup, budget isn't a problem") qualifies the
            # question in play; whatever its words suggest about parts, the subject stays.
            part = self._part(r, new.component)
            if part != WHOLE:
                new.part = part
        if (act == "statement" and new.component and new.component == state.component
                and state.act not in (None, "statement", "general")):
            # Facts added after a question ("oh btw we're 4 engineers, pre-seed") ask that question again with
            # them: the asker expects the answer to take them in, not to be asked what they are deciding.
            # Asked of a verdict, a choice or "is it enough", that question again; after guidance (risks, cost,
            # switching, rollout), the facts bear on the call itself.
            act = new.act = state.act if state.act in ("verdict", "enough", "vendor", "build-part") else "verdict"
        # When the infrastructure is what they sell, all of it is theirs to build: no one part is "the build part".
        sells = {g.condition for g in self.matrix.global_rules if g.verdict == "build"} & (
            set(state.conditions) | set(r.conditions)) - set(r.negated) - set(r.retracted)
        if r.act == "build-part" and new.component and sells:
            new.part = WHOLE
        elif r.act == "build-part" and new.component:
            comp = self.matrix.get(new.component)
            held = sorted((set(state.conditions) | set(r.conditions)) - set(r.negated) - set(r.retracted),
                          key=self.taxonomy.rank)
            top = comp.rule_for(held[0], new.facts) if held else None
            build = comp.build_part_given([*new.negated, *r.negated])
            asked = comp.part(self._part(r, new.component))
            if "buy" in r.also and not r.named_parts and comp.verdict == "hybrid":
                # "For our data pipelines, what should we build and what should we buy?" asks for the split of a row
                # that is split, not for its build part alone.
                new.part = WHOLE
            elif asked is not None and (asked.verdict != "buy" or any(asked.rule_for(c, new.facts) for c in held)):
                # "Should we build that optimisation layer on top of Triton?" names the part it asks of, and that
                # part is one their situation can make theirs.
                new.part = asked.name
            elif asked is not None and f"{new.component}/{asked.name}" in r.named_parts and "buy" not in r.also \
                    and not re.search(r"\b(?:which|what)\b", r.normalized):
                # "Only the scheduling part then: is that ours to write?" names a part that is bought: whether to
                # write it is a yes or no on that part, not which part is theirs.
                new.part = asked.name
                act = new.act = "verdict"
            elif top is not None and top.verdict == "hybrid" and top.condition != "simple":
                # "With measured gaps, what do we build and what do we buy?": the rule that splits the whole row
                # for their situation says which part is theirs, not the row's default build part.
                new.part = WHOLE
            elif build:
                new.part = build.name
        if act == "switch" and new.component and new.part != WHOLE and not r.named_parts and (
                r.leaving_build or not _TOWARD_OWN.search(r.normalized)):
            # "Give me the migration plan: in which order do we move the 640 DAGs?" moves between products sold for
            # the row, so it is about the part products sell, not the part the asker writes, whatever the words lean
            # to (pipelines are written code, yet moving them is a move of orchestrators).
            comp = self.matrix.get(new.component)
            here, sold = comp.part(new.part), [p for p in comp.parts if p.verdict == "buy" and not p.on_top_of]
            if here is not None and here.verdict == "build" and sold:
                kept = comp.part(state.part) if state.component == new.component else None
                new.part = kept.name if kept in sold else sold[0].name if len(sold) == 1 else WHOLE
        r = self._bare_correction(r, state)
        before_growth = r
        r = self._grown(r, state)
        if r is not before_growth and r.act == "what-if" and act in ("verdict", "statement", "enough"):
            act = "what-if"  # "what if we grow 10x?": the grown sizes are supposed, not told
        # Of several GPU counts in one turn, the fleet is the largest ("64 GPUs (8 nodes x 8 L40S) ... 2 people grab 32
        # GPUs"): the others are a node's share or what some of them take.
        # So is the model count ("We serve 14 models: rankers, two audio-embedding models on GPU, ...").
        # Of several rates, the peak is the load to carry ("~10 QPS otherwise, 120 at peak"), and is said as one.
        largest = {kind: max((q for q in r.quantities if q.kind == kind), key=lambda q: q.value, default=None)
                   for kind in ("gpus", "models", "traffic_rps")}
        for q in r.quantities:
            new.facts[q.kind] = (largest.get(q.kind) or q).text.strip()
        rates = [q for q in r.quantities if q.kind == "traffic_rps"]
        if len(rates) > 1 and not _PEAK.search(new.facts["traffic_rps"]) and _PEAK.search(
                _clause_of(r.question, largest["traffic_rps"].text)):
            new.facts["traffic_rps"] = f"{new.facts['traffic_rps']} at peak"
        if r.deadline:
            new.facts["deadline"] = r.deadline
        new.vendors = [v for v in new.vendors if v not in r.vendors][-7:] + list(r.vendors)
        new.running = [v for v in dict.fromkeys([*new.running, *r.running]) if v not in r.rejected][-8:]
        new.cloud = r.cloud or new.cloud
        new.stack = [*[t for t in new.stack if t not in r.stack], *r.stack][-8:]
        new.kubernetes = r.kubernetes if r.kubernetes is not None else new.kubernetes
        # A product ruled out stays out until the asker names it again without ruling it out.
        new.rejected = [v for v in dict.fromkeys([*new.rejected, *r.rejected]) if v in r.rejected or v not in r.vendors]
        r = self._weigh_numbers(r, new)
        # A condition stated now replaces those that cannot hold beside it ("low traffic", then "50k a second");
        # one a what-if only supposes ("what if we grew to 5 billion tokens a day?") replaces nothing told.
        if r.withdraws_approval and "regulated" in r.negated:
            # "Compliance withdrew the approval, so nothing is approved after all" negates the exception, not the rule.
            r = r.model_copy(update={"negated": [c for c in r.negated if c != "regulated"]})
        # "Sorry, scrap that: compliance withdrew the approval" takes back the approval, not the rule it was an exception to.
        if r.retracts_previous and new.conditions and not (r.conditions or r.negated or r.retracted) and \
                not r.withdraws_approval:
            # "Please ignore that constraint." names nothing: the condition told last is the one taken back.
            r = r.model_copy(update={"retracted": [new.conditions[-1]]})
        replaced = {x for c in r.conditions if (cond := self.taxonomy.condition(c)) for x in cond.excludes} \
            if act != "what-if" else set()
        removed = list(dict.fromkeys(c for c in (*r.negated, *r.retracted, *replaced)
                                     if c in new.conditions and c not in r.conditions))
        new.conditions = [c for c in new.conditions if c not in removed]
        added = [c for c in r.conditions if c not in new.conditions]
        new.conditions += added
        # A regime named with the regulated condition ("under HIPAA") is echoed while the condition holds.
        if "regulated" in r.conditions and r.regimes:
            new.facts["regime"] = " and ".join(r.regimes[:2])
        elif "regulated" in removed:
            new.facts.pop("regime", None)
        if r.owns_hardware:
            new.facts["owns-hardware"] = r.owns_hardware
        elif r.disowns_hardware:
            new.facts.pop("owns-hardware", None)
        if r.approved_provider:
            new.facts["provider-approved"] = r.approved_provider
        elif r.withdraws_approval:
            new.facts.pop("provider-approved", None)
        if r.model_product:
            new.facts["model-product"] = r.model_product
        # Whether their rule says where data may live, from any turn while the condition holds.
        if "regulated" in r.conditions and r.data_location:
            # The cue and the asker's sentence with it: "must stay in" alone does not say whether a region or their
            # own network is meant ("... in the EU" or "... in our data centre").
            new.facts["data-location"] = f"{r.data_location} | {r.said.get('regulated', '')}".strip(" |")
        elif "regulated" in removed:
            new.facts.pop("data-location", None)
        new.negated = [c for c in dict.fromkeys([*new.negated, *r.negated, *r.retracted]) if c not in new.conditions]
        topic = None
        rule = next((g for g in self.matrix.global_rules if g.condition in r.conditions), None)
        if act == "general" or (act == "why" and not (new.component or new.other_component)):
            topic = r.topic or "four-questions"
        elif act in self.taxonomy.act_notes:
            topic = act
        if rule and not (new.component or new.other_component) and act in ("general", "verdict", "why", "statement"):
            # The two global rules hold for infrastructure in general too ("build everything in case
            # we need control" is the common mistake); their note answers the question.
            topic = f"rule:{rule.condition}"
        new.topic = topic
        # "We call GPT-4o 100 times a day. What if a regulator ...?" tells one fact and supposes another: a what-if
        # is weighed against the facts told, so only the supposed ones are taken away to compare.
        # A condition told outside the hypothetical ("Data team is 2 data scientists and 1 ML engineer. What if we just
        # push drift metrics into our Grafana?") is a fact of theirs, not supposed.
        supposed = [c for c in added if HYPOTHETICAL.match(r.said.get(c, ""))] or [c for c in added if c not in r.said] \
            if act == "what-if" else []
        # A follow-up on the same component that the act head does not confidently read as a fresh verdict question
        # asks whether the call still holds.
        recheck = bool(state.turns and state.component and new.component == state.component and act == "verdict"
                       and (r.act != "verdict" or r.recheck
                            or r.confidence.get("act", 1.0) < self.follow_up_general_confidence))
        vendors, reasked = list(r.vendors), None
        if act == "verdict" and new.component and not recheck:
            comp = self.matrix.get(new.component)
            part = next((p for p in comp.parts if p.name == new.part), None)
            if find_choice(comp, part, r, r.vendors, self.vendor_facts, new.rejected):
                # "W&B at $54k/yr, or self-host MLflow?" weighs two ways of buying the same thing: a choice
                # between products, not a build-or-buy verdict.
                act = new.act = "vendor"
        # "If we self-host Qwen, which engine: vLLM or TGI?" takes running it themselves as given and weighs the
        # open-source products they would run: a choice between products, not whether to self-host.
        runs_given = len(r.vendors) >= 2 and all(
            (f := self.vendor_facts.get(v)) is not None and f.self_hostable and f.open_source for v in r.vendors)
        if act == "vendor" and (r.build_alternative or r.self_hosting and self._self_hosting_builds(new)
                                and not runs_given):
            # "pgvector, or our own HNSW implementation?", "hosted API or self-host a model?": one side of the
            # choice is building, so the turn asks for the build-or-buy call, not for a product.
            act = new.act = "verdict"
        # The products of this row named earlier in the conversation, when no choice was asked yet ("Databricks,
        # SageMaker, or assemble our own?" asked for the call; "which of the two now?" picks between them).
        comp = self.matrix.get(new.component) if new.component else None
        earlier = state.asked_vendors or ([v for v in state.vendors if any(o.doc == v for o in comp.buy)]
                                          if comp and comp.buy else [])
        if act == "vendor" and len(earlier) >= 2 and new.component == state.component and len(r.vendors) <= 1 \
                and set(r.vendors) <= set(earlier):
            # "If you had to pick one, which?" (or facts that name one of them: "the researchers only know Slurm")
            # picks among the options on the table, not among every product of the row, nor that one alone.
            vendors = list(earlier)
        # "Does this change what you'd recommend?" after a choice asks the choice again, even when it names one of the
        # options ("we just signed a Databricks commit").
        if (state.act in self.REASKED and state.component and new.component == state.component
                and (not r.vendors or recheck or aside and set(r.vendors) <= set(r.running)) and (recheck or (act == state.act or aside) and (r.act == "statement" or aside)
                     or act == "what-if" and (added or removed or r.quantities))):
            # "and if we grow to 200M vectors?" after "is pgvector enough?", or "actually we're 40, not 4: same
            # answer?" after "which orchestrator?", asks the same question again under the new facts: whether X is
            # still enough, which one now, never a build-or-buy verdict nobody asked for.
            # The act stays what the turn is (a what-if, a correction), so its conditions and labels hold; only
            # the answer takes the earlier question's shape.
            vendors, reasked, recheck = list(state.asked_vendors), state.act, False
            new.act = state.act
            new.asked_need = state.asked_need or r.asks_need
        elif act in self.REASKED and r.vendors:
            new.asked_vendors = list(r.vendors)
        if not reasked:
            # "What if the app must answer in 2 seconds?" after "do we need one?" supposes against that need.
            new.asked_need = r.asks_need or (act == "what-if" and state.asked_need)
        # "Which is hardest to move off: the feature store, the registry or the tracker?" asks about each row named.
        # In the order the asker named them (the component head's pick may come first in `components`).
        # A row reached only through a cloud's name ("we're already on AWS for the data lake") is where things run:
        # "Which of the three should we pick?" over three serving products asks about one row.
        named = [c for c in r.named if c in r.components] + [c for c in r.components if c in r.named or c == r.component]
        named = list(dict.fromkeys(named))
        several = named[:self.SEVERAL_AT_MOST] if r.several and len(named) >= 2 and act in self.SEVERAL_ACTS else []
        return Plan(state=new, previous=state, act=act, topic=topic, added=added, removed=removed,
                    topic_sure=r.confidence.get("topic", 0.0) >= self.topic_confidence,
                    vendors=vendors, supposed=supposed, recheck=recheck, reasked=reasked, several=several,
                    aside=aside, reuses=reuses)

    def _bare_correction(self, r: Reading, state: ConversationState) -> Reading:
        """The reading with a corrected count that names no unit ("3 thousand a month, not 3 million") read as the
        volume told before, and what that size settles."""
        if r.quantities or not state.quantities or not self.thresholds:
            return r
        q = corrected_volume(r.normalized, state.quantities)
        if q is None:
            return r
        settled = implications([q], self.thresholds.for_component(state.component))
        conds = [c for c in r.conditions if settled.get(c) != "negated"] + \
            [c for c, p in settled.items() if p == "stated" and c not in r.conditions]
        negated = [c for c in r.negated if settled.get(c) != "stated"] + \
            [c for c, p in settled.items() if p == "negated" and c not in r.negated]
        return r.model_copy(update={"quantities": [q], "conditions": conds, "negated": negated,
                                    "by_magnitude": list(dict.fromkeys([*r.by_magnitude, *settled]))})

    def _grown(self, r: Reading, state: ConversationState) -> Reading:
        """The reading with a growth it supposes ("what if we grow 10x in two years?") applied to the loads told
        before, and what those grown sizes settle (a supposition: the what-if answers it)."""
        if r.quantities or not state.quantities or not self.thresholds or not r.supposes:
            return r
        scaled = grown(r.normalized, state.quantities)
        if not scaled:
            return r
        settled = implications(scaled, self.thresholds.for_component(state.component))
        conds = [*r.conditions, *(c for c, p in settled.items() if p == "stated" and c not in r.conditions)]
        negated = [c for c in r.negated if settled.get(c) != "stated"]
        # "what if we grow 10x?" asks what the grown sizes would do to the call, whatever act the head read.
        act = "what-if" if r.act in ("verdict", "statement", "enough") and "stated" in settled.values() else r.act
        return r.model_copy(update={"quantities": scaled, "conditions": conds, "negated": negated, "act": act,
                                    "by_magnitude": list(dict.fromkeys([*r.by_magnitude, *settled]))})

    def _weigh_numbers(self, r: Reading, new: ConversationState) -> Reading:
        """The reading with what its numbers alone settle weighed against the numbers told earlier: "2 models" after
        "8k requests a second" is no small need, while "8 A100s, not 80" corrects the count it replaces."""
        kinds = {SAME_MEASURE.get(q.kind, q.kind) for q in r.quantities}
        before = list(new.quantities)
        new.quantities = [q for q in new.quantities if SAME_MEASURE.get(q.kind, q.kind) not in kinds] + list(r.quantities)
        if self.thresholds and len(new.quantities) < len(before) + len(r.quantities):
            # "It is 45M tokens a day, not 450M": a number that replaces the one that made a condition true takes the
            # condition with it when the corrected numbers no longer make it so (and no words of this turn say it).
            limits = self.thresholds.for_component(new.component)
            was, now = implications(before, limits), implications(new.quantities, limits)
            gone = [c for c, p in was.items() if p == "stated" and now.get(c) != "stated" and c in new.conditions
                    and c not in r.conditions and c not in r.retracted]
            if gone:
                r = r.model_copy(update={"retracted": [*r.retracted, *gone]})
        if not (r.by_magnitude and self.thresholds and len(new.quantities) > len(r.quantities)):
            return r
        whole = implications(new.quantities, self.thresholds.for_component(new.component))
        if whole.get("scale") == "stated":
            whole.setdefault("simple", "negated")  # a scale need is never a small one
        # Only a polarity the whole conversation's numbers contradict is held back; what they leave open stands.
        kept = {c for c in r.by_magnitude if whole.get(c, "stated" if c in r.conditions else "negated")
                != ("stated" if c in r.conditions else "negated")}
        if not kept:
            return r
        return r.model_copy(update={"conditions": [c for c in r.conditions if c not in kept],
                                    "negated": [c for c in r.negated if c not in kept]})

    def _self_hosting_builds(self, state: ConversationState) -> bool:
        """Whether running it themselves is the build side here: infrastructure with no row, or a row whose
        self-hosting is a part of its own (an open-weight model)."""
        if state.other_component and not state.component:
            return True
        comp = self.matrix.get(state.component) if state.component else None
        return comp is not None and self_hosting_is_a_part(comp)

    def _adopted_named(self, r: Reading, comp, named: set[str]) -> bool:
        """Whether a sentence that tells something is in place names one of the row's `named` products (any, when the
        reading kept no sentences)."""
        if not r.adopted_in:
            return True
        names = [n.lower() for o in comp.buy if o.doc in named for n in (o.name, *o.aliases)]
        return any(re.search(rf"\b{re.escape(n)}\b", x) for x in r.adopted_in for n in names) or \
            bool(set(r.running) & named)

    def _names_row_in_recheck(self, r: Reading) -> bool:
        """Whether the sentence that asks again ("does that change the serving answer?") names the row read."""
        rx = self.matrix.get(r.component).mentions
        return any(rx.search(x) for x in re.split(r"(?<=[.?!])\s+", r.normalized) if _RECHECK_SENTENCE.search(x))

    def _part(self, r: Reading, slug: str) -> str:
        if r.asks_whole or slug in r.parts_weighed:
            # "for serving as a whole": the asker says which, whatever the background dwells on; "one platform, or
            # assemble our own?" weighs two parts of the row, which is the row's own question.
            return WHOLE
        comp = self.matrix.get(slug)
        named = {o.doc for o in comp.buy} & set(r.vendors)
        # A product named as already in place ("pgvector is settled; what about re-ranking?") has decided the
        # part it sells: the question is about another one, even though the name pulls the head toward it.
        # A part built on top of another ("a custom optimisation layer" on Triton) is never what the product sells.
        # Only one of the row's own products told to be in place settles it: "We already have Grafana dashboards for
        # latency. Arize quoted us $62k, or Evidently?" still weighs the tool.
        settled = frozenset(p.name for p in comp.parts if p.verdict == "buy" and not p.on_top_of) \
            if named and r.adopted and self._adopted_named(r, comp, named) else frozenset()
        # The part is the subject of the text whatever the act ("the dangers of writing our own orchestrator").
        part = r.part_for(slug, self.parts[slug], self.part_threshold, self.part_min_mass, settled)
        from_asked = False
        if part == WHOLE and r.asked_part_scores:
            # Background sentences read as the whole row; the question itself may single out a part.
            # Short and without the background, it must still be mostly about this row
            # (ADVISOR_ASKED_PART_MIN_MASS), or a question about switching products reads as a part.
            part = r.model_copy(update={"part_scores": r.asked_part_scores}).part_for(
                slug, self.parts[slug], self.part_threshold, self.asked_part_min_mass, settled)
            from_asked = part != WHOLE
        named_parts = [k.split("/", 1)[1] for k in r.named_parts if k.startswith(f"{slug}/")]
        if from_asked and len(named_parts) == 1 and part not in named_parts and named_parts[0] not in settled:
            # "Is what we have enough, or do we need a real ML monitoring product? What would you add?": the whole turn
            # reads as the row, and the part the asking sentences lean to is not the one they name in its own words.
            part = named_parts[0]
        asked = r.asked_part_scores
        if part != WHOLE and len(named_parts) == 1 and part not in named_parts and f"{slug}/{named_parts[0]}" in \
                r.wanted_parts and \
                max((k for k in asked if k.startswith(f"{slug}/")), key=asked.get, default="") != f"{slug}/{part}":
            # "... no idea what they spend. Should we write one central service that all model calls go through?":
            # the question names its part in its own words, and read alone does not lean to the part the background's
            # pains pull the head toward. Only a name said as what they would build or want counts ("the job that feeds
            # outcomes into our monitoring tool" names the tool as where the part it asks about delivers).
            part = named_parts[0]
        if part != WHOLE and not named_parts and \
                r.asked_part_scores.get(f"{slug}/{WHOLE}", 0.0) >= self.asked_whole_at_least:
            # "We handle thousands of requests a second with batching. Should we build or buy LLM inference?": the
            # background's words lean to one part; the sentence that asks, read alone, is plainly about the row.
            part = WHOLE
        if part != WHOLE and len(named_parts) >= 2 and part in named_parts and \
                len({p.name for p in comp.parts} - set(named_parts)) == 0 and \
                {f"{slug}/{n}" for n in named_parts} <= set(r.joined_parts):
            # "Orchestration and transforms: build everything?" names every part of the row, joined as one ask: the row
            # as a whole ("the job that feeds actual outcomes into our monitoring tool" names one part by where it goes).
            part = WHOLE
        asks = " ".join(x for x in re.split(r"(?<=[.?!])\s+", r.normalized) if x.rstrip().endswith("?"))
        chosen = comp.part(part) if part != WHOLE else None
        if chosen is not None and chosen.verdict == "buy" and not named_parts and _OR.search(asks) and \
                _PAID_SIDE.search(asks) and _OWN_SIDE.search(asks) and any(p.verdict != "buy" for p in comp.parts):
            # "keep paying the api or stand up our own models?": the asking sentence weighs the bought part against
            # their own, which is the row's question, whatever part the story around it leans to ("our own people or a
            # vendor's crowd?" asks about a part the row builds, and stays that part).
            part = WHOLE
        # Products given as examples ("a hosted model API like OpenAI or Anthropic") are neither options weighed nor
        # an "or" between the row's sides.
        plain = [_EXAMPLES.sub(" ", x) for x in re.split(r"(?<=[.?!])\s+", r.normalized)]
        examples = " ".join(m.group(0) for m in _EXAMPLES.finditer(r.normalized))
        weighed_named = {v for v in named if not any(re.search(rf"\b{re.escape(n.lower())}\b", examples)
                                                     for o in comp.buy if o.doc == v for n in (o.name, *o.aliases))}
        if part == WHOLE and len(named_parts) == 1 and named_parts[0] not in settled and len(weighed_named) < 2 and \
                not any(_OR.search(x) and _BOUGHT.search(x) for x in plain) and \
                not (f"{slug}/{named_parts[0]}" in r.either_parts and self._split_by_parts(slug)):
            # "The annotation tool: build or buy?" names the part in its own words, where the head reads the row;
            # "self-host an open-weight model or call a hosted API?" weighs both sides of the row.
            part = named_parts[0]
        if part == WHOLE and len(named_parts) == 1 and f"{slug}/{named_parts[0]}" in r.headed_parts:
            # "The vector store itself: pgvector in our Postgres, or an HNSW index we write in Go?" heads the ask with
            # its part; the either-or after the colon weighs ways to get that part, not the row's two sides.
            part = named_parts[0]
        build = comp.build_part
        # A product that is itself the part to write's tool ("a FastAPI container") sells no bought side.
        sells = named - {v for v in named if v.replace("-", " ") in build.label.lower()} if build else named
        # One they run weighed against another they do not ("we run Evidently in a notebook ... does it cut it or do
        # we pay for Arize?") is a choice of product, whatever part the background is about.
        weighed = bool(sells - set(r.running)) and bool(sells & set(r.running))
        # The part's own tool only proposed for writing it ("can we just write a small FastAPI wrapper?") leaves the
        # part as the subject; told to be in place ("we run it in a FastAPI container: enough?") it is the whole. A
        # product named only where they tell what they run or will run ("We'll run Dagster for scheduling. The
        # cleaning code: build or buy?") is not weighed against the part they ask about, when they ask for the call
        # or the part to build; a question that judges the plan naming it ("Plan: Pinecone + OpenAI. Is this
        # reasonable?"), asks whether it is enough, how to evaluate them, or about a move off it is about the row.
        asking = [x for x in re.split(r"(?<=[.?!])\s+", r.normalized) if x.rstrip().endswith("?")]
        sells_asked = {v for v in sells if not asking or r.proposal or r.act not in ("verdict", "build-part") or any(
            re.search(rf"\b{re.escape(n.lower())}\b", x) for o in comp.buy if o.doc == v for n in (o.name, *o.aliases)
            for x in asking)}
        if build and part == build.name and named and (weighed or not (r.adopted or r.in_use and sells)) and (
                sells_asked or r.in_use or r.adopted):
            # A named vendor sells the bought side ("Is Prefect worth it or do we build that?"): the
            # question is about the component, not the part that is yours to write. One told to be in use
            # ("We use Arize for drift. Who builds the outcome feed?") leaves the part to write as the subject.
            return WHOLE
        asked = comp.part(part) if part != WHOLE else None
        if asked is not None and asked.on_top_of and not named_parts and len(named) >= 2 and \
                r.act in ("cost", "switch", "vendor"):
            # "Endpoints per model on SageMaker, or KServe on our cluster: what does each cost?" weighs two products
            # of the row; a layer built on top of one is no side of it unless named.
            return WHOLE
        bought = [p for p in comp.parts if p.verdict == "buy" and not p.on_top_of]
        if part == WHOLE and r.act == "vendor" and comp.verdict == "hybrid" and len(bought) == 1 and \
                len(weighed_named) >= 2 and not named_parts:
            # "Airflow on MWAA, Dagster+ or Prefect Cloud: which one?" on a split row chooses among the products of
            # the part that is bought (orchestration); the part they write is no product to pick.
            return bought[0].name
        hosted = {v for v in named if (f := (self.vendor_facts or {}).get(v)) is not None and not f.self_hostable}
        if "self-host" in part and "production-evidence" in r.conditions and (hosted or _HOSTED_API.search(r.normalized)) \
                and not _SELF_HOSTING_ASKED.search(asks or r.normalized):
            # "Seven months of invoices ... a six-week shadow run of Llama on vLLM matched GPT-4o at 40% of the cost":
            # self-hosting measured against the hosted API they pay for weighs both sides of the row, which is the
            # row's evidence rule (self-host where owning GPUs wins, keep the API for the rest).
            return WHOLE
        if "self-host" in part and any(self._weighed_against_self_hosting(r, comp, v) for v in hosted - set(r.running)):
            # "Azure OpenAI in an EU region, or host an open-weight model ourselves?" weighs a hosted product against
            # self-hosting: both sides of the row, not the self-hosted part alone.
            return WHOLE
        if part == "fine-tuning" and not _TUNING_ASKED.search(r.normalized):
            # "Each customer has its own LoRA adapter, fine-tuned on their tickets. A serverless multi-LoRA provider,
            # or vLLM on our own GPUs?" serves models already tuned: the tuning is done, where they run is asked.
            return WHOLE
        return part

    def _split_by_parts(self, slug: str) -> bool:
        """Whether the row's parts are its two ways (one platform or a stack assembled), so that naming one of them in
        an either-or weighs the row ("One ML platform for everyone, or build our own?")."""
        comp = self.matrix.get(slug)
        return comp is not None and comp.build_part is None and len(comp.parts) == 2

    @staticmethod
    def _weighed_against_self_hosting(r: Reading, comp, doc: str) -> bool:
        """Whether a hosted product is named as one side of an either-or with running a model yourselves, in one
        sentence ("use Azure OpenAI in an EU region or host an open-weight model ourselves?"), not as what they use
        today ("we push 4B tokens a day through GPT-4o")."""
        option = next((o for o in comp.buy if o.doc == doc), None)
        names = [n.lower() for n in (option.name, *option.aliases)] if option else []
        for sentence in re.split(r"(?<=[.!?])\s+", r.normalized):
            if any(n in sentence for n in names) and re.search(r"\b(?:or|vs\.?|versus)\b", sentence) and \
                    re.search(r"\b(?:host\w*|self-host\w*|run\w*)\b", sentence):
                return True
        return False

    def note_for(self, topic: str | None) -> str | None:
        """The guidance note that answers a topic or a guidance act."""
        if topic is None:
            return None
        notes = {t.id: t.note for t in self.taxonomy.general_topics} | dict(self.taxonomy.act_notes)
        notes |= {f"rule:{g.condition}": g.note for g in self.matrix.global_rules}
        return notes.get(topic)
