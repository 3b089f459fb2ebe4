"""Numbers with units in a question (traffic, models, GPUs, headcount, money, latency), and what they imply."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from .datafiles import load_model

_WORD_NUMBERS = {
    "one": 1, "a single": 1, "single": 1, "two": 2, "couple": 2, "a couple": 2, "a couple of": 2,
    "three": 3, "a few": 3, "few": 3, "four": 4, "five": 5, "a handful": 5, "a handful of": 5, "handful": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "a dozen": 12, "dozen": 12, "dozens": 36,
    "dozens of": 36, "twenty": 20, "fifty": 50, "hundreds": 300, "hundreds of": 300, "a hundred": 100,
    "thousands": 3000, "thousands of": 3000, "tens of thousands": 30000, "tens of thousands of": 30000,
    "millions": 3_000_000, "millions of": 3_000_000, "a million": 1_000_000, "billions": 3_000_000_000,
    "billions of": 3_000_000_000, "a few hundred": 300, "few hundred": 300, "a couple hundred": 200,
    "a couple of hundred": 200, "several hundred": 500, "a thousand": 1000, "a few thousand": 3000,
    "several thousand": 5000, "a few million": 3_000_000, "several million": 5_000_000,
}
# Counts written as words in cost sums ("two engineers for six months", "a run of 3 days", "twice a month"); the
# patterns that capture them decide which words can reach this table.
COUNT_WORDS = {"a": 1, "an": 1, "once": 1, "one": 1, "twice": 2, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
               "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "sixteen": 16, "eighteen": 18}


def count_of(said: str) -> float:
    """A count written in digits or as a word ("two" -> 2.0, "2.5" -> 2.5)."""
    return float(COUNT_WORDS.get(said.lower(), said))


_MULT = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6, "mil": 1e6, "b": 1e9, "bn": 1e9,
         "billion": 1e9, "thousands": 1e3, "millions": 1e6, "billions": 1e9,  # "800 millions vectors"
         # "₹1.5 lakh a month", "INR 2 crore", "IDR 6 miliar" (Indonesian), "EUR 1,2 Mrd." (German milliard)
         "lakh": 1e5, "lakhs": 1e5, "crore": 1e7, "crores": 1e7, "miliar": 1e9, "milliard": 1e9, "milliards": 1e9,
         "mrd": 1e9, "juta": 1e6}
# A figure in money: "60 000" and "60'000" (a space or an apostrophe between thousands) as well as "60,000" and "2.5".
_FIG = r"\d{1,3}(?:[ \u00a0\u202f']\d{3})+(?![\d.,])|\d+(?:[.,]\d+)*"
_MONEY_MULT = r"k|m|mm|million|thousand|bn|b|billion|lakhs?|crores?|miliar|milliards?|mrd|juta"
_WORDS = "|".join(sorted((re.escape(w) for w in _WORD_NUMBERS), key=len, reverse=True))
# A digit run glued to letters names a thing, not a count ("T4 GPUs", "A10", "GPT4", "FLUX.1"): no letter (or a letter
# and a dot) right before it,
# nor a slash ("PRA SS1/23", "24/7").
NUM = (rf"(?<![A-Za-z0-9/])(?<![A-Za-z]-)(?<![A-Za-z][.])(?<![0-9][.,])(?P<num>\d{{1,3}}(?:[ \u00a0\u202f']\d{{3}})+(?![\d.,])|\d+(?:[.,]\d+)*)\s*(?P<mult>k|m|mm|bn|b|thousands?|millions?|mil|billions?)?\b"
       rf"|\b(?P<word>{_WORDS})\b(?:\s+(?P<wmult>thousand|million|billion)\b)?")
_PER_SECOND = {"second": 1, "sec": 1, "s": 1, "minute": 60, "min": 60, "hour": 3600, "hr": 3600, "h": 3600,
               "day": 86400, "d": 86400, "night": 86400, "week": 604800, "month": 2_592_000, "mo": 2_592_000,
               "quarter": 7_776_000, "year": 31_536_000, "yr": 31_536_000}
_PER = r"second|sec|s|minute|min|hour|hr|h|day|d|night|week|month|mo|quarter|year|yr"
_ADVERB_PER = {"hourly": "hour", "daily": "day", "nightly": "night", "weekly": "week", "monthly": "month",
               "quarterly": "quarter", "yearly": "year", "annually": "year"}
# Work that is not a request: items labelled, scored or stored, LLM tokens, training jobs. Their volume per
# day means something different per kind, so each kind has its own thresholds (volume_per_day in the data).
_VOLUME_KINDS = {
    "items": r"images?|photos?|pictures?|documents?|docs|pages?|labels?|annotations?|snippets?|records?|rows?|"
             r"events?|messages?|emails?|tickets?|transcripts?|videos?|clips?|samples?|examples?|texts?|files?|"
             r"items?|scans?|claims?|invoices?|chats?|conversations?|reviews?|orders?|sentences?|utterances?|"
             r"frames?|embeddings?|vectors?|chunks?|listings?|products?|boxes|bounding boxes|tags?|masks?|polygons?|"
             r"keypoints?|segments?|receipts?|forms?|contracts?|notes?|articles?|posts?|comments?|photographs?|"
             r"recordings?|letters?|pdfs?|descriptions?|entries|entry|responses?|answers?|passages?|"
             r"paragraphs?|captions?|titles?",
    "tokens": r"tokens?",
    "jobs": r"(?:training |fine-tuning |gpu |batch )?jobs?|(?:training |experiment )?runs?",
}
_RATE = re.compile(
    # "8k prediction requests/sec", "350k bid requests/sec", "40k search API calls per second": up to two words may
    # say what kind of request (a time unit must follow, so "3 engineers' requests" never reads as a rate).
    rf"(?:{NUM})\s*(?:-\s*)?(?:(?:(?!(?:per|a|an|the|of|and|or|to|in|from|for|engineers?|engs?|people|ppl|devs?|developers?|"
    r"scientists?|analysts?|users|customers|agents?|models?|gpus?|teams?|services?|servers?|nodes?|replicas?|instances?|"
    rf"machines?|pods?|workers?|members?|staff|employees?|clients|apps?)\b)[a-z][a-z-]{{1,24}}(?:\s+|-)){{1,2}}"
    # "70,000 pricing and matching calls a second": two kinds joined by "and"
    r"(?:(?:and|or|&)\s+[a-z][a-z-]{1,24}\s+)?"
    r"(?=requests?|reqs?|calls?|queries|lookups?|reads?\s*/|reads?\s+(?:per|a|an|each|every)\s))?"
    r"(?P<thing>qps|rps|tps|requests?|reqs?|calls?|predictions?|inferences?|queries|query|"
    r"hits?|lookups?|transactions?|txns?|tx|scoring requests?|api calls?|questions?|prompts?|completions?|"
    # "~70k reads/s in the Friday rush": reads or writes count as traffic only with their period after them
    r"(?:reads?|writes?)(?=\s*/\s*|\s+(?:per|a|an|each|every)\s+))\b"
    r"(?:(?:\s+(?:per|a|an|each|every)\s+|\s*/\s*)"
    rf"(?P<per>{_PER})\b)?",
    re.IGNORECASE)


def _big(said: str) -> str:
    """"1.1b tokens" as people write it: "1.1B tokens" (the text read is lower-cased)."""
    return re.sub(r"(\d)([mb])\b", lambda m: m.group(1) + m.group(2).upper(), said)


_DATA_RATE = re.compile(rf"(?:{NUM})\s*(?P<unit>gb|tb|pb|gigabytes?|terabytes?|petabytes?)\b(?:\s+of\s+(?:[\w-]+\s+){{0,3}}?)?"
                        r"\s*(?:a|per|each|every|/)\s*(?P<per>hour|hr|day|night|week|month)\b", re.IGNORECASE)
# A fixed set of jobs rerun on a schedule ("our 25 jobs every hour", "the 40 jobs nightly"), not a launch rate.
_SCHEDULED = re.compile(r"\b(?:our|the|all|those|these|its)\b[^.;?!]{0,30}\bjobs?\b[^.;?!]*\b(?:every|each)\s+(?:hour|day|night|"
                        r"morning|evening|week|\d+\s+minutes)\b|\b(?:our|the|all|those|these)\b[^.;?!]{0,12}\bjobs?\b[^.;?!]*"
                        r"\b(?:hourly|nightly|daily)\b", re.IGNORECASE)
_PER_WORD = {"s": "second", "sec": "second", "min": "minute", "h": "hour", "hr": "hour", "d": "day", "mo": "month",
             "yr": "year"}  # "1.1B tokens/mo" is echoed as "1.1B tokens a month"
_VOLUME = re.compile(
    rf"(?:{NUM})\s*(?:[a-z-]+\s+){{0,3}}"  # "2 million short text snippets": the last such word is the thing
    rf"(?P<thing>{'|'.join(f'(?P<{k}>{v})' for k, v in _VOLUME_KINDS.items())})\b"
    # Up to four words between the thing and its period ("images need tags every quarter"), but never another
    # count or a new item ("2 million documents and 10 queries per second": the period is the queries').
    rf"(?:\s*/\s*(?P<per_slash>{_PER})\b|\s+(?:(?!(?:and|or|plus|with|but|while)\b)[A-Za-z][\w'-]*\s+){{0,4}}?(?:(?:(?:per|a|an|each|every|this|next)\s+|(?:over|in|within|during)\s+(?:the |a |each |every )?"
    rf"(?:next |coming |first |same |single )?)(?P<per>{_PER})|(?P<adverb>{'|'.join(_ADVERB_PER)}))\b)",
    re.IGNORECASE)
# "one row per lot per day", "a score per customer each week": a count for each thing named, its grain.
_GRAIN = re.compile(rf"^\s+(?:(?:for )?(?:per|each)\s+(?!(?:{_PER})\b)[a-z][\w-]*)\b", re.IGNORECASE)
# "2.1B input tokens plus ": a count of work just before another of the same kind that carries the period.
_SHARED_PERIOD = re.compile(rf"(?:{NUM})\s*(?:[a-z-]+\s+){{0,2}}(?P<thing>{'|'.join(f'(?P<{k}>{v})' for k, v in _VOLUME_KINDS.items())})"
                            r"\s+(?:plus|and)\s+$", re.IGNORECASE)
# A stock of work to label with no period ("5 million product photos to tag", "tens of millions of chat logs to
# annotate", "label 40,000 scanned forms"): the size of the labelling job, not a rate.
_VAGUE = {"tens of millions": 1e7, "hundreds of millions": 1e8, "hundreds of thousands": 1e5, "tens of thousands": 1e4,
          "millions": 1e6, "thousands": 1e3}
# "photos to sort into 40 categories", "messages to categorise": sorting items into classes by hand is labelling too.
_LABEL_VERB = (r"(?:label|annotat|tag|classif|transcrib|segment|mark up|mark|categori[sz]|(?:sort|put|file|group)(?=\w*\s+"
               r"(?:\w+\s+)?in(?:to)?\s+(?:\d+\s+)?(?:[\w-]+\s+)?(?:categor|class|bucket|group|type|folder)))\w*")
_BACKLOG = re.compile(
    rf"(?:(?:{_LABEL_VERB})\s+(?:about |around |roughly |some |over |~\s*)?)?"
    rf"(?:(?:{NUM})|(?P<vague>{'|'.join(_VAGUE)}))\s*(?:of\s+)?(?:[a-z-]+\s+){{0,3}}?"
    rf"(?:{_VOLUME_KINDS['items']}|logs?)\b"
    rf"(?P<after>[^.;?!]{{0,30}}?\b{_LABEL_VERB})?", re.IGNORECASE)
# "about 40,000 pages of manuals", "2.5M PDFs", "120k support articles": a document collection to search or ground
# answers in, counted without a period (a size, not a load).
_CORPUS = re.compile(rf"(?:{NUM})\s*(?:[a-z-]+\s+){{0,2}}?(?:pages?|documents?|docs|pdfs?|manuals?|articles?|"
                     rf"reports?|contracts?|files?|wiki pages?)\b", re.IGNORECASE)
# "2 times a minute", "twice a month", "once a day": how often something is called or run, counted as requests.
_TIMES = re.compile(rf"(?:(?:{NUM})\s*(?:-\s*)?times|(?P<often>once|twice|thrice))\s+(?:per|a|an|each|every)\s+"
                    rf"(?P<per>{_PER})\b", re.IGNORECASE)
_OFTEN = {"once": 1, "twice": 2, "thrice": 3}
# How often something happens that is no request to the system: changes, releases, meetings, training runs.
_NOT_CALLS = re.compile(r"\b(?:sends?|sending|sent|arriv(?:e|es|ing)|deliver(?:s|ed|ing|ies)?|uploads?|uploaded|exports?|"
                        r"exported|dumps?|dumped|changes?|changing|deploy(?:s|ed|ing|ments?)?|releas(?:e|es|ed|ing)|ship(?:s|ped|ping)?|"
                        r"push(?:es|ed|ing)?|updat(?:e|es|ed|ing)|meet(?:s|ings?)?|standups?|refresh(?:es|ed)?|backups?|audits?|reviews?|rebuil(?:d|ds|t)|"
                        r"fail(?:s|ed|ing|ures?)?|times? out|timeouts?|crash(?:es|ed|ing)?|break(?:s|ing)?|broke|goes down|"
                        r"went down|outages?|incidents?|errors?|"
                        # "we rent GPUs in bursts a few times a quarter": how often they hire machines, no calls to serve
                        r"rent(?:s|ed|ing)?|hir(?:e|es|ed|ing)|book(?:s|ed|ing)?|buy(?:s|ing)?|bought|purchas(?:e|es|ed|ing)|"
                        r"bursts?|"
                        # "a Power BI report that someone opens once a month": a person looking at something, no call
                        r"opens?|opened|looks? at|looked at|glanc(?:e|es|ed)|checks? (?:it|them|the \w+)|"
                        r"checked|logs? in|logged in|visits?|visited|"
                        # "we retrain the models a few times a week": how often training runs, a job's cadence, not
                        # calls to serve (a small need is read from the calls, the models and the team instead)
                        r"(?:re)?train(?:s|ed|ing)?|fine-?tun(?:e|es|ed|ing))\b",
                        re.IGNORECASE)
# "from 50 requests a day to 20k per second": a per-second or per-minute count with the noun left out is traffic.
_BARE_RATE = re.compile(rf"(?<![$€£\d.,])(?:{NUM})\s*(?:(?:per|a|an|every)\s+(?P<per>second|sec|minute|min)|/\s*(?P<short>s|sec|min))\b"
                        r"(?!\s*(?:of|on|in)\b)", re.IGNORECASE)
# "it's 5,000 a day, not a second": a rate corrected to another unit is a rate, whatever unit it now has.
_UNIT_FIX = re.compile(rf"(?<![$€£\d.,])(?:{NUM})\s*(?:per|a|an|every|/)\s*(?P<per>{_PER})\s*[,;]?\s*(?:and\s+)?not\s+"
                       rf"(?:per|a|an|every|/)?\s*(?:{_PER})\b", re.IGNORECASE)
# "three model providers", "2 model registries": "model" as a modifier counts something else.
# "120 churn and fraud models", "40 ranking, search and ads models": kinds joined before the noun are one count.
_MODEL_KIND = r"(?!(?:engineers?|people|teams?|scientists?|devs?|developers?|gpus?|servers?|customers?|users?|of)\b)[a-z][a-z-]*"
# "one customer's models" (normalised "one customer models") counts customers, not models.
_MODELS = re.compile(rf"(?:{NUM})\s+(?:(?!(?:customer|client|user|tenant|team|region|site|country|partner|brand|"
                     rf"store|shop|department|squad)s?\b)\w+(?:-\w+)?\s+|{_MODEL_KIND}(?:\s*(?:,|and|or|/|&)\s*{_MODEL_KIND}){{1,3}}\s+)?"
                     r"(?:ml\s+|production\s+|live\s+|deployed\s+)?models?\b"
                     r"(?!\s+(?:providers?|vendors?|apis?|registr(?:y|ies)|servers?|endpoints?|families|family|"
                     r"hubs?|gateways?|routers?|stores?|teams?|risk|governance|validation|cards?)\b)", re.IGNORECASE)
# "... on a second, and the third team is trialling a third": a count carried on in ordinals.
_ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6}
_COUNT_NAMES = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}
_ORDINAL_MORE = re.compile(r"\b(?:on|with|to|trialling|trialing|testing|piloting|adding|uses?|using|calls?|calling|and)\s+"
                           r"(?:a|another|yet another)\s+(second|third|fourth|fifth|sixth)\b"
                           r"(?!\s+(?:time|thought|look|opinion|round|year|quarter|half|team|squad|app|product|model|"
                           r"engineer|person|office|site|region|language)s?\b)", re.IGNORECASE)
# "calls three model providers", "4 LLM vendors": hosted providers used together.
_PROVIDERS = re.compile(rf"(?:{NUM})\s+(?:different\s+)?(?:model|llm|ai|foundation[- ]model)\s+(?:api\s+)?"
                        r"(?:providers?|vendors?|apis)\b", re.IGNORECASE)
_ONLY_MODEL = re.compile(r"\b(?:our|the) (?:only|single|one) (?:\w+ )?model\b|\bjust one model\b", re.IGNORECASE)
# GPU names a count can be of ("8 H100s", "64 GPUs"); unit_prices.py counts the same ones.
GPU_NAMES = r"gpus?|h100s?|a100s?|h200s?|b200s?|l40s?|l4s?|t4s?|v100s?"
# "3,000 A100 GPU-hours a month" counts hours of use, not GPUs.
# "4 rented H100", "8 used A100s": a word saying how they are had may stand between the count and the name.
_GPUS = re.compile(rf"(?:{NUM})\s*(?:-\s*)?(?:x\s*)?(?:(?:rented|reserved|spot|dedicated|used|second-hand|refurbished|new|"
                   rf"on-demand|cloud|extra|more|additional|nvidia)\s+)?(?:{GPU_NAMES})\b(?!\s*-?\s*(?:gpu[- ]?)?(?:hours?|hrs?)\b)",
                   re.IGNORECASE)
_SOLO = re.compile(r"\b(?:solo|lone|one-person|one person|single)\s+(?:dev|developer|engineer|founder|"
                   r"data scientist|ml engineer|team)\b|\bjust me\b|\bi am the only (?:engineer|developer|dev|"
                   r"data scientist|ml (?:person|engineer))\b", re.IGNORECASE)
_ENGINEERS = [re.compile(p, re.IGNORECASE) for p in (
    rf"team of\s+(?:about |around |roughly |some |~\s*)?(?:{NUM})",
    rf"(?:{NUM})\s+of us\b",  # "four of us share one server", "just the two of us"
    # "Three friends, started in May": a group that opens the story is who they are
    (rf"(?:^|(?<=[.!?]\s))(?:we(?: are|'re) )?(?:just )?(?:{NUM})\s+(?:friends|siblings|brothers|sisters|cousins|"
     r"classmates|students|partners|co-owners)\b"),
    (rf"(?:{NUM})\s*(?:-\s*)?(?:person|people|member|man|strong)?\s*(?:(?:senior|junior|staff|principal|lead|full-?time|additional|extra|more|new) )?"
    # "25 data/ML engineers", "8 ML & data engineers": a role written as two fields is still one role
    r"(?:(?:ml|data|platform|software|backend|infra|ai|research|mlops|analytics)(?:\s*(?:/|&|and)\s*(?:ml|data|ai|analytics|platform|software|mlops))? )?(?:engineers?|engs?|swes?|devs?|developers?|data scientists?|scientists?|researchers?|"
    r"ml people|ml ppl|ml folks|mles?|ds|(?:co-?)?founders?|people on the team|(?:sys)?admins?|administrators?|sres?|ops (?:people|engineers|folks)|(?:person|people|member)\s+(?:[a-z]+\s+){0,3}?(?:team|org|organi[sz]ation|department|dept|group|unit))\b"
    # "one engineer wrote our serving layer", "one engineer wants Dagster" tell who did or wants something, not how
    # big the team is.
    r"(?!\s+(?:who\s+)?(?:(?:have|has|had|would|could|will|can)\s+)?(?:offered|offer|offers|volunteered|volunteers?|"
    r"plans?|planned|wrote|built|left|quit|(?<!would )(?<!will )(?<!ll )(?:maintains?|owns?)|set up|created|did|made|hacked|is|was|wants?|"
    r"wanted|thinks?|thought|says|said|suggests?|suggested|proposes?|proposed|prefers?|preferred|likes?|liked|"
    r"argues?|argued|believes?|pushes|pushed|pushing|asks?|asked|insists?|insisted|loves?|hates?|knows?|"
    r"understands?|has|had|keeps?|kept|swears?|championed|champions?|favou?rs?)\b)"))]
# "one of those two engineers just resigned", "2 of our 3 MLEs are leaving": the team that remains is what counts.
_DEPARTED = re.compile(rf"\b(?P<gone>\d+|{_WORDS})\s+of\s+(?:the|those|these|our|my|its|their)\s+(?P<all>\d+|{_WORDS})\s+"
                       r"(?P<noun>(?:[a-z]+\s+)?(?:engineers?|developers?|devs?|data scientists?|people|admins?|mles?|"
                       r"maintainers?))\b[^.;!?]{0,30}?\b(?:resigned|quit|left|leaves|leave|leaving|handed in|gave notice|"
                       r"moved on|retired|retiring)\b", re.IGNORECASE)


# How old the company is: "the company is 14 years old", "registered eleven weeks ago", "a 30-year-old group",
# "founded in 1998". Only the company's own age: "the model is 3 years old" says nothing of the stage it is in.
_FIRM = r"(?:company|business|firm|startup|start-up|group|agency|organi[sz]ation|studio|shop|we|it)"
_AGE_UNITS = {"week": 0.25, "month": 1.0, "year": 12.0}
_AGE_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
              "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
              "sixteen": 16, "eighteen": 18, "twenty": 20, "thirty": 30, "a few": 3, "a couple of": 2, "a couple": 2}
_AGE_N = r"\d+|" + "|".join(sorted(_AGE_WORDS, key=len, reverse=True))
_COMPANY_AGE = (
    re.compile(rf"\b{_FIRM}(?:'s| is| are| was| were|'re|:|,)\s+(?:only |just |about |around |nearly |almost |over )?"
               rf"(?P<n>{_AGE_N})\s+(?P<unit>week|month|year)s?\s+old\b", re.IGNORECASE),
    re.compile(rf"\b(?:founded|registered|incorporated|established|started|launched|set up|formed|opened)\s+"
               rf"(?:the company |the business |this company )?(?:only |just |about |around |nearly |almost |over )?"
               rf"(?P<n>{_AGE_N})\s+(?P<unit>week|month|year)s?\s+ago\b", re.IGNORECASE),
    re.compile(rf"\b(?P<n>{_AGE_N})[- ](?P<unit>week|month|year)s?[- ]old\s+(?:\w+\s+){{0,2}}?"
               r"(?:company|business|firm|startup|start-up|group|agency|organi[sz]ation|studio|shop|manufacturer|"
               r"retailer|bank|insurer|lender|operator|utility|producer|maker|cooperative|co-op)\b", re.IGNORECASE),
)
_FOUNDED_YEAR = re.compile(r"\b(?:founded|incorporated|established|registered)\s+(?:back\s+)?in\s+(?P<y>(?:19|20)\d\d)\b",
                           re.IGNORECASE)


def company_age(text: str, this_year: int | None = None) -> Quantity | None:
    """The company's age in months, as said ("registered eleven weeks ago" -> 2.75); None when not said."""
    for rx in _COMPANY_AGE:
        if m := rx.search(text):
            n = m.group("n")
            value = float(n) if n.isdigit() else float(_AGE_WORDS[n.lower()])
            return Quantity(kind="company_age_months", value=value * _AGE_UNITS[m.group("unit").lower()],
                            text=m.group(0))
    if m := _FOUNDED_YEAR.search(text):
        import datetime

        year = this_year or datetime.date.today().year
        if int(m.group("y")) <= year:
            return Quantity(kind="company_age_months", value=12.0 * (year - int(m.group("y"))), text=m.group(0))
    return None


def _count(word: str) -> float:
    return float(word) if word.isdigit() else float(_WORD_NUMBERS[word.lower()])


# "we'd need 2 engineers on it", "it would take three devs for six months", "building it with a new 3-person
# platform team": people a build would take, which is an effort to cost, not the size of the team asking.
_EFFORT_BEFORE = re.compile(r"\b(?:need|needs|needed|take|takes|took|require|requires|required|cost|costs|tie up|ties up|"
                            r"dedicate|dedicating|assign|assigning|put|putting|hire|hiring|allocate|budget for|"
                            r"staff it with|(?:with|plus|and) (?:a |an )?new|(?:a|an) new|"
                            # "build it over the next 9 months with 4 engineers": a duration with people is an effort
                            r"(?:weeks?|months?|quarters?|years?|sprints?)\s+with|"
                            r"(?:write|build|make|code)\s+(?:it\s+|(?:our|their)\s+own\s+|one\s+)?(?:with|using)|proposed that|"
                            # "enough to have three senior engineers check 50 answers": people put on a task
                            r"(?:to|just|could|would|d|then)\s+(?:have|get|let|ask))\s+"
                            r"(?:us\s+|them\s+|me\s+)?(?:about |around |roughly |at least |maybe |probably |~\s*)?$",
                            re.IGNORECASE)
_EFFORT_AFTER = re.compile(r"^\s*(?:full[- ]time\s+)?(?:on it|on this|on that|working on it|(?:for|x|×|\*) (?:about |around )?"
                           r"(?:\d+|a|an|one|two|three|four|five|six|eight|nine|twelve|several|a few)\s+"
                           r"(?:weeks?|months?|years?|quarters?)|"
                           r"over (?:a|one|two|three|\d+) (?:months?|quarters?|years?)|"
                           r"(?:would |could |will )?(?:to )?(?:build|write|code) (?:it|our own|their own|one|a|an|the)|"
                           r"build (?:estimate|effort|plan)|to (?:build|write) it|"
                           # "two engineers spend their weeks on its home-made batching": people held by upkeep
                           r"(?:now |already )?(?:spend|spends|spent|lose|lost|sink|burn) (?:most of |all of |half of |much of )?"
                           r"(?:their|the) (?:weeks|days|time|sprints|evenings))\b", re.IGNORECASE)
_AUDIENCE_BEFORE = re.compile(r"\b(?:roll(?:s|ed|ing)?\s+(?:it\s+|this\s+|that\s+)?out\s+to|(?:used|relied on)\s+by|"
                              r"available\s+to|open(?:ed)?\s+(?:it\s+)?up\s+to)\s+(?:all\s+|our\s+|about\s+|around\s+|"
                              r"some\s+|~\s*)*$", re.IGNORECASE)
# "our ML team is about 45 people": a team counted in people is a team's size, not the company's headcount.
# "my team has one model" counts models: after "has", only people make a team's size.
_TEAM_SIZE = re.compile(rf"\b(?:team|lab|group|squad) (?:is|are|counts|has(?=\s+(?:about |around |roughly |some |just |only |~\s*)?"
                        rf"[\w.,]+\s*(?:people|persons|engineers|members|folks)\b))\s+(?:about |around |roughly |some |just |only |~\s*)?(?:{NUM})"
                        r"(?:\s*(?:people|persons|engineers|members|folks|strong))?\b", re.IGNORECASE)
_HEADCOUNT = [re.compile(p, re.IGNORECASE) for p in (
    (rf"(?:we are|we re|we're|we’re|were|we have|with|company of|org of|about|around|over)\s+(?:{NUM})\s*"
    r"(?:people|ppl|persons|employees|staff|headcount|folks|guys|of us)\b"),
    # "a 3000-person bank", "a 600-employee insurer", "a ~400-person software services company": a whole organisation
    # (a team or a stage is not one), with up to three words describing it in between.
    # "a 60-person data org" is a department: an org only right after the count.
    rf"(?:{NUM})\s*(?:-\s*)?(?:person|people|employee) (?:org|organisation|organization)\b",
    (rf"(?:{NUM})\s*(?:-\s*)?(?:person|people|employee|staff)\s+"
     r"(?:(?!(?:in|on|at|of|from|who|across|for|with)\b)[a-z]+[ -]){0,3}?(?:company|business|"
     r"startup|start-up|shop|studio|bank|insurer|hospital|clinic|"
     r"retailer|agency|firm|enterprise|corporation|corp|manufacturer|publisher|telco|carrier|university|"
     r"utility|marketplace|scale-?up|fintech|insurtech|healthtech|biotech|saas|"
     r"conglomerate|nonprofit|charity|school|lab)\b"),
    rf"(?:{NUM})\s+(?:employees|staff|ftes?)\b",
    # A bare count of people opening a clause ("training infra q: 6 ppl, cash is tight") is who they are.
    rf"(?:^|[:;,.!?]\s*)(?:{NUM})\s*(?:people|ppl|folks|persons)\b(?!\s+(?:on|in|at|from|who|use|using|would|will|want))")]
# "shared by 5 research teams", "12 internal teams use it": an organisation with several teams is past the early stage.
_TEAMS = re.compile(rf"(?:{NUM})\s+(?:[a-z-]+\s+){{0,2}}?(?:teams|squads|business units|departments|research groups|"
                    r"groups|labs)\b", re.IGNORECASE)
# "12 million chunks sit in FAISS", "2.5M embeddings": vectors held in an index (with no period: a stock, not a flow).
# A width is no count: "1536-dim embeddings", "768-dimensional vectors".
_STORED = re.compile(rf"(?:{NUM})(?!\s*-?\s*(?:d|dim|dims|dimension|dimensions|dimensional)\b)"
                     rf"\s*(?:[a-z0-9-]+\s+){{0,2}}?(?:embeddings?|vectors?|chunks?|passages?)\b"
                     rf"(?!\s+(?:\w+\s+){{0,3}}?(?:per|a|an|each|every)\s+(?:{_PER})\b)", re.IGNORECASE)
# "under 25 ms" and "under 25ms" alike (a unit glued to its number leaves no word boundary for NUM).
# "under 25 ms", "p99 budget of 20 ms", "a p95 target of 30ms", "latency SLO: 15 ms": a target to meet ("latency
# is 180 ms" measures, it sets no target).
_LATENCY = re.compile(r"(?:under|below|<|less than|within|sub|at most|"
                      # "the card network gives us 10ms end to end": a budget someone else sets is a target.
                      r"(?:gives|give|allows|allow|allots|allot|leaves|leave)\s+(?:us\s+|you\s+)?|"
                      r"(?:p9\d|p50|latency|lookup|response)\s+"
                      r"(?:(?:latency|budget|target|slo|sla|requirement|goal|limit)\s*)?(?:of|at|:|=)|"
                      # "our target is 180 ms end-to-end", "the latency budget is 30 ms": a target told as one.
                      r"(?:(?:p9\d|p50|latency|response)\s+)?(?:target|budget|slo|sla|goal|ceiling)\s+(?:is|was|of|at|:|=))"
                      r"\s*-?\s*(?:about\s+|~\s*)?(?:(?<![A-Za-z0-9])"
                      r"(?P<num>\d+(?:[.,]\d+)*)(?P<mult>)|\b(?P<word>" + _WORDS + r")\b)\s*(?:ms|milliseconds?)\b",
                      re.IGNORECASE)
# A latency told as measured ("p95 search latency is 180 ms", "measured p99 at 140 ms against a 60 ms target",
# "levelled off near 11 ms"): what the setup does now, which a stated target may show it misses.
_MEASURED = re.compile(r"(?:(?:p9\d|p50|latency)\s+(?:(?!(?:target|budget|slo|sla|goal|limit|requirement|needs?|must|should|"
                       r"want|wants)\b)[a-z-]+\s+){5,10}?(?:reached|was|were|is|measured|came in at|got to|topped out at)|"
                       # "the best p99 for online reads either of them reached on our data was 38 ms": a percentile told
                       # with its circumstances before its number is still a measure
                       r"(?:p9\d|p50|latency|lookups?|search(?:es)?|responses?|response time|inference|queries|it|they|"
                       r"poc|pilot|trial|benchmark|proof of concept)"
                       r"\s+(?:[a-z-]+\s+){0,4}?(?:is|are|was|were|sits? at|runs? at|hovers? (?:around|at)|comes? in at|"
                       r"got (?:down )?to|reached|topped out at|"
                       r"measured at|levell?ed off (?:near|at)|stuck at|around|near|takes?|averages?|adds?|added)|"
                       r"measured (?:a )?(?:p9\d|p50|latency)?\s*(?:of|at)?|currently|today|we (?:see|get|hit)|"
                       r"levell?ed off (?:near|at)|plateau\w* (?:near|at)|stuck at)"
                       r"\s*(?:about\s+|~\s*|roughly\s+)?(?<![A-Za-z0-9])(?P<num>\d+(?:[.,]\d+)*)(?P<mult>)\s*"
                       r"(?:ms|milliseconds?)\b", re.IGNORECASE)
# "a 60 ms target", "our 5 ms budget", "against the 60 ms our checkout page allows": a target told after its number.
_TARGET_AFTER = re.compile(r"(?:against\s+(?:a|an|our|the|their)\s+(?:p9\d\s+)?(?=\d+(?:[.,]\d+)*\s*(?:ms|milli)"
                           r"(?!\w*\s+(?:target|budget|slo|sla|goal|limit)))|(?<![A-Za-z0-9]))(?P<num>\d+(?:[.,]\d+)*)"
                           r"(?P<mult>)\s*(?:ms|milliseconds?)(?:\s+(?:p9\d\s+|latency\s+)?(?:target|budget|slo|sla|goal|"
                           r"limit|requirement|ceiling)\b|(?<=\bms)(?=\s+(?:our|the|that|which)\b))", re.IGNORECASE)
# Currencies written before a figure: signs ("$", "₩", "MX$", "Rp") and ISO codes ("DKK 950,000"; "INR 4.5 lakh" is
# not read). "try" (Turkish lira), "php" (Philippine peso), "pen" and "ron" are left out: words before numbers ("try 3
# models").
CURRENCY_CODES = ("usd", "eur", "gbp", "chf", "dkk", "sek", "nok", "pln", "czk", "huf", "inr", "jpy", "cny", "cad", "aud",
                  "nzd", "brl", "mxn", "zar", "sgd", "hkd", "kes", "ngn", "aed", "krw", "idr", "thb", "myr", "egp", "vnd",
                  "clp", "cop", "ars", "twd", "sar", "qar", "ils", "uah", "pkr", "bdt", "ghs", "kzt", "bgn", "ron", "pen",
                  "uyu", "rub", "jod", "omr", "bhd", "kwd", "lkr", "npr", "etb", "tzs", "ugx", "rwf", "dzd", "tnd", "uzs",
                  "azn", "mnt", "isk", "rsd")
# Codes that are also words or names ("our PHP backend", "AMD GPUs"): money only before a figure with a multiplier
# ("PHP 3.6M a year", "MAD 35k").
_WORDLIKE_CODES = ("php", "mad")
_SIGN_CHARS = "$€£₩¥₹₺₪₱₦"
_DOLLARS = "us|mx|nz|hk|a|c|s|r"  # "MX$690,000", "S$4k", "R$ 12 mil"
CURRENCY = (rf"(?:(?<![a-z])(?:{_DOLLARS})\$|[{_SIGN_CHARS}]|\brp(?=\s?\d)|\b(?:" + "|".join(CURRENCY_CODES)
            + r")\s?|\b(?:" + "|".join(_WORDLIKE_CODES) + r")\s?(?=\d[\d,.]*\s?(?:k|m|mm|million|thousand|bn|billion)\b))")
# The same, as the asker writes it (a code in capitals before a figure: "CAD drawings" is no money).
WRITTEN_CURRENCY = re.compile(rf"(?<![A-Za-z])(?:{_DOLLARS.upper()})\$|[{_SIGN_CHARS}]|\bRp(?=\s?\d)|\b(?:"
                              + "|".join(c.upper() for c in CURRENCY_CODES) + r")\b(?=\s?\d)|(?:(?<=\d)|(?<=\d )|(?<=\d[kKmM] )|(?<=million )|(?<=billion )|(?<=thousand ))(?:"
                              + "|".join(c.upper() for c in CURRENCY_CODES) + r")\b|\b(?:"
                              + "|".join(c.upper() for c in _WORDLIKE_CODES) + r")\b(?=\s?\d[\d,.]*\s?(?:k|K|m|M|mm|million|thousand|bn|billion)\b)")
_SIGNS = {"usd": "$", "us$": "$", "eur": "€", "gbp": "£", "rp": "Rp "}


def currency_sign(written: str) -> str:
    """How sums in a currency are written back: a sign ("$", "€", "₩", "MX$"), else its code and a space ("DKK ")."""
    cur = written.strip().lower()
    if cur in _SIGNS:
        return _SIGNS[cur]
    if cur in _SIGN_CHARS:
        return cur
    return cur.upper() if cur.endswith("$") else cur.upper() + " "


_CODE_AFTER = re.compile(r"(?<![\w.,$€£])(\d+(?:[.,]\d+)*(?:\s?(?:k|m|bn|million|billion)\b)?)\s?(" +
                         "|".join(CURRENCY_CODES) + r")\b", re.IGNORECASE)


def code_first(text: str) -> str:
    """The text with an ISO code written after a figure moved before it ("0.11 USD per message" -> "USD 0.11 per
    message"), the way prices are parsed."""
    return _CODE_AFTER.sub(lambda m: f"{m.group(2)} {m.group(1)}", text)


# "1,150 USD/mo", "18,000 EGP per month": the code after the figure.
_MONEY_AFTER = re.compile(r"(?<![\w.,$€£])(?P<num>" + _FIG + r")\s*(?P<mult>" + _MONEY_MULT + r")?\s?"
                          r"(?:" + "|".join(CURRENCY_CODES) + r")\b(?:\s*(?:per|a|/)\s*(?P<per>month|mo|year|yr|annum)"
                          r"(?!\s+(?:ago|back|earlier|before|prior)\b))?", re.IGNORECASE)
_MONEY = re.compile(CURRENCY + r"\s?(?P<num>" + _FIG + r")\s*(?P<mult>" + _MONEY_MULT + r")?\b"
                    r"(?:\s*(?:per|a|/)\s*(?P<per>month|mo|year|yr|annum)(?!\s+(?:ago|back|earlier|before|prior)\b))?", re.IGNORECASE)
# "$60-120k/year", "€2k to €5k a month": a range shares its unit and period; both ends are prices.
_MONEY_RANGE = re.compile(CURRENCY + r"\s?(?P<lo>\d+(?:[.,]\d+)*)\s*(?P<lomult>k|m|mm|million|thousand|bn|b|billion)?"
                          r"\s*(?:-|–|to)\s*" + CURRENCY + r"?\s?(?P<num>\d+(?:[.,]\d+)*)\s*"
                          r"(?P<mult>k|m|mm|million|thousand|bn|b|billion)?\b(?:\s*(?:per|a|/)\s*(?P<per>month|mo|year|yr|annum)(?!\s+(?:ago|back|earlier|before|prior)\b))?",
                          re.IGNORECASE)


# "Last month: 2.1B input tokens, 180M output tokens, bill about $9,400": a bill told after the period it covers, in the
# same sentence, is that period's bill.
_PERIOD_BEFORE = re.compile(r"\b(?:(?P<month>last month|this month|each month|every month|monthly|per month|a month)|"
                            r"(?P<year>last year|this year|each year|every year|annual(?:ly)?|yearly|per year|a year))\b"
                            r"(?:[^.?!;]|(?<=\d)\.(?=\d)){0,80}\b(?:bill|billed|invoice[sd]?|spend|spent|spending|paid|paying|cost|came to)\b"
                            r"[^.?!;$€£]{0,20}$"
                            # "bill last month was about £7,100": the period between the bill and its amount.
                            r"|\b(?:bill|billed|invoice[sd]?|spend|spent|spending|paid|cost)\s+(?:(?P<month2>last month|this month|"
                            r"each month|every month|per month|a month)|(?P<year2>last year|this year|each year|every year|per year|a year))"
                            r"[^.?!;$€£\d]{0,25}$", re.IGNORECASE)


def _period_before(text: str, at: int) -> str:
    m = _PERIOD_BEFORE.search(text[max(0, at - 120):at])
    return "" if m is None else "month" if m.group("month") or m.group("month2") else "year"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Range(_Strict):
    scale_at_least: float | None = None
    simple_at_most: float | None = None
    not_simple_at_least: float | None = None
    # A count this small is a simple need on its own; up to simple_at_most only beside a light load told with it.
    simple_alone_at_most: float | None = None


class _Team(_Strict):
    early_stage_at_most: float | None = None
    not_early_stage_at_least: float | None = None
    # In a company that calls itself young ("seed-stage", "Series A"), the builders it takes to be past the early stage.
    young_not_early_stage_at_least: float | None = None


class _Latency(_Strict):
    scale_at_most: float


class _Volumes(_Strict):
    items: _Range
    tokens: _Range
    jobs: _Range
    data: _Range = _Range()  # gigabytes of data moved or processed


class Thresholds(_Strict):
    """What a magnitude means; loaded from knowledge/understanding/quantities.yaml."""

    traffic_rps: _Range
    volume_per_day: _Volumes
    models: _Range
    gpus: _Range
    providers: _Range = _Range()  # hosted model providers used together
    engineers: _Team
    headcount: _Team
    teams: _Team = _Team()  # teams or squads that use or share the infrastructure
    company_age_months: _Team = _Team()  # how long the company has existed
    latency_ms: _Latency
    stored_vectors: _Range = _Range()  # embeddings held in an index ("12 million chunks"), not a rate
    items_backlog: _Range = _Range()  # items to label, counted without a period ("5 million photos to tag")
    corpus_docs: _Range = _Range()  # documents or pages held to search or ground answers in ("40,000 pages")
    # What a rate means depends on what is asked about: 50 searches a second is light work for a vector index
    # and steady traffic for a model server. Per matrix row, the rate thresholds that replace the ones above.
    traffic_rps_by_component: dict[str, _Range] = {}
    # Likewise a latency target: 30 ms is tight for a model server and routine for an online feature lookup.
    latency_ms_by_component: dict[str, _Latency] = {}
    # And a volume of items: 15,000 a day is light work for a batch job and a floor of people for labelling by hand.
    items_per_day_by_component: dict[str, _Range] = {}
    # And a count of models: twenty models to serve is multi-model serving, twenty to register or watch is a list.
    models_by_component: dict[str, _Range] = {}
    # And a count of GPUs: the machines a team trains on are the load of a scheduler, not of the tracker that records
    # their runs.
    gpus_by_component: dict[str, _Range] = {}

    def for_component(self, slug: str | None) -> Thresholds:
        """These thresholds, with the rate, latency, model-count and item-volume thresholds of `slug`'s row when it has
        its own."""
        update = {k: v for k, v in (("traffic_rps", self.traffic_rps_by_component.get(slug or "")),
                                    ("latency_ms", self.latency_ms_by_component.get(slug or "")),
                                    ("models", self.models_by_component.get(slug or "")),
                                    ("gpus", self.gpus_by_component.get(slug or ""))) if v is not None}
        if items := self.items_per_day_by_component.get(slug or ""):
            update["volume_per_day"] = self.volume_per_day.model_copy(update={"items": items})
        return self.model_copy(update=update) if update else self


class Quantity(_Strict):
    """One number with its unit, as the asker wrote it."""

    kind: str  # traffic_rps | models | providers | gpus | engineers | build_engineers | headcount | teams | latency_ms
    # | latency_measured_ms | latency_missed_ms | money_per_month | money
    # | items_per_day | tokens_per_day | jobs_per_day | data_per_day (GB) | items_backlog | stored_vectors | corpus_docs
    value: float
    text: str


_MEASURED_VERB = re.compile(r"\s+(?:is|are|was|were|sits? at|runs? at|hovers? (?:around|at)|comes? in at|measured at|"
                            r"levell?ed off (?:near|at)|plateau\w* (?:near|at)|stuck at|around|near|takes?|averages?)\s+",
                            re.IGNORECASE)


def missed_target(quantities: list[Quantity]) -> Quantity | None:
    """A measured latency past the target stated beside it ("p95 is 180 ms and product wants it under 100 ms"), as one
    quantity that says both; None when nothing measured misses a target."""
    targets = [q for q in quantities if q.kind == "latency_ms"]
    measured = [q for q in quantities if q.kind == "latency_measured_ms"]
    if not targets or not measured:
        return None
    target, worst = min(targets, key=lambda q: q.value), max(measured, key=lambda q: q.value)
    if worst.value <= target.value:
        return None
    said = _MEASURED_VERB.sub(" of ", worst.text, count=1)
    return Quantity(kind="latency_missed_ms", value=worst.value,
                    text=f"{said} against a {target.value:g} ms target")


def load_thresholds(path: Path) -> Thresholds:
    """Validate the thresholds file; errors name the file and the field."""
    return load_model(path, Thresholds, "fix the thresholds file")


def _value(m: re.Match) -> float | None:
    if "word" in m.re.groupindex and m.group("word"):
        # "two billion tokens", "ten thousand requests": a number word, then how many of it.
        wmult = m.group("wmult") if "wmult" in m.re.groupindex else None
        return float(_WORD_NUMBERS[m.group("word").lower()]) * (_MULT[wmult.lower()] if wmult else 1)
    raw = m.group("num")
    if raw is None:
        return None
    # "10,000" is ten thousand; "2.5" is two and a half; "1.000.000" is a million; "50 000" and "50'000" too.
    raw = re.sub(r"(?<=\d)[ \u00a0\u202f'](?=\d{3})", "", raw)
    # "4.000 EUR per month" is four thousand: a price has no third decimal unless it is under one ("$0.002 a call").
    # "~1.400 task runs a day" is fourteen hundred too: a count has no third decimal (nobody runs 1.4 tasks).
    money = re.fullmatch(r"[1-9]\d{0,2}\.\d{3}", raw) and (m.re in (_MONEY, _MONEY_AFTER) or not m.group("mult"))
    if re.fullmatch(r"\d{1,3}(,\d{3})+", raw) or re.fullmatch(r"\d{1,3}(\.\d{3}){2,}", raw) or money:
        raw = raw.replace(",", "").replace(".", "")
    raw = raw.replace(",", ".")
    try:
        value = float(raw)
    except ValueError:
        return None
    mult = (m.group("mult") or "").lower()
    return value * _MULT.get(mult, 1.0)


_BARE_VOLUME = re.compile(rf"(?:{NUM})\s*(?:(?:a|an|per|each|every)\s+|/\s*)(?P<per>{_PER})\b", re.IGNORECASE)
_CORRECTING = re.compile(rf"\b(?:correction|sorry|i meant|we meant|typo|rather|i mean)\b|\bnot\s+(?:{NUM})",
                         re.IGNORECASE)


# "what if we grow 10x in two years", "if traffic triples": a growth applied to the sizes told before.
_GROWTH = re.compile(r"\b(?:grow|grows|growing|grew|scale|scales|scaling|go up|goes up|increase|increases)\s+(?:by\s+)?"
                     r"(?:about\s+|roughly\s+|~\s*)?(?P<n>\d+(?:\.\d+)?)\s*(?:x|×|times|-fold|fold)(?!\w)|"
                     r"\b(?P<n2>\d+(?:\.\d+)?)\s*(?:x|×)\s+(?:growth|more|bigger|larger|the)\b|"
                     r"\b(?P<w>doubles?|doubled|doubling|triples?|tripled|tripling|quadruples?|quadrupled|tenfold|ten-fold)\b",
                     re.IGNORECASE)
_GROWTH_WORDS = {"doub": 2.0, "trip": 3.0, "quad": 4.0, "tenf": 10.0, "ten-": 10.0}
# The sizes a growth multiplies: loads and volumes, not how many models or people there are.
_GROWS = ("traffic_rps", "stored_vectors", "corpus_docs", "items_backlog")


def grown(text: str, told: list[Quantity]) -> list[Quantity]:
    """The loads told before, multiplied by a growth the text supposes ("what if we grow 10x?"); [] without one."""
    m = _GROWTH.search(text)
    if m is None:
        return []
    factor = float(m["n"] or m["n2"]) if (m["n"] or m["n2"]) else _GROWTH_WORDS[m["w"].lower()[:4]]
    if not 1.5 <= factor <= 1000:
        return []
    return [Quantity(kind=q.kind, value=q.value * factor, text=f"{q.text} grown {factor:g}x") for q in told
            if q.kind in _GROWS or q.kind.endswith("_per_day")]


def corrected_volume(text: str, told: list[Quantity]) -> Quantity | None:
    """"correction: 3 thousand a month, not 3 million": a count per period with no noun, in a turn that corrects,
    as a new value of the one volume told before (None unless exactly one was)."""
    volumes = [q for q in told if q.kind.endswith("_per_day")]
    m = _BARE_VOLUME.search(text) if _CORRECTING.search(text) else None
    if m is None or len({q.kind for q in volumes}) != 1 or (v := _value(m)) is None:
        return None
    per = m.group("per").lower()
    count, slash, _ = m.group(0).partition("/")
    said = f"{count.strip()} a {_PER_WORD.get(per, per)}" if slash else m.group(0)  # "3k/mo" -> "3k a month"
    return Quantity(kind=volumes[-1].kind, value=v * 86400 / _PER_SECOND[per], text=_big(said))


# "the team went from 7 engineers to 2", "shrank from 12 models to 3 models": a change, told with the old figure first;
# the figure that holds now is the one after "to".
_CUR = CURRENCY + "?"  # "$38k", "USD 38,000": a currency before the figure
_CHANGED = re.compile(rf"\bfrom\s+(?:about |around |roughly |~\s*)?{_CUR}(?P<old>{NUM.replace('?P<num>', '?P<onum>').replace('?P<mult>', '?P<omult>').replace('?P<word>', '?P<oword>').replace('?P<wmult>', '?P<owmult>')})"
                      r"(?P<unit>(?:[^.;?!\d]|\b(?:19|20)\d\d\b){0,40}?)\s+(?:down |up |back |all the way )?to\s+(?:about |around |roughly |just |only |~\s*)?" + _CUR +
                      rf"(?P<new>{NUM})", re.IGNORECASE)


# "14 data scientists and 6 data engineers", "9 data scientists, 4 MLEs, 2 analysts": one team counted by role.
# "4 ML engs + a bidder team of 7": a team counted by its size is one more member of the list.
_ROLE = (r"(?:(?P<n>\d{1,3})\s+(?:[a-z-]+\s+){0,2}?(?:engineers?|engs?|scientists?|analysts?|developers?|devs|mles?|ds|"
         r"researchers?|sres?)\b|(?:an?\s+)?(?:[a-z-]+\s+){0,2}?team\s+of\s+(?P<n2>\d{1,3})\b)")
_ROLE_LIST = re.compile(rf"{_ROLE.replace('?P<n>', '').replace('?P<n2>', '')}(?:\s*(?:,|and|plus|&|\+)\s*(?:and\s+)?"
                        rf"{_ROLE.replace('?P<n>', '').replace('?P<n2>', '')})+", re.IGNORECASE)
_ROLE_ONE = re.compile(_ROLE, re.IGNORECASE)


# "we're 2 ppl (me + 1 DS)", "me and two engineers": the count after "me" is the rest of a team that includes the asker.
_ME_PLUS = re.compile(rf"\bme\s*(?:\+|and|plus|&)\s*(?P<n>{NUM})\s+(?:\w+\s+)?(?:ds|data scientists?|engineers?|devs?|"
                      r"developers?|mles?|analysts?|others?|people|colleagues?)\b", re.IGNORECASE)


def _one_team(text: str, found: list[Quantity]) -> list[Quantity]:
    """Engineers counted role by role in one list are one team of their sum (a 20-person group is no small team)."""
    for m in _ME_PLUS.finditer(text):
        v = _value(m)
        inside = [q for q in found if q.kind == "engineers" and q.text in m.group(0)]
        if v is not None and inside:
            found = [q for q in found if q not in inside] + [
                Quantity(kind="engineers", value=v + 1, text=f"{v + 1:g} people")]
    for m in _ROLE_LIST.finditer(text):
        counts = [float(r["n"] or r["n2"]) for r in _ROLE_ONE.finditer(m.group(0))]
        members = [q for q in found if q.kind == "engineers" and q.value in counts]
        if len(counts) < 2 or len(members) < 2 or _OPERATORS.search(m.group(0)):
            continue  # people who run infrastructure are counted apart (see small_team)
        found = [q for q in found if q not in members] + [
            Quantity(kind="engineers", value=sum(counts), text=m.group(0).strip())]
    return found


def extract(text: str) -> list[Quantity]:
    """Every quantity in `text` (normalised or raw); of a change ("from 7 engineers to 2"), the figure after it;
    engineers counted role by role in one list, as one team."""
    # Understanding reads the same clause for figures several times over (conditions, effort, latency, models):
    # the patterns run once per text. Quantity is frozen, so sharing its objects is safe; the list is the caller's.
    return list(_extract_once(text))


@lru_cache(maxsize=256)
def _extract_once(text: str) -> tuple[Quantity, ...]:
    found = _one_team(text, _extract(text))
    for m in _CHANGED.finditer(text):
        told, after = m.group(0)[:m.start("new") - m.start()], _value(m)
        before = [q for q in found if q.text in told and _value_in(q.text) == _value_in(m.group("old"))]
        if not before or after is None:
            continue
        old = before[0]
        found = [q for q in found if q is not old]
        if any(q.kind == old.kind and re.sub(rf"^{CURRENCY}?\s*", "", q.text, flags=re.IGNORECASE)
               .startswith(m.group("new").strip()) for q in found):
            continue  # "from 50 requests a day to 20k per second": the new figure has its own unit
        scale = old.value / _value_in(old.text) if _value_in(old.text) else 1.0
        found.append(Quantity(kind=old.kind, value=after * scale,
                              text=old.text.replace(m.group("old").strip(), m.group("new").strip(), 1)))
    return tuple(found)


def _value_in(said: str) -> float | None:
    """The first number in a quantity's words ("7 engineers" -> 7.0)."""
    m = re.search(NUM, said, re.IGNORECASE)
    return _value(m) if m else None


def _extract(text: str) -> list[Quantity]:
    """Every quantity in `text`, each figure as said."""
    out: list[Quantity] = []
    rates: list[tuple[int, int]] = []  # where the rates with a noun are, so a bare one never counts them twice
    for m in _RATE.finditer(text):
        rates.append(m.span())
        v = _value(m)
        thing, per = m.group("thing").lower(), (m.group("per") or "").lower()
        if v is None:
            continue
        if thing in ("qps", "rps", "tps"):
            per = "second"
        if not per:
            continue  # "10k predictions" with no time unit is a volume, not a rate
        out.append(Quantity(kind="traffic_rps", value=v / _PER_SECOND[per], text=m.group(0)))
    for m in _BARE_RATE.finditer(text):
        v = _value(m)
        per = (m.group("per") or m.group("short")).lower()
        if v is not None and not any(m.start() < end and start < m.end() for start, end in rates):
            rates.append(m.span())
            out.append(Quantity(kind="traffic_rps", value=v / _PER_SECOND[per], text=m.group(0)))
    for m in _UNIT_FIX.finditer(text):
        v = _value(m)
        if v is not None and not any(m.start() < end and start < m.end() for start, end in rates):
            rates.append(m.span())
            out.append(Quantity(kind="traffic_rps", value=v / _PER_SECOND[m.group("per").lower()], text=m.group(0)))
    for m in _TIMES.finditer(text):
        v = float(_OFTEN[m.group("often").lower()]) if m.group("often") else _value(m)
        if _NOT_CALLS.search(text[max(0, m.start() - 60):m.start()].split(".")[-1]):
            continue  # "we ship prompt changes 3-4 times a week" counts releases, not requests to serve
        if v is not None:
            out.append(Quantity(kind="traffic_rps", value=v / _PER_SECOND[m.group("per").lower()], text=m.group(0)))
    for m in _MODELS.finditer(text):
        v = _value(m)
        # "a 70B model", "7b models", "a 13 billion parameter model" give a model's size, not how many models.
        size = (m.group("mult") or m.group("wmult") or "").lower() in ("b", "bn", "billion", "m", "mm", "million",
                                                                      "mil") \
            or re.search(r"\bparam(?:eter)?s?\b", m.group(0), re.IGNORECASE)
        # "maybe 2 more models next year": models still to come are no count of what they run.
        more = re.search(r"\b(?:more|additional|extra|further)\b", m.group(0), re.IGNORECASE)
        if v is not None and not size and not more:
            out.append(Quantity(kind="models", value=v, text=m.group(0)))
    if _ONLY_MODEL.search(text) and not any(q.kind == "models" for q in out):
        out.append(Quantity(kind="models", value=1, text=_ONLY_MODEL.search(text).group(0)))
    for m in _PROVIDERS.finditer(text):
        v = _value(m)
        if v is not None:
            # "one model vendor for practice, grammar feedback on a second, a third being trialled": the count
            # goes on in ordinals after it.
            later = [_ORDINALS[o.group(1).lower()] for o in _ORDINAL_MORE.finditer(text, m.end())]
            if later and max(later) > v:
                noun = re.sub(r"^\S+\s+", "", m.group(0)).rstrip("s")
                out.append(Quantity(kind="providers", value=float(max(later)),
                                    text=f"{_COUNT_NAMES[max(later)]} {noun}s"))
                continue
            out.append(Quantity(kind="providers", value=v, text=m.group(0)))
    for m in _GPUS.finditer(text):
        v = _value(m)
        if v is not None:
            # "a single 8-GPU box" is echoed as "8 GPUs"
            said = m.group(0) if "-" not in m.group(0) else f"{v:g} GPUs"
            out.append(Quantity(kind="gpus", value=v, text=said))
    teams = list(_TEAM_SIZE.finditer(text))
    heads = [m for rx in _HEADCOUNT for m in rx.finditer(text)
             if not any(t.start() <= m.start() < t.end() or m.start() <= t.start() < m.end() for t in teams)]
    for m in heads:
        v = _value(m)
        if _EFFORT_BEFORE.search(text[max(0, m.start() - 40):m.start()]):
            continue  # "keeping the glue alive costs us roughly 4 FTE": upkeep, not the size of the company
        if v is not None and v >= 1:  # "0.3 FTE of an SRE" is part of someone's time, not a headcount
            out.append(Quantity(kind="headcount", value=v, text=m.group(0).lstrip(":;,.!? ")))
    if age := company_age(text):
        out.append(age)
    # "before rolling it out to 1,500 engineers", "used by 40 data scientists": the people it serves, not the team.
    found = [m for rx in _ENGINEERS for m in rx.finditer(text)
             if not _AUDIENCE_BEFORE.search(text[max(0, m.start() - 40):m.start()])]
    for m in (*teams, *(m for m in found if not any(t.start() <= m.start() < t.end() for t in teams))):
        if any(h.start() <= m.start() < h.end() or m.start() <= h.start() < m.end() for h in heads):
            continue
        v = _value(m)
        if v is not None:
            # "our team is 5" is echoed as "a team of 5", which reads in "With a team of 5, ...".
            said = f"team of {m.group('num')}" if m in teams else m.group(0)
            role = re.search(r"(\w+)\s+$", text[max(0, m.start() - 20):m.start()])
            if said.startswith("team of") and role and _OPERATORS.fullmatch(role.group(1)):
                said = f"{role.group(1)} {said}"  # "platform team of 3": who runs things, not the team asking
            effort = m not in teams and (_EFFORT_BEFORE.search(text[max(0, m.start() - 40):m.start()])
                                         or _EFFORT_AFTER.match(text[m.end():m.end() + 40]))
            # Part of a person ("0.5 engineers to run it") is an effort, never a team's size; so are people added
            # for it ("3 additional platform engineers", "two extra SREs").
            effort = effort or v < 1 or bool(re.search(r"\b(?:additional|extra)\b", m.group(0), re.IGNORECASE))
            out.append(Quantity(kind="build_engineers" if effort else "engineers", value=v, text=said))
    for m in _VOLUME.finditer(text):
        v = _value(m)
        per = (m.group("per") or m.group("per_slash") or _ADVERB_PER.get((m.group("adverb") or "").lower(), "")).lower()
        kind = next(k for k in _VOLUME_KINDS if m.group(k))
        if per and _GRAIN.search(m.group(0)[m.end("thing") - m.start():]):
            continue  # "one row per lot per day": how fine the data is cut, not how much of it comes
        if v is not None and per:
            # The words between the thing and its period ("images need tags every quarter") are left out of
            # the text a lead echoes: "8 million product images a quarter".
            said = m.group(0)[:m.end("thing") - m.start()]
            said += f" {m.group('adverb')}" if m.group("adverb") else f" a {_PER_WORD.get(per, per)}"
            # "2.1B input tokens plus 180M output tokens per month": the first count shares the second's period.
            if (first := _SHARED_PERIOD.search(text[max(0, m.start() - 60):m.start()])) and first.group(kind) and \
                    (w := _value(first)) is not None:
                out.append(Quantity(kind=f"{kind}_per_day", value=w * 86400 / _PER_SECOND[per],
                                    text=_big(f"{first.group(0).split(' plus')[0].split(' and')[0].strip()} a {_PER_WORD.get(per, per)}")))
            if kind == "jobs" and _SCHEDULED.search(text[max(0, m.start() - 12):m.end()]):
                # "our 25 dbt and python jobs every hour": one set of jobs on a schedule is 25 jobs to run in order,
                # however often the set reruns, not 600 launches a day.
                out.append(Quantity(kind="jobs_per_day", value=v, text=_big(m.group(0))))
                continue
            out.append(Quantity(kind=f"{kind}_per_day", value=v * 86400 / _PER_SECOND[per], text=_big(said)))
    for m in _DATA_RATE.finditer(text):
        # "about 3 TB a day of till receipts", "we ingest 400 GB per hour": data processed, in gigabytes a day.
        v = _value(m)
        per = m.group("per").lower()
        if v is not None:
            gb = v * {"g": 1, "t": 1000, "p": 1_000_000}[m.group("unit")[0].lower()]
            out.append(Quantity(kind="data_per_day", value=gb * 86400 / _PER_SECOND[per], text=_big(m.group(0))))
    flows = [q.text for q in out if q.kind.endswith("_per_day")]
    for m in _STORED.finditer(text):
        v = _value(m)
        if v is not None and v >= 1000 and not any(m.group(0) in f or f in m.group(0) for f in flows):
            out.append(Quantity(kind="stored_vectors", value=v, text=_big(m.group(0))))
    rates = [r.span() for r in _VOLUME.finditer(text)]
    for m in _BACKLOG.finditer(text):
        # Only a count the sentence says is to be labelled, and no rate already read from the same words.
        if not (m.group("after") or re.match(_LABEL_VERB, m.group(0), re.IGNORECASE)) or \
                any(b < m.end() and m.start() < e for b, e in rates):
            continue
        v = _VAGUE[m.group("vague").lower()] if m.group("vague") else _value(m)
        if v is not None and v >= 1000:
            said = re.sub(rf"\s*(?:(?:to|that need|needing|waiting|to be|be)\s+)*{_LABEL_VERB}$", "", m.group(0),
                          flags=re.IGNORECASE)
            said = re.sub(rf"^{_LABEL_VERB}\s+(?:(?:about|around|roughly|some|over)\s+|~\s*)?", "", said.strip(),
                          flags=re.IGNORECASE)
            out.append(Quantity(kind="items_backlog", value=v, text=_big(said)))
    counted = [r.span() for r in _VOLUME.finditer(text)] + [q.span() for q in _BACKLOG.finditer(text)
                                                           if q.group("after") or re.match(_LABEL_VERB, q.group(0), re.IGNORECASE)] + \
        [v.span() for v in _STORED.finditer(text)]
    for m in _CORPUS.finditer(text):
        v = _value(m)
        if v is not None and v >= 1000 and not any(b < m.end() and m.start() < e for b, e in counted):
            out.append(Quantity(kind="corpus_docs", value=v, text=_big(m.group(0))))
    for m in _DEPARTED.finditer(text):
        gone, total = _count(m.group("gone")), _count(m.group("all"))
        if 0 < gone < total:
            left = int(total - gone)
            noun = m.group("noun").strip()
            noun = re.sub(r"s$", "", noun) if left == 1 else noun
            out = [q for q in out if q.kind != "engineers"]  # the departure, not the count before it
            out.append(Quantity(kind="engineers", value=float(left), text=f"{left} {noun} left"))
    for m in _TEAMS.finditer(text):
        v = _value(m)
        if v is not None:
            out.append(Quantity(kind="teams", value=v, text=m.group(0)))
    if _SOLO.search(text) and not any(q.kind == "engineers" for q in out):
        out.append(Quantity(kind="engineers", value=1, text=_SOLO.search(text).group(0)))
    targets = {m.span("num"): (_value(m), m.group(0)) for m in (*_LATENCY.finditer(text), *_TARGET_AFTER.finditer(text))}
    measured = {m.span("num"): (_value(m), m.group(0)) for m in _MEASURED.finditer(text)}
    for span, (v, said) in sorted(targets.items()):
        # "p99 at 140 ms against a 60 ms target": beside another target, a number told as measured is the measure.
        if v is not None and not (span in measured and len(targets) > 1):
            out.append(Quantity(kind="latency_ms", value=v, text=said))
    for span, (v, said) in sorted(measured.items()):
        if v is not None and (span not in targets or len(targets) > 1):
            out.append(Quantity(kind="latency_measured_ms", value=v, text=said))
    ranges = [m for m in _MONEY_RANGE.finditer(text) if _value(m) is not None]
    before = [m for m in _MONEY.finditer(text) if not any(r.start() <= m.start() < r.end() for r in ranges)]
    taken = [*ranges, *before]
    after = [m for m in _MONEY_AFTER.finditer(text) if not any(t.start() <= m.start() < t.end() or
                                                                 m.start() <= t.start() < m.end() for t in taken)]
    for m in [*taken, *after]:
        v = _value(m)
        if v is None:
            continue
        per = (m.group("per") or "").lower() or _period_before(text, m.start())
        values = [v]
        if "lo" in m.re.groupindex:
            mult = (m.group("lomult") or m.group("mult") or "").lower()
            values.insert(0, float(m.group("lo").replace(",", "")) * _MULT.get(mult, 1.0))
        for value in values:
            if per in ("year", "yr", "annum"):
                out.append(Quantity(kind="money_per_month", value=value / 12, text=m.group(0)))
            elif per:
                out.append(Quantity(kind="money_per_month", value=value, text=m.group(0)))
            else:
                out.append(Quantity(kind="money", value=value, text=m.group(0)))
    return out


def busy(quantities: list[Quantity], t: Thresholds) -> bool:
    """Whether any rate is steady production traffic (at or past traffic_rps.not_simple_at_least)."""
    return any(q.kind == "traffic_rps" and t.traffic_rps.not_simple_at_least is not None
               and q.value >= t.traffic_rps.not_simple_at_least for q in quantities)


# "We have 1 infra engineer", "2 platform engineers who know Kubernetes": who can run things, not how small the
# team or company asking is (an insurer with 14 models has platform engineers too).
_OPERATORS = re.compile(r"\b(?:infra|infrastructure|platform|ops|devops|mlops|sre|sres|(?:sys)?admins?|administrators?)\b",
                        re.IGNORECASE)


def small_team(quantities: list[Quantity], t: Thresholds) -> bool:
    """Whether the asker counts a small team of their own ("we're 3 data scientists", "a 4-person ML team")."""
    return any(q.kind == "engineers" and t.engineers.early_stage_at_most is not None
               and q.value <= t.engineers.early_stage_at_most and not _OPERATORS.search(q.text) for q in quantities)


def company_only(quantities: list[Quantity], t: Thresholds) -> bool:
    """Whether a company headcount past the early stage is stated ("a 600-employee insurer")."""
    return any(q.kind == "headcount" and t.headcount.not_early_stage_at_least is not None
               and q.value >= t.headcount.not_early_stage_at_least for q in quantities)


def implications(quantities: list[Quantity], t: Thresholds) -> dict[str, str]:
    """Conditions the magnitudes decide: condition id -> 'stated' or 'negated'.

    Only what the numbers settle is returned; a number between thresholds settles nothing except
    that a measured rate or model count is never, by itself, a scale problem.
    """
    out: dict[str, str] = {}

    def put(cond: str, polarity: str) -> None:
        # 'stated' wins over 'negated' (one high number outweighs a small one elsewhere in the turn).
        if out.get(cond) != "stated":
            out[cond] = polarity

    # One model is a small need only while its traffic is small too: a single 70B model at 2 million requests a day
    # is not "simple", whatever the model count or the words say.
    steady = busy(quantities, t)
    # "We serve 14 models: rankers, two audio-embedding models on GPU, ...": a count inside the list of a larger one is
    # part of it, so only the largest model count says how many models there are.
    most = max((q.value for q in quantities if q.kind == "models"), default=0)
    light = any(q.kind == "traffic_rps" and t.traffic_rps.simple_at_most is not None and
                q.value <= t.traffic_rps.simple_at_most for q in quantities)
    for q in quantities:
        if q.kind == "models" and q.value < most:
            continue
        if q.kind == "traffic_rps":
            if t.traffic_rps.scale_at_least is not None and q.value >= t.traffic_rps.scale_at_least:
                put("scale", "stated")
            else:
                put("scale", "negated")
                if t.traffic_rps.simple_at_most is not None and q.value <= t.traffic_rps.simple_at_most:
                    put("simple", "stated")
            if steady:
                put("simple", "negated")
        elif q.kind.endswith("_per_day"):
            r = getattr(t.volume_per_day, q.kind.removesuffix("_per_day"))
            if r.scale_at_least is not None and q.value >= r.scale_at_least:
                put("scale", "stated")
            elif r.simple_at_most is not None and q.value <= r.simple_at_most:
                put("simple", "stated")
        elif q.kind == "models":
            if t.models.scale_at_least is not None and q.value >= t.models.scale_at_least:
                put("scale", "stated")
            elif t.models.simple_at_most is not None and q.value <= t.models.simple_at_most and not steady and (
                    t.models.simple_alone_at_most is None or q.value <= t.models.simple_alone_at_most or light):
                # "our only model" is a small need; "three models" is one only with the light load told beside it.
                put("simple", "stated")
            elif t.models.simple_at_most is not None and q.value > t.models.simple_at_most:
                put("simple", "negated")  # more than a few models is past the small case, short of many
        elif q.kind == "providers":
            if t.providers.not_simple_at_least is not None and q.value >= t.providers.not_simple_at_least:
                put("simple", "negated")
        elif q.kind == "gpus":
            if t.gpus.scale_at_least is not None and q.value >= t.gpus.scale_at_least:
                put("scale", "stated")
            elif t.gpus.simple_at_most is not None and q.value <= t.gpus.simple_at_most:
                put("scale", "negated")  # one box's worth of GPUs is no scale problem for anything that shares them
        elif q.kind == "items_backlog":
            r = t.items_backlog
            if r.scale_at_least is not None and q.value >= r.scale_at_least:
                put("scale", "stated")
        elif q.kind == "corpus_docs":
            r = t.corpus_docs
            if r.scale_at_least is not None and q.value >= r.scale_at_least:
                put("scale", "stated")
            elif r.simple_at_most is not None and q.value <= r.simple_at_most:
                put("scale", "negated")  # a collection this size is a weekend's indexing, not a load to engineer for
        elif q.kind == "stored_vectors":
            r = t.stored_vectors
            if r.scale_at_least is not None and q.value >= r.scale_at_least:
                put("scale", "stated")
            elif r.simple_at_most is not None and q.value <= r.simple_at_most:
                put("scale", "negated")  # millions of vectors are everyday work for any engine, pgvector included
        elif q.kind == "latency_ms" and q.value <= t.latency_ms.scale_at_most or q.kind == "latency_missed_ms":
            put("scale", "stated")  # a tight target, or a measured latency that misses the target set for it
        elif q.kind == "company_age_months":
            age = t.company_age_months
            if age.early_stage_at_most is not None and q.value <= age.early_stage_at_most:
                put("early-stage", "stated")
            elif age.not_early_stage_at_least is not None and q.value >= age.not_early_stage_at_least and \
                    not small_team(quantities, t):
                put("early-stage", "negated")  # a company of many years, unless the team asking is small
        elif q.kind in ("engineers", "headcount", "teams"):
            team = getattr(t, q.kind)
            if team.early_stage_at_most is not None and q.value <= team.early_stage_at_most and not (
                    q.kind == "engineers" and _OPERATORS.search(q.text)):
                put("early-stage", "stated")
            elif team.not_early_stage_at_least is not None and q.value >= team.not_early_stage_at_least:
                put("early-stage", "negated")
    if any(q.kind in ("engineers", "teams") and (team := getattr(t, q.kind)).not_early_stage_at_least
           is not None and q.value >= team.not_early_stage_at_least for q in quantities):
        out["early-stage"] = "negated"  # 40 ML engineers or five teams using it are past the early stage
    elif company_only(quantities, t) and not small_team(quantities, t):
        out["early-stage"] = "negated"  # a 300-person company is not early stage ...
    # ... but the team that would build and run it is what the condition is about: "3 data scientists inside a
    # 4,000-person retailer" have a small team's capacity, whatever the company's size.
    if out.get("scale") == "stated":
        out.pop("simple", None)
    if out.get("simple") == "stated" and out.get("scale") != "stated":
        out["scale"] = "negated"
    return out


# A quality measure and the figure it reached ("neither gets recall@10 above 0.6", "accuracy stuck at 71%"), then the
# figure they need ("we need 0.9", "target of 90%"): a measured shortfall, told in numbers.
_QUALITY = (r"\b(?:recall|precision|accuracy|hit rate|f1|ndcg|mrr|map|top-?\d+ accuracy|exact match|pass rate)"
            r"(?:\s*@\s*\d+|\s+at\s+\d+)?")
_QUALITY_GOT = re.compile(_QUALITY + r"[^.;?!]{0,40}?\b(?:above|over|past|beyond|more than|higher than|better than|"
                          r"reach(?:es|ed)?|tops? out at|topped out at|stuck at|stays? at|stayed at|is|was|of|at|around|"
                          r"about|only|under|below)\s*~?\s*(?P<got>\d+(?:\.\d+)?)\s*(?P<gpct>%)?", re.IGNORECASE)
_QUALITY_NEED = re.compile(r"\b(?:we need|needs? to be|need|require[sd]?|requirement is|target(?: is| of)?|must (?:hit|reach|be)|"
                           r"goal(?: is| of)?|promised|committed to)\s*(?:at least\s*|of\s*|is\s*|:\s*|~\s*)?"
                           r"(?P<need>\d+(?:\.\d+)?)\s*(?P<npct>%)?|\b(?:against|versus|vs\.?) (?:the |a |our )?"
                           r"(?P<need2>\d+(?:\.\d+)?)\s*%?\s*(?:we|they|target|goal|required|needed|promised)", re.IGNORECASE)


def quality_shortfall(text: str) -> bool:
    """Whether a quality measure they report falls short of the figure they say they need."""
    got, need = _QUALITY_GOT.search(text), None
    if got:
        need = _QUALITY_NEED.search(text, got.end())
    if not (got and need):
        return False
    a, b = float(got["got"]), float(need["need"] or need["need2"])
    # "0.6" against "90%": compare on one scale.
    if (a <= 1) != (b <= 1):
        a, b = (a * 100, b) if a <= 1 else (a, b * 100)
    return a < b
