"""The tables behind Chinese-style names: surnames, given-name characters, and what a name must never be.

Readings are the ones these characters have in names, checked against CC-CEDICT (tests/unit); meanings
are short English glosses a learner can read. Surname-only readings (沈 Shěn, 曾 Zēng, 曹 Cáo) are the
ones CC-CEDICT gives for the surname.
"""

from __future__ import annotations

from dataclasses import dataclass

FEELS = ("feminine", "masculine", "neutral")
VIBES = ("bright", "calm", "brave", "gentle", "witty", "wise", "warm")


@dataclass(frozen=True, slots=True)
class GivenChar:
    char: str
    pinyin: str
    feel: str  # "feminine", "masculine" or "neutral": the names it is usual in
    vibes: tuple[str, ...]
    meaning: str
    position: str  # "any", "first" (晓, 子, 思 usually lead) or "last" (然, 远, 川 usually end)


# char pinyin feel(f/m/n) vibes position|meaning
_GIVEN = """
晓 xiǎo n bright,wise first|dawn
晴 qíng n bright any|clear sky
明 míng n bright,wise any|bright
阳 yáng m bright,warm any|sun
辉 huī m bright last|splendour, brilliance
曦 xī f bright last|morning sunlight
朗 lǎng m bright,calm,witty last|bright and clear; open-hearted
星 xīng n bright any|star
灿 càn n bright any|brilliant, radiant
悦 yuè f bright,warm any|joy, delight
欣 xīn f bright,warm any|glad, happy
彤 tóng f bright last|bright red
昕 xīn n bright any|dawn
晨 chén n bright any|morning
天 tiān n bright any|sky
华 huá n bright any|splendid, magnificent
晶 jīng n bright any|crystal; sparkling
莹 yíng f bright,gentle last|lustrous, like jade
霞 xiá f bright last|rosy clouds at sunrise or sunset
虹 hóng n bright,witty any|rainbow
熙 xī n bright,warm any|bright; prosperous
希 xī n bright,warm any|hope
瑞 ruì n bright,calm any|auspicious
亮 liàng m bright last|bright
凯 kǎi m bright,brave any|triumphant
启 qǐ m bright,wise first|to open; to enlighten
笑 xiào n witty,bright any|smile, laughter
欢 huān n witty,bright any|joy, merriment
琪 qí f bright last|fine jade
璐 lù f bright last|fine jade
瑶 yáo f gentle,bright last|precious jade
玲 líng f witty,bright last|tinkling of jade
佳 jiā n bright,warm any|fine, good
蕾 lěi f bright,gentle last|flower bud
歌 gē n bright,warm last|song
雯 wén f bright,gentle last|cloud patterns
晖 huī n bright,warm last|sunshine
静 jìng f calm any|quiet, calm
宁 níng n calm any|peaceful
安 ān n calm,warm any|peace, safety
然 rán n calm last|natural, at ease (as in 自然 and 安然)
清 qīng n calm any|clear, pure
远 yuǎn n calm,wise last|far-reaching
山 shān m calm,brave last|mountain
海 hǎi m calm,brave any|sea
川 chuān m calm last|river
林 lín n calm any|forest, woods
松 sōng m calm,brave last|pine tree
竹 zhú n calm,brave any|bamboo
岚 lán f calm last|mountain mist
云 yún n calm any|cloud
雨 yǔ n calm,gentle any|rain
雪 xuě f calm any|snow
月 yuè f calm,gentle any|moon
秋 qiū n calm any|autumn
舒 shū n calm any|relaxed, at ease
逸 yì n calm any|free and at ease
恬 tián f calm any|tranquil
泰 tài m calm any|peaceful; grand
平 píng n calm last|peaceful, level
和 hé n calm,warm,gentle any|harmony, peace
悠 yōu n calm any|leisurely; long-lasting
涵 hán n calm,wise last|to contain; tolerance
宜 yí f calm,gentle last|fitting, suitable
洁 jié f calm last|clean, pure
莲 lián f calm,gentle last|lotus
荷 hé f calm,gentle last|lotus
霖 lín n calm last|timely rain
鹤 hè n calm,wise last|crane (a bird that stands for long life)
枫 fēng n calm,brave last|maple
青 qīng n calm any|blue-green; youth
墨 mò n wise,calm any|ink
祥 xiáng n calm,warm last|auspicious
恒 héng m calm,brave any|constant, lasting
谦 qiān n calm,warm last|modest
杰 jié m brave,wise last|outstanding person, hero
豪 háo m brave last|heroic, bold
勇 yǒng m brave any|brave
强 qiáng m brave last|strong
刚 gāng m brave last|firm, strong
毅 yì m brave last|resolute, firm
健 jiàn m brave any|healthy, strong
威 wēi m brave last|might, power
虎 hǔ m brave last|tiger
龙 lóng m brave last|dragon
鹏 péng m brave last|roc (a giant mythical bird)
飞 fēi n brave last|to fly
峰 fēng m brave last|peak, summit
浩 hào m brave,calm any|vast, grand
涛 tāo m brave last|great waves
航 háng m brave last|to sail, to navigate
帆 fān n brave,calm last|sail
志 zhì n brave,wise first|will, ambition
立 lì m brave any|to stand; to establish
成 chéng m brave any|to succeed, to accomplish
英 yīng n brave,bright any|hero; outstanding
雄 xióng m brave last|heroic, mighty
越 yuè n brave last|to surpass
卓 zhuó n brave,wise any|outstanding
骏 jùn m brave any|fine horse, steed
锋 fēng m brave last|sharp edge; vanguard
剑 jiàn m brave any|sword
岩 yán m brave,calm last|rock, cliff
宏 hóng m brave,wise any|grand, vast
铭 míng m wise last|to engrave (in memory)
梅 méi f brave,gentle last|plum blossom, which flowers in winter
飒 sà f brave,witty last|valiant and spirited (slang: cool)
凤 fèng f brave,bright any|phoenix
铮 zhēng n brave last|ring of metal; unyielding
锐 ruì m brave,witty any|sharp, keen
捷 jié n witty,brave last|quick, nimble; victory
宇 yǔ m brave,wise any|universe
轩 xuān m brave,bright last|lofty
俊 jùn m bright,brave first|handsome; talented
伟 wěi m brave any|great, mighty
忠 zhōng m warm,brave any|loyal
义 yì m brave,warm last|righteousness
婷 tíng f gentle last|graceful
雅 yǎ n gentle,calm any|elegant
怡 yí f gentle,warm last|joyful, harmonious
诗 shī f gentle,wise first|poetry
柔 róu f gentle last|soft, gentle
婉 wǎn f gentle any|graceful, gentle
淑 shū f gentle first|kind and virtuous
惠 huì f gentle,warm any|kindness
兰 lán f gentle,calm last|orchid
芳 fāng f gentle last|fragrant
萱 xuān f gentle,warm last|daylily
琳 lín f gentle last|fine jade
珊 shān f gentle last|coral
玉 yù f gentle any|jade
秀 xiù f gentle any|elegant, beautiful
琴 qín f gentle,calm last|zither (qin)
韵 yùn f gentle,witty last|charm; rhyme
彬 bīn m gentle last|refined, cultivated
儒 rú m gentle,wise any|scholar; refined
恺 kǎi m gentle,warm last|joyful and kind
良 liáng m gentle,warm last|good, kind
君 jūn n gentle,wise last|noble person
文 wén n gentle,wise any|writing, culture
温 wēn n warm,gentle first|warm, gentle
倩 qiàn f gentle,witty last|pretty, charming
美 měi f gentle,bright first|beautiful
丽 lì f gentle,bright last|beautiful
娜 nà f gentle last|elegant (a character for names of girls)
妍 yán f gentle,bright last|beautiful
燕 yàn f gentle last|swallow (the bird)
珍 zhēn f gentle,warm last|precious, treasure
梦 mèng f gentle any|dream
善 shàn n warm,gentle any|kind, good
颖 yǐng f witty,wise last|clever, outstanding
敏 mǐn n witty any|quick, clever
聪 cōng n witty,wise last|clever
可 kě f witty,warm first|can; lovely (as in 可爱, cute)
巧 qiǎo f witty any|clever, skilful
妙 miào f witty any|wonderful, clever
俏 qiào f witty last|pretty, smart
萌 méng f witty any|to sprout; cute (slang)
甜 tián f warm,witty last|sweet
言 yán n witty,wise last|words, speech
语 yǔ n witty,gentle any|language, words
鸣 míng n witty,brave last|(of birds) to sing; to ring out
舞 wǔ f witty,bright last|to dance
跃 yuè m witty,brave last|to leap
睿 ruì m wise,witty any|wise, far-sighted
哲 zhé n wise last|wise; philosophy
思 sī n wise first|thought, to think
智 zhì m wise,witty any|wisdom
博 bó m wise any|broad, learned
书 shū n wise any|book
德 dé m wise,warm any|virtue
达 dá m wise last|to reach; understanding
贤 xián n wise,warm last|virtuous, worthy
彦 yàn m wise any|accomplished scholar
源 yuán n wise,calm last|source, origin
梓 zǐ n calm,wise first|catalpa tree; hometown
辰 chén n wise,bright last|celestial body; time
子 zǐ n wise first|child; master (as in 孔子)
慧 huì f wise any|wise, intelligent
仁 rén m warm any|benevolence
心 xīn n warm any|heart
爱 ài f warm first|love
暖 nuǎn f warm last|warm
诚 chéng m warm last|sincere, honest
信 xìn m warm last|trust, faith
嘉 jiā n warm,bright first|excellent; to praise
家 jiā n warm first|home, family
康 kāng n warm,brave last|healthy
福 fú n warm last|good fortune
宝 bǎo n warm last|treasure
诺 nuò n warm last|promise
煦 xù n warm last|warm (of sunshine)
友 yǒu n warm last|friend
泽 zé m calm,warm any|pool; favour, grace
丹 dān n warm,brave last|red (as in 丹心, a loyal heart)
"""

_FEEL_CODES = {"f": "feminine", "m": "masculine", "n": "neutral"}


def _given() -> tuple[GivenChar, ...]:
    out = []
    for line in _GIVEN.strip().splitlines():
        head, meaning = line.split("|")
        char, pinyin, feel, vibes, position = head.split()
        out.append(GivenChar(char, pinyin, _FEEL_CODES[feel], tuple(vibes.split(",")), meaning, position))
    return tuple(out)


GIVEN_CHARS: tuple[GivenChar, ...] = _given()
GIVEN_BY_CHAR: dict[str, GivenChar] = {g.char: g for g in GIVEN_CHARS}

# char: (pinyin, meaning); the meaning is empty where the character is only a surname to a learner.
SURNAMES: dict[str, tuple[str, str]] = {
    "王": ("wáng", "king"),
    "李": ("lǐ", "plum"),
    "张": ("zhāng", "to open up, to spread"),
    "刘": ("liú", ""),
    "陈": ("chén", "to lay out, to display"),
    "杨": ("yáng", "poplar"),
    "黄": ("huáng", "yellow"),
    "赵": ("zhào", ""),
    "吴": ("wú", ""),
    "周": ("zhōu", "all around; the Zhou dynasty"),
    "徐": ("xú", "slowly, gently"),
    "孙": ("sūn", "grandchild"),
    "马": ("mǎ", "horse"),
    "朱": ("zhū", "vermilion"),
    "胡": ("hú", ""),
    "郭": ("guō", "outer city wall"),
    "何": ("hé", ""),
    "高": ("gāo", "tall, high"),
    "林": ("lín", "forest"),
    "罗": ("luó", "net for catching birds"),
    "郑": ("zhèng", ""),
    "梁": ("liáng", "roof beam; bridge"),
    "谢": ("xiè", "to thank"),
    "宋": ("sòng", "the Song dynasty"),
    "唐": ("táng", "the Tang dynasty"),
    "许": ("xǔ", "to allow; to promise"),
    "韩": ("hán", ""),
    "冯": ("féng", ""),
    "邓": ("dèng", ""),
    "曹": ("cáo", ""),
    "彭": ("péng", ""),
    "曾": ("zēng", ""),
    "田": ("tián", "field"),
    "董": ("dǒng", "to supervise"),
    "潘": ("pān", ""),
    "叶": ("yè", "leaf"),
    "苏": ("sū", "to revive"),
    "沈": ("shěn", ""),
    "姚": ("yáo", ""),
    "方": ("fāng", "square; direction"),
    "白": ("bái", "white"),
    "金": ("jīn", "gold"),
    "石": ("shí", "stone"),
    "江": ("jiāng", "river"),
    "夏": ("xià", "summer"),
    "史": ("shǐ", "history"),
    "孔": ("kǒng", ""),
    "康": ("kāng", "healthy"),
    "丁": ("dīng", ""),
    "杜": ("dù", ""),
    "范": ("fàn", "model, pattern"),
    "魏": ("wèi", ""),
    "袁": ("yuán", ""),
    "于": ("yú", ""),
    "孟": ("mèng", ""),
    "顾": ("gù", "to look after"),
    "秦": ("qín", "the Qin dynasty"),
    "程": ("chéng", "rule, order"),
    "雷": ("léi", "thunder"),
    "邵": ("shào", ""),
    "莫": ("mò", ""),
    "贝": ("bèi", "shell; treasure"),
    "安": ("ān", "peace"),
    "欧": ("ōu", ""),
    "易": ("yì", "easy; change"),
    "尹": ("yǐn", ""),
    "文": ("wén", "writing, culture"),
    "温": ("wēn", "warm"),
    "韦": ("wéi", ""),
    "梅": ("méi", "plum blossom"),
    "戴": ("dài", ""),
    "陶": ("táo", "pottery"),
    "宁": ("níng", "peaceful"),
    "毕": ("bì", ""),
    "艾": ("ài", ""),
    "邹": ("zōu", ""),
    "姜": ("jiāng", "ginger"),
    "龙": ("lóng", "dragon"),
}

# The first sound of a name -> surnames that start with a like sound, among the most common ones. Keys are
# the sound classes the generator finds (see generator._first_sound): a consonant, a digraph, or a vowel.
SURNAMES_BY_SOUND: dict[str, tuple[str, ...]] = {
    "b": ("白", "毕"),
    "p": ("潘", "彭"),
    "m": ("马", "孟", "梅", "莫"),
    "f": ("方", "冯", "范"),
    "d": ("邓", "丁", "杜", "戴", "董"),
    "t": ("唐", "田", "陶"),
    "th": ("唐", "田"),
    "n": ("宁",),
    "l": ("李", "林", "刘", "罗", "梁"),
    "g": ("高", "郭", "顾"),
    "k": ("孔", "康"),
    "h": ("何", "黄", "韩", "胡"),
    "j": ("金", "江", "姜"),
    "ch": ("陈", "程"),
    "sh": ("沈", "石", "邵"),
    "s": ("苏", "孙", "宋"),
    "z": ("曾", "邹"),
    "r": ("雷", "罗"),
    "w": ("王", "吴", "魏", "温"),
    "v": ("韦", "文"),
    "y": ("杨", "叶", "姚", "袁", "于"),
    "x": ("谢", "许", "徐"),
    "q": ("秦",),
    "a": ("安", "艾"),
    "e": ("叶", "艾"),
    "i": ("易", "尹"),
    "o": ("欧",),
    "u": ("于",),
}

# Characters no suggestion may contain: death and mourning, illness, disaster, crime, the body's
# functions, insults and vulgar slang, and the taboo 钟/终 (送钟 "giving a clock" sounds like 送终).
BLOCKLIST = frozenset(
    "死病亡丧屎尸鬼贱奴杀毒癌凶哀尿屁粪妓娼淫骚贼盗匪魔妖邪恶痛苦疼伤残废穷贫衰败灾祸惨悲泪哭丑蠢笨傻呆疯乱"
    "罪狱囚坟墓葬棺殡殇殁终钟蛋鸡鸭龟猪狗鼠虫蛆屌逼操肏卵屄阴滚仇恨怨愁忧孤寡弃贪懒骗偷假腐臭脏垃圾屠刑斩灭"
    "瘟疫瘤疮痴瞎聋哑瘸厕奸寇霉绝断血魂冥歹荒凄泣婊嫖姘茎乳肛臀菊绿厄丐乞饿饥吊绞呕吐咒骂畜兽秃胖矮溃"
)

# Words a name must not sound like: (hanzi, pinyin, English). A name matches when these toneless syllables
# appear in order, one after another, anywhere in the name's toneless syllables (杜子腾 dù zǐ téng sounds
# like 肚子疼 dù zi téng, "stomach ache").
BAD_SOUNDS: tuple[tuple[str, str, str], ...] = (
    ("肚子疼", "dù zi téng", "stomach ache"),
    ("肚子", "dù zi", "belly"),
    ("饭桶", "fàn tǒng", "rice bucket: a good-for-nothing"),
    ("屎真香", "shǐ zhēn xiāng", "the poo smells good"),
    ("猪一群", "zhū yī qún", "a herd of pigs"),
    ("阳痿", "yáng wěi", "impotence"),
    ("无人要", "wú rén yào", "nobody wants them"),
    ("禽兽", "qín shòu", "beast, brute"),
    ("狗屎", "gǒu shǐ", "dog poo"),
    ("神经病", "shén jīng bìng", "crazy"),
    ("神经", "shén jīng", "nerves; (slang) crazy"),
    ("卫生巾", "wèi shēng jīn", "sanitary pad"),
    ("肚脐眼", "dù qí yǎn", "belly button"),
    ("没良心", "méi liáng xīn", "heartless"),
    ("狐狸精", "hú li jīng", "vixen, seductress"),
    ("贱人", "jiàn rén", "bitch"),
    ("王八", "wáng bā", "turtle (an insult)"),
    ("白痴", "bái chī", "idiot"),
    ("傻瓜", "shǎ guā", "fool"),
    ("笨蛋", "bèn dàn", "idiot"),
    ("混蛋", "hún dàn", "bastard"),
    ("去死", "qù sǐ", "go and die"),
    ("死人", "sǐ rén", "dead person"),
    ("尸体", "shī tǐ", "corpse"),
    ("鸡巴", "jī ba", "penis (vulgar)"),
    ("傻逼", "shǎ bī", "idiot (vulgar)"),
    ("放屁", "fàng pì", "to fart; nonsense"),
    ("屁股", "pì gu", "bottom, buttocks"),
    ("大便", "dà biàn", "poo"),
    ("小便", "xiǎo biàn", "pee"),
    ("小三", "xiǎo sān", "mistress"),
    ("无用", "wú yòng", "useless"),
    ("犯贱", "fàn jiàn", "to act cheap"),
    ("无德", "wú dé", "without virtue"),
    ("无能", "wú néng", "incompetent"),
    ("无知", "wú zhī", "ignorant"),
    ("无耻", "wú chǐ", "shameless"),
    ("无聊", "wú liáo", "boring"),
    ("无情", "wú qíng", "heartless"),
    ("无良", "wú liáng", "unscrupulous"),
    ("犯人", "fàn rén", "convict"),
    ("犯罪", "fàn zuì", "to commit a crime"),
    ("猪头", "zhū tóu", "pig head: idiot"),
    ("胡说", "hú shuō", "nonsense"),
    ("糊涂", "hú tu", "muddle-headed"),
    ("流氓", "liú máng", "hooligan"),
    ("流产", "liú chǎn", "miscarriage"),
    ("疯子", "fēng zi", "lunatic"),
    ("瞎子", "xiā zi", "blind person (rude)"),
    ("鬼子", "guǐ zi", "devil (an ethnic slur)"),
    ("汉奸", "hàn jiān", "traitor"),
    ("黄色", "huáng sè", "pornographic"),
    ("高潮", "gāo cháo", "climax, orgasm"),
    ("孙子", "sūn zi", "grandson (an insult)"),
    ("马虎", "mǎ hu", "careless, sloppy"),
    ("马桶", "mǎ tǒng", "toilet"),
    ("厕所", "cè suǒ", "toilet"),
    ("强奸", "qiáng jiān", "rape"),
    ("月经", "yuè jīng", "menstruation"),
    ("子宫", "zǐ gōng", "womb"),
    ("思春", "sī chūn", "to pine for a lover"),
    ("春梦", "chūn mèng", "erotic dream"),
    ("可笑", "kě xiào", "ridiculous"),
    ("云雨", "yún yǔ", "clouds and rain: a literary word for sex"),
    ("欢爱", "huān ài", "lovemaking"),
    ("黄书", "huáng shū", "pornographic book"),
    ("马子", "mǎ zi", "(slang) chick; (old) bandit"),
    ("胡子", "hú zi", "beard"),
    ("刘海", "liú hǎi", "bangs (a fringe of hair)"),
)

# Full names of well-known people (leaders and political figures, historical figures, stars, athletes)
# and characters; a suggestion may not be one of them, nor contain one of three characters or more, nor
# have one as its given name (张成龙 reads as "Zhang Jackie-Chan").
_FAMOUS = """
江青 王明 胡佳 雷锋 黄华 孙悦 董卓 黄忠 马良 孔明 潘安 杜康 艾青 罗文 李嘉欣 海瑞 刘海
毛泽东 习近平 邓小平 周恩来 孙中山 孙文 蒋介石 蒋经国 江泽民 胡锦涛 温家宝 李克强
朱镕基 李鹏 刘少奇 华国锋 胡耀邦 赵紫阳 彭德怀 林彪 朱德 陈云 陈毅 贺龙 叶剑英
刘伯承 王岐山 李强 赵乐际 王沪宁 蔡奇 丁薛祥 李希 韩正 王毅 秦刚 杨洁篪 汪洋 胡春华
孙春兰 刘鹤 王晨 刘云山 李岚清 张德江 俞正声 张高丽 周永康 薄熙来 彭丽媛 宋庆龄
宋美龄 袁世凯 汪精卫 李鸿章 慈禧 溥仪 康有为 梁启超 鲁迅 胡适 陈独秀 李大钊 马英九
蔡英文 陈水扁 李登辉 赖清德 韩国瑜 柯文哲 宋楚瑜 刘晓波 艾未未 王丹 李文亮 孔子 孟子
老子 庄子 荀子 墨子 韩非 屈原 司马迁 李白 杜甫 白居易 王维 苏轼 李清照 陆游 王羲之
诸葛亮 关羽 刘备 张飞 赵云 赵子龙 曹操 孙权 周瑜 吕布 貂蝉 岳飞 郑和 韩信 苏武
孙武 孙子 秦始皇 武则天 杨贵妃 花木兰 成吉思汗 孙悟空 林黛玉 贾宝玉 李小龙 成龙
李连杰 甄子丹 周星驰 刘德华 张学友 周润发 梁朝伟 张国荣 王菲 周杰伦 林俊杰 王力宏
陈奕迅 邓丽君 姚明 刘翔 李宁 李娜 林丹 马龙 张怡宁 张宁 陈梦 朱婷 许昕 杨威 田亮
邓亚萍 郎平 谷爱凌 马云 马化腾 李嘉诚 董明珠 章子怡 巩俐 范冰冰 杨幂 刘亦菲 赵丽颖
黄晓明 胡歌 王凯 许凯 陈晓 刘涛 李静 胡静 何洁 宋佳 秦岚 杨颖 刘雯 姚晨 刘欢 王杰
张杰 李健 崔健 汪峰 韩红 那英 刘嘉玲 陈慧琳 徐静蕾 林青霞 林志玲 张家辉 梁家辉
任达华 刘青云 赵文卓 王志文 杜海涛 张子枫 谢娜 汪涵 于丹 朱丹 蔡明 黄宏 王宝强
白岩松 罗云熙 余华 余秋雨 莫言 丁玲 张爱玲 姜文 李安 周华健 叶诗文 叶倩文 吴敏霞
赵宏博 魏秋月 吴昕 钱枫 王刚 王心凌 杨紫 赵薇 吴京 王一博 肖战 易烊千玺 王俊凯 王源
"""
FAMOUS = frozenset(_FAMOUS.split())
