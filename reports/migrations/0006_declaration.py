"""Declarations (CONTRACT.md 1.1): the figure each side of a pair declares per (year, indicator,
region, side) for the self-evaluation and the cross-check, with their history."""

import cooperation.fields
import cooperation.indicators_base
import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cooperation', '0001_initial'),
        ('reports', '0005_report_region'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalDeclaration',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='updated at')),
                ('year', cooperation.fields.YearField(verbose_name='year')),
                ('indicator', models.CharField(choices=cooperation.indicators_base.indicator_choices, max_length=64, verbose_name='indicator')),
                ('side', models.CharField(choices=[('east', 'East (assisting)'), ('west', 'West (assisted)')], help_text='The side of the pair that declares it.', max_length=4, verbose_name='declared by')),
                ('value', models.DecimalField(decimal_places=2, help_text="In the indicator's unit: yuan for money, a whole number for a count.", max_digits=18, validators=[django.core.validators.MinValueValidator(0)], verbose_name='declared value')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('region', models.ForeignKey(blank=True, db_constraint=False, help_text='The western region the figure is about.', limit_choices_to={'side': 'west'}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cooperation.region', verbose_name='region')),
            ],
            options={
                'verbose_name': 'historical declaration',
                'verbose_name_plural': 'historical declarations',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Declaration',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('year', cooperation.fields.YearField(verbose_name='year')),
                ('indicator', models.CharField(choices=cooperation.indicators_base.indicator_choices, max_length=64, verbose_name='indicator')),
                ('side', models.CharField(choices=[('east', 'East (assisting)'), ('west', 'West (assisted)')], help_text='The side of the pair that declares it.', max_length=4, verbose_name='declared by')),
                ('value', models.DecimalField(decimal_places=2, help_text="In the indicator's unit: yuan for money, a whole number for a count.", max_digits=18, validators=[django.core.validators.MinValueValidator(0)], verbose_name='declared value')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('region', models.ForeignKey(help_text='The western region the figure is about.', limit_choices_to={'side': 'west'}, on_delete=django.db.models.deletion.PROTECT, related_name='declarations', to='cooperation.region', verbose_name='region')),
            ],
            options={
                'verbose_name': 'declaration',
                'verbose_name_plural': 'declarations',
                'ordering': ['-year', 'region__code', 'indicator', 'side'],
                'constraints': [models.UniqueConstraint(fields=('year', 'indicator', 'region', 'side'), name='declaration_unique_year_indicator_region_side', violation_error_message='This side has already declared this indicator for this year and region.'), models.CheckConstraint(condition=models.Q(('value__gte', 0)), name='declaration_value_not_negative', violation_error_message='A declared value cannot be negative.')],
            },
        ),
    ]
