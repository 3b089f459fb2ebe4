"""Loading and chunking knowledge files: formats, front matter, corrupt inputs, chunk metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor import knowledge
from advisor.errors import InputError

ROOT = Path(__file__).resolve().parent.parent


def pdf_bytes(*pages: str, title: str | None = None) -> bytes:
    """A minimal valid PDF with one text line per page (xref offsets computed, so readers accept it)."""
    n = len(pages)
    font = 3 + 2 * n
    objs = ["<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [" + " ".join(f"{3 + 2 * i} 0 R" for i in range(n)) + f"] /Count {n} >>"]
    for i, text in enumerate(pages):
        stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET"
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * i} 0 R "
                    f"/Resources << /Font << /F1 {font} 0 R >> >> >>")
        objs.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
    objs.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    info = None
    if title:
        objs.append(f"<< /Title ({title}) >>")
        info = len(objs)
    out = b"%PDF-1.4\n"
    offsets = []
    for num, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{num} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    trailer = f"<< /Size {len(objs) + 1} /Root 1 0 R" + (f" /Info {info} 0 R" if info else "") + " >>"
    out += f"trailer\n{trailer}\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


NOTE = """---
id: sample-note
title: "A sample note"
kind: guidance
components: [feature-store, model-serving]
source: "our own words"
updated: 2026-01-01
---
# A sample note

## First section
Feature stores keep offline and online features consistent.

## Second section
Model serving needs autoscaling and rollbacks.
"""


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_markdown_front_matter_and_sections(tmp_path):
    doc = knowledge.parse_file(write(tmp_path / "n.md", NOTE))
    assert doc.meta.id == "sample-note"
    assert doc.meta.title == "A sample note"
    assert doc.meta.kind == "guidance"
    assert doc.meta.components == ["feature-store", "model-serving"]
    assert [s for s, _ in doc.sections] == ["First section", "Second section"]
    assert "offline and online" in doc.sections[0][1]
    # The front matter itself never ends up in the text.
    assert all("components:" not in text for _, text in doc.sections)


def test_markdown_without_front_matter_uses_file_name_and_heading(tmp_path):
    doc = knowledge.parse_file(write(tmp_path / "My Notes.md", "# Serving notes\n\nTriton batches requests.\n"))
    assert doc.meta.id == "my-notes"
    assert doc.meta.title == "Serving notes"
    assert doc.meta.kind == "document"


def test_txt_html_and_pdf_are_loaded(tmp_path):
    txt = knowledge.parse_file(write(tmp_path / "plain_text.txt", "Airflow schedules batch pipelines.\n"))
    assert txt.meta.id == "plain-text" and "Airflow schedules" in txt.sections[0][1]

    html = knowledge.parse_file(write(tmp_path / "page.html", """<html><head><title>Vendor page</title>
        <script>var ignored = "script text";</script></head><body>
        <h1>Overview</h1><p>Tecton is a managed feature platform.</p>
        <h2>Pricing</h2><ul><li>Usage based pricing.</li></ul></body></html>"""))
    assert html.meta.title == "Vendor page"
    assert html.sections == [("Overview", "Tecton is a managed feature platform."),
                             ("Pricing", "Usage based pricing.")]
    assert "script text" not in str(html.sections)

    pdf = knowledge.parse_file(write(tmp_path / "report.pdf",
                                     pdf_bytes("Feast is an open source feature store.", "Second page text.",
                                               title="Feature store report")))
    assert pdf.meta.title == "Feature store report"
    assert pdf.meta.id == "report"
    assert [s for s, _ in pdf.sections] == ["page 1", "page 2"]
    assert "Feast is an open source feature store." in pdf.sections[0][1]
    assert "Second page text." in pdf.sections[1][1]


@pytest.mark.parametrize("name, content, reason", [
    ("broken.pdf", b"%PDF-1.4\nthis is not really a pdf\n", "PDF"),
    ("empty-text.pdf", pdf_bytes(""), "no extractable text"),
    ("latin1.md", "---\nid: x\ntitle: caf\xe9\n---\nbody\n".encode("latin-1"), "UTF-8"),
    ("bad-yaml.md", "---\nid: bad\ntitle: [unclosed\n---\nbody\n", "not valid YAML"),
    ("no-id.md", "---\ntitle: Has a title\n---\nbody\n", "'id'"),
    ("no-title.md", "---\nid: has-id\n---\nbody\n", "'title'"),
    ("bad-kind.md", "---\nid: k\ntitle: T\nkind: opinion\n---\nbody\n", "'kind'"),
    ("bad-id.md", "---\nid: Not An Id\ntitle: T\n---\nbody\n", "'id'"),
    ("list-front.md", "---\n- a\n- b\n---\nbody\n", "mapping"),
    ("blank.txt", "   \n\n", "no text"),
])
def test_corrupt_file_is_rejected_with_a_reason(tmp_path, name, content, reason):
    with pytest.raises(ValueError) as err:
        knowledge.parse_file(write(tmp_path / name, content))
    assert reason in str(err.value)


def test_load_reports_bad_files_by_name_and_keeps_the_rest(tmp_path):
    write(tmp_path / "good.md", NOTE)
    write(tmp_path / "also-good.txt", "Prefect runs Python workflows.")
    write(tmp_path / "sub" / "broken.pdf", b"%PDF-1.7 garbage")
    write(tmp_path / "bad.md", b"---\nid: bad\ntitle: x\n---\n\xff\xfe broken")
    write(tmp_path / "dupe.md", NOTE)  # same id as good.md
    write(tmp_path / "ignored.csv", "not,a,knowledge,file")
    report = knowledge.load([tmp_path])
    assert sorted(d.meta.id for d in report.docs) == ["also-good", "sample-note"]
    problems = {p.name: why for p, why in report.problems}
    # Files load in sorted order, so dupe.md claims the id first and good.md is the duplicate.
    assert set(problems) == {"broken.pdf", "bad.md", "good.md"}
    assert "UTF-8" in problems["bad.md"]
    assert "unreadable PDF" in problems["broken.pdf"]
    assert "duplicate id 'sample-note'" in problems["good.md"] and "dupe.md" in problems["good.md"]


def test_missing_path_empty_dir_and_unsupported_file_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="path not found"):
        knowledge.load([tmp_path / "nope"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no knowledge files found") as err:
        knowledge.load([tmp_path / "empty"])
    assert err.value.hint and ".md" in err.value.hint
    with pytest.raises(InputError, match="unsupported file type"):
        knowledge.load([write(tmp_path / "data.csv", "a,b")])


def test_chunks_carry_citation_metadata(tmp_path):
    long_section = "## Long\n" + " ".join(f"Sentence number {i} about model monitoring." for i in range(200))
    path = write(tmp_path / "n.md", NOTE + "\n" + long_section + "\n")
    doc = knowledge.load([path]).docs[0]
    chunks = knowledge.chunk(doc)
    assert len(chunks) > 3
    for c in chunks:
        m = c.metadata
        assert m["doc_id"] == "sample-note"
        assert m["title"] == "A sample note"
        assert m["kind"] == "guidance"
        assert m["components"] == "feature-store,model-serving"
        assert m["origin"] == "our own words"
        assert m["source"] == str(path.resolve())
        assert m["file"]
        assert len(c.page_content) <= knowledge.CHUNK_SIZE
    sections = [c.metadata["section"] for c in chunks]
    assert sections[:2] == ["First section", "Second section"]
    # The long section is split by size, and every piece keeps its heading.
    long_parts = [c for c in chunks if c.metadata["section"] == "Long"]
    assert len(long_parts) >= 2
    assert [c.metadata["part"] for c in long_parts] == list(range(len(long_parts)))


def test_every_shipped_note_loads_with_required_front_matter():
    report = knowledge.load([ROOT / "knowledge"])
    assert report.problems == []
    kinds = {d.meta.kind for d in report.docs}
    assert kinds == {"guidance", "vendor"}
    for d in report.docs:
        assert d.meta.source, d.path
        assert d.meta.updated, d.path
        assert d.sections, d.path


def test_a_section_that_fits_one_chunk_is_split_as_the_splitter_would():
    """The short-section shortcut (no per-character splitting) must give the splitter's own chunks, or a
    re-ingest would see new chunk ids and embed everything again."""
    import random

    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=knowledge.CHUNK_SIZE, chunk_overlap=knowledge.CHUNK_OVERLAP)
    rng = random.Random(16)
    pieces = ["a", "word ", "\n", "\n\n", " ", "\t", "x" * 60, "\n \n", "p99 < 50 ms. "]
    texts = [p for d in knowledge.load([ROOT / "knowledge"]).docs for _, p in d.sections]
    for length in (1, 40, 899, 900, 901, 1800):
        for _ in range(40):
            texts.append("".join(rng.choice(pieces) for _ in range(length))[:length].strip() or "z")
    texts += ["y" * 900, "y" * 901, " padded ", "\nleading newline"]
    for text in texts:
        assert knowledge._split(splitter, text) == splitter.split_text(text), repr(text[:60])


def test_every_situation_line_opens_with_the_situation_then_a_comma():
    """evidence.situations matches the words before the first comma against what the asker told."""
    import re

    for path in sorted(Path("knowledge/guidance").glob("*.md")):
        text = path.read_text()
        if "## Situations that change the details" not in text:
            continue
        section = text.split("## Situations that change the details", 1)[1].split("\n## ", 1)[0]
        lines = [x[2:] for x in section.strip().splitlines() if x.startswith("- ")]
        assert lines, path
        for line in lines:
            head = line.split(",")[0]
            assert re.match(r"(When|If) ", line) and "," in line and 3 <= len(head.split()) <= 18, (path, line)
