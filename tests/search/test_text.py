"""Normalisation and tokenisation shared by documents and queries."""

from search.text import html_to_text, index_tokens, normalize, query_terms, term_tsquery


def test_normalize_folds_width_script_and_case_keeping_length():
    """Full-width, traditional and upper-case text folds to one form, character for character."""
    for original, folded in [
        ("ＩＳＯ９００１", "iso9001"),
        ("國家質檢總局", "国家质检总局"),
        ("3C認證", "3c认证"),
        ("ＧＢ／Ｔ　１９００１", "gb/t 19001"),
    ]:
        assert normalize(original) == folded
        assert len(normalize(original)) == len(original)


def test_normalize_turns_control_characters_into_spaces():
    """NUL and other control characters never reach the database or the tokeniser."""
    assert normalize("质量\x00兴市\x07\u200b") == "质量 兴市  "


def test_index_tokens_are_bigrams_plus_the_last_character():
    """A CJK run gives overlapping bigrams and its last character; Latin and digits split apart."""
    assert index_tokens("质量技术") == "质量 量技 技术 术"
    assert index_tokens("技") == "技"
    assert index_tokens("iso9001认证") == "iso 9001 认证 证"


def test_query_terms_drop_operators_and_quotes():
    """Query syntax characters separate terms and never pass through."""
    assert query_terms(normalize("'质量' & (兴市) | !打假:* \\\"3c\"")) == [
        "质量",
        "兴市",
        "打假",
        "3c",
    ]


def test_term_tsquery_is_a_phrase_of_bigrams_or_a_prefix():
    """Two or more characters make a phrase of bigrams; one character makes a prefix match."""
    assert term_tsquery("质量技术") == "'质量' <-> '量技' <-> '技术'"
    assert term_tsquery("技") == "'技':*"
    assert term_tsquery("3c认证") == "'3' <-> 'c' <-> '认证'"


def test_html_to_text_strips_tags_and_decodes_entities():
    """Markup is not searchable text; entities are."""
    assert html_to_text("<p>质量&amp;兴市</p><p>打假</p>").split() == ["质量&兴市", "打假"]
