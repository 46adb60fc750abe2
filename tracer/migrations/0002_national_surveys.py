"""Install the national core questionnaire (dikti-core) and the employer survey (dikti-employer), version 1."""

from django.db import migrations


def install(apps, schema_editor):
    from tracer.questionnaires import install as install_surveys

    install_surveys(
        apps.get_model("tracer", "Survey"), apps.get_model("tracer", "SurveyVersion"),
        apps.get_model("tracer", "Question"), apps.get_model("tracer", "Option"),
    )


class Migration(migrations.Migration):
    dependencies = [("tracer", "0001_tracer"), ("alumni", "0002_provinces")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
