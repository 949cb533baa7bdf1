"""The `code_words` filter: help for CSV columns sets the column names and codes it mentions as code."""

from saferhub.core.templatetags.govuk import code_words


def test_codes_are_set_as_code_and_the_rest_escaped():
    shown = code_words("Must be on or after adopted_on; one of <b>at_risk</b>, high")
    assert shown == "Must be on or after <code>adopted_on</code>; one of &lt;b&gt;<code>at_risk</code>&lt;/b&gt;, high"


def test_ordinary_words_e_mail_addresses_and_paths_are_left_alone():
    text = "Name of the person@some_place.org in /imports/new_file and plain words"
    assert code_words(text) == text
