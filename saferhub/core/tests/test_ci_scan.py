"""The CI scan's verdict on audit reports (.ci/vulnerabilities.py): fail on a fixable
vulnerability, list an unfixed one, never pass a report that audited nothing."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / ".ci" / "vulnerabilities.py"


def verdict(tmp_path, tool, report):
    path = tmp_path / "report.json"
    path.write_text(report if isinstance(report, str) else json.dumps(report), encoding="utf-8")
    command = [sys.executable, str(SCRIPT), tool, str(path)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 - our script, test inputs
    return done.returncode, done.stdout


def pip_report(*vulns, skip=False):
    dependencies = [{"name": "safe", "version": "1.0", "vulns": []}]
    if vulns:
        dependencies.append({"name": "shaky", "version": "2.0", "vulns": list(vulns)})
    if skip:
        dependencies.append({"name": "lost", "skip_reason": "Dependency not found on PyPI: lost (3.0)"})
    return {"dependencies": dependencies, "fixes": []}


FIXED = {"id": "PYSEC-2026-1", "aliases": ["CVE-2026-0001"], "fix_versions": ["2.1"], "description": ""}
UNFIXED = {"id": "GHSA-xxxx", "aliases": [], "fix_versions": [], "description": ""}


@pytest.mark.parametrize(
    ("report", "code", "says"),
    [
        (pip_report(), 0, "no known vulnerabilities with a fix"),
        (pip_report(FIXED), 1, "shaky 2.0: PYSEC-2026-1, CVE-2026-0001; fixed in 2.1"),
        (pip_report(UNFIXED), 0, "shaky 2.0: GHSA-xxxx; no fixed release yet"),
        (pip_report(UNFIXED, FIXED), 1, "fixed in 2.1"),
        (pip_report(skip=True), 2, "NOT AUDITED"),
        ({"dependencies": [{"name": "a", "skip_reason": "not found: a (1)"}]}, 2, "all 1 packages"),
        ({}, 2, "lists no packages"),
        ("", 2, "lists no packages"),
        ("not json", 2, "no readable audit report"),
    ],
)
def test_pip_audit_reports(tmp_path, report, code, says):
    returned, out = verdict(tmp_path, "pip", report)
    assert returned == code and says in out


def npm_vuln(fix):
    return {
        "name": "htmx.org",
        "severity": "moderate",
        "via": [{"title": "XSS", "url": "https://github.com/advisories/GHSA-test"}],
        "range": "<2.0.12",
        "fixAvailable": fix,
    }


@pytest.mark.parametrize(
    ("report", "code", "says"),
    [
        ({"auditReportVersion": 2, "vulnerabilities": {}}, 0, "no known vulnerabilities with a fix"),
        ({"vulnerabilities": {"htmx.org": npm_vuln(True)}}, 1, "GHSA-test"),
        (
            {
                "vulnerabilities": {
                    "htmx.org": npm_vuln({"name": "htmx.org", "version": "3.0.0", "isSemVerMajor": True})
                }
            },
            1,
            "fixed by htmx.org 3.0.0 (a major upgrade)",
        ),
        ({"vulnerabilities": {"htmx.org": npm_vuln(False)}}, 0, "no fix available"),
        ({"message": "405 Method Not Allowed", "statusCode": 405}, 2, "405 Method Not Allowed"),
    ],
)
def test_npm_audit_reports(tmp_path, report, code, says):
    returned, out = verdict(tmp_path, "npm", report)
    assert returned == code and says in out
