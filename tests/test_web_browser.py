"""End to end: the map-and-timeline page in headless Chromium (Debian's /usr/bin/chromium).

A real server (uvicorn, 127.0.0.1) over a real SQLite database; Playwright drives the page: it
loads, counts the markers, applies a filter, brushes the timeline, opens an event, reads its
article, exports CSV, and saves screenshots (laptop and phone). A report carrying <script> and
<img onerror> is ingested through the API first, and nothing in it may run.

Set CONFLICTATLAS_SCREENSHOTS=DIR to keep the screenshots.
"""
from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM),
                       reason=f"{CHROMIUM} is missing: apt-get install chromium (CI installs it)"),
]

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

XSS = ('Gunmen <img src=x onerror="window.__xss=1"> killed 2 in Kabul '
       '<script>window.__xss=2</script>')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import uvicorn
    from fastapi.testclient import TestClient

    from conflictatlas.api import create_app
    try:
        from test_api import REPORTS, TOKEN, HandPipeline, seed
    except ImportError:                      # tests/ collected as a package
        from tests.test_api import REPORTS, TOKEN, HandPipeline, seed

    db = tmp_path_factory.mktemp("web") / "events.db"
    more = [(f"m{i}", f"2022-0{1 + i % 6}-{10 + i % 18:02d}",
             f"Police clashed with protesters in {place} and killed {i % 4}.")
            for i, place in enumerate(["Mosul", "Aden", "Goma", "Kabul"] * 6)]
    seed(db, REPORTS + more)
    app = create_app(db, token=TOKEN, pipeline=HandPipeline())
    client = TestClient(app)
    r = client.post("/ingest", json={"text": XSS, "published": "2022-06-20"},
                    headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200, r.text
    total = client.get("/events").json()["total"]         # reports of one event were merged
    assert total >= 8
    hostile = client.get("/events", params={"date_from": "2022-06-20", "date_to": "2022-06-20"}).json()
    app.state.hostile_id = hostile["events"][0]["id"]
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    th = threading.Thread(target=srv.run, daemon=True)
    th.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.05)
    assert srv.started, "the test server did not start"
    yield f"http://127.0.0.1:{port}", total, app.state.hostile_id
    srv.should_exit = True
    th.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _shots(tmp_path) -> Path:
    d = os.environ.get("CONFLICTATLAS_SCREENSHOTS")
    out = Path(d) if d else tmp_path
    out.mkdir(parents=True, exist_ok=True)
    return out


def _open(browser, base, **ctx):
    page = browser.new_page(**ctx)
    problems: list[str] = []
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("request", lambda r: problems.append(f"off-site request: {r.url}")
            if not r.url.startswith((base, "data:", "blob:")) else None)
    page.goto(base + "/")
    page.wait_for_selector("body[data-ready='1']", timeout=20000)
    page.wait_for_selector(".ca-cluster, .ca-point", timeout=20000)   # (the CSP forbids eval-based waits)
    return page, problems


def _summary_count(page) -> int:
    return int(page.text_content("#summary").split(" events")[0].replace(",", ""))


def test_map_filter_event_panel_and_no_script_runs(server, browser, tmp_path):
    base, n_events, hostile_id = server
    page, problems = _open(browser, base, viewport={"width": 1366, "height": 768})
    shots = _shots(tmp_path)

    # every event is on the map: the markers (points and clusters) add up to all of them
    markers = page.locator(".ca-cluster, .ca-point").count()
    assert markers >= 4
    shown = page.evaluate("window.conflictatlas.shown()")
    assert shown["events"] == n_events and shown["clusters"] + shown["points"] == markers
    assert _summary_count(page) == n_events
    page.screenshot(path=str(shots / "map-laptop.png"))

    # the timeline brush narrows the dates
    box = page.locator("#timeline").bounding_box()
    y = box["y"] + box["height"] * 0.5
    page.mouse.move(box["x"] + 40, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.3, y, steps=5)
    page.mouse.up()
    page.wait_for_timeout(300)
    assert _summary_count(page) < n_events
    assert page.input_value("#f-from") and page.input_value("#f-to")
    page.click("#brush-clear")
    page.wait_for_timeout(200)
    assert _summary_count(page) == n_events

    # a filter: one country
    value = page.evaluate("Array.from(document.querySelectorAll('#f-country option'))"
                          ".find(o => o.textContent.startsWith('Iraq')).value")
    page.select_option("#f-country", value)
    page.wait_for_timeout(300)
    iraq = _summary_count(page)
    assert 1 <= iraq < n_events
    assert page.evaluate("window.conflictatlas.shown()")["events"] == iraq
    assert "country=Iraq" in page.url

    # open an event: zoom in until a point is visible, click it
    page.click("#f-reset")
    page.select_option("#f-country", value)
    page.wait_for_timeout(300)
    for _ in range(12):
        if page.locator(".ca-point").count():
            break
        page.locator(".ca-cluster").first.click()
        page.wait_for_timeout(400)
    if not page.locator(".ca-point").count():         # a stack of events at one spot: pick from the list
        page.locator(".members button").first.click()
    else:
        page.locator(".ca-point").first.click()
    page.wait_for_selector(".panel:not([hidden]) .source", timeout=10000)
    assert "Mosul" in page.text_content("#panel-title")
    marks = page.locator("#panel-body mark.ev")
    assert marks.count() >= 2
    assert "Mosul" in [marks.nth(i).text_content() for i in range(marks.count())]
    page.click("text=Read the article")
    page.wait_for_selector("#panel-body .article")
    page.screenshot(path=str(shots / "event-laptop.png"))

    # export the current selection as ACLED CSV
    with page.expect_download() as dl:
        page.click("#export-csv")
    csv_text = Path(dl.value.path()).read_text(encoding="utf-8")
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("event_id_cnty,") and len(lines) == 1 + iraq

    # the hostile report: its markup shows as text, and nothing in it runs
    page.click("#f-reset")
    page.wait_for_timeout(200)
    page.evaluate("id => { window.conflictatlas.openEvent(id); return 1; }", hostile_id)
    page.wait_for_selector("#panel-body .source", timeout=10000)
    buttons = page.locator("#panel-body button", has_text="Read the article")
    for _ in range(buttons.count()):
        buttons.first.click()
        page.wait_for_timeout(200)
    page.wait_for_selector("#panel-body .article")
    body_text = page.text_content("#panel-body")
    assert 'onerror="window.__xss=1"' in body_text and "<script>window.__xss=2</script>" in body_text
    assert page.locator("#panel img, #panel script, #panel iframe").count() == 0
    assert page.locator("datalist#actor-list img, select option img").count() == 0
    assert page.evaluate("typeof window.__xss") == "undefined"
    page.screenshot(path=str(shots / "hostile-report.png"))
    assert problems == [], problems
    page.close()


def test_phone_layout(server, browser, tmp_path):
    base, n_events, hostile_id = server
    page, problems = _open(browser, base, viewport={"width": 390, "height": 844}, is_mobile=True,
                           has_touch=True, device_scale_factor=2)
    shots = _shots(tmp_path)
    assert page.is_visible("#toggle-filters") and not page.is_visible("#filters")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390      # nothing spills sideways
    page.screenshot(path=str(shots / "map-phone.png"))
    page.click("#toggle-filters")
    assert page.is_visible("#f-country")
    page.screenshot(path=str(shots / "filters-phone.png"))
    page.click("#toggle-filters")
    page.evaluate("() => { const s = window.conflictatlas.state; window.conflictatlas.openEvent(s.ids[0]); return 1; }")
    page.wait_for_selector("#panel-body .source", timeout=10000)
    panel = page.locator("#panel").bounding_box()
    assert panel["width"] <= 390 and panel["y"] > 100                      # a bottom sheet
    page.screenshot(path=str(shots / "event-phone.png"))
    assert problems == [], problems
    page.close()
