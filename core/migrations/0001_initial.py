"""The audit log, notifications and notification preferences move from the project package (alumni_portal) to
core without touching the database: core takes the three models over in Django's migration state, on their
existing tables (alumni_portal 0006 lets go of them); 0002 then renames the tables to core's names."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('alumni_portal', '0005_audit_subject'),
        ('alumni', '0006_nim_unique_among_verified'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='AuditLog',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='when')),
                        ('action', models.CharField(db_index=True, max_length=100, verbose_name='action')),
                        ('target_type', models.CharField(max_length=100, verbose_name='object type')),
                        ('target_id', models.CharField(max_length=64, verbose_name='object id')),
                        ('target_repr', models.CharField(max_length=200, verbose_name='object')),
                        ('data', models.JSONField(blank=True, default=dict, verbose_name='details')),
                        ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL, verbose_name='who')),
                        ('study_program', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to='alumni.studyprogram', verbose_name='study program')),
                        ('subject', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='whose data')),
                    ],
                    options={
                        'db_table': 'alumni_portal_auditlog',
                        'verbose_name': 'audit log entry',
                        'verbose_name_plural': 'audit log',
                        'ordering': ['-created_at', '-pk'],
                        'indexes': [models.Index(fields=['target_type', 'target_id'], name='alumni_port_target__15c5d6_idx')],
                    },
                ),
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(max_length=200, unique=True, verbose_name='key')),
                        ('kind', models.CharField(db_index=True, max_length=50, verbose_name='kind')),
                        ('subject', models.CharField(max_length=200, verbose_name='subject')),
                        ('body', models.TextField(verbose_name='body')),
                        ('body_html', models.TextField(blank=True, verbose_name='HTML body')),
                        ('link', models.CharField(blank=True, max_length=500, verbose_name='link')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent')),
                        ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='read')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                        ('locked_until', models.DateTimeField(blank=True, null=True, verbose_name='locked until')),
                        ('failed_at', models.DateTimeField(blank=True, null=True, verbose_name='failed')),
                        ('last_error', models.TextField(blank=True, verbose_name='last error')),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL, verbose_name='recipient')),
                    ],
                    options={
                        'db_table': 'alumni_portal_notification',
                        'verbose_name': 'notification',
                        'verbose_name_plural': 'notifications',
                        'ordering': ['-created_at'],
                        'indexes': [models.Index(fields=['sent_at', 'failed_at'], name='alumni_port_sent_at_eeb7aa_idx')],
                    },
                ),
                migrations.CreateModel(
                    name='NotificationPreference',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=50, verbose_name='kind')),
                        ('enabled', models.BooleanField(default=True, verbose_name='send')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notification_preferences', to=settings.AUTH_USER_MODEL, verbose_name='person')),
                    ],
                    options={
                        'db_table': 'alumni_portal_notificationpreference',
                        'verbose_name': 'notification preference',
                        'verbose_name_plural': 'notification preferences',
                        'constraints': [models.UniqueConstraint(fields=('user', 'kind'), name='notification_preference_unique')],
                    },
                ),
            ],
        ),
    ]
