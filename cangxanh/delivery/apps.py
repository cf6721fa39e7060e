from django.apps import AppConfig, apps
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save


class DeliveryConfig(AppConfig):
    name = "cangxanh.delivery"
    verbose_name = "Delivery"

    def ready(self) -> None:
        from . import edge, version

        # Anything a reader can see lives in these apps, and in every app whose
        # AppConfig says `public_content = True` (the other kinds of content:
        # news.kinds): saving or deleting any of it retires every cached page (at
        # commit). View counts are written with UPDATE, not save(), so counting never does.
        # Edges in front (EDGE_PURGE_URLS) are sent, at commit too, the keys of exactly
        # the pages that show what changed (delivery.edge).
        public_apps = {"core", "news", "images"} | {
            config.label
            for config in apps.get_app_configs()
            if getattr(config, "public_content", False)
        }

        def changed(sender, **kwargs):
            if sender._meta.app_label in public_apps and not kwargs.get("raw"):
                version.bump()
                if not kwargs.get("action", "").startswith("pre_"):  # m2m: once, after
                    edge.changed(kwargs["instance"], deleted=kwargs["signal"] is post_delete)

        post_save.connect(changed, weak=False, dispatch_uid="delivery-save")
        post_delete.connect(changed, weak=False, dispatch_uid="delivery-delete")
        m2m_changed.connect(changed, weak=False, dispatch_uid="delivery-m2m")
        # What an article's or translation's row held before, for the keys of a move.
        pre_save.connect(edge.before_save, weak=False, dispatch_uid="delivery-edge-before")
