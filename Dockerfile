# One app process per container. For a class, run several and put HAProxy in front:
# python deploy/cluster.py --replicas 0 --backend HOST:PORT --backend HOST:PORT ... (README, "Hosting for a class").
FROM python:3.11-slim

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY .streamlit .streamlit
COPY app.py .
COPY calc_core calc_core
COPY lessons lessons
COPY ui ui

# Concurrent sessions share the container's cores; one BLAS thread each keeps them from fighting.
ENV OPENBLAS_NUM_THREADS=1
RUN useradd --create-home lab
USER lab

EXPOSE 8501
CMD ["streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0", "--server.headless=true"]
