import io

from django.core.management import CommandError, call_command

from saferhub.accounts.models import Agency
from saferhub.accounts.tests.factories import PartnershipFactory

HEADER = "external_ref,name,kind,parent\n"


def write_csv(tmp_path, text, name="orgs.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(path, *args):
    """Run import_records on a file; returns (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_records", "organisations", str(path), *args, stdout=out, stderr=err)
        code = 0
    except CommandError as exc:
        # manage.py turns a CommandError into exit status 1.
        err.write(f"CommandError: {exc}\n")
        code = 1
    return code, out.getvalue(), err.getvalue()


def agencies(partnership):
    return {a.external_ref: a for a in Agency.objects.filter(partnership=partnership).select_related("parent")}


def one_partnership():
    return PartnershipFactory(slug="testborough", name="Testborough Safer Communities Partnership")
