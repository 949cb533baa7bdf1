"""`manage.py configure_partnership`: the set-up file (made-up borough "Northwick")."""

import io
import tomllib

import pytest
from django.core.management import CommandError, call_command

from saferhub.accounts import duties
from saferhub.accounts.models import Agency, Partnership, Team
from saferhub.asb.models import AsbDesk
from saferhub.audit.models import AuditEvent
from saferhub.panels.models import PanelKind, PanelType
from saferhub.setup.setupfile import SetupFileError, configure, export, toml_writer
from saferhub.victims.hub import hub_team

pytestmark = pytest.mark.django_db

FILE = """
[partnership]
slug = "northwick"
name = "Northwick Safer Communities Partnership"
areas = ["E09000901"]
peer_group = ["E09000902", "E09000903"]

[[agencies]]
name = "Family Services"
kind = "council"

[[agencies]]
name = "Northwick Council"
kind = "council"
parent = "Family Services"

  [[agencies.teams]]
  name = "Victim Care Hub"
  duties = ["victim_hub"]

  [[agencies.teams]]
  name = "Community Safety Team"
  duties = ["asb_desk", "panel:cs_marac", "panel:da_marac"]

[[agencies]]
name = "Northwick Police"
kind = "police"

[[panel_types]]
code = "ceam"
name = "Child Exploitation and Missing meeting"
cadence = "monthly"
member_agencies = ["Northwick Council", "Northwick Police"]
"""


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("configure_partnership", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def setup_file(tmp_path):
    path = tmp_path / "northwick.toml"
    path.write_text(FILE, encoding="utf-8")
    return path


def test_a_new_partnership_is_set_up_from_the_file(setup_file):
    out, _ = run(setup_file)
    partnership = Partnership.objects.get(slug="northwick")
    assert partnership.areas == ["E09000901"] and partnership.peer_group == ["E09000902", "E09000903"]
    council = Agency.objects.get(partnership=partnership, name="Northwick Council")
    assert council.parent.name == "Family Services" and council.kind == "council"
    hub = Team.objects.get(agency=council, name="Victim Care Hub")
    desk_team = Team.objects.get(agency=council, name="Community Safety Team")
    assert hub_team(partnership.pk) == hub
    assert AsbDesk.objects.get(partnership=partnership).team == desk_team
    assert PanelType.objects.get(partnership=partnership, code="da_marac").coordinating_team == desk_team
    ceam = PanelType.objects.get(partnership=partnership, code="ceam")
    assert ceam.kind == PanelKind.GENERAL and ceam.case_type.code == "ceam"
    assert sorted(ceam.member_agencies.values_list("name", flat=True)) == ["Northwick Council", "Northwick Police"]
    assert "created partnership northwick" in out and "duty victim_hub: now held by Victim Care Hub" in out


def test_running_it_again_changes_nothing(setup_file):
    run(setup_file)
    events = AuditEvent.objects.count()
    out, _ = run(setup_file)
    assert out.strip() == f"No changes: northwick already matches {setup_file}."
    assert AuditEvent.objects.count() == events


def test_every_change_is_audited(setup_file):
    run(setup_file)
    events = AuditEvent.objects.filter(partnership__slug="northwick", detail__source="configure_partnership")
    kinds = set(events.values_list("object_type", flat=True))
    assert {"accounts.partnership", "accounts.agency", "accounts.team", "panels.paneltype"} <= kinds
    # The duty changes are audited by the modules that keep them.
    assert AuditEvent.objects.filter(object_type="victims.hubconfiguration").exists()
    assert AuditEvent.objects.filter(object_type="asb.asbdesk").exists()


def test_a_dry_run_lists_the_changes_and_writes_nothing(setup_file):
    out, _ = run(setup_file, "--dry-run")
    assert "added agency Northwick Council" in out
    assert "Dry run:" in out and "nothing was written" in out
    assert not Partnership.objects.filter(slug="northwick").exists()
    assert not AuditEvent.objects.exists()


def test_export_then_configure_round_trips_byte_for_byte(setup_file, tmp_path):
    run(setup_file)
    partnership = Partnership.objects.get(slug="northwick")
    # Awkward text survives the trip: quotes, backslashes, line breaks, a carriage return.
    PanelType.objects.filter(partnership=partnership, code="ceam").update(
        referral_criteria='Refer "at once" when:\n- a child is missing\\found\r\n- or at risk', summary_days_before=3
    )
    team = Team.objects.get(name="Community Safety Team")
    team.email = "cst@northwick.example"
    team.accepts_referrals = False
    team.save()
    Team.objects.create(partnership=partnership, agency=team.agency, name="Old Team").archive(None, "gone")
    first = export(partnership)
    assert tomllib.loads(first)["partnership"]["slug"] == "northwick"
    exported = tmp_path / "exported.toml"
    exported.write_text(first, encoding="utf-8")
    out, _ = run(exported)
    assert out.startswith("No changes")
    second = io.StringIO()
    call_command("configure_partnership", "--export", "northwick", stdout=second)
    assert second.getvalue() == first


def test_an_exported_file_sets_up_another_installation_the_same(setup_file, tmp_path):
    run(setup_file)
    first = export(Partnership.objects.get(slug="northwick"))
    # Another installation: the same file under a new slug gives the same set-up.
    copy = tmp_path / "copy.toml"
    copy.write_text(first.replace('slug = "northwick"', 'slug = "northwick-copy"'), encoding="utf-8")
    run(copy)
    again = export(Partnership.objects.get(slug="northwick-copy"))
    assert again == first.replace('slug = "northwick"', 'slug = "northwick-copy"')


def test_it_never_deletes_and_retires_with_active_false(setup_file, tmp_path):
    run(setup_file)
    partnership = Partnership.objects.get(slug="northwick")
    Agency.objects.create(partnership=partnership, name="Northwick Housing")
    smaller = tmp_path / "smaller.toml"
    smaller.write_text(
        '[partnership]\nslug = "northwick"\n\n[[agencies]]\nname = "Northwick Police"\nactive = false\n',
        encoding="utf-8",
    )
    out, _ = run(smaller)
    assert "agency Northwick Police: retired (active = false)" in out
    assert Agency.objects.get(name="Northwick Housing").archived_at is None
    assert Agency.objects.get(name="Northwick Police").archived_at is not None
    assert Team.objects.filter(partnership=partnership).count() == 2
    assert partnership.name == "Northwick Safer Communities Partnership"


def test_a_duty_moves_to_the_team_the_file_names(setup_file, tmp_path):
    run(setup_file)
    moved = tmp_path / "moved.toml"
    moved.write_text(
        '[partnership]\nslug = "northwick"\n\n[[agencies]]\nname = "Northwick Police"\n\n'
        '  [[agencies.teams]]\n  name = "Safeguarding Unit"\n  duties = ["panel:ceam", "victim_hub"]\n',
        encoding="utf-8",
    )
    out, _ = run(moved)
    partnership = Partnership.objects.get(slug="northwick")
    assert hub_team(partnership.pk).name == "Safeguarding Unit"
    assert duties.holder(partnership, "panel:ceam").name == "Safeguarding Unit"
    assert "duty victim_hub: now held by Safeguarding Unit (Northwick Police)" in out


BAD = """
[partnership]
slug = "northwick"
name = "Northwick"
areas = ["E0900901", "E09000901", "E09000901"]
colour = "blue"

[[agencies]]
name = "Northwick Council"
kind = "counsel"
parent = "Nobody"

  [[agencies.teams]]
  name = "Hub"
  duties = ["victim_hub", "victim_hubb", "panel:nope"]

  [[agencies.teams]]
  name = "Desk"
  duties = ["victim_hub"]
  active = "yes"

[[agencies]]
name = "northwick council"

[[panel_types]]
code = "ceam"
summary_days_before = 90
review_interval_days = 0
member_agencies = ["Northwick Council", "Ghost Agency"]
case_type = "missing_type"
"""


def test_a_bad_file_names_every_problem_by_key_path_and_changes_nothing(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(BAD, encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="problems; nothing was changed"):
        call_command("configure_partnership", str(path), stdout=io.StringIO(), stderr=err)
    problems = err.getvalue().splitlines()
    expected = [
        "partnership.colour: unknown key",
        "partnership.areas[0]: 'E0900901' is not the ONS code of a local authority",
        "partnership.areas[2]: 'E09000901' is listed twice",
        "agencies[0].kind: 'counsel' is not one of",
        "agencies[0].parent: unknown agency 'Nobody'",
        "agencies[0].teams[0].duties[1]: unknown duty 'victim_hubb'",
        "agencies[0].teams[0].duties[2]: unknown duty 'panel:nope': there is no active panel type 'nope'",
        "agencies[0].teams[1].duties[0]: duty 'victim_hub' is already given to agencies[0].teams[0]",
        "agencies[0].teams[1].active: must be true or false",
        "agencies[1].name: 'northwick council' is already named at agencies[0]",
        "panel_types[0].summary_days_before: 90 is out of range: use a whole number from 0 to 60",
        "panel_types[0].review_interval_days: 0 is out of range: use a whole number from 1 to 365",
        "panel_types[0].name: is required for a new panel type",
        "panel_types[0].case_type: unknown case type 'missing_type'",
        "panel_types[0].member_agencies[1]: unknown agency 'Ghost Agency'",
    ]
    for start in expected:
        assert any(problem.startswith(start) for problem in problems), (start, problems)
    assert len(problems) == len(expected)
    assert not Partnership.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_bad_file_leaves_an_existing_partnership_as_it_was(setup_file, tmp_path):
    run(setup_file)
    before = export(Partnership.objects.get(slug="northwick"))
    path = tmp_path / "half.toml"
    # The first agency is fine, the second is not: neither is written.
    path.write_text(
        '[partnership]\nslug = "northwick"\nname = "Renamed"\n\n[[agencies]]\nname = "New Agency"\n\n'
        '[[agencies]]\nname = "Other"\nkind = "nonsense"\n',
        encoding="utf-8",
    )
    with pytest.raises(SetupFileError) as error:
        configure(path.read_text())
    assert error.value.problems == [
        "agencies[1].kind: 'nonsense' is not one of "
        + ", ".join(["council", "police", "probation", "housing", "health", "voluntary", "education", "other"])
    ]
    assert export(Partnership.objects.get(slug="northwick")) == before


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("slug = ", "the file is not valid TOML"),
        ('[[agencies]]\nname = "A"\n', "partnership: is required"),
        ('[partnership]\nslug = "new-one"\n', "partnership.name: is required for a new partnership"),
        ('[partnership]\nslug = "Not a slug!"\nname = "X"\n', "partnership.slug: 'Not a slug!' is not a code"),
        (
            '[partnership]\nslug = "n"\nname = "N"\nareas = ["E09000901"]\npeer_group = ["E09000901"]\n',
            "partnership.peer_group[0]: E09000901 is one of the partnership's own areas",
        ),
        (
            '[partnership]\nslug = "n"\nname = "N"\n[[case_types]]\ncode = "x"\nname = "X"\nprefix = "VCH"\n',
            "case_types[0].prefix: 'VCH' is the prefix of case type 'vch'",
        ),
        (
            '[partnership]\nslug = "n"\nname = "N"\n[[agencies]]\nname = "A"\nparent = "B"\n[[agencies]]\nname = "B"\n',
            "agencies[0].parent: unknown agency 'B': name it in an earlier [[agencies]] table",
        ),
        (
            '[partnership]\nslug = "n"\nname = "N"\n[[panel_types]]\ncode = "da_marac"\nassessment_template = "nope"\n',
            "panel_types[0].assessment_template: unknown assessment template 'nope'",
        ),
    ],
)
def test_single_mistakes_are_named(text, problem):
    with pytest.raises(SetupFileError) as error:
        configure(text)
    assert any(p.startswith(problem) for p in error.value.problems), error.value.problems
    assert not Partnership.objects.exists()


def test_the_command_reports_a_missing_file_and_needs_a_file_or_export(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("configure_partnership", str(tmp_path / "missing.toml"))
    with pytest.raises(CommandError, match="Give the set-up file"):
        call_command("configure_partnership")
    with pytest.raises(CommandError, match="There is no partnership 'nowhere'"):
        call_command("configure_partnership", "--export", "nowhere")


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        'quote " and \\ backslash',
        "line\nbreaks\n",
        "tab\tand\r\ncrlf",
        'ends with quote"',
        "\u00e9 \u2013 \u0007",
    ],
)
def test_the_writer_writes_what_tomllib_reads_back(text):
    data = {
        "partnership": {"slug": "n", "name": text, "areas": [text]},
        "agencies": [{"name": text, "teams": [{"name": text}]}],
    }
    assert tomllib.loads(toml_writer.dumps(data)) == data


@pytest.fixture
def notes_section():
    """A module's own table, `[[notes]]`, kept here in a dict for the test."""
    from saferhub.setup.setupfile.sections import Section, register_section, unregister_section

    held: dict[int, list[str]] = {}

    def check(value, partnership, problem):
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            problem("notes", "must be an array of tables, written [[notes]]")
            return []
        texts = []
        for index, item in enumerate(value):
            if not isinstance(item.get("text"), str):
                problem(f"notes[{index}].text", "is required")
            else:
                texts.append(item["text"])
        return texts

    def apply(texts, partnership, actor, note):
        current = held.setdefault(partnership.pk, [])
        for text in texts:
            if text not in current:
                current.append(text)
                note(f"added note {text}")

    register_section(Section("notes", check, apply, lambda p: [{"text": t} for t in held.get(p.pk, [])]))
    yield held
    unregister_section("notes")


def test_a_module_adds_a_table_of_its_own(setup_file, tmp_path, notes_section):
    with_notes = tmp_path / "notes.toml"
    with_notes.write_text(FILE + '\n[[notes]]\ntext = "First"\n\n[[notes]]\ntext = "Second"\n', encoding="utf-8")
    out, _ = run(with_notes)
    assert "added note First" in out and "added note Second" in out
    partnership = Partnership.objects.get(slug="northwick")
    exported = export(partnership)
    assert tomllib.loads(exported)["notes"] == [{"text": "First"}, {"text": "Second"}]
    path = tmp_path / "exported.toml"
    path.write_text(exported, encoding="utf-8")
    assert run(path)[0].startswith("No changes")
    bad = tmp_path / "bad.toml"
    bad.write_text('[partnership]\nslug = "northwick"\n\n[[notes]]\ntxt = "x"\n', encoding="utf-8")
    with pytest.raises(SetupFileError) as error:
        configure(bad.read_text())
    assert error.value.problems == ["notes[0].text: is required"]


def test_an_unregistered_table_is_an_unknown_key():
    with pytest.raises(SetupFileError) as error:
        configure('[partnership]\nslug = "n"\nname = "N"\n\n[[notes]]\ntext = "x"\n')
    assert error.value.problems[0].startswith("notes: unknown key (known keys here: partnership, agencies")


def test_the_kind_of_a_panel_type_with_referrals_stays(setup_file, tmp_path):
    run(setup_file)
    referrals = tmp_path / "referrals.csv"
    referrals.write_text(
        "external_ref,panel_type,referral_date,victim_ref,referring_agency\nM1,da_marac,2023-04-12,V1,Northwick Police\n",
        encoding="utf-8",
    )
    call_command(
        "import_records", "marac-referrals", str(referrals), "--partnership", "northwick", stdout=io.StringIO()
    )
    text = '[partnership]\nslug = "northwick"\n\n[[panel_types]]\ncode = "da_marac"\nkind = "general"\n'
    with pytest.raises(SetupFileError) as error:
        configure(text)
    assert error.value.problems == ["panel_types[0].kind: DA MARAC already has referrals: its kind stays 'da_marac'"]
    # A panel type with no referrals yet may change its kind.
    result = configure(text.replace("da_marac", "cs_marac"))
    assert result.changes == ["panel type cs_marac: kind 'cs_marac' → 'general'"]
