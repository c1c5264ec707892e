"""Reading inputs: every bad input gets one clear message naming the file (and line)."""
from datetime import date

from conflictatlas.document import Document
from conflictatlas.sources import Problem, read_sources


def _read(paths, **kw):
    items = list(read_sources([str(p) for p in paths], **kw))
    return [i for i in items if isinstance(i, Document)], [i for i in items if isinstance(i, Problem)]


def test_text_html_jsonl_and_folder(tmp_path):
    (tmp_path / "a.txt").write_text("Gunmen killed two villagers in Zamfara on Monday.", encoding="utf-8")
    (tmp_path / "b.html").write_text("<html><body><p>Police fired tear gas at protesters.</p></body></html>")
    (tmp_path / "c.jsonl").write_text('{"id": "x1", "text": "A bomb exploded.", "published": "2024-05-01"}\n'
                                      '{"id": "x2", "text": "Troops clashed with rebels."}\n')
    docs, problems = _read([tmp_path], published=date(2024, 6, 1))
    assert problems == []
    by_id = {d.id: d for d in docs}
    assert set(by_id) == {"a", "b", "x1", "x2"}
    assert by_id["x1"].published == date(2024, 5, 1)
    # --published is kept as a fallback: the article stage uses it only when the report has no date
    assert by_id["x2"].published is None and by_id["x2"].meta["published_fallback"] == "2024-06-01"
    assert by_id["b"].meta["format"] == "html"


def test_bad_inputs_each_get_one_message_and_the_rest_is_read(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "bad.jsonl").write_text('{"id": "ok1", "text": "Rebels attacked a base."}\n'
                                        '{"id": "broken", "text": \n'
                                        '["not", "an", "object"]\n'
                                        '{"id": "ok2", "text": "Protesters marched."}\n')
    (tmp_path / "good.txt").write_text("Militants ambushed a convoy near Gao.")
    docs, problems = _read([tmp_path])
    assert sorted(d.id for d in docs) == ["good", "ok1", "ok2"]
    msgs = {p.path.split("/")[-1] + (f":{p.line}" if p.line else ""): p.message for p in problems}
    assert set(msgs) == {"empty.txt", "binary.txt", "bad.jsonl:2", "bad.jsonl:3"}
    assert "empty" in msgs["empty.txt"] and "empty.txt" in msgs["empty.txt"]
    assert "binary" in msgs["binary.txt"]
    assert "line 2" in msgs["bad.jsonl:2"] and "malformed JSON" in msgs["bad.jsonl:2"]
    assert "line 3" in msgs["bad.jsonl:3"]


def test_non_utf8_is_read_with_a_warning(tmp_path):
    (tmp_path / "latin.txt").write_bytes("Soldiers clashed with rebels near Bouaké, côte d'ivoire.".encode("cp1252"))
    docs, problems = _read([tmp_path / "latin.txt"])
    assert len(docs) == 1 and "Bouaké" in docs[0].text
    assert len(problems) == 1 and problems[0].severity == "warning" and "latin.txt" in problems[0].message


def test_too_large_single_file_is_skipped_but_large_jsonl_streams(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("x " * (600 * 1024))                   # ~1.2 MB
    docs, problems = _read([big], max_mb=1)
    assert docs == [] and len(problems) == 1 and "big.txt" in problems[0].message and "limit" in problems[0].message
    lines = "".join(f'{{"id": "r{i}", "text": "{"word " * 300}"}}\n' for i in range(800))  # ~1.2 MB
    (tmp_path / "many.jsonl").write_text(lines)
    docs, problems = _read([tmp_path / "many.jsonl"], max_mb=1)
    assert len(docs) == 800 and problems == []


def test_missing_path_and_unknown_suffix(tmp_path):
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4")
    docs, problems = _read([tmp_path / "nope.txt", tmp_path / "x.pdf"])
    assert docs == [] and len(problems) == 2
    assert "no such file" in problems[0].message and "unsupported" in problems[1].message


def test_rss_feed(tmp_path):
    (tmp_path / "f.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Monitor</title>'
        '<item><title>Clash in Gao</title><link>https://example.org/1</link>'
        '<pubDate>Tue, 06 May 2025 08:00:00 GMT</pubDate><description>Soldiers clashed with JNIM.</description></item>'
        '</channel></rss>')
    docs, problems = _read([tmp_path / "f.xml"])
    assert problems == [] and len(docs) == 1
    d = docs[0]
    assert d.url == "https://example.org/1" and d.outlet == "Monitor" and d.published == date(2025, 5, 6)
    assert "Soldiers clashed with JNIM." in d.text
