"""Build the advisor's parts once from settings: matrix, reader, planner, engine, generator, store."""

from __future__ import annotations

from dataclasses import dataclass, field

from threadpoolctl import threadpool_limits

from .compose import Composer, Generator
from .decision import DecisionEngine
from .embeddings import LocalEmbeddings, embeddings_for
from .errors import ConfigError
from .matrix import Matrix, Taxonomy, check_consistency, load_matrix, load_taxonomy
from .planning import Planner
from .quantities import load_thresholds
from .settings import Settings
from .situations import SituationPhrasings
from .store import Store
from .tco import TcoDefaults, load_defaults
from .train import corpus_dir, lexicon_for, load_heads
from .understanding import Reader
from .vendors import VendorFacts, load_vendor_facts


def make_generator(settings: Settings) -> Generator:
    """Pick the answer generator by name: 'composer' (default) or 'llm' (when ADVISOR_LLM is set)."""
    name = settings.generator
    if name == "auto":
        name = "llm" if settings.llm else "composer"
    if name == "composer":
        return Composer()
    if name == "llm":
        from .llm import LLMGenerator

        return LLMGenerator.from_settings(settings)
    raise ConfigError(f"unknown generator {name!r} in ADVISOR_GENERATOR", "use 'composer', 'llm' or 'auto'")


@dataclass
class Parts:
    """Everything a turn uses, built once per process."""

    matrix: Matrix
    taxonomy: Taxonomy
    embeddings: LocalEmbeddings
    reader: Reader
    planner: Planner
    engine: DecisionEngine
    generator: Generator
    store: Store
    vendor_facts: dict[str, VendorFacts]
    tco: TcoDefaults | None = None  # knowledge/tco.yaml's placeholders, for the asker's own numbers and quotes
    situations: SituationPhrasings = field(default_factory=SituationPhrasings)  # how askers say the notes' situations

    @property
    def labels(self) -> dict[str, str]:
        return {c.id: c.label for c in self.taxonomy.conditions}


def build_parts(settings: Settings, *, embeddings: LocalEmbeddings | None = None, store: Store | None = None,
                generator: Generator | None = None) -> Parts:
    """Load and cross-check the knowledge files, the trained heads and the generator."""
    if settings.blas_threads:
        # Process-wide on purpose: every matrix product on the answer path runs in this process.
        threadpool_limits(limits=settings.blas_threads, user_api="blas")
    matrix = load_matrix(settings.matrix_path)
    taxonomy = load_taxonomy(settings.taxonomy_path)
    check_consistency(matrix, taxonomy, settings.matrix_path)
    embeddings = embeddings or embeddings_for(settings)
    heads = load_heads(settings.knowledge_dir, settings.embedding_model)
    lex = lexicon_for(settings.knowledge_dir, matrix, taxonomy)
    thresholds = load_thresholds(corpus_dir(settings.knowledge_dir) / "quantities.yaml")

    facts = load_vendor_facts(settings.knowledge_dir)
    reader = Reader(lex, heads, thresholds, embeddings.embed_spans, settings.condition_threshold,
                    settings.scope_threshold, settings.refusal_threshold, settings.negation_without_cue,
                    words=embeddings.words, off_topic_veto=settings.off_topic_veto, part_row_min=settings.part_row_min,
                    asked_row_min=settings.asked_row_min,
                    asked_row_background_max=settings.asked_row_background_max,
                    asked_row_whole_min=settings.asked_row_whole_min,
                    asked_row_min_words=settings.asked_row_min_words, named_row_min=settings.named_row_min,
                    act_asking_min_words=settings.act_asking_min_words, second_ask_min=settings.second_ask_min,
                    listed_row_max=settings.listed_row_max, named_part_row_max=settings.named_part_row_max,
                    clause_support_min=settings.clause_support_min)
    return Parts(matrix=matrix, taxonomy=taxonomy, embeddings=embeddings, reader=reader,
                 planner=Planner(matrix, taxonomy, settings.part_threshold, settings.switch_threshold,
                                 settings.part_min_mass, settings.follow_up_general_confidence,
                                 settings.follow_up_refusal_confidence, settings.no_subject_refusal,
                                 settings.anaphoric_switch_threshold, settings.asked_part_min_mass,
                                 vendor_facts=facts, thresholds=thresholds,
                                 topic_confidence=settings.topic_confidence,
                                 asked_whole_at_least=settings.asked_whole_at_least,
                                 follow_up_off_topic_min=settings.follow_up_off_topic_min), engine=DecisionEngine(matrix, taxonomy),
                 generator=generator or make_generator(settings), store=store or Store(settings.store_db),
                 vendor_facts=facts,
                 tco=load_defaults(settings.knowledge_dir),
                 situations=SituationPhrasings.load(settings.knowledge_dir))
