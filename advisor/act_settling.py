"""Settle a turn's question act: the act head's pick, then the rules for what a sentence that asks asks first."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from .lexicon import Lexicon, words_only

if TYPE_CHECKING:
    from .understanding import Reading

# A clause that can only be a question when it opens so, even without its question mark ("do we need a gateway").
ASKS = re.compile(r"^\W*(?:so |and |but |ok |then )?(?:should|shall|do|does|can|could|would|is|are|which|how|who|"
                   r"why)\s+(?:we|i|it|that|this|they|you|our|the|one|a)\b")


_WHAT_ABOUT = re.compile(r"^\W*(?:and |so |ok |okay |now )?(?:what|how) about\b")
# "What changes if ...?", "how would that change if ...?", "would the answer be different if ...?": a fact supposed, and
# what it does to the call asked.
# Asks whether they can go on with what they described ("can we keep living with that?", "could we get by with this
# for another year?").
_LIVE_WITH = re.compile(r"\b(?:can|could|should|do) (?:we|i|they) (?:just |really )?(?:keep |go on |carry on )?(?:live|living|"
                        r"get by|getting by|make do|making do|manage|survive|surviving) with (?:that|this|it|these|those|"
                        r"what we (?:have|do)|our \w+)\b")
_WHAT_CHANGES = re.compile(r"\bwhat (?:changes|would change|will change|shifts|would shift) (?:for us |in (?:the|your) "
                           r"(?:answer|call|advice|recommendation) )?(?:if|once|when)\b|\bhow (?:does|would|will) (?:that|this|it|"
                           r"the (?:answer|call|advice|recommendation|picture)|your (?:answer|advice|recommendation)) change "
                           r"(?:if|once|when)\b|\b(?:would|will|does) (?:that|this|it|the (?:answer|call|verdict)|your (?:answer|"
                           r"advice|recommendation)) (?:be (?:any )?different|change|still hold|still stand) (?:if|once|when)\b")
# A fragment that narrows the question before it ("Specifically the GPUs themselves.", "Just the labelling tool."): the
# same question asked of less, not a fact told.
_NARROWS = re.compile(r"^\W*(?:specifically|just|only|mainly|mostly|in particular|particularly|i mean|i meant|"
                      r"more precisely|to be precise|focus(?:ing)? on)\b")
# A request said as an order ("Fine. Break down what the first year would cost, line by line.", "list the line items"):
# a question without its question mark.
_REQUEST = re.compile(r"(?:^|[.!:]\s+)(?:\w+[,.!]?\s+)?(?:please\s+)?(?:break(?: it)? down|list|give me|give us|tell me|tell us|"
                      r"show me|show us|walk me through|walk us through|explain|outline|sketch|design|draft|lay out|"
                      r"spell out|estimate|compare)\b")


# Words that ask about money; a sentence that asks without any of them asks no cost question.
_MONEY_ASKED = re.compile(r"\b(?:costs?|costing|cheap\w*|expensive|pric\w*|spend\w*|sav(?:e|es|ed|ing|ings)|tco|worth|pay\w*|"
                          r"budget\w*|money|afford\w*|bills?|billing|how much|roi|break[- ]?even|compar\w*|math|"
                          r"numbers?|sums?|calculat\w*|economics|fees?|licen[cs]\w*|weigh\w*|reasonable|overpriced|good value|"
                          # "What line items should be in it, and which assumptions would flip it?" after the board asks
                          # for a cost comparison: how to count it is the question.
                          r"line items?|assumptions?|horizon|spreadsheet|"
                          r"usd|eur|gbp|cad|aud|chf|sek|nok|dkk|pln|inr|jpy|brl|zar)\b|[$€£¥]|\b\d[\d,.]*\s?[km]\b", re.IGNORECASE)


# "How should we evaluate Langfuse, LangSmith and Braintrust?": how to judge the options, whatever follows.
_HOW_JUDGE = re.compile(r"\bhow (?:should|do|would|can|could|to) (?:we |i )?(?:best |properly |fairly )?(?:evaluate|assess|"
                        r"compare|judge|test|trial|benchmark|vet)\b")
# Asks whether what they have will keep doing ("this can keep working or not?", "is that OK for now?").
_HOLDS = re.compile(r"\b(?:(?:can|will|could|would) (?:this|it|that|these|they)|(?:this|it|that|these) (?:can|will|could)) "
                    r"(?:keep|continue|go on) (?:working|going|running)\b|"
                    r"\b(?:is|are) (?:that|this|it|these) (?:ok|okay|fine|alright|acceptable|good|adequate|sufficient|workable) "
                    r"(?:for now|for the moment|for a while|as is|as it is|for the time being|at this stage|at our size)\b|"
                    # Said without a subject, as its own question: "... we grep them whenever a user complains. Adequate
                    # for now?"
                    r"(?:^|[.?!]\s+)(?:still )?(?:ok|okay|fine|alright|acceptable|adequate|sufficient|workable|good enough) "
                    r"(?:for now|for the moment|for a while|as is|as it is|for the time being|at this stage|at our size)\s*\?")
_BUILD_ASK = re.compile(r"\b(?:build|building|write|writing|code|ours|ourselves|our own|in-house|on us|yourselves)\b")
_TRIAL = re.compile(r"\b(?:poc|proof[- ]of[- ]concept|pilot|bake-?off|trial|plan|evaluation|fair|fairly)\b")


# "Which line items belong in the comparison, and which assumptions would flip it?" asks how to count a cost: the turn
# of the call it also asks about is part of that count, not a what-if.
# "Which rows belong in it?" of a spreadsheet that weighs two options asks for its lines too.
_LINE_ITEMS = re.compile(r"\b(?:line items?|cost items?|cost lines?|line by line|item by item)\b|\b(?:which|what) (?:rows|lines|items|entries) "
                         r"(?:belong|go|should go|to (?:put|include|add)|do (?:we|i) (?:need|include|add|put))\b|"
                         # "break down what the first year of running it costs"
                         r"\bbreak(?: it)? down (?:what|the|how much)\b[^.?!]{0,60}\bcosts?\b",
                         re.IGNORECASE)


# "What would need to change (be true) for building to make sense?" names the turn of the call in so many words.
# "Is what we have enough?", "is our current setup good enough?": their own setup judged, in so many words.
_OURS_ENOUGH = re.compile(r"\b(?:is|are) (?:what we (?:have|run|do|use)(?: today| now| already)?|our (?:current |existing |present )?"
                          r"(?:setup|stack|approach|process|tooling|system|solution)|(?:this|the current|the existing) "
                          r"(?:setup|stack|approach))(?: \w+){0,2} (?:enough|sufficient|good enough|adequate)\b")
_ROUTE_SUPPOSED = re.compile(r"\b(?:if|once|when|say|suppose|assuming) we (?:\w+ ){0,3}?(?:build|write|roll|code|develop|"
                             r"self-host|run|buy|adopt|go with) (?:it|this|that|our own|the|them|one)\b")
_TURNS = re.compile(r"\bwhat (?:would|will|could|must) (?:need to |have to |it take to )?(?:be true|change|happen|shift)\b|"
                    r"\bunder (?:what|which) (?:circumstances|conditions)\b|\bwhat would it take\b")


def _told_only(norm: str, at: int) -> bool:
    """Whether the sentence around `at` tells rather than asks, while another sentence of the turn asks."""
    sents = [(m.start(), m.end()) for m in re.finditer(r"[^.!?\n]+[.!?]*", norm)]
    here = next(((b, e) for b, e in sents if b <= at < e), None)
    return here is not None and not norm[here[0]:here[1]].rstrip().endswith("?") and any(
        norm[b:e].rstrip().endswith("?") for b, e in sents if (b, e) != here)


# "Which engine, then, given that ...?", "which vendor would you pick": a pick among the products of the row.
_WHICH_PRODUCT = re.compile(r"^\W*(?:and |so |ok |okay |then |but )?which (?:\w+ )?(?:engine|tool|product|vendor|database|"
                            r"db|store|platform|service|framework|library|provider|gateway|orchestrator|scheduler|"
                            r"tracker|registry)s?\b(?! (?:is|are|to) (?:build|write)\b)")


# "..., which part?", "which pieces would we write": the part to build asked.
_WHICH_PART = re.compile(r"\b(?:which|what) (?:parts?|pieces?|bits?|components?)\b|"
                         # "What is best for us, and what will we still have to build ourselves?"
                         r"\bwhat (?:will|would|do|should|must) (?:we|i) (?:still |then |also )?(?:have to |need to )?"
                         r"(?:build|write|code)\b")
_YES_NO_BUILD = re.compile(r"^(?:and |so |but )?(?:is|are|would|should|could|can|do|does)\b(?!.*\b(?:which|what|parts?|"
                           r"pieces?|bits?)\b).*\b(?:build|write|code|develop|make)\b|"
                           # "Build that layer now?", "Write it ourselves, then?": the verb opens the question
                           r"^(?:and |so |then |ok,? )?(?:build|write|code|develop)\b(?!.*\b(?:which|what|parts?|pieces?|"
                           r"bits?)\b)", re.IGNORECASE)


# "Our CTO wants us to write our own tracker ... Is he right?": a plan to build, judged yes or no.
_JUDGED = re.compile(r"^(?:and |so |but )?(?:is|are) (?:he|she|they|my [\w-]+|our [\w-]+|the [\w-]+) (?:right|correct|wrong)\b|"
                     r"\bwho(?:'s| is|s)? right\b|^(?:do you )?agree\b|\bpush back\b", re.IGNORECASE)


def _yes_no_build(asking: list[str]) -> bool:
    """Whether every sentence that asks asks yes or no about building, naming no part ("is that something to write
    ourselves?", "is he right?" after a plan to build)."""
    return bool(asking) and all(_YES_NO_BUILD.search(x.strip()) or _JUDGED.search(x.strip()) for x in asking)


def settle_act(r: Reading, lex: Lexicon, norm: str, clauses: list[str], pick: Callable[[set[str] | None], tuple[str, float]],
               in_scope: bool) -> None:
    """Set `r.act` and `r.act_in_scope` from the act head (`pick` leaves classes out) and the ordering rules."""
    r.act, r.confidence["act"] = pick({"off-topic"} if in_scope else None)
    r.act_in_scope = pick({"off-topic"})[0]
    if r.act in ("verdict", "vendor", "statement", "what-if", "general", "enough", "off-topic") and lex.why_asks.search(norm):
        # "Why not just build it? It's basically a table ... we could do it in a day": the sentences after the
        # question argue for it, and read alone like a plan or a verdict question; the opening asks why. Alone,
        # such a turn may still be about something else ("why not build our own CRM?"): in a conversation the
        # planner takes the in-scope act. "Why not just use Feast?" names a product, and still asks why.
        r.why_opening = True
        r.act_in_scope = "why"
        r.act = "why" if r.act != "off-topic" else r.act
    if r.act == "statement" and "?" not in norm and (lex.asks_decision.search(norm) or any(
            ASKS.match(c) for c in clauses) or _REQUEST.search(norm) or (
            _NARROWS.match(norm) and len(norm.split()) <= 10 and not r.quantities)):
        # Slack drops the question mark ("feature store, buy or build", "do we need a gateway or is a wrapper
        # fine"): a turn that asks in words is a question, whatever the act head makes of its full stop.
        r.act, r.confidence["act"] = pick({"statement", "off-topic"} if in_scope else {"statement"})
        r.act_in_scope = pick({"statement", "off-topic"})[0]
    if r.recheck and not r.how_to_move and not lex.switch_asks.search(norm):
        # "One of the two engineers just resigned, hiring is frozen. What do I do now?" asks for the call again
        # under the new facts, whatever a departure or a deadline suggests to the act head (alone, such a turn
        # may read off-topic; in a conversation its in-scope act is what counts).
        # "Does this change what you'd recommend, and how should I weigh their 2x claim?" asks that first; a cost
        # asked before it ("is it cheaper now? does that change the call?") stays the question.
        costs = lex.cost_asks.search(norm)
        first = not costs or costs.start() > lex.recheck.search(norm).start()
        # Risks too, unless the turn asks about them in words ("what are the risks now?").
        risky = re.search(r"\b(?:risk\w*|danger\w*|pitfalls?|downsides?|what could go wrong)\b", norm)
        again = ("switch", "implement", "general") + (("cost",) if first else ()) + (() if risky else ("risks",))
        if r.act in again:
            r.act = "verdict"
        if r.act_in_scope in again:
            r.act_in_scope = "verdict"
    if r.act == "build-part" and not r.component and not r.other_component and {"rollout", "measures"} & set(r.also) \
            and "build" not in r.also:
        # "We've settled build or buy for each component. How do we carry it out, and what do we check afterwards?":
        # no row to split into parts; carrying the decision out is what is asked.
        r.act = r.act_in_scope = "implement"
    if r.named_parts and _WHAT_ABOUT.match(norm) and (
            r.act in ("switch", "general", "statement", "implement", "what-if") or r.act == "build-part" and not re.search(
                r"\b(?:build|write|code|ours|ourselves|in-house|our own)\b", norm)) \
            and not lex.switch_asks.search(norm) and not r.how_to_move and not lex.supposes.search(norm):
        # "What about only the orchestration piece?" names no building: the call on that part, like the others.
        # "And what about getting the actual defaults back out of core banking and lined up with the scores?": the
        # same question, asked of the part it names in its own words.
        r.act = r.act_in_scope = "verdict"
    if r.act == "switch" and r.asks_move and not r.how_to_move and not lex.switch_asks.search(norm):
        # "New CTO wants us on KServe. Is it necessary to move?" asks whether to make the move at all: the call on
        # what they run, answered yes or no, not what leaving it would cost.
        r.act = "verdict"
        r.act_in_scope = "verdict" if r.act_in_scope == "switch" else r.act_in_scope
    if (r.kept or lex.keeps_incumbent(norm)) and r.act == "switch" and not r.how_to_move:
        # "Time to move to Airflow, or keep Jenkins?" weighs staying against moving: the decision, not how costly
        # a move would be.
        r.act = r.act_in_scope = "verdict"
    decided = lex.asks_decision.search(norm)  # "should we buy ...", "build or buy": the call asked
    if decided and _told_only(norm, decided.start()):
        # "Over the next year we'll have to decide build or buy for tracking, serving and monitoring. Where do teams
        # go wrong?" tells the decisions ahead; the sentence that asks asks something else.
        decided = None
    part_ask = _WHICH_PART.search(norm, decided.end()) if decided and r.act == "build-part" else None
    if part_ask and not re.search(r"[.?!]", norm[decided.end():part_ask.start()].rstrip(" ,")[:-1] or " "):
        # "Build or buy, and if we build part of it, which part?": the call comes first in the same sentence; the
        # part to build is answered beside it.
        r.act = r.act_in_scope = "verdict"
        r.also = [*r.also, "build"] if "build" not in r.also else r.also
    elif r.act == "build-part" and decided and decided.group(0).startswith("what") and not _WHICH_PART.search(norm):
        # "Options: LiteLLM, Portkey, Kong, or a thin gateway we build ourselves on Envoy. What should we do?" asks the
        # call among options, one of them a build; no words ask which part is theirs.
        r.act = r.act_in_scope = "verdict"
    # "How do I build an honest cost comparison?", "how should we evaluate Langfuse and LangSmith, and what do we build?"
    # ask how, not for the call: a decision word after "how" asks nothing of the call.
    call = decided if decided and not re.search(r"\bhow\s+$", norm[max(0, decided.start() - 5):decided.start()]) else None
    picks = lex.choice_asks.search(norm) if r.act == "evaluate" else None
    if r.act == "evaluate" and (call or picks) and not lex.evaluate_asks.search(norm) and not _HOW_JUDGE.search(norm):
        # "Options we got quotes for: WEKA, VAST, or Lustre on servers we buy. What should we do, and how does each
        # compare over 3 years?" lists a shortlist and asks the call ("Datadog's add-on or Langfuse: which should we
        # take?" the pick); only words about how to judge them ask how to evaluate.
        r.act = r.act_in_scope = "vendor" if picks and not call and len(r.vendors) >= 2 else "verdict"
    if r.act == "implement" and decided and not {"rollout", "measures"} & set(r.also):
        # "How do we keep checking those notes are any good - build our own checking setup or buy a tool?": the
        # how tells the need; the either-or asks the call.
        r.act = r.act_in_scope = "verdict"
    if r.act_in_scope == "general" and decided and r.component and r.act in ("general", "off-topic"):
        # "Build or buy? And concretely, what should we alert on?" about a row asks for the call first; the
        # second ask reads like general guidance (and so it does, were the turn in scope).
        r.act_in_scope = "verdict"
        r.act = "verdict" if r.act == "general" else r.act
    elif (r.act == "general" or r.act in ("verdict", "risks", "cost") and _TURNS.search(norm)) and r.asks_turning \
            and r.component and not decided and not (r.act == "cost" and _LINE_ITEMS.search(norm)):
        # "What would have to change before building our own vector DB made sense?" supposes the facts that would
        # flip the call on a component: a what-if about the decision ("when does building make sense for a startup?"
        # with no component stays general guidance).
        r.act = r.act_in_scope = "what-if"
    elif r.act == "general" and "build" in r.also and r.component:
        # "Is there a middle path where he builds the part he cares about?" asks which part to build.
        r.act = r.act_in_scope = "build-part"
    elif r.act == "general" and r.component and lex.choice_asks.search(norm):
        # "One says build our own tool, one says Labelbox, one says Label Studio: who is right?" asks which of
        # the options on the table, for a component they named: the pick, not guidance in general.
        r.act = r.act_in_scope = "vendor" if len(r.vendors) >= 2 else "verdict"
    if r.act == "verdict" and not decided and "rollout" in r.also and not lex.choice_asks.search(norm) \
            and not r.asks_call:
        # "ok so what we should do in next 3 months, step by step, and which number tells us to stop?": a plan asked
        # with no call asked beside it is the rollout, whatever the act head makes of the short turn.
        r.act = r.act_in_scope = "implement"
    second = {"switch": "move", "implement": "rollout", "risks": "risks"}.get(r.act)
    if r.act == "implement" and "rollout" not in r.also and "measures" in r.also:
        second = "measures"  # "build or buy serving, and what should we measure to know it worked?"
    if second and second in r.also:
        # "Should we buy a feature store, and how would we migrate off ours?" asks for the call first; the
        # second ask is answered beside it (Reading.also), not instead of it.
        ask, then = decided, lex.also_asks[second].search(norm)
        if ask and then and ask.start() < then.start():
            # "What's your recommendation for the serving layer, and what are the risks with each?" over several
            # named products asks which of them; over none, the call.
            r.act = r.act_in_scope = "vendor" if len(r.vendors) >= 2 and "recommend" in ask.group(0) \
                else "verdict"
    # "What would it cost us to undo this choice?" asks what reversing it takes (the undo rule below), not a price.
    # "What would moving save us each month?" asks what a move is worth, not how to make it.
    # A general act about a row they name ("is his 1/3 number realistic? what does the real TCO look like?") asks the
    # cost of that row's options too.
    if r.act == "cost" and call and not _told_only(norm, decided.start()) and \
            not lex.cost_asks.search(norm[:decided.start()]):
        # "Build or buy? And roughly what cost per minute?": the call is asked first, whatever the act head makes of a
        # turn full of money; what it costs is answered beside it.
        r.act = r.act_in_scope = "verdict"
        r.also = [*r.also, "cost"] if _MONEY_ASKED.search(norm, decided.end()) and "cost" not in r.also else r.also
    cost = lex.cost_asks.search(norm) if (r.act in ("verdict", "what-if", "vendor") or r.act == "switch" and
                                               not r.how_to_move or r.act == "general" and r.component) \
        and not lex.undo.search(norm) else None
    # An either-or told in the background ("our lead wants to self-host Qwen or EXAONE.") asks nothing before it.
    either = next((m for m in lex.either_or.finditer(norm) if not _told_only(norm, m.start())), None) if cost else None
    if cost and r.act != "vendor" and not any(m and m.start() < cost.start() for m in (decided, either)):
        # "Is this really cheaper when we count everything? Which costs do we forget?" asks what it costs, not
        # for the call; a call asked first ("buy or rent, and what would it cost?") stays the question.
        r.act = r.act_in_scope = "cost"
    elif cost and r.act == "vendor" and len(r.vendors) >= 2 and not (decided and decided.start() < cost.start()):
        # "Run:ai, Kueue or Slurm: which gives the best use for the money, and what does each cost?": what each costs
        # is answered with the pick among them (added below as the choice), not left to a pricing column.
        r.act = r.act_in_scope = "cost"
    elif cost:
        # "... hosted API or self-host, and at which volume would self-hosting become cheaper?": the call, with
        # what decides the cost answered beside it.
        r.also = [*r.also, "cost"]
    chose = lex.choice_asks.search(norm) if r.act == "cost" and not _LINE_ITEMS.search(norm) else None
    opened = max(norm.rfind(c, 0, chose.start()) for c in ".?!\n") + 1 if chose else 0
    # "Which gives us the best use for the money, and what does each cost?" weighs the money in the choice itself: a
    # cost question (above), not a pick with the cost beside it.
    upto = re.search(r",|\?|\band\b", norm[chose.end():]) if chose else None
    if chose and _MONEY_ASKED.search(norm, chose.end()) and not _MONEY_ASKED.search(
            norm[opened:chose.end() + (upto.start() if upto else len(norm))]):
        # "Which route would you take, and roughly what would the 150k cost each way?": the pick is asked first; what
        # each way costs is answered beside it.
        r.act = r.act_in_scope = "vendor" if len(r.vendors) >= 2 else "verdict"
        r.also = [*r.also, "cost"]
    moved = lex.switch_asks.search(norm)
    breaks = lex.also_asks["risks"].search(norm)
    # "How painful is the migration really, what breaks?" asks what the move takes; what breaks is part of it.
    move_first = bool(moved and (not breaks or moved.start() < breaks.start()))
    if r.act == "risks" and move_first:
        r.act = r.act_in_scope = "switch"
    changes = _WHAT_CHANGES.search(norm)
    if changes and r.act in ("risks", "general", "statement", "switch", "implement", "verdict") and not decided and \
            not _told_only(norm, changes.start()):
        # "What changes if our biggest client demands its data never leaves Switzerland?" supposes a new fact and asks
        # what it does to the call, whatever risk or move the fact itself speaks of.
        r.act = r.act_in_scope = "what-if"
    if r.act == "what-if" and not lex.supposes.search(norm) and (decided or lex.choice_asks.search(norm)):
        # "Which option would you choose, and if we go with a bought platform, what should the team still build?": the
        # "if" takes up one of the options, it supposes no new fact; the choice is asked first.
        r.act = r.act_in_scope = "vendor" if len(r.vendors) >= 2 and not r.build_alternative else "verdict"
    if r.act == "verdict" and r.component and not decided and _HOLDS.search(norm):
        # "Our researchers book the two GPU servers in a shared Google Sheet. This can keep working or not?", "Is that
        # OK for now?": whether what they have will do, not the call on buying.
        r.act = r.act_in_scope = "enough"
    leave = lex.switch_asks.search(norm) if r.act in ("vendor", "verdict", "what-if", "switch") else None
    chose = lex.choice_asks.search(norm) if r.act == "vendor" or len(r.vendors) >= 2 else None
    will_do = lex.enough_asks.search(norm) if r.component else None
    if leave and will_do and will_do.start() < leave.start() and not (chose or decided):
        # "Can pgvector carry us or not? And if it is too slow later, how much pain is it to move?" asks whether
        # it will do; what leaving takes is answered beside it.
        r.act = r.act_in_scope = "enough"
        chose = will_do
    first = min((m.start() for m in (decided, chose) if m), default=None)
    if leave and not (first is not None and first < leave.start()):
        # "If we pick Databricks now, how hard would it be to switch later, and does that change the pick?" asks
        # what leaving would take; a long post of options around it reads like a verdict.
        r.act = r.act_in_scope = "switch"
    elif leave:
        # "SageMaker, KServe or BentoML: which one? And if we go SageMaker, how hard is it to get off later?"
        # asks for the pick first; what leaving it takes is answered beside it.
        if r.act == "switch" and chose is not will_do:
            r.act = r.act_in_scope = "vendor" if chose and not (decided and decided.start() < chose.start()) \
                else "verdict"
        r.also = [*r.also, "leave"]
    lives = _LIVE_WITH.search(norm) if r.component and r.act == "verdict" and not decided else None
    if lives and not (r.vendors and lex.choice_asks.search(norm)):
        # "We name output folders by date and learning rate. Can we keep living with that?": whether what they have
        # will do, asked of the setup they just described.
        r.act = r.act_in_scope = "enough"
    opens = will_do is not None and (will_do.start() == 0 or norm[:will_do.start()].rstrip()[-1:] in ".?!:")
    if r.act == "vendor" and opens and r.in_use or \
            r.act in ("build-part", "verdict") and opens and r.build_alternative and "build" not in r.also or \
            r.act == "implement" and will_do and not {"rollout", "measures"} & set(r.also):
        # Whether the product will do is the question when a sentence opens with it and the rest is its
        # alternative or what it must do: "We run Evidently reports. Does Evidently cut it or do we pay for
        # Arize?" (the tool they run), "Will SageMaker Model Registry satisfy the auditors, or do we need to build
        # our own?" (building is the other side, not a part asked about), "What should we alert on, and does
        # Evidently cut it?" (no rollout is asked).
        r.act = r.act_in_scope = "enough"
    ours = _OURS_ENOUGH.search(norm) if r.component else None
    if ours and r.act in ("build-part", "verdict", "general", "implement") and not (decided and decided.start() < ours.start()):
        # "Is what we have enough, or do we need a proper monitoring product? What would you add?": their own setup,
        # judged first; what to add is the answer's body, not a separate question about which part to build.
        r.act = r.act_in_scope = "enough"
    if r.act == "enough" and decided and not (r.in_use or r.kept or will_do or lex.keeps_incumbent(norm)) and \
            not re.search(r"\b(?:enough|suffic\w*|overkill|do (?:we|i) (?:really |even |actually )?need)\b", norm):
        # "Should we buy an ML monitoring tool for our 5 credit models?" asks the call, with nothing of theirs in place
        # whose adequacy is in question: a yes-or-no on what they have would answer nobody.
        r.act = r.act_in_scope = "verdict"
    # A general act about a row they name ("how should I make the comparison in a fair way for the CIO?") asks to judge
    # that row's options too.
    # A build-part guess with no word of building where it asks ("Which questions do we put to Run:ai's sales engineers
    # ahead of a contract?") asks how to judge the product, too.
    judge = lex.evaluate_asks.search(norm) if r.act in ("vendor", "verdict", "implement", "cost") or (
        r.act == "general" and r.component) or (
        r.act == "build-part" and (asks := [x for x in re.split(r"(?<=[.!?])\s+", norm) if x.rstrip().endswith("?")])
        and not any(_BUILD_ASK.search(x) for x in asks)) else None
    if judge and r.act == "cost" and not _TRIAL.search(judge.group(0)):
        # "How do we compare the real cost?" asks the cost; "a 6-week POC plan" in a turn full of spend asks the trial.
        judge = None
    if judge and not (decided and decided.start() < judge.start()):
        # "We look at Arize, Evidently and WhyLabs. How should we evaluate these vendors, which criteria matter
        # most?" asks how to judge the shortlist; the long background naming them reads like a pick.
        r.act = r.act_in_scope = "evaluate"
    if r.act == "vendor" and len(r.vendors) == 1 and (r.self_hosting or r.build_alternative):
        # "pay OpenAI every time it's used or run a model on servers we manage: which do you recommend?" weighs
        # one product against running or writing it themselves: the call, not a pick among products.
        r.act = r.act_in_scope = "verdict"
    if (r.act in ("what-if", "general", "vendor", "build-part", "implement") or r.act == "verdict" and not decided) and \
            _LINE_ITEMS.search(norm) \
            and _MONEY_ASKED.search(norm):
        # "Finance wants a 3-year cost comparison. Which line items belong in it, and which assumptions would flip
        # it?" asks how to count the cost; the assumptions are part of that count.
        r.act = r.act_in_scope = "cost"
    asking = [x for x in re.split(r"(?<=[.!?])\s+", norm) if x.rstrip().endswith("?")]
    if r.act == "cost" and asking and not any(_MONEY_ASKED.search(x) or _LINE_ITEMS.search(x) for x in asking):
        # "... $48k a month for Claude ... same quality at $19k all-in. Should we self-host that workload?": the money
        # is the evidence they tell; the sentence that asks asks the call.
        r.act = "verdict"
        r.act_in_scope = "verdict" if r.act_in_scope == "cost" else r.act_in_scope
    if r.act == "build-part" and "build" not in r.also and _yes_no_build(asking):
        # "One place that keeps every model version and who signed it off. Is that something to write ourselves?"
        # asks yes or no on building the thing described, not which of its parts to build.
        r.act = r.act_in_scope = "verdict"
    if r.act == "build-part" and "build" not in r.also and len(r.vendors) >= 2 and \
            any(lex.build_alternative.search(x) for x in asking):
        # "MLflow Model Registry, SageMaker Model Registry, or just a Postgres table we build ourselves?" weighs products
        # against building one: a pick among the options, not which part of the row is theirs to write.
        r.act = r.act_in_scope = "vendor"
    if r.act in ("vendor", "verdict") and "build" in r.also and not decided and not lex.choice_asks.search(norm) \
            and r.component and any((m := lex.also_asks["build"].search(x)) and m.start() <= 12 for x in asking):
        # "Braintrust is rolled out to all three squads. Which work stays with us from here on?" asks which part is
        # theirs, with nothing to choose between and no call asked; the asking sentence opens with it ("Should our
        # insurer buy a vector database, and what would we still build?" asks the call first).
        r.act = r.act_in_scope = "build-part"
    if r.act == "build-part" and "build" in r.also:
        # "Which option would you recommend, and which parts would we build ourselves regardless?" asks for the
        # choice; what to build is its second ask, answered beside it.
        choice, then = lex.choice_asks.search(norm), lex.also_asks["build"].search(norm)
        first = min((m.start() for m in (choice, decided) if m), default=None)
        if first is not None and then and first < then.start():
            r.act = r.act_in_scope = "vendor" if choice and len(r.vendors) >= 2 else "verdict"
    if r.act == "enough" and len(r.vendors) >= 2 and any(_JUDGED.search(x.strip()) for x in asking):
        # "The CTO wants Astronomer, our senior engineer says that's overkill and wants Dagster on our cluster. Who's
        # right?" weighs two proposals against each other: the pick between them, not whether one of them will do.
        r.act = r.act_in_scope = "vendor"
    which = lex.choice_asks.search(norm)
    moving = lex.how_to_move.search(norm)
    if r.act in ("switch", "cost") and len(r.vendors) >= 2 and which and (
            not r.how_to_move or moving is not None and which.start() < moving.start()):
        # "How painful is this migration, and which way would you go?", "Run:ai, Kueue or Slurm: which gives the best
        # use for the money, and what does each cost?": the pick among the options they listed is its second ask,
        # answered beside what the move takes or what each costs. "Is it smarter to upgrade Airflow or move to
        # Dagster? How would we plan the migration?" asks the pick before the way over.
        r.also = [*r.also, "choice"]
    # "If we go ahead and write our own drift monitoring anyway, what's going to bite us?" supposes the route and asks
    # what goes wrong on it, naming the component in the same sentence.
    route = _ROUTE_SUPPOSED.search(norm)
    if r.act in ("verdict", "statement", "what-if", "switch", "build-part") and "risks" in r.also and not decided and (
            r.told_only or route and r.act != "build-part" or route and breaks and route.start() < breaks.start()) \
            and not r.how_to_move and not move_first:
        # "If we do buy something, how do we protect ourselves in case the vendor disappears?" asks the risk of the
        # route (in a sentence that asks: see Reader.read); a verdict asked for alongside it keeps the call first, and
        # a product weighed where it asks ("If we stay on Grafana, what breaks first? Or pay for Arize?") asks the call.
        r.act = r.act_in_scope = "risks"
    if asks_about_people(lex, norm):
        # "What salary should we offer an MLOps engineer in Helsinki, and is it better to hire or keep a consultancy on
        # retainer?": pay and hiring are outside the build-or-buy notes; a call on the thread's row would answer
        # nobody.
        r.act = r.act_in_scope = "off-topic"
        r.asks_people = True
        return
    if r.act in ("verdict", "statement") and r.component and not decided and not r.build_alternative and \
            _asks_which_product(asking):
        # "Which engine, then, given that customer data has to stay on our own servers?": the pick among the row's
        # products under the facts told beside it, not the call again.
        r.act = r.act_in_scope = "vendor"
    if r.act in ("verdict", "statement") and r.component and not decided and not r.build_alternative and \
            len(r.vendors) >= 2 and any(_opens_with_pair(lex, x, r.component) for x in asking):
        # "Qdrant or pgvector, when our data must stay in our own data centre?": a question that opens with two of the
        # row's products set against each other asks which of them, whatever facts follow.
        r.act = r.act_in_scope = "vendor"
    if r.act in ("verdict", "implement") and len(r.vendors) >= 2 and which and which.group(0).startswith(("which", "who")) \
            and not lex.asks_decision.search(norm) and not r.build_alternative:
        # "Shortlist is Seldon, BentoML or SageMaker: which would you standardise on, and how do we roll it
        # out?" asks for the pick; the rollout is its second ask, answered beside it.
        r.act = r.act_in_scope = "vendor"


def asks_about_people(lex: Lexicon, norm: str) -> bool:
    """Whether every sentence that asks asks about pay or hiring ("What salary should we offer an MLOps engineer, and
    is it better to hire or keep a consultancy?"), which no note in the knowledge base answers."""
    asking = [x for x in re.split(r"(?<=[.!?])\s+", norm) if x.rstrip().endswith("?")]
    return bool(asking) and all(lex.people_asks.search(x) for x in asking) and not lex.asks_decision.search(norm)


def _opens_with_pair(lex: Lexicon, sentence: str, row: str) -> bool:
    """Whether an asking sentence opens with two products of `row` joined by "or" or "vs" ("Qdrant or pgvector, ...")."""
    text = words_only(sentence).lstrip()
    hits = [h for h in lex.hits(text) if h.doc and not h.by_name and h.slug == row]
    if len(hits) < 2 or hits[0].start > 0 or hits[0].doc == hits[1].doc:
        return False
    # A third way after them ("LiteLLM or Portkey, or is a homegrown proxy fine?") makes it the call again.
    rest = text[hits[1].start + hits[1].length:]
    return bool(re.fullmatch(r"\s*(?:or|vs\.?|versus)\s*", text[hits[0].start + hits[0].length:hits[1].start])) and \
        not re.search(r"\b(?:or|vs|versus)\b", rest)


def _asks_which_product(asking: list[str]) -> bool:
    """Whether a sentence that asks opens by asking which product to take ("Which engine, then, given ...?")."""
    return any(_WHICH_PRODUCT.search(x) for x in asking)


def settle_after_conditions(r: Reading, lex: Lexicon, norm: str) -> None:
    """The act rules that need the conditions read (a what-if that supposes nothing)."""
    if r.act == "what-if" and not (r.conditions or r.negated or r.retracted) and lex.undo.search(norm):
        # "What would it cost to undo this choice if we pick wrong?": the "if" supposes nothing the decision
        # weighs; the question is what reversing the choice takes, the switching question.
        r.act = r.act_in_scope = "switch"
