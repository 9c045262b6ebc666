"""Assembles the FastAPI application."""

from fastapi import FastAPI

app = FastAPI(title="Backprop Explorer")


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}
