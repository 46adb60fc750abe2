# The admin showed two models called "Jawaban": a questionnaire response and the answer to one of its questions.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("tracer", "0003_lkps"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="answer",
            options={"verbose_name": "answer to one question", "verbose_name_plural": "answers to single questions"},
        ),
        migrations.AlterModelOptions(
            name="response",
            options={
                "ordering": ["-started_at"],
                "verbose_name": "questionnaire response",
                "verbose_name_plural": "questionnaire responses",
            },
        ),
    ]
