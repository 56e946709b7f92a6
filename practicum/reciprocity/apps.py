from django.apps import AppConfig
from django.db.models.signals import post_save


def _event_recorded(sender, instance, created, raw=False, **kwargs):
    """A new event the index reads makes the engagement's stored row out of date."""
    from practicum.reciprocity import index, services

    if not raw and instance.kind in index.KINDS:
        services.mark_changed(instance.engagement_id)


def _agreement_saved(sender, instance, raw=False, **kwargs):
    """The terms in force (dates, response times, deliverables) feed the index too."""
    from practicum.reciprocity import services

    if not raw:
        services.mark_changed(instance.engagement_id)


def _engagement_saved(sender, instance, created, raw=False, **kwargs):
    from practicum.reciprocity import services

    if raw:
        return
    if created:
        services.start_tally(instance)
    else:
        services.mark_changed(instance.pk)


class ReciprocityConfig(AppConfig):
    name = "practicum.reciprocity"
    label = "reciprocity"
    verbose_name = "Reciprocity index and dashboards"

    def ready(self):
        # Signals rather than lifecycle handlers: tests, the demo and the workspace write events
        # and agreements directly, and every such write must reach the stored index. Each
        # handler is one UPDATE in the writer's transaction; the recomputation happens when the
        # index is next read or in the periodic pass (reminders.py).
        from practicum.engagements.models import AgreementVersion, Engagement, EngagementEvent

        post_save.connect(_event_recorded, sender=EngagementEvent, dispatch_uid="reciprocity.event")
        post_save.connect(
            _agreement_saved, sender=AgreementVersion, dispatch_uid="reciprocity.agreement"
        )
        post_save.connect(
            _engagement_saved, sender=Engagement, dispatch_uid="reciprocity.engagement"
        )
