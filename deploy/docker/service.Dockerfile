# The image of one deployable: its package, the kit and the contracts with the deployable's locked runtime
# dependencies only (no test or dev tools), as a non-root user. Build context: the repository root;
# skaffold.yaml passes the build args of each deployable.
#   MEMBER  the deployable's workspace folder (services/skp, gateway); its requirements.lock is installed
#   MODULE  what `python -m` runs (skp, gateway)
#   PORT    the port it listens on; HEALTH what kinerja_kit.healthcheck asks (host:port for gRPC, or a URL),
#           or "none" for a process without a port (the worker tier: its Deployment's probes judge it)
ARG PYTHON_IMAGE=python:3.11-slim

FROM ${PYTHON_IMAGE} AS build
ARG MEMBER
COPY tools/bootstrap.txt /tmp/bootstrap.txt
RUN pip install --no-cache-dir --no-deps --require-hashes -r /tmp/bootstrap.txt
WORKDIR /src
COPY ${MEMBER}/requirements.lock ${MEMBER}/requirements.lock
RUN python -m venv /opt/kinerja \
 && uv pip install --no-cache --python /opt/kinerja/bin/python --require-hashes -r ${MEMBER}/requirements.lock
COPY libs/proto libs/proto
COPY libs/kit libs/kit
COPY ${MEMBER} ${MEMBER}
RUN uv pip install --no-cache --python /opt/kinerja/bin/python --no-deps libs/proto libs/kit ${MEMBER}

FROM ${PYTHON_IMAGE}
ARG MODULE
ARG PORT
ARG HEALTH=127.0.0.1:${PORT}
COPY --from=build /opt/kinerja /opt/kinerja
# GRPC_* configure a service, GATEWAY_* the gateway; each reads only its own.
ENV PATH=/opt/kinerja/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    KINERJA_MODULE=${MODULE} HEALTHCHECK_TARGET=${HEALTH} \
    GRPC_HOST=0.0.0.0 GRPC_PORT=${PORT} GATEWAY_HOST=0.0.0.0 GATEWAY_PORT=${PORT}
USER 65532:65532
EXPOSE ${PORT}
# The gateway's /healthz answers 200 only when every service answers; the cluster's probes decide restarts.
HEALTHCHECK --interval=15s --timeout=5s \
  CMD ["sh", "-c", "[ \"$HEALTHCHECK_TARGET\" = none ] || exec python -m kinerja_kit.healthcheck"]
CMD ["sh", "-c", "exec python -m \"$KINERJA_MODULE\""]
