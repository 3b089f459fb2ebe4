"""Block Kit for the Slack door: the verdict as a header, the lead, compact sections, sources, buttons.

Every text the advisor posts is escaped first (&, < and > are Slack's control characters), so nothing from a
question or a document can become a mention, a link or markup. Slack's limits are kept here, not hoped for.
"""

from __future__ import annotations

import json
import re

from .models import Answer, Section
from .render import basis_shown, slack_sources, verdict_label

HEADER_MAX = 150  # a header block's plain_text
TEXT_MAX = 3000  # a section's text, and any text object
FIELD_MAX = 2000  # one of a section's fields
FIELDS_MAX = 10  # fields in one section
BLOCKS_MAX = 50  # blocks in one message
# Slack answers msg_blocks_too_long when all the blocks' text passes about 13,000 characters, a limit it does
# not document (slackapi/bolt-js#2509); a message stops well before it.
BLOCKS_TEXT_MAX = 10_000
FALLBACK_MAX = 3000  # the message's `text`: what notifications, and clients without blocks, show
QUESTION_MAX = 1000  # the question as shown over the answer (questions may be up to 4,000 characters)
REFUSED = "Outside what I can advise on"
SHARE, FEEDBACK_UP, FEEDBACK_DOWN = "advisor_share", "advisor_feedback_up", "advisor_feedback_down"
RECORD = "advisor_adr"  # export the conversation as a decision record

_MENTION = re.compile(r"<[@#!][^>]*>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]+))?>")
_MD_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s)|]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\*)([^*\n]+?)\*(?![*\w])")
_HEADING = re.compile(r"^#+\s*(.+)$", re.MULTILINE)
_BULLET = re.compile(r"^[-*]\s+", re.MULTILINE)
# The verdict line (and the basis line under it) that opens an answer's Markdown: the header already says it.
_HEAD_LINES = re.compile(r"\A\s*\*\*Recommendation:[^\n]*(?:\n_Basis:[^\n]*_)?\s*")
_SOURCES = re.compile(r"\n+\*\*Sources\*\*\n.*\Z", re.DOTALL)
_USER_ID = re.compile(r"^[UW][A-Z0-9]{1,20}$")


def escape(text: str) -> str:
    """Escape text for Slack: only &, < and > are control characters (Slack's own rule)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def question_text(raw: str) -> str:
    """Slack's message text as the user typed it: mentions dropped, links unwrapped, entities decoded."""
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), raw or "")
    text = re.sub(r"[ \t]+", " ", _MENTION.sub(" ", text))
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()


def to_mrkdwn(markdown_text: str) -> str:
    """Markdown as Slack mrkdwn, escaped first so no text can become markup or a mention."""
    text = escape(markdown_text)
    text = _ITALIC.sub(r"_\1_", text)
    text = _BOLD.sub(r"*\1*", text)
    text = _HEADING.sub(r"*\1*", text)
    text = _MD_LINK.sub(r"<\2|\1>", text)
    return _BULLET.sub("• ", text)


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, ending in '…' when cut, never inside an &entity;."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    amp = cut.rfind("&")
    if amp >= 0 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut.rstrip() + "…"


def _balanced(text: str) -> bool:
    return text.count("*") % 2 == 0


def split_text(text: str, size: int = TEXT_MAX) -> list[str]:
    """Pieces of at most `size` characters: cut between paragraphs, else lines, else words, keeping *bold* whole."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > size:
        window = rest[: size + 1]
        cut = -1
        for sep in ("\n\n", "\n", " "):
            spots = [m.start() for m in re.finditer(re.escape(sep), window) if m.start() > 0]
            good = [i for i in spots if _balanced(rest[:i])] or spots
            if good:
                cut = good[-1]
                break
        if cut <= 0:  # one unbroken run of characters: cut it, but not inside an &entity;
            cut = len(clip(rest, size + 1)) - 1 or size
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].strip()
    return pieces + ([rest] if rest else [])


def headline(answer: Answer) -> str:
    """The header's words: the verdict and what it is for, as every door says it, or what kind of answer it is."""
    if answer.refused:
        return REFUSED
    if len(answer.rows) >= 2:
        return "Side by side: " + ", ".join(r.replace("-", " ") for r in answer.rows)
    if answer.verdict:
        return verdict_label(answer).split("\n", 1)[0].replace("**", "")
    return f"Guidance: {answer.subject}" if answer.subject else "Guidance"


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(text, TEXT_MAX)}]}


def section_blocks(section: Section) -> list[dict]:
    """One part of the answer: its bold title, paragraph and bullets; a table as side-by-side fields."""
    lines = [f"**{section.title}**", section.text, *(f"- {item}" for item in section.items)]
    body = to_mrkdwn("\n".join(line for line in lines if line))
    blocks = [_section(piece) for piece in split_text(body)]
    table = section.table
    fields = [{"type": "mrkdwn", "text": clip(to_mrkdwn("\n".join(
        [row[0], *(f"{col}: {cell}" for col, cell in zip(table.columns[1:], row[1:]))])), FIELD_MAX)}
        for row in (table.rows if table else []) if any(c.strip() for c in row)]
    if fields:  # one option per field, shown two side by side; at most FIELDS_MAX to a section
        blocks[-1]["fields"] = fields[:FIELDS_MAX]
        blocks += [{"type": "section", "fields": fields[i:i + FIELDS_MAX]}
                   for i in range(FIELDS_MAX, len(fields), FIELDS_MAX)]
    return blocks


def body_blocks(answer: Answer) -> list[dict]:
    """The lead, then the sections; an answer stored before it had a lead: its text without the header line."""
    if answer.lead:
        blocks = [_section(piece) for piece in split_text(to_mrkdwn(answer.lead))]
        for section in answer.sections:
            blocks += section_blocks(section)
        return blocks
    body = _SOURCES.sub("", _HEAD_LINES.sub("", answer.text))
    return [_section(piece) for piece in split_text(to_mrkdwn(body))]


def asked_line(question: str, asker: str | None = None) -> str:
    """'You asked: …', or '<@U1> asked: …' once shared (a user id Slack sent, checked before it is a mention)."""
    who = f"<@{asker}>" if asker and _USER_ID.match(asker) else "You"
    return f"*{who} asked:* {escape(question)}"


def _button(action_id: str, label: str, value: str, style: str | None = None) -> dict:
    button = {"type": "button", "action_id": action_id, "value": value,
              "text": {"type": "plain_text", "text": label, "emoji": True}}
    return {**button, "style": style} if style else button


def actions_block(answer: Answer, share: bool = False) -> dict | None:
    """Share (a private answer only) and thumbs; a refusal gets neither: there is nothing to rate or share."""
    if answer.refused:
        return None
    value = json.dumps({"c": answer.conversation_id, "t": answer.turn})
    elements = [_button(SHARE, "Share to channel", value, "primary")] if share else []
    elements += [_button(FEEDBACK_UP, ":+1: Helpful", value), _button(FEEDBACK_DOWN, ":-1: Not helpful", value),
                 _button(RECORD, "Decision record", value)]
    return {"type": "actions", "block_id": "advisor_actions", "elements": elements}


def record_message(markdown_text: str) -> dict:
    """A decision record (MADR Markdown) as one message: a header, then its sections within Slack's limits."""
    title, _, body = markdown_text.partition("\n")
    head = [{"type": "header", "text": {"type": "plain_text", "text": clip(title.lstrip("# ").strip(), HEADER_MAX)}}]
    blocks, budget = [], BLOCKS_TEXT_MAX
    for piece in split_text(to_mrkdwn(body)):
        if len(blocks) == BLOCKS_MAX - 2 or len(piece) > budget:
            blocks.append(_context("_The record is longer than one Slack message; download it from the web UI or "
                                   "GET /api/v1/conversations/ID/adr._"))
            break
        blocks.append(_section(piece))
        budget -= len(piece)
    return {"text": clip(markdown_text, FALLBACK_MAX), "blocks": head + blocks}


def answer_blocks(answer: Answer, question: str | None = None, asker: str | None = None,
                  share: bool = False) -> list[dict]:
    """Header (the verdict), basis, the question when given, the lead and sections, sources, then buttons."""
    head = [{"type": "header", "text": {"type": "plain_text", "text": clip(escape(headline(answer)), HEADER_MAX)}}]
    if basis_shown(answer):  # next to the verdict: this verdict is our framework, not the articles' word
        head.append(_context(f"_{escape(answer.provenance.line)}_"))
    if question:
        head.append(_context(asked_line(clip(question, QUESTION_MAX), asker)))
    tail = [slack_sources(answer.citations)] if answer.citations else []
    actions = actions_block(answer, share)
    tail += [actions] if actions else []
    room, body = BLOCKS_MAX - len(head) - len(tail) - 1, []
    budget = BLOCKS_TEXT_MAX - sum(len(block_text(b)) for b in head + tail)
    blocks = body_blocks(answer)
    for block in blocks:
        if body and (len(body) == room or len(block_text(block)) > budget):  # the lead always goes in
            break
        body.append(block)
        budget -= len(block_text(block))
    if len(body) < len(blocks):  # said, not silently dropped
        body.append(_context("_The rest of this answer is too long for one Slack message; ask a narrower "
                             "question, or ask it in the web UI._"))
    return head + body + tail


def block_text(block: dict) -> str:
    """A block's words as mrkdwn lines (a section's text then its fields; a context's elements)."""
    def words(items: list) -> list[str]:
        return [t["text"] for t in items if isinstance(t, dict) and isinstance(t.get("text"), str)]

    return "\n\n".join(words([block.get("text"), *block.get("fields", [])])) + "\n".join(
        words(block.get("elements", [])))


def fallback_text(answer: Answer, question: str | None = None, asker: str | None = None) -> str:
    """The message's `text`, for notifications and clients without blocks: the same words as the blocks
    (header line first, a table as one option per paragraph), cut at FALLBACK_MAX."""
    blocks = [b for b in answer_blocks(answer, question, asker) if b["type"] != "actions"]
    return clip("\n\n".join(filter(None, map(block_text, blocks))), FALLBACK_MAX)


def answer_message(answer: Answer, question: str | None = None, asker: str | None = None,
                   share: bool = False) -> dict:
    """`text` and `blocks` for chat.postMessage or a response_url."""
    return {"text": fallback_text(answer, question, asker),
            "blocks": answer_blocks(answer, question, asker, share)}
