"""Reports not in English: the language is recognised, a Spanish, French or Portuguese report is
typed from its opening with a small cue list (flagged, low confidence), and the user is told
(W310). Texts written here."""
import json
import subprocess
import sys

import conflictatlas
from conflictatlas import eventtypes
from conflictatlas.stages.article import language_notice
from conflictatlas.stages.clean import guess_language

ES = """Encapuchados atacaron con piedras a manifestantes durante una marcha en Valparaíso

Durante la marcha por las pensiones en el centro de Valparaíso, un grupo de encapuchados lanzó piedras
contra los carabineros y levantó barricadas en la avenida, según informaron testigos.

Carabineros usó gases lacrimógenos para dispersar a los manifestantes. Según la policía, cinco personas
fueron detenidas y dos funcionarios resultaron heridos.

Los organizadores de la marcha condenaron la violencia y dijeron que la protesta había sido pacífica.
"""

FR = ("Des hommes armés ont tué dix civils dans le village, selon une source sécuritaire et les habitants. "
      "Les assaillants sont arrivés à moto et ont incendié des boutiques avant de repartir vers la frontière.")

PT = ("Um confronto entre a polícia e homens armados deixou três mortos na comunidade, segundo a polícia, "
      "que não deu mais detalhes sobre o tiroteio durante a operação.")


def test_the_language_of_a_report_is_recognised():
    assert guess_language(ES) == "es" and guess_language(FR) == "fr" and guess_language(PT) == "pt"
    assert guess_language("Gunmen killed ten villagers in the north of the country on Sunday, the police "
                          "said, and burned several houses before they fled on motorcycles.") == "en"


def test_the_small_cue_list_types_each_language():
    assert eventtypes.classify_foreign(ES, "es").sub_event_type == "Violent demonstration"
    assert eventtypes.classify_foreign(FR, "fr").sub_event_type == "Attack"
    assert eventtypes.classify_foreign(PT, "pt").sub_event_type == "Armed clash"
    assert eventtypes.classify_foreign("El congreso aprobó la ley de presupuesto para el año próximo.", "es") is None
    assert eventtypes.classify_foreign(ES, "en") is None


def test_a_spanish_report_gives_one_flagged_event_and_a_warning():
    doc = conflictatlas.extract(ES, published="2025-04-02")
    assert doc.language == "es"
    assert [(e.event_type, e.sub_event_type) for e in doc.events] == [("Riots", "Violent demonstration")]
    ev = doc.events[0]
    assert ev.extra["language"] == "es" and ev.confidence < 0.5 and ev.country == "Chile"
    assert "Spanish report" in ev.extra["type_why"]
    note = language_notice(doc)
    assert note.startswith("[W310]") and "Spanish" in note and "1 event typed" in note


def test_an_english_report_gives_no_language_notice():
    doc = conflictatlas.extract("Gunmen killed ten villagers in Konduga, Borno State, on Sunday, police said.",
                                published="2025-04-02")
    assert doc.language == "en" and language_notice(doc) is None


def test_the_cli_warns_about_a_report_not_in_english(tmp_path):
    src = tmp_path / "marcha.txt"
    src.write_text(ES, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = subprocess.run([sys.executable, "-m", "conflictatlas", "extract", str(src), "--published", "2025-04-02",
                        "-o", str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "[W310]" in r.stderr and "Spanish" in r.stderr
    rec = json.loads(out.read_text().splitlines()[0])
    assert rec["language"] == "es" and rec["events"][0]["event_type"] == "Riots"


def test_the_cue_lists_know_a_blast_from_the_air_and_an_accident():
    assert eventtypes.classify_foreign("Des frappes aériennes ont visé le village dans la nuit, selon des habitants.",
                                       "fr").sub_event_type == "Air/drone strike"
    assert eventtypes.classify_foreign("Tres misiles cayeron sobre la ciudad, según el gobierno.",
                                       "es").sub_event_type == "Shelling/artillery/missile attack"
    assert eventtypes.classify_foreign("Le milieu de terrain a marqué sur une frappe du pied gauche, selon le club.",
                                       "fr") is None
    assert eventtypes.classify_foreign("Un camion a percuté un bus: trois tués dans un accident de la route.",
                                       "fr") is None


def test_ingest_warns_about_a_report_not_in_english_and_stores_its_event(tmp_path):
    src = tmp_path / "marcha.txt"
    src.write_text(ES, encoding="utf-8")
    db = tmp_path / "e.db"
    r = subprocess.run([sys.executable, "-m", "conflictatlas", "ingest", str(src), "--published", "2025-04-02",
                        "--db", str(db), "-q"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "[W310]" in r.stderr and "Spanish" in r.stderr
    from conflictatlas.store import Store
    with Store(db) as store:
        assert store.counts()["events"] == 1
