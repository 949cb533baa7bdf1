class CaseReferenceConverter:
    """`PREFIX-YYYY-NNNNN`: ends in digits after a hyphen, so it never swallows `new/` or `referrals/`.

    Registered as `caseref` when the cases app is ready, so every app's URLs may use it.
    """

    regex = r"[A-Za-z0-9][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*-[0-9]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
