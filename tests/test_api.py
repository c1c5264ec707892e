"""The HTTP API (conflictatlas/api.py) against a real SQLite event database.

Reports are read by a small hand-written pipeline (the NLP stages are tested elsewhere), so that
these tests know exactly which events each text makes and run in a second.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the API needs the 'server' extra: pip install 'conflictatlas[server]'")
from fastapi.testclient import TestClient  # noqa: E402

from conflictatlas.api import CSP, WEB_DIR, create_app  # noqa: E402
from conflictatlas.document import Document, Evidence  # noqa: E402
from conflictatlas.event import Event  # noqa: E402
from conflictatlas.store import Store  # noqa: E402

pytestmark = pytest.mark.usefixtures("backend")   # each test on SQLite and on PostgreSQL (conftest.py)

TOKEN = "s3cret-token"

PLACES = {  # name: (country, admin1, lat, lon)
    "Kabul": ("Afghanistan", "Kabul", 34.53, 69.17),
    "Mosul": ("Iraq", "Ninewa", 36.34, 43.13),
    "Aden": ("Yemen", "Aden", 12.78, 45.04),
    "Goma": ("Democratic Republic of Congo", "North Kivu", -1.68, 29.22),
}


class HandPipeline:
    """Stands in for the stages: one event per sentence that names a known place.

    The actor is the words before the verb, the type comes from the verb, fatalities from
    'killed N'; every value cites its span of ``doc.text``.
    """

    def __call__(self, doc):
        return next(iter(self.pipe([doc])))

    def pipe(self, docs):
        for doc in docs:
            text = doc.text
            for m in re.finditer(r"[^.]+(?:\.|$)", text):
                sent, s0 = m.group(0), m.start()
                place = next((p for p in PLACES if p in sent), None)
                verb = re.search(r"\b(killed|clashed|protested|attacked)\b", sent)
                if not place or not verb:
                    continue
                country, admin1, lat, lon = PLACES[place]
                etype, sub = {"clashed": ("Battles", "Armed clash"),
                              "protested": ("Protests", "Peaceful protest")}.get(
                    verb.group(1), ("Violence against civilians", "Attack"))
                ev = Event(event_date=(doc.published or date(2022, 1, 1)).isoformat(), time_precision=1,
                           event_type=etype, sub_event_type=sub, country=country, admin1=admin1,
                           location=place, latitude=lat, longitude=lon, geo_precision=1,
                           notes=sent.strip(), fatalities=0)
                actor = sent[:verb.start()].strip()
                if actor:
                    ev.actor1 = actor
                    a0 = s0 + sent.index(actor)
                    ev.cite("actor1", Evidence(doc.id, sent.strip(), a0, a0 + len(actor), actor))
                p0 = s0 + sent.index(place)
                ev.cite("location", Evidence(doc.id, sent.strip(), p0, p0 + len(place), place))
                k = re.search(r"killed (\d+)", sent)
                if k:
                    ev.fatalities = int(k.group(1))
                    ev.cite("fatalities", Evidence(doc.id, sent.strip(), s0 + k.start(), s0 + k.end(), k.group(0)))
                doc.events.append(ev)
            yield doc


REPORTS = [
    ("r1", "2022-03-07", "Gunmen killed 4 civilians in Kabul on Monday, police said."),
    ("r2", "2022-03-20", "Military Forces of Iraq clashed with IS fighters near Mosul and killed 7."),
    ("r3", "2022-04-02", "Students protested in Aden against power cuts."),
    ("r4", "2022-05-15", "ADF rebels attacked a village near Goma and killed 12 people."),
]


def seed(db: Path, reports=REPORTS) -> None:
    docs = [Document(id=i, text=t, raw=t, published=date.fromisoformat(d), title=f"Report {i}",
                     outlet="Test Wire", url=f"https://example.org/{i}") for i, d, t in reports]
    with Store(str(db)) as st:
        st.ingest_documents(HandPipeline().pipe(docs))


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "events.db"
    seed(path)
    return path


@pytest.fixture()
def client(db):
    return TestClient(create_app(db, token=TOKEN, pipeline=HandPipeline()))


def auth(token=TOKEN):
    return {"Authorization": f"Bearer {token}"}


def assert_error(r, status, code=None):
    """The one error shape, pinned: {"error": {"status", "code", "message", "details"}}."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"}
    err = body["error"]
    assert set(err) == {"status", "code", "message", "details"}
    assert err["status"] == status
    assert isinstance(err["code"], str) and err["code"]
    assert re.match(r"\[E\d{3}\] ", err["message"]), err["message"]
    assert isinstance(err["details"], list)
    if code:
        assert err["code"] == code
    return err


# -- reads -----------------------------------------------------------------------------------------
def test_events_lists_all_newest_first(client):
    r = client.get("/events")
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 4 and body["offset"] == 0 and body["next"] is None
    dates = [e["event_date"] for e in body["events"]]
    assert dates == sorted(dates, reverse=True)
    e = body["events"][0]
    for f in ("id", "event_date", "event_type", "actor1", "country", "admin1", "latitude", "longitude", "fatalities"):
        assert f in e


@pytest.mark.parametrize("params, expected", [
    ({"country": "Iraq"}, {"Mosul"}),
    ({"country": "iraq"}, {"Mosul"}),
    ({"admin1": "North Kivu"}, {"Goma"}),
    ({"type": "Protests"}, {"Aden"}),
    ({"actor": "IS fighters"}, set()),                  # actor2 is not set by the hand pipeline
    ({"actor": "Military Forces"}, {"Mosul"}),
    ({"date_from": "2022-03-15", "date_to": "2022-04-30"}, {"Mosul", "Aden"}),
    ({"text": "power cuts"}, {"Aden"}),
    ({"country": "Yemen", "type": "Battles"}, set()),
])
def test_events_filters(client, params, expected):
    body = client.get("/events", params=params).json()
    assert {e["location"] for e in body["events"]} == expected
    assert body["total"] == len(expected)


def test_events_pagination_links(client):
    first = client.get("/events", params={"limit": 3}).json()
    assert len(first["events"]) == 3 and first["total"] == 4
    assert "offset=3" in first["next"]
    second = client.get(first["next"]).json()
    assert len(second["events"]) == 1 and second["next"] is None
    ids = [e["id"] for e in first["events"] + second["events"]]
    assert len(set(ids)) == 4


def test_events_geojson(client):
    r = client.get("/events", params={"format": "geojson", "country": "Afghanistan"})
    assert r.headers["content-type"].startswith("application/geo+json")
    fc = r.json()
    assert fc["type"] == "FeatureCollection" and fc["total"] == 1
    f = fc["features"][0]
    assert f["geometry"] == {"type": "Point", "coordinates": [69.17, 34.53]}
    assert f["properties"]["location"] == "Kabul"
    by_accept = client.get("/events", headers={"Accept": "application/geo+json"}).json()
    assert by_accept["type"] == "FeatureCollection" and len(by_accept["features"]) == 4
    big = client.get("/events", params={"format": "geojson", "limit": 5000}).json()   # streamed
    assert big["total"] == 4 and len(big["features"]) == 4


def test_events_acled_csv(client):
    r = client.get("/events", params={"format": "csv", "date_to": "2022-03-31"})
    assert r.headers["content-type"].startswith("text/csv")
    lines = r.text.strip().splitlines()
    header = lines[0].split(",")
    assert header[:3] == ["event_id_cnty", "event_date", "year"]
    assert "fatalities" in header and "admin1" in header
    assert len(lines) == 3


def test_event_detail_has_sources_evidence_claims_explanation(client):
    eid = client.get("/events", params={"country": "Iraq"}).json()["events"][0]["id"]
    ev = client.get(f"/events/{eid}").json()
    assert ev["id"] == eid and ev["fatalities"] == 7
    src = ev["sources"][0]
    assert src["url"] == "https://example.org/r2" and src["outlet"] == "Test Wire"
    fat = src["evidence"]["fatalities"][0]
    assert fat["text"] == "killed 7" and "Mosul" in fat["sentence"]
    assert any(c["field"] == "fatalities" for c in ev["claims"])
    assert ev["explanation"]
    art = client.get(f"/articles/{src['article_id']}").json()
    assert art["text"][fat["start"]:fat["end"]] == "killed 7"
    assert eid in art["events"]


def test_not_found(client):
    assert_error(client.get("/events/CA-nope"), 404, "not_found")
    assert_error(client.get("/articles/A-nope"), 404, "not_found")


def test_stats(client):
    s = client.get("/stats").json()
    assert s["events"] == 4 and s["fatalities"] == 4 + 7 + 12
    assert [m["key"] for m in s["by_month"]] == ["2022-03", "2022-04", "2022-05"]
    assert {t["key"] for t in s["by_event_type"]} == {"Battles", "Protests", "Violence against civilians"}
    assert any(a["key"] == "Military Forces of Iraq" for a in s["by_actor"])
    assert {a["key"] for a in s["by_admin1"]} >= {"Kabul", "Ninewa"}
    iraq = client.get("/stats", params={"country": "Iraq"}).json()
    assert iraq["events"] == 1 and iraq["fatalities"] == 7


def test_points_columns_and_etag(client):
    r = client.get("/points")
    assert r.status_code == 200
    p = r.json()
    assert p["count"] == 4
    cols = ("id", "lat", "lon", "day", "type", "country", "admin1", "actor1", "actor2", "assoc1",
            "assoc2", "fatalities")
    assert all(len(p[c]) == 4 for c in cols)
    i = p["country"].index(p["values"].index("Iraq"))
    assert p["fatalities"][i] == 7 and p["lat"][i] == 36.34
    assert p["day"][i] == (date(2022, 3, 20) - date(1970, 1, 1)).days
    assert p["values"][p["type"][i]] == "Battles"
    again = client.get("/points", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304
    assert client.get("/points", params={"text": "Kabul"}).json()["count"] == 1


# -- ingest ----------------------------------------------------------------------------------------
def test_ingest_needs_the_token(db):
    off = TestClient(create_app(db, token=None, pipeline=HandPipeline()))
    assert_error(off.post("/ingest", json={"text": "x"}), 403, "ingest_disabled")
    c = TestClient(create_app(db, token=TOKEN, pipeline=HandPipeline()))
    r = c.post("/ingest", json={"text": "Gunmen killed 2 in Kabul."})
    assert_error(r, 401, "unauthorized")
    assert r.headers["www-authenticate"] == "Bearer"
    assert_error(c.post("/ingest", json={"text": "x"}, headers=auth("wrong")), 401)
    assert c.get("/events").json()["total"] == 4


def test_ingest_text_html_json_and_reads_see_it(client):
    before = client.get("/points").json()["count"]
    r = client.post("/ingest", json={"text": "Rebels killed 3 people in Goma.", "published": "2022-06-01",
                                     "outlet": "Wire B"}, headers=auth())
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["report"]["events_created"] == 1 and out["problems"] == []
    assert client.get("/points").json()["count"] == before + 1        # the cache saw the write
    html = "<html><body><p>Police clashed with rioters in Aden.</p></body></html>"
    r = client.post("/ingest", content=html, headers={**auth(), "Content-Type": "text/html"},
                    params={"published": "2022-06-02"})
    assert r.status_code == 200 and r.json()["report"]["read"] == 1
    r = client.post("/ingest", content="Gunmen attacked a market in Mosul.",
                    headers={**auth(), "Content-Type": "text/plain"})
    assert r.status_code == 200
    again = client.post("/ingest", content="Gunmen attacked a market in Mosul.",
                        headers={**auth(), "Content-Type": "text/plain"})
    assert again.json()["report"]["duplicates"] == 1                   # idempotent
    docs = client.post("/ingest", json={"documents": [{"text": "Protesters protested in Kabul."},
                                                      {"html": "<p>Soldiers clashed near Mosul.</p>"}]},
                       headers=auth())
    assert docs.status_code == 200 and len(docs.json()["documents"]) == 2


def test_ingest_urls_use_the_fetcher_only(db):
    fetched = []

    def fetcher(url, timeout):
        fetched.append((url, timeout))
        return "<html><body><p>Militia killed 5 in Aden.</p></body></html>", "text/html"

    c = TestClient(create_app(db, token=TOKEN, pipeline=HandPipeline(), fetcher=fetcher, fetch_timeout=3))
    r = c.post("/ingest", json={"urls": ["https://news.example.org/a"]}, headers=auth())
    assert r.status_code == 200, r.text
    assert fetched == [("https://news.example.org/a", 3)]
    assert_error(c.post("/ingest", json={"urls": ["file:///etc/passwd"]}, headers=auth()), 400)

    def failing(url, timeout):
        raise OSError("connection refused")

    c2 = TestClient(create_app(db, token=TOKEN, pipeline=HandPipeline(), fetcher=failing))
    err = assert_error(c2.post("/ingest", json={"urls": ["https://down.example.org/"]}, headers=auth()), 400)
    assert "could not be fetched" in err["message"] and err["details"][0]["url"] == "https://down.example.org/"


def test_read_protection(db):
    c = TestClient(create_app(db, token=TOKEN, protect_reads=True, pipeline=HandPipeline()))
    for path in ("/events", "/stats", "/points", "/events/x", "/articles/x"):
        assert_error(c.get(path), 401)
    assert c.get("/events", headers=auth()).json()["total"] == 4
    assert c.get("/").status_code == 200            # the page loads and asks for the token
    assert c.get("/health").json()["protect_reads"] is True


# -- one error shape, for every error --------------------------------------------------------------
class BrokenStore:
    def count_events(self, **kw):
        raise RuntimeError("disk on fire")

    query_events = stats = get_event = get_article = count_events


@pytest.mark.sqlite_only     # its last part: a file that is not a SQLite database
def test_every_error_has_one_shape(client, db):
    assert_error(client.get("/no/such/route"), 404, "not_found")
    assert_error(client.get("/docs"), 404)                              # no CDN-loading Swagger UI
    assert_error(client.delete("/events"), 405, "method_not_allowed")
    assert_error(client.get("/events", params={"limit": 0}), 422, "invalid_parameter")
    assert_error(client.get("/events", params={"limit": "many"}), 422)
    err = assert_error(client.get("/events", params={"date_from": "March"}), 422)
    assert "YYYY-MM-DD" in err["message"]
    assert_error(client.get("/events", params={"date_from": "2022-05-01", "date_to": "2022-01-01"}), 422)
    assert_error(client.get("/events", params={"format": "xml"}), 422)
    assert_error(client.get("/events/CA-missing"), 404)
    assert_error(client.post("/ingest", content="{not json", headers={**auth(), "Content-Type": "application/json"}), 400)
    assert_error(client.post("/ingest", json={"nothing": 1}, headers=auth()), 400)
    assert_error(client.post("/ingest", content=b"", headers={**auth(), "Content-Type": "text/plain"}), 400)
    assert_error(client.post("/ingest", content=b"x", headers={**auth(), "Content-Type": "image/png"}), 415)
    small = TestClient(create_app(db, token=TOKEN, max_body_mb=0.001, pipeline=HandPipeline()))
    assert_error(small.post("/ingest", content="a" * 5000, headers={**auth(), "Content-Type": "text/plain"}), 413)
    bad = db.parent / "not-a.db"
    bad.write_bytes(b"this is not a SQLite database" * 100)
    err = assert_error(TestClient(create_app(bad)).get("/events"), 503, "store_unavailable")
    assert "[E050]" in err["message"]
    broken = TestClient(create_app(store=BrokenStore()), raise_server_exceptions=False)
    err = assert_error(broken.get("/events"), 500)
    assert "disk on fire" not in err["message"]                         # no internals leak


def test_openapi_document(client):
    spec = client.get("/openapi.json").json()
    assert spec["info"]["title"] == "conflictatlas"
    for path in ("/events", "/events/{event_id}", "/articles/{article_id}", "/stats", "/points", "/ingest"):
        assert path in spec["paths"], path
    params = {p["name"] for p in spec["paths"]["/events"]["get"]["parameters"]}
    assert {"country", "admin1", "type", "actor", "date_from", "date_to", "text", "limit", "offset", "format"} <= params
    assert "post" in spec["paths"]["/ingest"]


# -- the page and its safety -----------------------------------------------------------------------
def test_security_headers_everywhere(client):
    for path in ("/", "/events", "/static/app.js", "/no/such/route"):
        r = client.get(path)
        assert r.headers["content-security-policy"] == CSP, path
        assert r.headers["x-content-type-options"] == "nosniff"
    assert "'unsafe-inline'" not in CSP and "'unsafe-eval'" not in CSP
    assert "script-src 'self'" in CSP and "default-src 'none'" in CSP


def test_page_loads_only_packaged_assets(client):
    html = client.get("/").text
    refs = [r for r in re.findall(r'(?:src|href)="([^"]+)"', html) if r != "data:,"]   # data:, = no favicon
    assert refs, "the page references its scripts and styles"
    total = len(html.encode())
    for ref in refs:
        assert ref.startswith("/static/"), f"{ref}: the page must load nothing from elsewhere"
        r = client.get(ref)
        assert r.status_code == 200, ref
        total += len(r.content)
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None, "no inline scripts (the CSP forbids them)"
    assert re.search(r"\son[a-z]+=", html) is None and " style=" not in html
    basemap = WEB_DIR / "data" / "countries-110m.json"
    assert basemap.is_file() and (WEB_DIR / "data" / "admin1.json").is_file()
    total += basemap.stat().st_size
    assert total < 1.5 * 1024 * 1024, f"page weight {total} bytes"


def test_app_js_never_parses_html():
    js = (WEB_DIR / "app.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                 "new Function", "srcdoc", "createContextualFragment", "DOMParser"):
        assert sink not in js, f"app.js uses {sink}: render untrusted text with textContent"


def test_untrusted_markup_is_stored_and_served_as_data(client):
    payload = 'Gunmen <img src=x onerror="alert(1)"> killed 2 in Kabul <script>alert(2)</script>.'
    r = client.post("/ingest", json={"text": payload, "published": "2022-07-01"}, headers=auth())
    assert r.status_code == 200
    ev = client.get("/events", params={"date_from": "2022-07-01"}).json()["events"][0]
    assert ev["actor1"] == 'Gunmen <img src=x onerror="alert(1)">'       # kept verbatim, as JSON text
    assert client.get(f"/events/{ev['id']}").headers["content-type"].startswith("application/json")


def test_serve_command_is_registered():
    from click.testing import CliRunner

    from conflictatlas.cli import main
    r = CliRunner().invoke(main, ["serve", "--help"])
    assert r.exit_code == 0 and "--token" in r.output and "--protect-reads" in r.output
    r = CliRunner().invoke(main, ["serve", "--protect-reads"], env={"CONFLICTATLAS_TOKEN": ""})
    assert r.exit_code != 0 and "needs a token" in r.output


def test_fetched_page_in_a_legacy_encoding_is_read(monkeypatch):
    import io
    from conflictatlas.api import fetch_url

    class Resp(io.BytesIO):
        headers = {"content-type": "text/html; charset=windows-1252"}

        def __enter__(self):
            return self

        def __exit__(self, *a):
            return False

    page = "<p>Soldats et rebelles à Bouaké: affrontements lundi.</p>".encode("cp1252")
    class Opener:                      # the fetch's own opener (it checks every address it connects to)
        def open(self, req, timeout):
            return Resp(page)

    monkeypatch.setattr("conflictatlas.api._guarded_opener", lambda url, allow_private: Opener())
    text, ctype = fetch_url("http://example.org/page")
    assert "Bouaké" in text and "html" in ctype
