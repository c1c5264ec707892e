"""Write docs/cli.md from the CLI's own --help (so the reference cannot drift).

    .venv/bin/python scripts/gen_cli_docs.py          # rewrite docs/cli.md
    .venv/bin/python scripts/gen_cli_docs.py --check  # exit 1 if it is out of date
"""
from __future__ import annotations

import sys
from pathlib import Path

import click
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from conflictatlas.cli import main  # noqa: E402


def _commands(group: click.Group, prefix: list[str]):
    for name in sorted(group.commands):
        cmd = group.commands[name]
        yield prefix + [name], cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, prefix + [name])


def render() -> str:
    runner = CliRunner()
    parts = ["# Command-line reference", "",
             "Generated from `--help` by `scripts/gen_cli_docs.py`; a test fails when it is out of date.", ""]
    for path, _cmd in [([], main)] + list(_commands(main, [])):
        res = runner.invoke(main, path + ["--help"], prog_name="conflictatlas", terminal_width=100)
        title = " ".join(["conflictatlas"] + path)
        parts += [f"## `{title}`", "", "```text", res.output.rstrip(), "```", ""]
    return "\n".join(parts)


def main_(argv: list[str] | None = None) -> int:
    import argparse
    ap = argparse.ArgumentParser(prog="gen_cli_docs.py",
                                 description="Write docs/cli.md from the CLI's own --help.")
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if docs/cli.md is out of date")
    args = ap.parse_args(argv)
    out = ROOT / "docs" / "cli.md"
    text = render()
    if args.check:
        return 0 if out.exists() and out.read_text() == text else 1
    out.write_text(text)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main_())
