"""What engineers take back to their team: a stack review, a cost break-even and a decision record, for every door."""

from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path

from .adr import decision_record
from .errors import InputError
from .matrix import Matrix, Taxonomy, load_matrix, load_taxonomy
from .quantities import Thresholds, load_thresholds
from .review import StackReview, parse_stack, parse_text, review
from .settings import Settings
from .store import Store
from .tco import TcoInputs, TcoResult, compute, inputs_from_text, parse_inputs
from .train import corpus_dir


class Takeaways:
    """The three takeaways over the matrix, the conversation store and (for free text only) the reader.

    A running door passes its Advisor; the CLI passes only settings, so a stack file, a cost comparison
    or a decision record never waits for the embedding model to load.
    """

    def __init__(self, settings: Settings, advisor=None):
        self.settings = settings
        self._advisor = advisor

    @cached_property
    def advisor(self):
        if self._advisor is None:
            from .chain import Advisor

            self._advisor = Advisor(self.settings)
        return self._advisor

    @cached_property
    def matrix(self) -> Matrix:
        return self._advisor.parts.matrix if self._advisor else load_matrix(self.settings.matrix_path)

    @cached_property
    def taxonomy(self) -> Taxonomy:
        return self._advisor.parts.taxonomy if self._advisor else load_taxonomy(self.settings.taxonomy_path)

    @cached_property
    def store(self) -> Store:
        return self._advisor.store if self._advisor else Store(self.settings.store_db)

    @cached_property
    def thresholds(self) -> Thresholds:
        return load_thresholds(corpus_dir(self.settings.knowledge_dir) / "quantities.yaml")

    @property
    def _knowledge(self) -> Path:
        return Path(self.settings.knowledge_dir)

    def review(self, stack: object = None, *, text: str | None = None, source: str = "stack") -> StackReview:
        """Review a stack given as a dict / YAML / JSON string, or described in free text."""
        if text is not None:
            if not text.strip():
                raise InputError("the stack description is empty", "name what you run, e.g. 'Airflow, W&B, no monitoring'")
            parsed = parse_text(text, self.advisor.parts.reader, self.matrix)
        else:
            parsed = parse_stack(stack, self.matrix, self.taxonomy, source)
        return review(parsed, self.matrix, self.taxonomy, self._knowledge, self.thresholds)

    def tco(self, inputs: object = None, conversation_id: str | None = None) -> TcoResult:
        """The cost comparison; numbers the conversation already gave fill what `inputs` leaves out."""
        given = inputs if isinstance(inputs, TcoInputs) else parse_inputs(inputs)
        if conversation_id:
            said = inputs_from_text([t["question"] for t in self.store.turns(conversation_id)])
            given = TcoInputs(**{**said.model_dump(exclude_none=True), **given.model_dump(exclude_none=True)})
        return compute(given, self._knowledge)

    def adr(self, conversation_id: str) -> str:
        """The conversation as a MADR decision record (Markdown)."""
        return decision_record(conversation_id, self.store.turns(conversation_id), self.store.state(conversation_id),
                               self.matrix, self.taxonomy)


def load_stack_file(path: Path) -> object:
    """A stack file's parsed content (YAML or JSON); InputError naming the file when unreadable."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read the stack file: {exc.strerror or exc}", "check the path") from exc
    if str(path).endswith(".json"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: not valid JSON: {exc}", "fix the syntax") from exc
    return text
