"""Reports per region (CONTRACT.md 1.1): an optional region, and one report per (kind, period,
region), the empty region (the whole programme) counting as one value (NULLS NOT DISTINCT,
PostgreSQL 15+). Existing reports are the programme-wide ones and keep their key."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cooperation', '0001_initial'),
        ('reports', '0004_requeue_every_minute'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='report',
            name='report_unique_kind_period',
        ),
        migrations.AddField(
            model_name='historicalreport',
            name='region',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='Empty: the whole programme.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cooperation.region', verbose_name='region'),
        ),
        migrations.AddField(
            model_name='report',
            name='region',
            field=models.ForeignKey(blank=True, help_text='Empty: the whole programme.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reports', to='cooperation.region', verbose_name='region'),
        ),
        migrations.AddConstraint(
            model_name='report',
            constraint=models.UniqueConstraint(fields=('kind', 'period_start', 'region'), name='report_unique_kind_period_region', nulls_distinct=False, violation_error_message='A report of this kind for this period and region already exists.'),
        ),
    ]
