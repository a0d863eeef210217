"""The only package that imports Typer: one module per command, each thin."""
