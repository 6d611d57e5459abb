"""The HTTP API: a thin FastAPI shell over the same pipeline and queries as the CLI."""
