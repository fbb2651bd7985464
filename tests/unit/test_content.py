"""The shipped content: enough of it, complete, and the entries the issue names are there."""

import tomllib
from pathlib import Path

from learnapp.content.deckfile import parse_deck_file

DECKS = Path(__file__).resolve().parents[2] / "decks"


def curated():
    return [
        parse_deck_file(path, complete=True)
        for path in sorted(DECKS.glob("*.toml"))
        if "hsk" not in path.name
    ]


def test_at_least_five_curated_decks_and_400_entries():
    decks = curated()
    assert len(decks) >= 5
    assert sum(len(d.entries) for d in decks) >= 400
    assert {d.category for d in decks} >= {"platform", "slang", "emoji", "customs", "mandarin"}


def test_the_words_people_come_for_are_there():
    headwords = {e.headword for d in curated() for e in d.entries}
    for word in (
        "笔记",
        "种草",
        "拔草",
        "避雷",
        "宝子",
        "薯条",
        "猫税",
        "yyds",
        "躺平",
        "内卷",
        "破防",
        "摆烂",
        "吃瓜",
        "666",
        "520",
        "🙂",
        "🍋",
        "🍉",
        "[捂脸]",
        "红包",
        "送钟",
        "谢谢",
        "你好",
    ):
        assert word in headwords, word


def test_emoji_entries_make_send_and_context_cards():
    emoji = next(d for d in curated() if d.category == "emoji")
    assert set(emoji.card_kinds) >= {"context", "send"}
    assert all(e.send and e.send["verdict"] in ("yes", "no", "careful") for e in emoji.entries)
    assert all(e.headword in e.example_zh for e in emoji.entries)


def test_hsk_decks_cover_levels_one_to_six_with_attribution():
    levels = {}
    for path in sorted(DECKS.glob("hsk-*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        levels[data["deck"]["level"]] = len(data["entries"])
        assert "CC-CEDICT" in data["deck"]["attribution"]
        assert data["deck"]["license"] == "CC BY-SA 4.0"
    assert sorted(levels) == [1, 2, 3, 4, 5, 6]
    assert sum(levels.values()) > 5000
