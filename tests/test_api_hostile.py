"""The API under hostile or careless input (issue 10, items 9-13 and the ingest write lock).

Against a real SQLite event database, with the hand-written pipeline of ``test_api.py``.
"""
from __future__ import annotations

import csv
import io
import socket
import threading
from datetime import date

import pytest

pytest.importorskip("fastapi", reason="the API needs the 'server' extra: pip install 'conflictatlas[server]'")
from fastapi.testclient import TestClient  # noqa: E402

from conflictatlas import api as api_mod  # noqa: E402
from conflictatlas.api import create_app  # noqa: E402
from conflictatlas.store import Store  # noqa: E402

from test_api import TOKEN, HandPipeline, assert_error, auth, client, db, seed  # noqa: E402,F401 (fixtures)

pytestmark = pytest.mark.usefixtures("backend")   # each test on SQLite and on PostgreSQL (conftest.py)


# -- item 9: validate first; never start a stream that can fail half way ---------------------------
def test_offset_past_sqlite_integers_is_a_422_not_a_500(client):
    err = assert_error(client.get("/events", params={"offset": 2 ** 63}), 422, "invalid_parameter")
    assert "offset" in err["message"]
    for fmt in ("csv", "geojson"):
        assert_error(client.get("/events", params={"offset": 2 ** 63, "format": fmt}), 422)
    far = client.get("/events", params={"offset": 2 ** 53})       # far past the end: an empty page
    assert far.status_code == 200 and far.json()["events"] == []


class FailsOnSecondPage:
    """A real store whose second ``query_events`` call fails (a disk error mid-export)."""

    def __init__(self, store: Store):
        self.store = store
        self.calls = 0

    def count_events(self, **kw):
        return 6000

    def query_events(self, limit=100, offset=0, **kw):
        self.calls += 1
        if self.calls > 1:
            raise RuntimeError("disk I/O error")
        one = self.store.query_events(limit=1, **kw)[0]
        return [dict(one, id=f"{one['id']}-{i}") for i in range(limit)]

    def __getattr__(self, name):
        return getattr(self.store, name)


@pytest.mark.parametrize("fmt", ["csv", "geojson"])
def test_a_store_error_mid_export_is_an_error_not_a_truncated_200(db, fmt):
    flaky = FailsOnSecondPage(Store(str(db)))
    c = TestClient(create_app(store=flaky), raise_server_exceptions=False)
    r = c.get("/events", params={"format": fmt, "limit": 6000})
    assert flaky.calls == 2                       # the failing page was asked for
    err = assert_error(r, 500)
    assert "disk" not in err["message"]


# -- item 10: ingest bodies of the wrong shape are 422s that name the field ------------------------
@pytest.mark.parametrize("body, field", [
    ({"documents": 5}, "documents"),
    ({"documents": True}, "documents"),
    ({"documents": "a text"}, "documents"),
    ({"documents": [5]}, "documents.0"),
    ({"text": 5}, "text"),
    ({"text": "Gunmen killed 2 in Kabul.", "published": 20220307}, "published"),
    ({"text": "Gunmen killed 2 in Kabul.", "published": "March the 7th"}, "published"),
    ({"text": "Gunmen killed 2 in Kabul.", "title": ["a"]}, "title"),
    ({"documents": [{"text": "Gunmen killed 2 in Kabul.", "published": "2022-13-45"}]}, "documents.0.published"),
    ({"urls": "https://example.org/a"}, "urls"),
])
def test_ingest_rejects_fields_of_the_wrong_type_or_value(client, body, field):
    err = assert_error(client.post("/ingest", json=body, headers=auth()), 422, "invalid_parameter")
    assert err["details"] and ".".join(map(str, err["details"][0]["loc"][1:])) == field, err


@pytest.mark.parametrize("body", ["[" * 100_000, '{"documents": ' + "[" * 100_000])
def test_deeply_nested_json_is_a_400_not_a_500(client, body):
    err = assert_error(client.post("/ingest", content=body,
                                   headers={**auth(), "Content-Type": "application/json"}), 400)
    assert "nested" in err["message"]


def test_bad_published_query_parameter_is_a_422(client):
    r = client.post("/ingest", params={"published": "yesterday"}, content="Gunmen killed 2 in Kabul.",
                    headers={**auth(), "Content-Type": "text/plain"})
    err = assert_error(r, 422)
    assert err["details"][0]["loc"] == ["query", "published"]


def test_a_good_published_is_used(client):
    r = client.post("/ingest", json={"text": "Gunmen killed 2 in Kabul.", "published": "2021-06-01"},
                    headers=auth())
    assert r.status_code == 200, r.text
    assert client.get("/events", params={"from": "2021-06-01", "to": "2021-06-01"}).json()["total"] == 1


# -- item 11: no fetching of the server's own network ----------------------------------------------
INTERNAL = ["http://127.0.0.1:8765/admin", "http://localhost/", "http://[::1]/", "http://0.0.0.0/",
            "http://10.1.2.3/", "http://192.168.0.1/", "http://172.16.5.4/", "http://169.254.169.254/latest",
            "http://2130706433/", "http://127.1/", "http://0x7f000001/", "http://[::ffff:127.0.0.1]/",
            "http://metadata.localhost/", "https://[fe80::1]/"]


@pytest.mark.parametrize("url", INTERNAL)
def test_ingest_refuses_internal_urls_by_default(db, url):
    fetched = []
    c = TestClient(create_app(db, token=TOKEN, pipeline=HandPipeline(),
                              fetcher=lambda u, t: fetched.append(u) or ("<p>x</p>", "text/html")))
    err = assert_error(c.post("/ingest", json={"urls": [url]}, headers=auth()), 400)
    assert fetched == []
    assert "[E219]" in err["message"] and "--allow-private-urls" in err["message"]


def test_internal_urls_are_fetched_when_allowed(db):
    fetched = []

    def fetcher(url, timeout):
        fetched.append(url)
        return "<html><body><p>Militia killed 5 in Aden.</p></body></html>", "text/html"

    c = TestClient(create_app(db, token=TOKEN, pipeline=HandPipeline(), fetcher=fetcher,
                              allow_private_urls=True))
    assert c.post("/ingest", json={"urls": ["http://10.1.2.3/a"]}, headers=auth()).status_code == 200
    assert fetched == ["http://10.1.2.3/a"]


def test_fetch_checks_the_address_a_name_resolves_to(monkeypatch):
    """A public-looking name that resolves to a private address is refused at connect time (so a
    redirect or a DNS answer cannot lead the fetch inside either)."""
    def fake_getaddrinfo(host, port, *a, **kw):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port or 80))]

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    with pytest.raises(api_mod.PrivateAddress) as got:
        api_mod.fetch_url("http://intranet.example.org/secret", timeout=2)
    assert "10.0.0.7" in str(got.value)


def test_fetch_url_refuses_a_loopback_server_unless_allowed():
    import http.server

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"<html><body><p>inside</p></body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    srv = http.server.HTTPServer(("127.0.0.1", 0), Page)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        url = f"http://127.0.0.1:{srv.server_address[1]}/"
        with pytest.raises(api_mod.PrivateAddress):
            api_mod.fetch_url(url, timeout=5)
        text, ctype = api_mod.fetch_url(url, timeout=5, allow_private=True)
        assert "inside" in text and ctype.startswith("text/html")
    finally:
        srv.shutdown()
        srv.server_close()


# -- item 12: no spreadsheet formulas in exported cells --------------------------------------------
FORMULAS = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1)"]


def test_csv_export_neutralises_formulas(tmp_path):
    path = tmp_path / "events.db"
    reports = [(f"f{i}", "2022-06-0%d" % (i + 1), f"{f} clashed with rebels near Goma and killed 3.")
               for i, f in enumerate(FORMULAS)]
    seed(path, reports)
    c = TestClient(create_app(path, token=TOKEN, pipeline=HandPipeline()))
    r = c.get("/events", params={"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == len(FORMULAS)
    for row in rows:
        for col, cell in row.items():
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), (col, cell)
            if cell.startswith("-"):
                float(cell)                                   # only plain negative numbers
        assert row["latitude"] == "-1.68"                     # numbers stay numbers
    actors = {row["actor1"] for row in rows}
    assert actors == {"'" + f for f in FORMULAS}

    from conflictatlas.export import export_events
    out = io.BytesIO()
    with Store(str(path)) as st:
        export_events(st, "acled-csv", out)
    cli_rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    assert {row["actor1"] for row in cli_rows} == actors


# -- item 13: filters mean what they say, under one name everywhere ---------------------------------
def test_like_wildcards_in_actor_match_themselves(client, tmp_path):
    assert client.get("/events", params={"actor": "%"}).json()["total"] == 0
    assert client.get("/events", params={"actor": "_"}).json()["total"] == 0
    assert client.get("/events", params={"actor": "Gun%"}).json()["total"] == 0
    assert client.get("/events", params={"actor": "gunmen"}).json()["total"] == 1
    path = tmp_path / "pct.db"
    seed(path, [("p1", "2022-06-01", "100% Militia clashed with rebels near Goma.")])
    c = TestClient(create_app(path))
    assert c.get("/events", params={"actor": "100%"}).json()["total"] == 1


@pytest.mark.parametrize("bad", ["20220101", "2022-W01", "2022-W01-1", "notadate", "2022-02-30", "2022-1-1"])
@pytest.mark.parametrize("name", ["from", "to", "date_from", "date_to"])
def test_dates_must_be_yyyy_mm_dd(client, name, bad):
    err = assert_error(client.get("/events", params={name: bad}), 422, "invalid_parameter")
    assert "YYYY-MM-DD" in err["message"] and err["details"][0]["loc"] == ["query", name]


@pytest.mark.parametrize("path", ["/events", "/stats", "/points"])
def test_one_name_for_each_filter_with_the_old_names_kept(client, path):
    def count(params):
        got = client.get(path, params=params).json()
        return got["total"] if path == "/events" else got["events" if path == "/stats" else "count"]

    new = count({"from": "2022-03-15", "to": "2022-04-30"})
    assert new == count({"date_from": "2022-03-15", "date_to": "2022-04-30"}) == 2
    assert count({"from": "2022-03-15"}) == 3
    assert_error(client.get(path, params={"from": "2022-03-15", "date_from": "2022-01-01"}), 422)
    assert_error(client.get(path, params={"from": "2022-05-01", "to": "2022-01-01"}), 422)


@pytest.mark.parametrize("path", ["/events", "/stats", "/points"])
def test_unknown_query_parameters_are_refused(client, path):
    err = assert_error(client.get(path, params={"form": "2022-01-01"}), 422, "invalid_parameter")
    assert "form" in err["message"] and err["details"][0]["loc"] == ["query", "form"]


def test_openapi_names_the_filters_as_the_cli_does(client):
    params = {p["name"]: p for p in client.get("/openapi.json").json()["paths"]["/events"]["get"]["parameters"]}
    assert {"from", "to", "type", "actor", "country", "admin1", "text"} <= set(params)
    assert params["date_from"].get("deprecated") is True


def test_cli_filters_take_the_same_names_and_strict_dates(tmp_path):
    from click.testing import CliRunner

    from conflictatlas.cli import main
    path = tmp_path / "events.db"
    seed(path)
    run = CliRunner().invoke
    ok = run(main, ["events", "--db", str(path), "--from", "2022-03-15", "--to", "2022-04-30"])
    assert ok.exit_code == 0, ok.output
    for bad in ("20220101", "2022-W01"):
        r = run(main, ["events", "--db", str(path), "--from", bad])
        assert r.exit_code == 2 and "YYYY-MM-DD" in r.output, r.output


# -- POST /ingest extracts outside the write lock --------------------------------------------------
class SlowOnBig(HandPipeline):
    """Holds a big report in extraction until a small one has been stored (or gives up)."""

    def __init__(self):
        self.small_stored = threading.Event()
        self.big_started = threading.Event()
        self.small_was_stored_during_big = None

    def pipe(self, docs):
        docs = list(docs)
        if any("BIG" in d.text for d in docs):
            self.big_started.set()
            self.small_was_stored_during_big = self.small_stored.wait(timeout=30)
        yield from super().pipe(docs)


def test_a_small_ingest_is_not_starved_by_a_big_one(db):
    pipe = SlowOnBig()
    app = create_app(db, token=TOKEN, pipeline=pipe)
    answers = {}

    def post_big():
        with TestClient(app) as c:
            answers["big"] = c.post("/ingest", content="BIG report. Gunmen killed 9 in Mosul.",
                                    headers={**auth(), "Content-Type": "text/plain"})

    big = threading.Thread(target=post_big)
    big.start()
    assert pipe.big_started.wait(timeout=30)
    with TestClient(app) as c:
        small = c.post("/ingest", content="Rebels attacked Aden and killed 1.",
                       headers={**auth(), "Content-Type": "text/plain"})
    assert small.status_code == 200, small.text
    pipe.small_stored.set()
    big.join(timeout=60)
    assert pipe.small_was_stored_during_big is True
    assert answers["big"].status_code == 200
    with Store(str(db)) as st:
        assert st.count_events() == 6
        assert st.count_events(actor="Gunmen", date_from=date(2022, 1, 1)) == 2
    assert answers["big"].json()["report"]["events_created"] == 1


def test_serve_passes_allow_private_urls(tmp_path, monkeypatch):
    import uvicorn
    from click.testing import CliRunner

    from conflictatlas.cli import main
    got = {}
    real = api_mod.create_app
    monkeypatch.setattr(api_mod, "create_app", lambda *a, **kw: got.update(kw) or real(*a, **kw))
    # serve binds its socket first, then runs a uvicorn.Server on it: stop before it serves
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: got.setdefault("app", self.config.app))
    path = tmp_path / "events.db"
    seed(path)
    for flag, want in (([], False), (["--allow-private-urls"], True)):
        got.clear()
        r = CliRunner().invoke(main, ["serve", "--db", str(path), "--port", "0", *flag])
        assert r.exit_code == 0, r.output
        assert got["allow_private_urls"] is want and got["app"].state.settings.allow_private_urls is want
