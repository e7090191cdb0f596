# One image recipe for every Python deployable; SERVICE picks the package `python -m $SERVICE` runs.
FROM python:3.11-slim
ARG SERVICE
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 SERVICE=${SERVICE} \
    PYTHONPATH=/app/libs/proto:/app/libs/kit:/app/services/identity:/app/services/org:/app/services/skp:/app/gateway
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY libs libs
COPY services services
COPY gateway gateway
USER 65532:65532
CMD ["sh", "-c", "exec python -m \"$SERVICE\""]
