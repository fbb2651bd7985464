"""The HSK decks a learner studies: the reading the HSK list means, the learner's sense first, no dictionary
markup, no vulgar side senses, erhua words with their base word's sense, core senses kept; and the
machinery that makes them (rules, the reviewed override table, stable entry ids).

The expected readings and first senses below were written by hand from Mandarin, not copied from the
builder's output. "First sense" is what a card shows first: the meaning up to its first "; ".
"""

import re
import tomllib
from pathlib import Path

import pytest

from learnapp.content.hsk import build, markup, overrides, readings, senses

ROOT = Path(__file__).resolve().parents[2]
DECKS = ROOT / "decks"


def _load():
    found = {}
    for level in range(1, 7):
        data = tomllib.loads((DECKS / f"hsk-{level}.toml").read_text(encoding="utf-8"))
        for entry in data["entries"]:
            found[entry["headword"]] = {**entry, "level": level}
    return found


SHIPPED = _load()

# (word, level, pinyin, a word or phrase the first sense must contain)
PINNED = [
    # literary or rare readings that used to come first
    ("雨", 1, "yǔ", "rain"),
    ("脏", 3, "zāng", "dirty"),
    ("涨", 5, "zhǎng", "rise"),
    ("薄", 5, "báo", "thin"),
    ("挑", 5, "tiāo", "carry"),
    ("吓", 6, "xià", "frighten"),
    ("弹", 4, "tán", "play"),
    ("切", 5, "qiē", "cut"),
    ("铺", 6, "pū", "spread"),
    ("哇", 6, "wā", "wow"),
    ("听", 1, "tīng", "listen"),
    ("车", 1, "chē", "car"),
    ("说", 1, "shuō", "speak"),
    ("读", 1, "dú", "read"),
    ("见", 1, "jiàn", "see"),
    ("给", 1, "gěi", "give"),
    ("喝", 1, "hē", "drink"),
    ("骑", 3, "qí", "sit astride"),
    ("页", 3, "yè", "page"),
    ("胖", 3, "pàng", "fat"),
    # simplified characters that merge several traditional ones
    ("后", 1, "hòu", "back"),
    ("干", 3, "gàn", "to do"),
    ("台", 4, "tái", "platform"),
    ("里", 1, "lǐ", "inside"),
    ("面", 2, "miàn", "face"),
    ("发", 3, "fā", "send"),
    ("只", 1, "zhǐ", "only"),
    ("几", 1, "jǐ", "how many"),
    ("表", 4, "biǎo", "watch"),
    ("系", 5, "xì", "connect"),
    # erhua words take their base word's sense
    ("女孩儿", 2, "nǚ háir", "girl"),
    ("男孩儿", 2, "nán háir", "boy"),
    ("小孩儿", 2, "xiǎo háir", "child"),
    ("好玩儿", 1, "hǎo wánr", "amusing"),
    ("聊天儿", 3, "liáo tiānr", "chat"),
    ("一点儿", 1, "yī diǎnr", "a bit"),
    ("有点儿", 1, "yǒu diǎnr", "slightly"),
    ("一块儿", 3, "yī kuàir", "together"),
    ("一会儿", 2, "yī huìr", "moment"),
    ("面条儿", 1, "miàn tiáor", "noodles"),
    ("差点儿", 4, "chà diǎnr", "almost"),
    ("这儿", 1, "zhèr", "here"),
    ("那儿", 1, "nàr", "there"),
    ("哪儿", 1, "nǎr", "where"),
    ("大伙儿", 6, "dà huǒr", "everybody"),
    ("小偷儿", 6, "xiǎo tōur", "thief"),
    ("干活儿", 4, "gàn huór", "to work"),
    # measure words and other core senses
    ("个", 1, "gè", "measure word"),
    ("本", 1, "běn", "measure word for books"),
    ("件", 1, "jiàn", "measure word"),
    ("块", 1, "kuài", "kuai"),
    ("点", 1, "diǎn", "o'clock"),
    ("分", 1, "fēn", "minute"),
    ("叫", 1, "jiào", "to be called"),
    ("张", 3, "zhāng", "measure word for flat"),
    ("条", 2, "tiáo", "strip"),
    ("次", 2, "cì", "time"),
    ("位", 2, "wèi", "measure word for people"),
    ("封", 3, "fēng", "measure word for letters"),
    ("辆", 3, "liàng", "measure word for vehicles"),
    ("双", 3, "shuāng", "two"),
    ("岁", 1, "suì", "year"),
    ("回", 1, "huí", "to return"),
    ("把", 3, "bǎ", "marks the object"),
    ("被", 3, "bèi", "by"),
    # polyphones
    ("行", 3, "xíng", "OK"),
    ("银行", 3, "yín háng", "bank"),
    ("长", 2, "cháng", "length"),
    ("得", 2, "de", "particle"),
    ("了", 1, "le", "completed action"),
    ("地", 2, "dì", "earth"),
    ("着", 2, "zhe", "in progress"),
    ("觉得", 1, "jué de", "to think"),
    ("睡觉", 1, "shuì jiào", "to go to bed"),
    ("还", 1, "hái", "still"),
    ("重", 4, "zhòng", "heavy"),
    ("重要", 3, "zhòng yào", "important"),
    ("便宜", 1, "pián yi", "cheap"),
    ("教", 2, "jiāo", "teach"),
    ("教室", 2, "jiào shì", "classroom"),
    ("为", 3, "wèi", "because of"),
    ("认为", 3, "rèn wéi", "to believe"),
    ("以为", 3, "yǐ wéi", "to think"),
    ("好", 1, "hǎo", "good"),
    ("爱好", 2, "ài hào", "to like"),
    ("都", 1, "dōu", "all"),
    ("差", 3, "chà", "to fall short"),
    ("差不多", 3, "chà bu duō", "almost"),
    ("数", 4, "shù", "number"),
    ("数学", 3, "shù xué", "mathematics"),
    ("少", 1, "shǎo", "few"),
    ("没有", 1, "méi yǒu", "haven't"),
    ("头发", 3, "tóu fa", "hair"),
    ("快乐", 2, "kuài lè", "happy"),
    ("音乐", 3, "yīn yuè", "music"),
    ("中", 3, "zhōng", "within"),
    ("中国", 1, "zhōng guó", "China"),
    ("种", 3, "zhǒng", "kind"),
    ("看", 1, "kàn", "to see"),
    ("看病", 1, "kàn bìng", "doctor"),
    ("吗", 1, "ma", "question particle"),
    ("嘛", 6, "ma", "obvious"),
    ("哪", 1, "nǎ", "which"),
    ("那", 1, "nà", "that"),
    ("要", 1, "yào", "want"),
    ("要求", 3, "yāo qiú", "request"),
    ("会", 1, "huì", "can"),
    ("会计", 6, "kuài jì", "accountant"),
    ("的", 1, "de", "of"),
    ("目的", 4, "mù dì", "purpose"),
    ("和", 1, "hé", "and"),
    ("喂", 1, "wèi", "hello"),
    ("啊", 2, "a", "ah"),
    ("大夫", 4, "dài fu", "doctor"),
    ("生意", 4, "shēng yi", "business"),
    ("人家", 6, "rén jia", "other people"),
    ("地道", 6, "dì dao", "authentic"),
    ("大方", 6, "dà fang", "generous"),
    ("结实", 6, "jiē shi", "rugged"),
    ("同行", 6, "tóng háng", "profession"),
    ("大都", 6, "dà dōu", "for the most part"),
    ("哦", 5, "ò", "oh"),
    ("划", 5, "huá", "row"),
    ("朝", 5, "cháo", "towards"),
    ("转", 4, "zhuǎn", "turn"),
    ("倒", 4, "dào", "invert"),
    ("空", 4, "kōng", "empty"),
    ("假", 4, "jiǎ", "fake"),
    ("当", 4, "dāng", "to be"),
    ("背", 4, "bèi", "back"),
    ("量", 4, "liàng", "capacity"),
    # neutral tones
    ("东西", 1, "dōng xi", "thing"),
    ("地方", 3, "dì fang", "place"),
    ("多少", 1, "duō shao", "how much"),
    ("认识", 1, "rèn shi", "to know"),
    ("意思", 2, "yì si", "meaning"),
    ("朋友", 1, "péng you", "friend"),
    ("小朋友", 1, "xiǎo péng you", "child"),
    ("告诉", 2, "gào su", "to tell"),
    ("知道", 1, "zhī dao", "to know"),
    ("妻子", 2, "qī zi", "wife"),
    ("女人", 3, "nǚ rén", "woman"),
    ("高中", 2, "gāo zhōng", "senior high school"),
    ("好吃", 1, "hǎo chī", "tasty"),
    ("过去", 2, "guò qù", "past"),
    ("起来", 2, "qǐ lai", "to stand up"),
    ("衣服", 1, "yī fu", "clothes"),
    ("漂亮", 1, "piào liang", "pretty"),
    ("休息", 1, "xiū xi", "rest"),
    ("喜欢", 1, "xǐ huan", "to like"),
    ("先生", 1, "xiān sheng", "Mr."),
    # found by the December 2026 audit
    ("字", 1, "zì", "character"),
    ("游", 2, "yóu", "to swim"),
    ("红色", 2, "hóng sè", "red"),
    ("变", 3, "biàn", "to change"),
    ("血", 4, "xuè", "blood"),
    ("挣", 5, "zhèng", "to earn"),
    ("便", 5, "biàn", "then"),
    ("尾巴", 5, "wěi ba", "tail"),
    ("番", 6, "fān", "measure word"),
    ("师父", 6, "shī fu", "master"),
    ("学生", 1, "xué sheng", "student"),
    ("医生", 1, "yī shēng", "doctor"),
    ("事情", 2, "shì qing", "affair"),
    ("清楚", 3, "qīng chu", "clear"),
    ("明白", 3, "míng bai", "clear"),
    ("舒服", 2, "shū fu", "comfortable"),
    ("眼睛", 2, "yǎn jing", "eye"),
    ("耳朵", 3, "ěr duo", "ear"),
    ("聪明", 3, "cōng ming", "intelligent"),
    ("厉害", 4, "lì hai", "amazing"),
    ("商量", 4, "shāng liang", "to consult"),
    ("收拾", 4, "shōu shi", "to put in order"),
    ("活泼", 4, "huó po", "lively"),
    ("姥姥", 5, "lǎo lao", "mother's mother"),
    ("老公", 5, "lǎo gōng", "husband"),
    ("大爷", 5, "dà ye", "father's older brother"),
    ("精神", 5, "jīng shén", "spirit"),
    ("不客气", 1, "bù kè qi", "you're welcome"),
    ("对不起", 1, "duì bu qǐ", "sorry"),
    ("没关系", 1, "méi guān xi", "doesn't matter"),
    # words whose side senses were vulgar, sexual or political
    ("奶奶", 2, "nǎi nai", "grandma"),
    ("绿茶", 2, "lǜ chá", "green tea"),
    ("白色", 2, "bái sè", "white"),
    ("黄色", 3, "huáng sè", "yellow"),
    ("鸡", 3, "jī", "fowl"),
    ("机场", 2, "jī chǎng", "airport"),
    ("乌龟", 6, "wū guī", "tortoise"),
    ("鸟", 2, "niǎo", "bird"),
    ("花", 2, "huā", "flower"),
    ("小姐", 5, "xiǎo jie", "young lady"),
    ("鸭子", 5, "yā zi", "duck"),
    ("婴儿", 6, "yīng ér", "baby"),
    # words CC-CEDICT does not list, from the override table
    ("体检", 4, "tǐ jiǎn", "physical examination"),
    ("新能源", 6, "xīn néng yuán", "new energy"),
]


def first_sense(meaning: str) -> str:
    return meaning.split("; ")[0]


def test_at_least_150_words_pinned_over_all_six_levels():
    assert len(PINNED) >= 150
    assert {level for _, level, _, _ in PINNED} == {1, 2, 3, 4, 5, 6}
    assert len({word for word, *_ in PINNED}) == len(PINNED)


@pytest.mark.parametrize(("word", "level", "pinyin", "sense"), PINNED, ids=[row[0] for row in PINNED])
def test_pinned_word_has_the_hsk_reading_and_the_learners_first_sense(word, level, pinyin, sense):
    entry = SHIPPED[word]
    assert entry["level"] == level
    assert entry["pinyin"] == pinyin
    assert sense.lower() in first_sense(entry["meaning"]).lower(), entry["meaning"]


MARKUP = re.compile(
    r"\[|\]|\||CL:|also pr\.|Taiwan pr\.|Beijing pr\.|colloquial pr\.|\(in Taiwan\)|variant of|\(Tw\)|\bsee also\b|Kangxi"
)


def test_no_dictionary_markup_in_any_meaning_or_note():
    dirty = [
        (word, text)
        for word, entry in SHIPPED.items()
        for text in (entry["meaning"], entry.get("notes", ""))
        if MARKUP.search(text)
    ]
    assert dirty == []


NEVER = re.compile(
    r"fuck|penis|vagina|genital|prostitute|boobies|breasts|lecherous|cuckold|semen|pornograph|homosexual|"
    r"reactionary|anti-communist|barbarian|Falun|censorship|marijuana|methamphetamine|menstruation|goddamn|\bdamn",
    re.IGNORECASE,
)


def test_no_vulgar_sexual_or_political_side_sense_on_any_card():
    found = [(w, e["meaning"]) for w, e in SHIPPED.items() if NEVER.search(e["meaning"] + e.get("notes", ""))]
    assert found == []


def test_other_readings_and_measure_words_are_readable_notes():
    assert SHIPPED["长"]["notes"].startswith("Also read zhǎng: ")
    assert "Also read huán: to pay back; to return." in SHIPPED["还"]["notes"]
    assert SHIPPED["东西"]["notes"] == "Measure word: 个 (gè), 件 (jiàn). Also read dōng xī: east and west."
    assert SHIPPED["朋友"]["notes"] == "Measure word: 个 (gè), 位 (wèi)."
    assert SHIPPED["西瓜"]["notes"] == "Measure word: 颗 (kē), 个 (gè)."  # CC-CEDICT writes 个[ge5]
    assert SHIPPED["只"]["notes"].startswith("Also read zhī: measure word for animals")
    assert "yù" not in SHIPPED["雨"].get("notes", "")  # the literary reading is not offered as an alternative


def test_shipped_entry_ids_survive_reading_corrections():
    """Learners' progress is keyed by entry id: a word whose reading was corrected keeps its old id."""
    kept = {
        "雨": "yu4",
        "得": "de2",
        "小朋友": "xiao3peng2you3",
        "生意": "sheng1yi4",
        "涨": "zhang4",
        "铺": "pu4",
    }
    assert {word: SHIPPED[word]["id"] for word in kept} == kept


def test_the_build_reproduces_the_shipped_decks(tmp_path):
    report = build(tmp_path, previous=DECKS)
    for level in range(1, 7):
        name = f"hsk-{level}.toml"
        assert (tmp_path / name).read_text(encoding="utf-8") == (DECKS / name).read_text(encoding="utf-8")
    assert all(skipped == [] for _, skipped in report.values())
    assert sum(count for count, _ in report.values()) == len(SHIPPED) == 5334


def test_the_build_gives_new_words_fresh_ids_and_keeps_the_old_ones(tmp_path):
    previous = tmp_path / "previous"
    previous.mkdir()
    (previous / "hsk-1.toml").write_text(
        '[deck]\nslug = "hsk-1"\n[[entries]]\nid = "kept"\nheadword = "雨"\n'
    )
    build(tmp_path, previous=previous)
    entries = {
        e["headword"]: e["id"] for e in tomllib.loads((tmp_path / "hsk-1.toml").read_text())["entries"]
    }
    assert entries["雨"] == "kept"
    assert entries["谢谢"] == "xie4xie5"


# ---- the rules, on their own ----


@pytest.mark.parametrize(
    ("definition", "expected"),
    [
        ("CL:個|个[ge4]", ""),
        ("also pr. [li3 mian5]", ""),
        ("Taiwan pr. [cha1]", ""),
        ("variant of 臺|台[tai2]", ""),
        ("erhua variant of 女孩[nu:3 hai2]", ""),
        ("(Tw) white wine (abbr. for 白葡萄酒[bai2 pu2 tao5 jiu3])", ""),
        ("dream (CL:場|场[chang2],個|个[ge4])", "dream"),
        ("joke; jest (CL:個|个[ge4])", "joke; jest"),
        ("(used after a verb) give it a go", "(used after a verb) give it a go"),
        (
            "although (often used correlatively with 可是[ke3 shi4] or 但是[dan4 shi4] etc)",
            "although (often used correlatively with 可是 or 但是 etc)",
        ),
        ("Taiwan pr. [xing4] for the behavior-conduct sense", ""),
        ("inside; interior; also pr. [li3 mian5]", "inside; interior"),
        ("classifier for books, periodicals, files etc", "measure word for books, periodicals, files etc"),
        ("(completed action marker)", "completed action marker"),
        ("(bound form) child", "child"),
        ("☲", ""),
    ],
)
def test_markup_is_made_readable_or_left_out(definition, expected):
    assert markup.clean(definition) == expected


def test_classifier_notes_become_measure_words_with_pinyin():
    assert markup.classifiers("CL:個|个[ge4],件[jian4]") == [("个", "gè"), ("件", "jiàn")]
    assert markup.classifiers("to know") == []


def test_the_everyday_traditional_form_comes_first():
    # 后 merges 后 (empress) and 後 (behind); 台 merges 台, 檯, 臺 and 颱.
    assert senses.reading_entries("后", "hòu")[0].traditional == "後"
    assert senses.reading_entries("台", "tái")[0].traditional == "臺"
    assert senses.meaning("后", "hòu").startswith("back; behind")


def test_literary_archaic_and_vulgar_senses_are_kept_off_the_card():
    assert senses.classify("(literary) to rain") == "side"
    assert senses.classify("(archaic) monarch") == "side"
    assert senses.classify("(onom.) dong; ding dong (bell)") == "side"
    assert senses.classify("to fuck (vulgar)") is None
    assert senses.classify("(slang) prostitute") is None
    assert senses.classify("measure word for books") == "core"
    assert senses.classify("o'clock") == "core"
    assert senses.classify("to be called") == "core"
    assert senses.classify("heavy") == "everyday"
    assert senses.meaning("雨", "yù").startswith("(literary) to rain")  # side senses only when nothing else


def test_core_senses_survive_the_length_limit():
    long = [senses.Sense("x" * 80, "everyday"), senses.Sense("y" * 30, "everyday")]
    core = senses.Sense("measure word for books", "core")
    assert senses.compose([*long, core]) == f"{'x' * 80}; measure word for books"
    assert "o'clock" in senses.meaning("点", "diǎn")
    assert "to be called" in senses.meaning("叫", "jiào")


def test_readings_follow_everyday_use_and_erhua_follows_the_base_word():
    assert readings.choose("雨").pinyin == "yǔ"
    assert readings.choose("告诉").pinyin == "gào su"
    assert readings.choose("大夫").pinyin == "dài fu"
    erhua = readings.choose("女孩儿")
    assert (erhua.pinyin, erhua.source_word, erhua.source_pinyin) == ("nǚ háir", "女孩", "nǚ hái")
    assert readings.choose("小偷儿").pinyin == "xiǎo tōur"  # not in CC-CEDICT: 小偷 + r
    assert readings.choose("纪录").source_word == "记录"  # only "variant of 记录" in CC-CEDICT


# ---- the override table ----

LEVELS = {"雨": 1, "后": 1, "长": 2}


def table(tmp_path, text):
    path = tmp_path / "overrides.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_override_table_is_valid_and_covers_the_reviewed_words():
    rows = overrides.load()
    assert overrides.check() == []
    assert len(rows) >= 100
    assert all(row.reason.strip() for row in rows.values())
    assert {"后", "点", "分", "得", "脏", "被", "行"} <= set(rows)


def test_a_row_without_a_reason_is_refused_with_file_and_line(tmp_path):
    path = table(
        tmp_path,
        '# comment\n\n[[override]]\nword = "雨"\nmeaning = "rain"\nreason = "ok"\n\n'
        '[[override]]\nword = "后"\nmeaning = "behind"\n',
    )
    with pytest.raises(overrides.OverrideError) as caught:
        overrides.parse(path, LEVELS)
    assert caught.value.problems == [
        f"{path}:8: 后: every row needs a `reason` saying why the generated entry is wrong"
    ]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ('word = "雨"\nmeaning = "rain"\nmeening = "rain"\nreason = "r"', "unknown key(s) meening"),
        ('word = "猫咪"\nmeaning = "kitty"\nreason = "r"', "猫咪 is not an HSK 1-6 word"),
        ('word = "雨"\nlevel = 3\nmeaning = "rain"\nreason = "r"', "雨 is an HSK 1 word, not HSK 3"),
        ('word = "雨"\npinyin = "yu3"\nreason = "r"', "pinyin: not valid pinyin"),
        ('word = "长"\npinyin = "cháng duǎn"\nreason = "r"', "pinyin: 2 syllables for 1 characters"),
        ('word = "雨"\nmeaning = "rain (CL:場|场[chang2])"\nreason = "r"', "meaning: dictionary markup"),
        ('word = "雨"\nreason = "r"', "must change at least one of pinyin, meaning, notes"),
        ('word = "后"\npinyin = "hou"\nreason = "r"', "none of CC-CEDICT's readings (hòu)"),
    ],
)
def test_bad_rows_are_refused_naming_the_problem(tmp_path, row, message):
    path = table(tmp_path, f"[[override]]\n{row}\n")
    with pytest.raises(overrides.OverrideError) as caught:
        overrides.parse(path, LEVELS)
    assert len(caught.value.problems) == 1
    assert caught.value.problems[0].startswith(f"{path}:1: ")
    assert message in caught.value.problems[0]


def test_a_word_with_two_rows_is_refused(tmp_path):
    path = table(
        tmp_path,
        '[[override]]\nword = "雨"\nmeaning = "rain"\nreason = "a"\n\n'
        '[[override]]\nword = "雨"\nmeaning = "rain!"\nreason = "b"\n',
    )
    with pytest.raises(overrides.OverrideError, match=r":6: 雨: 雨 already has a row at line 1"):
        overrides.parse(path, LEVELS)


def test_a_row_against_cc_cedict_applies_with_its_reason():
    row = overrides.load()["小朋友"]
    assert row.pinyin == "xiǎo péng you" and "CC-CEDICT" in row.reason
    assert SHIPPED["小朋友"]["pinyin"] == "xiǎo péng you"
