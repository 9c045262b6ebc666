# Backprop Explorer: `docker build -t backprop-explorer . && docker run -p 8000:8000 backprop-explorer`
# WORKERS sets uvicorn's worker processes (default 2): `docker run -e WORKERS=4 ...`.
FROM python:3.11-slim

# Nothing is written at run time (no bytecode, no cache): the image runs with a read-only
# root filesystem (deploy/deployment.yaml).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    WORKERS=2

WORKDIR /srv/explorer
COPY pyproject.toml README.md ./
COPY core core
COPY app app
COPY templates templates
COPY static static
# Editable, so that the templates and static files are found beside the code. A numeric
# user, so that Kubernetes can check runAsNonRoot.
RUN pip install -e . && useradd --uid 10001 --no-create-home --shell /usr/sbin/nologin explorer
USER 10001

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
# Stateless: any number of workers (or replicas) serve the same answers. A shell, to read
# WORKERS; exec, so that uvicorn is PID 1 and gets the stop signal. uvicorn's access log is
# off: the app writes one line per request, with its request id.
CMD exec uvicorn app.main:app --host 0.0.0.0 --port 8000 --workers "${WORKERS:-2}" --no-access-log
