"""Docs that cannot drift: the CLI reference is generated from --help, and every command and
setting is documented."""
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_up_to_date():
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_cli_docs.py"), "--check"])
    assert r.returncode == 0, "docs/cli.md is stale: run `.venv/bin/python scripts/gen_cli_docs.py`"


def test_every_setting_is_explained_in_the_default_config():
    text = (ROOT / "conflictatlas" / "default_config.toml").read_text()
    data = tomllib.loads(text)
    lines = text.splitlines()
    for section, values in data.items():
        for key in values:
            idx = next(i for i, l in enumerate(lines) if l.strip().startswith(f"{key} ") or l.strip().startswith(f"{key}="))
            near = " ".join(lines[max(0, idx - 3):idx + 1])
            assert "#" in near, f"[{section}] {key} has no comment explaining it"


def test_readme_opens_with_the_two_setup_commands():
    readme = (ROOT / "README.md").read_text()
    blocks = readme.split("```bash")[1:3]
    assert "conflictatlas extract examples/reports" in blocks[0]
    assert "pytest" in blocks[1]
    ci = (ROOT / ".ci" / "run").read_text()
    assert ".venv/bin/python -m pytest -q" in ci and ".venv/bin/python -m pytest -q" in blocks[1]


def test_gen_cli_docs_help_prints_help_and_writes_nothing(tmp_path):
    target = ROOT / "docs" / "cli.md"
    before = target.stat().st_mtime_ns, target.read_bytes()
    for flag in ("--help", "-h"):
        r = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_cli_docs.py"), flag],
                           capture_output=True, text=True)
        assert r.returncode == 0 and "usage" in r.stdout.lower() and "--check" in r.stdout
        assert "wrote" not in r.stdout
    assert (target.stat().st_mtime_ns, target.read_bytes()) == before
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_cli_docs.py"), "--bogus"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and (target.stat().st_mtime_ns, target.read_bytes()) == before
