"""Names people would really carry: 300 given names from many language backgrounds with the standard
Chinese form each has (written here by hand, from the Xinhua conventions and the forms established for
famous bearers, not from the code under test), heritage surnames, Chinese names typed in hanzi, famous
names caught inside and at the start of a name, names in every script, and every suggestion for 1,000
names in every feel passing the safety rules."""

import pytest

from learnapp.nickname import FEELS, NON_LATIN_NOTE, VIBES, NicknameInputError, problems, suggest, tables

# background | name | feel | the standard form, or - where a name has none we are sure of (it is sounded
# out by pronunciation, and only the safety rules and a few pronunciations are checked).
STANDARD = """
english Emily feminine 艾米莉
english David masculine 大卫
english Michael masculine 迈克尔
english Elizabeth feminine 伊丽莎白
english Sarah feminine 莎拉
english Sarah neutral 萨拉
english William masculine 威廉
english Mary feminine 玛丽
english John masculine 约翰
english Jennifer feminine 詹妮弗
english James masculine 詹姆斯
english Margaret feminine 玛格丽特
english Thomas masculine 托马斯
english Charlotte feminine 夏洛特
english George masculine 乔治
english Alice feminine 爱丽丝
english Henry masculine 亨利
english Grace feminine 格蕾丝
english Edward masculine 爱德华
english Lucy feminine 露西
english Peter masculine 彼得
english Victoria feminine 维多利亚
english Richard masculine 理查德
english Helen feminine 海伦
english Oliver masculine 奥利弗
english Hermione feminine 赫敏
english Penelope feminine 佩内洛普
english Imogen feminine 伊莫金
english Jean feminine 琼
english Andrea feminine 安德烈娅
french Jean masculine 让
french Jacques masculine 雅克
french Pierre masculine 皮埃尔
french Michel masculine 米歇尔
french Philippe masculine 菲利普
french François masculine 弗朗索瓦
french Françoise feminine 弗朗索瓦丝
french Antoine masculine 安托万
french Étienne masculine 艾蒂安
french Julien masculine 朱利安
french Olivier masculine 奥利维耶
french Sébastien masculine 塞巴斯蒂安
french Guillaume masculine 纪尧姆
french Thierry masculine 蒂埃里
french Laurent masculine 洛朗
french Camille feminine 卡米耶
french Brigitte feminine 布丽吉特
french René masculine 勒内
french Gérard masculine 热拉尔
french Alain masculine 阿兰
french Yves masculine 伊夫
french Benoît masculine 伯努瓦
french Céline feminine 席琳
french Zinedine masculine 齐内丁
french Kylian masculine 基利安
french Luc masculine 吕克
french Didier masculine 迪迪埃
french Simone feminine 西蒙娜
spanish José masculine 何塞
spanish Juan masculine 胡安
spanish Carlos masculine 卡洛斯
spanish Diego masculine 迭戈
spanish Miguel masculine 米格尔
spanish Pedro masculine 佩德罗
spanish María feminine 玛丽亚
spanish Javier masculine 哈维尔
spanish Jorge masculine 豪尔赫
spanish Alejandro masculine 亚历杭德罗
spanish Fernando masculine 费尔南多
spanish Francisco masculine 弗朗西斯科
spanish Manuel masculine 曼努埃尔
spanish Pablo masculine 巴勃罗
spanish Rafael masculine 拉斐尔
spanish Sergio masculine 塞尔吉奥
spanish Raúl masculine 劳尔
spanish Andrés masculine 安德烈斯
spanish Ricardo masculine 里卡多
spanish Eduardo masculine 爱德华多
spanish Dolores feminine 多洛雷斯
spanish Pilar feminine 皮拉尔
spanish Guadalupe feminine 瓜达卢佩
spanish Jesús masculine 赫苏斯
spanish Ángel masculine 安赫尔
spanish Enrique masculine 恩里克
spanish Iker masculine 伊克尔
spanish Valentina feminine 瓦伦蒂娜
spanish Mercedes feminine 梅赛德斯
spanish Santiago masculine 圣地亚哥
spanish Carmen feminine 卡门
spanish Begoña feminine -
spanish Itziar feminine -
portuguese João masculine 若昂
portuguese Paulo masculine 保罗
portuguese Cristiano masculine 克里斯蒂亚诺
portuguese Ronaldo masculine 罗纳尔多
portuguese Tiago masculine 蒂亚戈
portuguese Thiago masculine 蒂亚戈
portuguese Rodrigo masculine 罗德里戈
portuguese Vinícius masculine 维尼修斯
portuguese Fernanda feminine 费尔南达
portuguese Gisele feminine 吉赛尔
portuguese Neymar masculine 内马尔
portuguese Sebastião masculine 塞巴斯蒂昂
portuguese Gonçalo masculine 贡萨洛
portuguese Simão masculine -
portuguese Conceição feminine -
italian Giuseppe masculine 朱塞佩
italian Giovanni masculine 乔瓦尼
italian Francesco masculine 弗朗切斯科
italian Alessandro masculine 亚历山德罗
italian Andrea masculine 安德烈亚
italian Luca masculine 卢卡
italian Matteo masculine 马泰奥
italian Lorenzo masculine 洛伦佐
italian Paolo masculine 保罗
italian Salvatore masculine 萨尔瓦托雷
italian Vincenzo masculine 温琴佐
italian Giorgio masculine 乔治
italian Giorgia feminine 乔治娅
italian Federico masculine 费德里科
italian Gianluigi masculine 詹路易吉
italian Francesca feminine 弗朗切斯卡
italian Enzo masculine 恩佐
italian Dante masculine 但丁
italian Luigi masculine 路易吉
italian Massimo masculine 马西莫
italian Stefano masculine 斯特凡诺
italian Simone masculine 西莫内
italian Daniele masculine 达尼埃莱
italian Valentino masculine 瓦伦蒂诺
italian Gabriele masculine 加布里埃莱
italian Gianmarco masculine -
german Johannes masculine 约翰内斯
german Hans masculine 汉斯
german Wolfgang masculine 沃尔夫冈
german Ludwig masculine 路德维希
german Friedrich masculine 弗里德里希
german Heinrich masculine 海因里希
german Klaus masculine 克劳斯
german Jürgen masculine 于尔根
german Matthias masculine 马蒂亚斯
german Stefan masculine 斯特凡
german Uwe masculine 乌韦
german Dieter masculine 迪特尔
german Helmut masculine 赫尔穆特
german Olaf masculine 奥拉夫
german Gerhard masculine 格哈德
german Franz masculine 弗朗茨
german Maximilian masculine 马克西米利安
german Ursula feminine 乌尔苏拉
german Joachim masculine 约阿希姆
german Werner masculine 维尔纳
german Hermann masculine 赫尔曼
german Erich masculine 埃里希
german Dirk masculine 德克
german Bastian masculine 巴斯蒂安
german Jan masculine 扬
german Siegfried masculine -
nordic Lars masculine 拉尔斯
nordic Anders masculine 安德斯
nordic Björn masculine 比约恩
nordic Sven masculine 斯文
nordic Nils masculine 尼尔斯
nordic Søren masculine 索伦
nordic Magnus masculine 马格努斯
nordic Henrik masculine 亨里克
nordic Astrid feminine 阿斯特丽德
nordic Sigrid feminine 西格丽德
nordic Greta feminine 格蕾塔
nordic Liv feminine 丽芙
nordic Ole masculine 奥勒
nordic Leif masculine 莱夫
nordic Jens masculine 延斯
nordic Erling masculine 埃尔林
nordic Ingrid feminine 英格丽
nordic Freya feminine 弗蕾娅
nordic Kimi masculine 基米
nordic Åsa feminine -
nordic Bjørg feminine -
slavic Ivan masculine 伊万
slavic Vladimir masculine 弗拉基米尔
slavic Владимир masculine 弗拉基米尔
slavic Dmitri masculine 德米特里
slavic Дмитрий masculine 德米特里
slavic Sergei masculine 谢尔盖
slavic Сергей masculine 谢尔盖
slavic Alexei masculine 阿列克谢
slavic Mikhail masculine 米哈伊尔
slavic Михаил masculine 米哈伊尔
slavic Nikolai masculine 尼古拉
slavic Andrei masculine 安德烈
slavic Pavel masculine 帕维尔
slavic Yuri masculine 尤里
slavic Igor masculine 伊戈尔
slavic Oleg masculine 奥列格
slavic Leonid masculine 列昂尼德
slavic Fyodor masculine 费奥多尔
slavic Фёдор masculine 费奥多尔
slavic Lev masculine 列夫
slavic Olga feminine 奥尔加
slavic Tatiana feminine 塔季扬娜
slavic Svetlana feminine 斯韦特兰娜
slavic Irina feminine 伊琳娜
slavic Ekaterina feminine 叶卡捷琳娜
slavic Natasha feminine 娜塔莎
slavic Lyudmila feminine 柳德米拉
slavic Oksana feminine 奥克萨娜
slavic Yulia feminine 尤利娅
slavic Wojciech masculine 沃伊切赫
slavic Krzysztof masculine 克日什托夫
slavic Agnieszka feminine 阿格涅什卡
slavic Katarzyna feminine 卡塔日娜
slavic Václav masculine 瓦茨拉夫
slavic Novak masculine 诺瓦克
slavic Luka masculine 卢卡
slavic Nikola masculine 尼古拉
slavic Zbigniew masculine 兹比格涅夫
irish Seán masculine 肖恩
irish Sean masculine 肖恩
irish Saoirse feminine 西尔莎
irish Conor masculine 康纳
irish Niall masculine 尼尔
irish Éamon masculine 埃蒙
irish Declan masculine 德克兰
irish Maeve feminine 梅芙
irish Seamus masculine 谢默斯
irish Liam masculine 利亚姆
irish Eoin masculine 欧文
irish Siobhan feminine -
irish Niamh feminine -
irish Aoife feminine -
irish Caoimhe feminine -
irish Tadhg masculine -
arabic Muhammad masculine 穆罕默德
arabic Mohammed masculine 穆罕默德
arabic Ahmed masculine 艾哈迈德
arabic Ali masculine 阿里
arabic Omar masculine 奥马尔
arabic Hassan masculine 哈桑
arabic Hussein masculine 侯赛因
arabic Khalid masculine 哈立德
arabic Mustafa masculine 穆斯塔法
arabic Ibrahim masculine 易卜拉欣
arabic Youssef masculine 优素福
arabic Abdullah masculine 阿卜杜拉
arabic Karim masculine 卡里姆
arabic Tariq masculine 塔里克
arabic Fatima feminine 法蒂玛
arabic Aisha feminine 阿伊莎
arabic Layla feminine 莱拉
arabic Maryam feminine 玛丽亚姆
arabic Amina feminine 阿米娜
arabic Salma feminine 萨尔玛
arabic Rania feminine 拉尼娅
arabic Noor feminine 努尔
arabic Ghassan masculine -
persian Reza masculine 礼萨
persian Mehdi masculine 迈赫迪
persian Hossein masculine 侯赛因
persian Farah feminine 法拉
persian Shirin feminine -
turkish Mehmet masculine 梅赫梅特
turkish Recep masculine 雷杰普
turkish Emre masculine 埃姆雷
turkish Orhan masculine 奥尔罕
turkish Kemal masculine 凯末尔
turkish Hakan masculine 哈坎
turkish Ayşe feminine 阿伊谢
turkish Mesut masculine 梅苏特
turkish Selim masculine 塞利姆
turkish Şükrü masculine -
southasian Priyanka feminine 普丽扬卡
southasian Raj masculine 拉杰
southasian Rahul masculine 拉胡尔
southasian Narendra masculine 纳伦德拉
southasian Sanjay masculine 桑贾伊
southasian Amit masculine 阿米特
southasian Vijay masculine 维杰
southasian Rohan masculine 罗翰
southasian Sachin masculine 萨钦
southasian Deepika feminine 迪皮卡
southasian Aishwarya feminine 艾西瓦娅
southasian Indira feminine 英迪拉
southasian Lakshmi feminine 拉克希米
southasian Imran masculine 伊姆兰
southasian Malala feminine 马拉拉
southasian Kamala feminine 卡玛拉
southasian Rishi masculine 里希
southasian Sundar masculine 桑达尔
southasian Satya masculine 萨蒂亚
southasian Bhavna feminine -
southasian Siddharth masculine -
westafrican Chimamanda feminine 奇玛曼达
westafrican Chinua masculine 钦努阿
westafrican Wole masculine 沃莱
westafrican Kofi masculine 科菲
westafrican Kwame masculine 夸梅
westafrican Nnamdi masculine 纳姆迪
westafrican Olusegun masculine 奥卢塞贡
westafrican Ngozi feminine 恩戈齐
westafrican Sadio masculine 萨迪奥
westafrican Oluwaseun masculine -
westafrican Adaeze feminine -
eastafrican Jomo masculine 乔莫
eastafrican Uhuru masculine 乌胡鲁
eastafrican Wangari feminine 旺加里
eastafrican Haile masculine 海尔
eastafrican Abiy masculine 阿比
eastafrican Lupita feminine 露皮塔
eastafrican Ngũgĩ masculine 恩古吉
eastafrican Wanjiru feminine -
eastafrican Thabo masculine 塔博
greek Nikos masculine 尼科斯
greek Dimitris masculine 季米特里斯
greek Γιώργος masculine -
spanish Joaquín masculine 华金
spanish Joaquin masculine 华金
portuguese Joaquim masculine 若阿金
portuguese Mateus masculine 马特乌斯
portuguese Matheus masculine 马特乌斯
nordic Freja feminine 弗蕾娅
nordic Freja neutral 弗雷亚
italian Chiara feminine 基娅拉
italian Chiara neutral 基亚拉
german Günter masculine 京特
german Guenter masculine 京特
german Günther masculine 京特
slavic Bogdan masculine 博格丹
"""
CASES = [line.split() for line in STANDARD.strip().splitlines()]


def sound_of(name: str, feel: str = "neutral", more: int = 0) -> str | None:
    return next((s.hanzi for s in suggest(name, feel, None, more).items if s.kind == "sound"), None)


def test_the_table_covers_300_names_from_12_backgrounds():
    assert len(CASES) >= 300
    assert len({background for background, *_ in CASES}) >= 12
    assert sum(expected != "-" for *_, expected in CASES) >= 250


@pytest.mark.parametrize(("background", "name", "feel", "expected"), CASES, ids=lambda v: str(v))
def test_names_get_their_standard_form(background, name, feel, expected):
    result = suggest(name, feel)
    sound = [s for s in result.items if s.kind == "sound"]
    assert len(sound) == 1 and result.note is None, (name, result)
    assert all(problems(s) == [] for s in result.items)
    if expected != "-":
        assert sound[0].hanzi == expected, (background, name)


@pytest.mark.parametrize(
    ("name", "feel", "not_this", "said"),
    [
        ("Siobhan", "feminine", "西奥布亨", "Irish"),  # shi-VAWN
        ("Niamh", "feminine", "尼亚姆", "Irish"),  # NEEV
        ("Aoife", "feminine", "奥伊夫", "Irish"),  # EE-fa
        ("Juanita", "feminine", "朱安妮塔", "Spanish"),  # hwa-NEE-ta
        ("Begoña", "feminine", "贝戈纳", "Spanish"),
        ("Mateus", "masculine", "马图斯", "Portuguese"),  # ma-TE-us: -eus is two vowels
        ("Chiara", "feminine", "奇亚拉", "Italian"),  # KYA-ra: Italian chi is ki
        ("Gunter", "masculine", "京特", None),  # without the umlaut it is not Günter's 京特
        ("Wolfram", "masculine", None, None),
    ],
)
def test_sounded_out_names_follow_pronunciation(name, feel, not_this, said):
    item = next(s for s in suggest(name, feel).items if s.kind == "sound")
    assert item.hanzi != not_this
    assert problems(item) == []
    if said:
        assert f"as it is said in {said}" in item.why


def test_pronunciation_rules_by_language():
    assert sound_of("Siobhan", "feminine")[0] == "希"  # sh, not s-i-o
    assert sound_of("Juanita")[0] == "胡"  # Spanish j is h: 胡安
    assert sound_of("Begoña", "feminine") == "贝戈尼亚" or sound_of("Begoña", "feminine") == "贝戈妮娅"
    assert sound_of("Simão") == "西芒"  # Portuguese -ão
    assert sound_of("Conceição")[-1] == "桑"  # -ção
    assert sound_of("Ivanova", "feminine")[-1] == "娃"  # Slavic -ova
    assert sound_of("Ivanov", "masculine")[-1] == "夫"  # Slavic -ov
    assert sound_of("Eoin") == "欧文"  # said like Owen
    assert sound_of("Freja", "feminine") == sound_of("Freya", "feminine") == "弗蕾娅"  # Nordic j is y
    assert sound_of("Jürgen") == sound_of("Juergen") == "于尔根"  # ü written ue, or not, the same name


@pytest.mark.parametrize(
    ("name", "surname", "explained"),
    [
        ("Sarah Wong", "黄", "Wong is the Cantonese spelling of 黄 Huáng; it can also be 王 Wáng"),
        ("Kevin Chan", "陈", "Chan is the Cantonese spelling of 陈 Chén; it can also be 曾 Zēng"),
        ("Amy Cheung", "张", "Cheung is the Cantonese spelling of 张 Zhāng"),
        ("Tom Lau", "刘", "Lau is the Cantonese spelling of 刘 Liú"),
        ("Ben Lam", "林", "Lam is the Cantonese spelling of 林 Lín"),
        ("Ivy Ng", "吴", "Ng is the Cantonese spelling of 吴 Wú; it can also be 伍 Wǔ"),
        ("Jason Lee", "李", "it can also be 利 Lì"),
        ("Grace Tan", "陈", "Tan is the Hokkien spelling of 陈 Chén"),
        ("Mei Lim", "林", "Lim is the Hokkien spelling of 林 Lín"),
        ("Alan Ong", "王", "Ong is the Hokkien spelling of 王 Wáng"),
        ("Rachel Goh", "吴", "Goh is the Hokkien spelling of 吴 Wú"),
        ("Peter Teo", "张", "Teo is the Teochew spelling of 张 Zhāng"),
        ("Mark Koh", "许", "Koh is the Hokkien spelling of 许 Xǔ"),
        ("Joyce Chua", "蔡", "Chua is the Hokkien spelling of 蔡 Cài"),
        ("Daniel Yap", "叶", "Yap is the Hakka spelling of 叶 Yè"),
        ("Alice Hsu", "徐", "Hsu is the Wade-Giles spelling"),
        ("Tony Chow", "周", "Chow is the Cantonese spelling of 周 Zhōu"),
        ("Eric Kwok", "郭", "Kwok is the Cantonese spelling of 郭 Guō"),
        ("Ann Ho", "何", "Ho is the Cantonese spelling of 何 Hé"),
        ("Sam Yeung", "杨", "Yeung is the Cantonese spelling of 杨 Yáng"),
        ("Jo Leung", "梁", "Leung is the Cantonese spelling of 梁 Liáng"),
        ("Emily Huang", "黄", "Huang is the pinyin spelling of 黄 Huáng"),
        ("David Zhang", "张", "Zhang is the pinyin spelling of 张 Zhāng"),
        ("Lisa Kim", "金", "Kim is the Korean reading of 金 Jīn"),
        ("Jenny Park", "朴", "as a Chinese surname, 朴 is read Piáo"),
        ("Daniel Choi", "崔", "Choi is the Korean reading of 崔 Cuī"),
        ("Lucy Jung", "郑", "Jung is the Korean reading of 郑 Zhèng"),
        ("Chris Kang", "姜", "Kang is the Korean reading of 姜 Jiāng"),
        ("Anna Cho", "赵", "Cho is the Korean reading of 赵 Zhào"),
        ("Mai Nguyen", "阮", "Nguyen is the Vietnamese reading of 阮 Ruǎn"),
        ("Lan Tran", "陈", "Tran is the Vietnamese reading of 陈 Chén"),
        ("Huy Pham", "范", "Pham is the Vietnamese reading of 范 Fàn"),
        ("Linh Le", "黎", "Le is the Vietnamese reading of 黎 Lí"),
        ("Hoa Hoang", "黄", "Hoang is the Vietnamese reading of 黄 Huáng"),
        ("Nam Vu", "武", "Vu is the Vietnamese reading of 武 Wǔ"),
        ("Thu Dang", "邓", "Dang is the Vietnamese reading of 邓 Dèng"),
        ("Wong Kar Wai", "黄", "Wong is the Cantonese spelling"),
        ("Park Ji-min", "朴", "Park is the Korean reading"),
        ("Ji-min Park", "朴", "Park is the Korean reading"),
        ("Min-jun Kim", "金", "Kim is the Korean reading"),
    ],
)
def test_heritage_surnames_give_the_chinese_surname(name, surname, explained):
    for vibe in (None, "calm"):
        items = [s for s in suggest(name, "neutral", vibe).items if s.kind == "chinese"]
        assert len(items) >= 2 and all(s.hanzi[0] == surname for s in items), (name, vibe)
        assert all(explained in s.why for s in items), (name, items[0].why)
        assert all(explained.split(";")[0] in s.story for s in items)


# Korean given names written as one word that were still sounded out: a syllable the first table lacked
# (kook, baek, yeol, jong, myeon, beom, gyeom, neul, ri, ki, bum, ryeo, joong, chun, ryu, ryeong, bae, yeo,
# hong, kwang, yup, bi), a closing hee, or a common name with no Korean sign, listed whole.
ONE_WORD_KOREAN = [
    "Jungkook", "Baekhyun", "Chanyeol", "Jongin", "Jongdae", "Junmyeon", "Jaebeom", "Yugyeom", "Haneul",
    "Seungri", "Jonghyun", "Kibum", "Ryeowook", "Jaejoong", "Yoochun", "Ryujin", "Chaeryeong", "Youngbae",
    "Yeosang", "Hongjoong", "Kwangsoo", "Hyori", "Dongyup", "Gyuri", "Hyeri", "Eunbi", "Sohee", "Jinhee",
    "Minhee", "Yerim", "Hyuna", "Sunmi", "Yunho", "Junsu", "Yeji", "Mingi", "Jongho", "Kangho", "Taeil",
    "Gayoung", "Hanbin",
]  # fmt: skip

# Korean and Vietnamese given names have Chinese characters of their own (hanja, chữ Hán) that the spelling
# cannot tell: they are not sounded out, and the note says why and asks for the characters.
OWN_CHARACTERS = [
    ("Seo-yeon", "Seo-yeon", "hanja"),
    ("Hyun-woo", "Hyun-woo", "hanja"),
    ("Eun-ji", "Eun-ji", "hanja"),
    ("Jimin", "Jimin", "hanja"),
    ("Seoyeon", "Seoyeon", "hanja"),
    ("Minji", "Minji", "hanja"),
    ("Ji-min Park", "Ji-min", "hanja"),
    ("Park Ji-min", "Ji-min", "hanja"),
    ("Min-jun Kim", "Min-jun", "hanja"),
    ("Park Jimin", "Park Jimin", "hanja"),
    *((name, name, "hanja") for name in ONE_WORD_KOREAN),
    ("Thảo", "Thảo", "chữ Hán"),
    ("Thao", "Thao", "chữ Hán"),
    ("Trang", "Trang", "chữ Hán"),
    ("Linh", "Linh", "chữ Hán"),
    ("Minh", "Minh", "chữ Hán"),
    ("Huy", "Huy", "chữ Hán"),
    ("Dũng", "Dũng", "chữ Hán"),
    ("Hương", "Hương", "chữ Hán"),
    ("Ngọc", "Ngọc", "chữ Hán"),
    ("Anh", "Anh", "chữ Hán"),
    ("Thanh Nguyen", "Thanh", "chữ Hán"),
    ("Mai Nguyen", "Mai Nguyen", "chữ Hán"),
    ("Lan Tran", "Lan", "chữ Hán"),
    ("Nguyen Van Anh", "Nguyen Van Anh", "chữ Hán"),
    ("Nguyễn Thị Hương", "Nguyễn Thị Hương", "chữ Hán"),
]


@pytest.mark.parametrize(("typed", "shown", "script"), OWN_CHARACTERS)
def test_korean_and_vietnamese_given_names_are_not_sounded_out(typed, shown, script):
    for feel in FEELS:
        result = suggest(typed, feel)
        assert [s.kind for s in result.items] == ["chinese"] * 4, (typed, feel)
        assert all(problems(s) == [] for s in result.items)
        assert result.note and result.note.startswith(f"{shown} is a ")
        assert f"Chinese characters of their own ({script})" in result.note
        assert "If you know your name in Chinese characters, type it, surname first" in result.note


def test_a_lone_korean_given_name_is_not_taken_for_a_surname():
    # Seo-yeon has no surname: its Seo is not the surname 徐, nor Hyun-woo's Woo the surname 禹
    for typed in ("Seo-yeon", "Hyun-woo"):
        items = suggest(typed, "feminine", "calm").items
        assert not any("the Chinese surname of" in s.why for s in items), typed
        assert all("a surname that starts like" in s.why for s in items), typed


def test_a_korean_or_vietnamese_name_typed_in_hanzi_is_offered_back():
    for typed, hanzi in (("Seo-yeon 金瑞妍", "金瑞妍"), ("Hương 阮氏香", "阮氏香")):
        result = suggest(typed, "feminine")
        assert result.items[0].kind == "own" and result.items[0].hanzi == hanzi
        assert "sound" not in {s.kind for s in result.items} and result.note is None


@pytest.mark.parametrize(
    "typed",
    # names of other languages that look alike, and names with a standard form, are still written by sound
    ["Hanna", "Minna", "Jina", "Yuri", "Juho", "Sunil", "Amin", "Kim", "Dana Kim", "Anna Nguyen", "Jérôme",
     "Răzvan", "Đorđe", "Ngũgĩ", "Kang Daniel", "Mary-Jane", "Hanae", "Harim", "Heena", "Jiri", "Rina",
     "Ryuji", "Mina", "Hana", "Yuna", "Ramin", "Kirin", "Gabin"],
)  # fmt: skip
def test_look_alike_names_are_still_sounded_out(typed):
    result = suggest(typed, "neutral")
    assert result.note is None, typed
    assert [s.kind for s in result.items].count("sound") == 1 or typed == "Kang Daniel", typed


def test_a_name_in_asian_order_is_not_sounded_out_from_its_surname():
    result = suggest("Nguyen Van Anh")
    assert [s.kind for s in result.items] == ["chinese"] * 4
    assert all(s.hanzi[0] == "阮" for s in result.items)


def test_a_korean_surname_in_hangul_is_kept():
    result = suggest("김민준")
    assert result.note == NON_LATIN_NOTE
    assert len(result.items) == 4 and all(s.hanzi[0] == "金" and s.kind == "chinese" for s in result.items)
    assert "the Korean surname 김 is written 金 Jīn" in result.items[0].why


@pytest.mark.parametrize(
    ("typed", "hanzi", "pinyin"),
    [
        ("李雷", "李雷", "lǐ léi"),
        ("  王静 ", "王静", "wáng jìng"),
        ("曾思远", "曾思远", "zēng sī yuǎn"),
        ("单宁", "单宁", "shàn níng"),
        ("解文", "解文", "xiè wén"),
        ("仇明", "仇明", "qiú míng"),
        ("朴敏", "朴敏", "piáo mǐn"),
        ("区家乐", "区家乐", "ōu jiā lè"),
        ("欧阳娜娜", "欧阳娜娜", "ōu yáng nà nà"),
        ("钟欣然", "钟欣然", "zhōng xīn rán"),  # 钟 is blocklisted, but it is their surname
        ("Emily 陈嘉怡", "陈嘉怡", "chén jiā yí"),
    ],
)
def test_a_typed_chinese_name_is_offered_first_with_its_pinyin(typed, hanzi, pinyin):
    for feel in FEELS:
        result = suggest(typed, feel)
        first = result.items[0]
        assert (first.kind, first.hanzi, first.pinyin) == ("own", hanzi, pinyin)
        surname = "欧阳" if hanzi.startswith("欧阳") else hanzi[0]
        assert problems(first, own_surname=surname) == []
        assert 3 <= len(result.items) <= 5 and len({s.hanzi for s in result.items}) == len(result.items)
        others = [s for s in result.items[1:] if s.kind == "chinese"]
        assert others and all(s.hanzi.startswith(surname) for s in others)
        assert all("your surname" in s.why for s in others)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("习近平", "习近平"),
        ("毛泽东", "毛泽东"),
        ("周杰明", "周杰伦"),  # starts like 周杰伦
        ("王死", "死"),
        ("杨伟", "阳痿"),
        ("彭丽媛", "彭丽媛"),
    ],
)
def test_a_typed_chinese_name_still_passes_the_safety_rules(typed, reason):
    result = suggest(typed)
    assert typed not in {s.hanzi for s in result.items}
    assert result.note and typed in result.note and reason in result.note
    assert 3 <= len(result.items) <= 5 and all(problems(s) == [] for s in result.items)


def test_hanzi_without_a_surname_gets_names_by_meaning():
    result = suggest("晓彤")
    assert result.note and "晓彤" in result.note
    assert len(result.items) == 4 and all(s.kind == "chinese" for s in result.items)


@pytest.mark.parametrize(
    ("hanzi", "pinyin", "famous"),
    [
        ("习近", "xí jìn", "习近平"),  # the first two characters
        ("毛泽明", "máo zé míng", "毛泽东"),  # a name starting with them
        ("王杰明", "wáng jié míng", "王杰"),  # a famous name inside a longer one
        ("李成龙", "lǐ chéng lóng", "成龙"),
        ("刘德安", "liú dé ān", "刘德华"),
        ("周杰", "zhōu jié", "周杰伦"),
        ("安李娜", "ān lǐ nà", "李娜"),
    ],
)
def test_famous_names_are_caught_inside_and_at_the_start(hanzi, pinyin, famous):
    from learnapp.nickname import NameChar, Suggestion

    chars = tuple(NameChar(c, p, "") for c, p in zip(hanzi, pinyin.split(), strict=True))
    found = problems(Suggestion(hanzi, pinyin, "chinese", chars, "", ""))
    assert any(famous in p for p in found), found


@pytest.mark.parametrize(
    "raw",
    [
        "محمد",  # Arabic
        "Дмитрий",  # Cyrillic
        "मोहन",  # Devanagari
        "민준",  # Hangul without a known surname
        "Γιώργος",  # Greek
        "😀🎉",
        "Emily 😀 李",
        "<b>Tom</b> & <i>Jerry</i>",
        "<script>alert(1)</script>",
        "x" * 5000,
        "Anna" * 1250,
        "a\u0301\u200b\x00b",
        "ʻOkalani",
        "O'Brien-Ní Bhriain",
    ],
)
def test_names_in_any_script_get_suggestions(raw):
    for feel in FEELS:
        result = suggest(raw, feel, "warm", 1)
        assert 3 <= len(result.items) <= 5
        assert all(problems(s) == [] for s in result.items)


@pytest.mark.parametrize("raw", ["", "   ", "\u200b"[:0], "\t\n"])
def test_an_empty_name_is_the_one_message(raw):
    with pytest.raises(NicknameInputError, match="Type your name"):
        suggest(raw)


def thousand_names() -> list[str]:
    names = sorted(tables.foreign_names()) + sorted(tables.pronunciations())
    names += [
        f"{first} {last}"
        for first, last in zip(
            ["Brayden", "Nevaeh", "Paisley", "Xochitl", "Oluwadamilare", "Siddharth", "Thanh", "Seo-yeon",
             "Zbigniew", "Ghassan", "Itziar", "Caoimhe", "Wanjiru", "Bhavna", "Tadhg", "Kealoha", "Aroha",
             "Leilani", "Saoirse", "Yusra"] * 6,
            sorted(tables.heritage_surnames())[:120],
            strict=True,
        )
    ]  # fmt: skip
    return [n.capitalize() if " " not in n else n for n in names][:1000]


def test_every_suggestion_for_1000_names_passes_the_safety_rules():
    names = thousand_names()
    assert len(set(names)) >= 1000
    seen = 0
    for index, name in enumerate(names):
        for feel in FEELS:
            vibe = VIBES[index % len(VIBES)] if feel == "neutral" else None
            result = suggest(name, feel, vibe, index % 3)
            assert 3 <= len(result.items) <= 5, name
            assert len({s.hanzi for s in result.items}) == len(result.items), name
            for s in result.items:
                assert problems(s) == [], (name, feel, s.hanzi, problems(s))
                seen += 1
    assert seen >= 11_000
