"""`conflictatlas extract` end to end on real files: good reports give events, each bad input
gives one message naming the file (and line), the run goes on, and the exit status says so."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "conflictatlas", *args], capture_output=True, text=True,
                          cwd=cwd)


def test_examples_give_their_events_with_evidence(tmp_path):
    out = tmp_path / "out.jsonl"
    r = run("extract", str(ROOT / "examples" / "reports"), "-o", str(out))
    assert r.returncode == 0, r.stderr
    recs = {json.loads(l)["id"]: json.loads(l) for l in out.read_text().splitlines()}
    assert len(recs) == 11
    hamrin = recs["hamrin-army-statement"]["events"][0]
    assert (hamrin["event_type"], hamrin["country"], hamrin["fatalities"]) == ("Battles", "Iraq", 7)
    assert hamrin["event_date"] == "2025-02-11"            # "on Tuesday", published 2025-02-12
    ev = hamrin["evidence"]["fatalities"][0]
    assert ev["source"] == "hamrin-army-statement" and "seven" in ev["text"]


def test_full_length_example_articles_give_one_incident_each(tmp_path):
    """The two example news pages: byline, dateline, quotes, history and teasers around one incident."""
    out = tmp_path / "out.jsonl"
    r = run("extract", str(ROOT / "examples" / "reports" / "somalia-roadside-bomb.html"),
            str(ROOT / "examples" / "reports" / "zamfara-village-attack.txt"), "-o", str(out))
    assert r.returncode == 0, r.stderr
    recs = {json.loads(l)["id"]: json.loads(l) for l in out.read_text().splitlines()}
    [bomb] = recs["somalia-roadside-bomb"]["events"]          # teasers and the 2022 history not coded
    assert (bomb["event_date"], bomb["sub_event_type"], bomb["fatalities"]) == \
        ("2024-03-13", "Remote explosive/landmine/IED", 3)          # "on Wednesday", page dated 14 March
    assert (bomb["actor1"], bomb["actor2"]) == ("Al Shabaab", "Military Forces of Somalia")   # the claimant
    assert (bomb["location"], bomb["admin1"]) == ("Afgooye", "Lower Shabelle")    # not the dateline's Mogadishu
    [raid] = recs["zamfara-village-attack"]["events"]        # the burned shops are part of the raid
    assert (raid["event_date"], raid["event_type"], raid["admin1"], raid["fatalities"]) == \
        ("2024-04-15", "Violence against civilians", "Zamfara", 12)   # header date 17 April; "on Monday night"
    assert recs["zamfara-village-attack"]["background_events"]       # the 2021 abduction is history


def test_bad_inputs_are_named_and_the_run_goes_on(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text("Published: 2025-05-06\n\nGunmen killed three farmers in Zamfara state on Monday.")
    (d / "empty.txt").write_bytes(b"")
    (d / "image.txt").write_bytes(bytes(range(256)) * 8)
    (d / "latin1.txt").write_bytes("Soldats et rebelles à Bouaké: des affrontements lundi.".encode("cp1252"))
    with open(d / "huge.txt", "wb") as f:                      # a 50 MB file, over the 20 MB default
        f.seek(50 * 1024 * 1024 - 1)
        f.write(b"x")
    (d / "lines.jsonl").write_text('{"id": "j1", "text": "Police fired tear gas at protesters in Lagos on 2 May 2025."}\n'
                                   '{"id": "j2", "text": oops}\n')
    out = tmp_path / "out.jsonl"
    r = run("extract", str(d), "-o", str(out))
    assert r.returncode == 1
    errors = [l for l in r.stderr.splitlines() if l.startswith("error:")]
    assert len(errors) == 4, r.stderr
    for name in ("empty.txt", "image.txt", "huge.txt", "lines.jsonl, line 2"):
        assert sum(name in e for e in errors) == 1, (name, errors)
    assert any(l.startswith("warning:") and "latin1.txt" in l for l in r.stderr.splitlines())
    ids = [json.loads(l)["id"] for l in out.read_text().splitlines()]
    assert sorted(ids) == ["good", "j1", "latin1"]


def test_published_option_is_checked():
    r = run("extract", str(ROOT / "examples" / "reports"), "--published", "12/03/2024")
    assert r.returncode == 2 and "YYYY-MM-DD" in r.stderr
