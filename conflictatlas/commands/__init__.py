"""CLI commands, one module per area; each registers on ``conflictatlas.cli.main``."""
