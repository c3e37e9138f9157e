# Khabar stream worker image.
#
#   docker build -t khabar-worker .
#   docker run --rm -p 127.0.0.1:6066:6066 -e KHABAR_WEB_HOST=0.0.0.0 \
#     -e KHABAR_KAFKA_BOOTSTRAP=kafka:9092 \
#     -e KHABAR_SEARCH_URL=http://elasticsearch:9200 \
#     khabar-worker            # runs `khabar worker`
#
# Any other `khabar` sub-command can be given instead, e.g. `docker run --rm khabar-worker --help`.

ARG PYTHON_IMAGE=python:3.11.11-slim-bookworm

# ---------------------------------------------------------------------------
# build: compile/install the project and its dependencies into a virtualenv
# ---------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

# A compiler is only needed here, for any dependency that ships no wheel for this platform.
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*

RUN python -m venv /opt/khabar
ENV PATH=/opt/khabar/bin:$PATH

WORKDIR /src

# Dependencies first, against an empty package, so this layer stays cached while only
# the project's own code changes.
COPY pyproject.toml README.md ./
RUN mkdir streams && touch streams/__init__.py \
    && pip install . \
    && pip uninstall -y khabar \
    && rm -rf streams build ./*.egg-info

# Then the project itself (its data files and schemas are package data under streams/).
COPY streams ./streams
RUN pip install --no-deps . \
    && khabar --help > /dev/null

# ---------------------------------------------------------------------------
# runtime: slim image, no compiler, unprivileged user
# ---------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

# The worker's web port (/metrics, /healthz, /readyz) stays on 127.0.0.1 unless KHABAR_WEB_HOST says
# otherwise: a published port or a scraping Prometheus needs KHABAR_WEB_HOST=0.0.0.0, given where the
# container is run (docker-compose.yml does), so the image never exposes it on its own.
# KHABAR_DATA_DIR:   the worker's local state; mount a volume here to keep it across containers.
# KHABAR_SCHEMAS_DIR: the project's top-level schemas/ folder, which is not part of the package.
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/opt/khabar/bin:$PATH \
    KHABAR_WEB_PORT=6066 \
    KHABAR_DATA_DIR=/var/lib/khabar \
    KHABAR_SCHEMAS_DIR=/opt/khabar/schemas

RUN groupadd --system --gid 10001 khabar \
    && useradd --system --uid 10001 --gid khabar \
       --home-dir /home/khabar --create-home --shell /usr/sbin/nologin khabar \
    && install -d -o khabar -g khabar -m 0750 /var/lib/khabar

COPY --from=build /opt/khabar /opt/khabar
COPY schemas /opt/khabar/schemas

WORKDIR /home/khabar
USER khabar

EXPOSE 6066

# Passes when /healthz answers 2xx; a refused connection, a timeout or any other status fails it.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('KHABAR_WEB_PORT', '6066'), timeout=4).close()"]

ENTRYPOINT ["khabar"]
CMD ["worker"]
