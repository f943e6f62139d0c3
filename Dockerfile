FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml ./
RUN pip install --no-cache-dir pip==25.3 && mkdir -p sgs_portal && touch sgs_portal/__init__.py \
    && pip install --no-cache-dir -e . && rm -rf sgs_portal
COPY . .
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput
RUN useradd --create-home portal && chown -R portal /app
USER portal
EXPOSE 8000
CMD ["gunicorn", "sgs_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2"]
