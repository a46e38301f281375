# onetlocal: the API in a slim, non-root image.
#   docker build -t onetlocal .
#   docker run -p 8080:8080 -v onetlocal-data:/data onetlocal
# The database lives in the /data volume: built there on first start (from the public sources, downloaded into
# /data/sources by `onetlocal fetch`), or mount a folder holding the sources (layout of `onetlocal fetch`) at
# /data/sources, or an already built database at /data/onet.sqlite. To bake the database into the image instead,
# build with `--build-arg BAKE_DB=1` (needs network at image build).

FROM python:3.11-slim AS wheel
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY src ./src
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.11-slim
ARG BAKE_DB=0
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    ONETLOCAL_DB=/data/onet.sqlite \
    ONETLOCAL_DATA=/data/sources
RUN useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin onetlocal \
    && mkdir -p /data \
    && chown onetlocal:onetlocal /data
COPY --from=wheel /wheels /wheels
COPY constraints.txt /tmp/constraints.txt
# The versions CI tested (constraints.txt); [redis] for --redis-url (compose.yaml's replicas share keys in Redis).
RUN pip install --no-cache-dir -c /tmp/constraints.txt "$(ls /wheels/onetlocal-*.whl)[redis]" \
    && rm -rf /wheels /tmp/constraints.txt
USER onetlocal
WORKDIR /data
RUN if [ "$BAKE_DB" = "1" ]; then onetlocal fetch --dest /data/sources && onetlocal build --data /data/sources; fi
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=15m --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=2).status != 200)"]
ENTRYPOINT ["onetlocal"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8080", "--access-log", "json"]
