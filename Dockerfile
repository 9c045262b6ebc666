# Backprop Explorer: `docker build -t backprop-explorer . && docker run -p 8000:8000 backprop-explorer`
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /srv/explorer
COPY pyproject.toml README.md ./
COPY core core
COPY app app
COPY templates templates
COPY static static
# Editable, so that the templates and static files are found beside the code.
RUN pip install -e . && useradd --create-home explorer
USER explorer

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
# Stateless: any number of workers (or replicas) serve the same answers.
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
