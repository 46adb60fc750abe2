FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY alumni_portal alumni_portal
COPY alumni alumni
COPY programs programs
COPY tracer tracer
COPY donations donations
RUN pip install --no-cache-dir .
COPY . .
# Static files are collected into the image; whitenoise serves them.
RUN DJANGO_SETTINGS_MODULE=alumni_portal.settings.production SECRET_KEY=collectstatic-only ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput
RUN useradd --create-home portal && mkdir -p /data/media && chown portal /data/media
USER portal
EXPOSE 8000
