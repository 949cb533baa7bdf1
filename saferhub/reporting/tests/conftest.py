from saferhub.reporting.tests.fixtures import caseload  # noqa: F401
