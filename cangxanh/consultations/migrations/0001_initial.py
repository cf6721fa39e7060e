import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('inbox', '0001_initial'),
        ('news', '0005_kinds'),
    ]

    operations = [
        migrations.CreateModel(
            name='Consultation',
            fields=[
            ],
            options={
                'verbose_name': 'consultation',
                'verbose_name_plural': 'consultations',
                'proxy': True,
                'indexes': [],
                'constraints': [],
            },
            bases=('news.article',),
        ),
        migrations.CreateModel(
            name='Comment',
            fields=[
                ('submission_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to='inbox.submission')),
                ('paragraph', models.CharField(blank=True, max_length=12, verbose_name='paragraph')),
                ('revision', models.PositiveIntegerField(blank=True, null=True, verbose_name='revision of the draft')),
                ('organisation', models.CharField(blank=True, max_length=200, verbose_name='organisation')),
                ('consultation', models.ForeignKey(limit_choices_to={'kind': 'consultation'}, on_delete=django.db.models.deletion.CASCADE, related_name='comments', to='news.article', verbose_name='consultation')),
            ],
            options={
                'verbose_name': 'comment on a consultation',
                'verbose_name_plural': 'comments on consultations',
                'ordering': ['created_at', 'submission_ptr_id'],
                'indexes': [models.Index(fields=['consultation', 'paragraph'], name='comment_paragraph')],
            },
            bases=('inbox.submission',),
        ),
        migrations.CreateModel(
            name='ConsultationFacts',
            fields=[
                ('article', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='consultation_facts', serialize=False, to='news.article', verbose_name='consultation')),
                ('opens_at', models.DateTimeField(db_index=True, verbose_name='opens')),
                ('closes_at', models.DateTimeField(db_index=True, verbose_name='closes')),
                ('document', models.ForeignKey(blank=True, limit_choices_to={'kind': 'document'}, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='news.article', verbose_name='draft document')),
            ],
            options={
                'verbose_name': 'dates of a consultation',
                'verbose_name_plural': 'dates of consultations',
                'constraints': [models.CheckConstraint(condition=models.Q(('closes_at__gt', models.F('opens_at'))), name='consultationfacts_closes_after_opening')],
            },
        ),
    ]
