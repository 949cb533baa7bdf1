"""A task for the worker-pool test: module-level, as django-tasks requires."""

from django_tasks import task


@task()
def count_words(text: str) -> dict[str, int]:
    words = text.split()
    return {"words": len(words), "distinct": len({w.lower() for w in words})}
