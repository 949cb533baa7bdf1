"""Fill the phonetic keys (people.matching) of the people and aliases recorded before they existed."""

from django.db import migrations

from saferhub.people.matching import alias_keys, name_keys

BATCH = 2000


def fill(apps, schema_editor):  # noqa: ANN001, ANN201, ARG001
    Person = apps.get_model("people", "Person")  # noqa: N806
    Alias = apps.get_model("people", "Alias")  # noqa: N806
    batch = []
    for person in Person.objects.only("pk", "first_name", "last_name").iterator(chunk_size=BATCH):
        person.first_name_key, person.last_name_key = name_keys(person.first_name, person.last_name)
        batch.append(person)
        if len(batch) >= BATCH:
            Person.objects.bulk_update(batch, ["first_name_key", "last_name_key"])
            batch = []
    Person.objects.bulk_update(batch, ["first_name_key", "last_name_key"])
    aliases = []
    for alias in Alias.objects.only("pk", "name").iterator(chunk_size=BATCH):
        alias.first_name_key, alias.last_name_key = alias_keys(alias.name)
        aliases.append(alias)
        if len(aliases) >= BATCH:
            Alias.objects.bulk_update(aliases, ["first_name_key", "last_name_key"])
            aliases = []
    Alias.objects.bulk_update(aliases, ["first_name_key", "last_name_key"])


class Migration(migrations.Migration):
    dependencies = [("people", "0004_person_and_alias_phonetic_keys")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
