def test_json_text_writes_never_shown_characters_as_escapes():
    import json

    from learnapp.content.text import escape_never_shown

    value = {"name": "a\u202eb\u200fc 词 \U0001f642", "lone": "x\ud800y"}
    escaped = escape_never_shown(json.dumps(value, ensure_ascii=False))
    assert "\u202e" not in escaped and "\u200f" not in escaped and "\ud800" not in escaped
    assert "词 \U0001f642" in escaped  # what pages show stays as it is
    assert json.loads(escaped) == value
    escaped.encode("utf-8")  # no unpaired surrogate left to break it
    plain = json.dumps({"a": "b"})
    assert escape_never_shown(plain) is plain
