"""An approver's publish in a process of its own, which stops at a chosen point and
waits there to be killed: `python -m tests.faults.publisher <translation> <user> <point>`.

Points: `saved` (the row says published, nothing else is written yet), `recorded`
(everything is written, the transaction not committed), `committed` (the COMMIT has
returned, nothing after it has run). At the point it prints "ready" and blocks on its
standard input, which the test never closes."""

import sys

import django


def wait_here() -> None:
    print("ready", flush=True)
    sys.stdin.read()


def main(translation_id: int, user_id: int, point: str) -> None:
    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connections
    from django.db.models.signals import post_save

    from cangxanh.editorial import workflow
    from cangxanh.editorial.models import Action, WorkflowEvent
    from cangxanh.news.models import ArticleTranslation, Status

    def saved(sender, instance, **kwargs):
        if instance.pk == translation_id and instance.status == Status.PUBLISHED:
            wait_here()

    def recorded(sender, instance, created, **kwargs):
        if created and instance.translation_id == translation_id:
            wait_here()

    if point == "saved":
        post_save.connect(saved, sender=ArticleTranslation, weak=False)
    elif point == "recorded":
        post_save.connect(recorded, sender=WorkflowEvent, weak=False)
    elif point == "committed":
        wrapper = connections["default"]
        commit = wrapper.commit

        def commit_then_wait():
            commit()
            wait_here()

        wrapper.commit = commit_then_wait
    else:
        raise SystemExit(f"unknown point {point!r}")
    translation = ArticleTranslation.objects.get(pk=translation_id)
    workflow.perform(translation, Action.PUBLISH, get_user_model().objects.get(pk=user_id))
    raise SystemExit("the publish finished without reaching its point")


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3])
