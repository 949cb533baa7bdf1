"""Read a pip-audit or npm audit JSON report and decide whether CI passes.

    python .ci/vulnerabilities.py pip REPORT.json
    python .ci/vulnerabilities.py npm REPORT.json

Exit status: 0 clean (vulnerabilities without a fix are listed, not failed);
1 a known vulnerability has a fix (upgrade the pin); 2 the audit could not be
done (the vulnerability database was unreachable or a package was not found),
so nothing can be said about the packages listed.

Standard library only, so it runs before anything else is installed.
"""

import json
import sys
from pathlib import Path
from typing import Any

CLEAN, FIXABLE, NOT_AUDITED = 0, 1, 2


def pip_findings(report: dict[str, Any]) -> tuple[list[str], list[str], list[str]]:
    """(fixable, unfixed, not audited) lines from pip-audit's `-f json` report."""
    if not report.get("dependencies"):
        return [], [], ["pip-audit: the report lists no packages (see its messages above)"]
    fixable, unfixed, skipped = [], [], []
    for dependency in report["dependencies"]:
        name, version = dependency.get("name", "?"), dependency.get("version", "?")
        if dependency.get("skip_reason"):
            skipped.append(dependency["skip_reason"])
            continue
        for vuln in dependency.get("vulns", []):
            ids = ", ".join([vuln.get("id", "?"), *vuln.get("aliases", [])])
            fixes = vuln.get("fix_versions") or []
            if fixes:
                fixable.append(f"{name} {version}: {ids}; fixed in {', '.join(fixes)}")
            else:
                unfixed.append(f"{name} {version}: {ids}; no fixed release yet")
    if skipped and len(skipped) == len(report["dependencies"]):
        # Nothing at all could be looked up: the service is out of reach, not every package missing.
        skipped = [
            f"all {len(skipped)} packages, e.g. {skipped[0]}. pip-audit looks each pin up at "
            "https://pypi.org/pypi/NAME/VERSION/json, which could not be read from this machine"
        ]
    return fixable, unfixed, skipped


def npm_findings(report: dict[str, Any]) -> tuple[list[str], list[str], list[str]]:
    """(fixable, unfixed, not audited) lines from `npm audit --json` (report version 2)."""
    if "vulnerabilities" not in report:
        # npm writes {"message": ..., "statusCode": ...} (or {"error": ...}) when the audit endpoint fails.
        error = report.get("error") or {}
        message = report.get("message") or error.get("summary") or "no audit report"
        return [], [], [f"npm audit: {message}"]
    fixable, unfixed = [], []
    for name, vuln in sorted(report["vulnerabilities"].items()):
        advisories = [via.get("url") or via.get("title", "") for via in vuln.get("via", []) if isinstance(via, dict)]
        # A vulnerability that only comes through another package names that package instead.
        through = [via for via in vuln.get("via", []) if isinstance(via, str)]
        what = ", ".join(advisories) or f"through {', '.join(through)}"
        line = f"{name} {vuln.get('range', '')} ({vuln.get('severity', '?')}): {what}"
        fix = vuln.get("fixAvailable")
        if fix:
            if isinstance(fix, dict):
                line += f"; fixed by {fix.get('name')} {fix.get('version')}"
                if fix.get("isSemVerMajor"):
                    line += " (a major upgrade)"
            fixable.append(line)
        else:
            unfixed.append(line + "; no fix available")
    return fixable, unfixed, []


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] not in {"pip", "npm"}:
        print(__doc__, file=sys.stderr)
        return NOT_AUDITED
    tool, path = argv[1], Path(argv[2])
    try:
        report = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, json.JSONDecodeError) as error:
        print(f"{tool}: no readable audit report in {path}: {error}")
        return NOT_AUDITED
    fixable, unfixed, skipped = (pip_findings if tool == "pip" else npm_findings)(report)
    for heading, lines in (
        ("known vulnerabilities with a fix (upgrade these)", fixable),
        ("known vulnerabilities without a fix yet (watch these)", unfixed),
        ("NOT AUDITED", skipped),
    ):
        if lines:
            print(f"{tool}: {heading}:")
            for line in lines:
                print(f"  {line}")
    if fixable:
        return FIXABLE
    if skipped:
        return NOT_AUDITED
    print(f"{tool}: no known vulnerabilities with a fix")
    return CLEAN


if __name__ == "__main__":
    sys.exit(main(sys.argv))
