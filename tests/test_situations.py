"""How askers say the notes' situations (knowledge/understanding/situations.yaml): validated, and it widens matching."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from advisor.errors import ConfigError
from advisor.situations import SituationPhrasings, note_heads

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
FILE = KNOWLEDGE / "understanding" / "situations.yaml"


def told(answer):
    return next((s for s in answer.sections if s.title == "What your situation changes"), None)


def _copy(tmp_path: Path) -> Path:
    dest = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, dest)
    return dest


def test_every_situation_of_every_note_has_phrasings():
    loaded = SituationPhrasings.load(KNOWLEDGE)
    data = yaml.safe_load(FILE.read_text())
    for note in sorted((KNOWLEDGE / "guidance").glob("*.md")):
        heads = note_heads(note)
        if heads:
            assert [e["when"] for e in data[note.stem]] == heads, note
            assert all(len(loaded.said[h]) >= 4 for h in heads), note


def test_a_situation_the_note_does_not_have_names_file_note_and_field(tmp_path):
    k = _copy(tmp_path)
    path = k / "understanding" / "situations.yaml"
    data = yaml.safe_load(path.read_text())
    data["feature-store"][1]["when"] = "models are trained on a laptop"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ConfigError) as err:
        SituationPhrasings.load(k)
    assert "situations.yaml" in err.value.message and "'feature-store'[1]" in err.value.message
    assert "'when'" in err.value.message
    assert "first comma" in err.value.hint


def test_a_note_that_does_not_exist_or_an_empty_phrasing_is_rejected(tmp_path):
    k = _copy(tmp_path)
    path = k / "understanding" / "situations.yaml"
    data = yaml.safe_load(path.read_text())
    path.write_text(yaml.safe_dump({"feature-stores": data["feature-store"]}))
    with pytest.raises(ConfigError) as err:
        SituationPhrasings.load(k)
    assert "'feature-stores'" in err.value.message and "guidance" in err.value.message
    data["feature-store"][0]["said"] = ["  "]
    path.write_text(yaml.safe_dump({"feature-store": data["feature-store"]}))
    with pytest.raises(ConfigError) as err:
        SituationPhrasings.load(k)
    assert "feature-store.0.said" in err.value.message and "empty" in err.value.message


def test_without_the_file_matching_uses_the_notes_words_alone(tmp_path):
    k = _copy(tmp_path)
    (k / "understanding" / "situations.yaml").unlink()
    assert SituationPhrasings.load(k).said == {}


# Said in words the note does not use ("precomputed once a day" against "only score in nightly batch jobs with no
# online inference"; "a medical degree" against "domain experts such as clinicians"; "a model for each of our 35
# countries" against "dozens of models each serve one region"): the phrasings carry them to the note's line; without
# them it is missed (or another line is taken). None of the questions is a phrasing of the file.
SAID_OTHERWISE = [
    ("Feature store: build or buy? All our predictions are precomputed once a day; nothing is served live.",
     "nightly batch"),
    ("Labelling: build or buy? You need a medical degree to label these scans properly.", "domain experts"),
    ("Model monitoring: which tool? We run a separate forecasting model for each of our 35 countries.",
     "dozens of models"),
]


@pytest.mark.parametrize("question, line", SAID_OTHERWISE)
def test_a_situation_said_in_other_words_brings_the_notes_line(advisor, question, line):
    a = advisor.ask(question)
    section = told(a)
    # A line that says the simpler setup does the job leads the answer (and is not repeated below it).
    assert line in a.lead or section is not None and any(line in item for item in section.items)


@pytest.mark.parametrize("question, line", SAID_OTHERWISE)
def test_the_same_words_without_the_phrasings_miss_it(advisor, question, line):
    advisor.parts.situations = SituationPhrasings()
    section = told(advisor.ask(question))
    assert section is None or not any(line in item for item in section.items)


def test_a_clause_only_loosely_like_a_phrasing_brings_no_line(advisor):
    # "Finance wants us to move to a hosted API" is no provider outage, and "2 million requests a day" no spiky
    # traffic, however close their words come to one phrasing among six.
    a = advisor.ask("We serve a fine-tuned Llama 3 70B with vLLM on 8 H100s, about 2 million requests a day. Finance "
                    "wants us to move to a hosted API instead. What are the risks either way?")
    assert told(a) is None


def test_a_model_meant_to_answer_from_their_documents_gets_the_retrieval_line(advisor):
    a = advisor.ask("Our legal team wants a tool that answers questions from 8,000 past contracts. Train our own LLM "
                    "on them or use Claude with search over the contracts?")
    assert a.component == "llm-inference"
    assert "give a hosted model the relevant passages at question time through retrieval" in a.text


def test_a_situation_that_needs_words_the_clause_lacks_brings_no_line(advisor):
    """"IT runs on Azure" is like "a migration to Azure is planned" by the cloud's name alone: no move is told."""
    a = advisor.ask("Procurement lead here, IT runs on Azure. Our 12 data scientists want an enterprise ML platform; "
                    "the shortlist is Dataiku, Databricks and Azure Machine Learning. How should we evaluate them?")
    assert told(a) is None or not any("another cloud" in x for x in told(a).items)
    b = advisor.ask("We're migrating from AWS to GCP in the next few months. Should we buy an ML platform?")
    assert told(b) is not None and any("another cloud" in x for x in told(b).items)


def test_a_needs_pattern_that_does_not_compile_names_file_and_field(tmp_path):
    k = _copy(tmp_path)
    path = k / "understanding" / "situations.yaml"
    data = yaml.safe_load(path.read_text())
    data["feature-store"][0]["needs"] = "(unclosed"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ConfigError) as err:
        SituationPhrasings.load(k)
    assert "feature-store.0.needs" in err.value.message and "regular expression" in err.value.message
