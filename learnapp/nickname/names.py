"""Writing English first names in Chinese characters: the established forms and the characters they use.

`ENGLISH_NAMES` holds the standard transliterations of common English first names, as the Xinhua
conventions (英语姓名译名手册) and everyday use write them: Emily 艾米莉, David 大卫, Michael 迈克尔, John
约翰. A name may have a second form in common use (David 大卫/戴维); the first is the one we show first.
Only forms we are sure of are here; any other name is sounded out by the rules in `syllable_char`.

Women's names are written with "feminine" characters (莉 丽 娜 娅 妮 琳 ...). `FEMININE_TO_NEUTRAL` maps
each to the plain character for the same sound, used when the learner does not ask for a feminine feel;
`NEUTRAL_OVERRIDES` gives the standard plain form where that mapping alone would be wrong (沙拉 is
"salad", so Sarah is 萨拉).

Every character used for sound is in `SOUND_CHARS` with its reading and a short meaning, so a learner
can see what each one means on its own. Readings were checked against CC-CEDICT (tests/unit).
"""

from __future__ import annotations

# char: (pinyin, meaning). A meaning in brackets says the character is mostly used for its sound.
_SOUND_CHARS = """
阿 ā|a prefix for names (used for its sound)
埃 āi|dust (used for its sound)
艾 ài|mugwort (a herb)
爱 ài|love
安 ān|peace, safety
昂 áng|to hold one's head high
奥 ào|profound, mysterious
巴 bā|(used for its sound) to hope for
芭 bā|a fragrant plant (as in 芭蕉, plantain)
白 bái|white
拜 bài|to pay respects
班 bān|class, team
邦 bāng|country, state
保 bǎo|to protect
鲍 bào|abalone (also a surname)
贝 bèi|shell; treasure
本 běn|root, origin
比 bǐ|to compare
彼 bǐ|that, the other (literary)
宾 bīn|guest
波 bō|wave
伯 bó|father's elder brother; count (title)
勃 bó|vigorous, thriving
博 bó|broad, learned
布 bù|cloth
查 chá|to look into, to check
川 chuān|river
茨 cí|thatch (used for its sound)
达 dá|to reach, to attain
大 dà|big
戴 dài|to wear, to put on
黛 dài|a dark-blue pigment for painting eyebrows
丹 dān|red (cinnabar)
当 dāng|to serve as; ought to
道 dào|way, road
德 dé|virtue
得 dé|to obtain, to get
登 dēng|to climb
邓 dèng|(used for its sound; also a surname)
迪 dí|to enlighten
蒂 dì|stem of a fruit or flower
丁 dīng|a grown man; a small cube (also a surname)
东 dōng|east
顿 dùn|to pause; a meal
多 duō|many, much
迭 dié|alternately, repeatedly
杜 dù|to stop, to prevent (also a surname)
恩 ēn|kindness, grace
尔 ěr|you (literary; used for its sound)
法 fǎ|law, method
凡 fán|ordinary
范 fàn|model, pattern
菲 fēi|fragrant, luxuriant (of plants)
斐 fěi|elegant, graceful
费 fèi|cost, fee
芬 fēn|fragrance
丰 fēng|abundant
冯 féng|(used for its sound; also a surname)
夫 fū|man; husband
弗 fú|not (literary; used for its sound)
芙 fú|lotus (as in 芙蓉)
福 fú|good fortune
富 fù|rich, wealthy
盖 gài|lid, cover
甘 gān|sweet
戈 gē|dagger-axe (an ancient weapon)
格 gé|pattern, grid
各 gè|each, every
根 gēn|root
贡 gòng|tribute
古 gǔ|ancient
果 guǒ|fruit
哈 hā|ha (laughter)
海 hǎi|sea
罕 hǎn|rare
汉 hàn|the Han (Chinese); man
翰 hàn|writing brush (literary)
何 hé|what, how (literary)
赫 hè|grand, impressive
亨 hēng|smooth, prosperous
洪 hóng|flood; vast
胡 hú|(used for its sound; also a surname)
华 huá|splendid, magnificent
怀 huái|bosom; to keep in mind
霍 huò|suddenly, quickly
基 jī|base, foundation
吉 jí|lucky, auspicious
加 jiā|to add
嘉 jiā|excellent; to praise
贾 jiǎ|(used for its sound; also a surname)
简 jiǎn|simple
杰 jié|outstanding person, hero
金 jīn|gold
津 jīn|ferry crossing
卡 kǎ|card
凯 kǎi|triumphant
坎 kǎn|pit; threshold
康 kāng|healthy
科 kē|branch of study, science
柯 kē|axe handle (literary)
可 kě|can, may
克 kè|to overcome; gram
肯 kěn|to be willing
孔 kǒng|hole, opening (also a surname)
库 kù|storehouse
奎 kuí|the name of a constellation (used for its sound)
昆 kūn|elder brother; descendants
拉 lā|to pull
莱 lái|a wild herb (goosefoot)
赖 lài|to rely on
兰 lán|orchid
朗 lǎng|bright, clear
劳 láo|labour, work
勒 lè|to rein in
雷 léi|thunder
蕾 lěi|flower bud
里 lǐ|inside; neighbourhood
理 lǐ|reason, principle
历 lì|to experience; history
丽 lì|beautiful
利 lì|benefit, advantage
莉 lì|jasmine (as in 茉莉)
莲 lián|lotus
廉 lián|honest, incorruptible
烈 liè|fierce, ardent
林 lín|forest, woods
伦 lún|human relationships; order
琳 lín|fine jade
刘 liú|(used for its sound; also a surname)
龙 lóng|dragon
隆 lóng|grand, prosperous
卢 lú|(used for its sound; also a surname)
鲁 lǔ|(used for its sound) the ancient state of Lu, home of Confucius
路 lù|road, path
露 lù|dew
罗 luó|net for catching birds
萝 luó|trailing plants; radish (as in 萝卜)
洛 luò|the Luo River (used for its sound)
马 mǎ|horse
玛 mǎ|agate (as in 玛瑙)
迈 mài|to stride
麦 mài|wheat
曼 màn|graceful; long
梅 méi|plum blossom
门 mén|door, gate
蒙 méng|to cover
米 mǐ|rice
密 mì|dense; secret
明 míng|bright
缪 miù|(used for its sound)
摩 mó|to rub
莫 mò|do not (literary)
默 mò|silent
姆 mǔ|nanny (used for its sound)
穆 mù|solemn, reverent
纳 nà|to receive, to accept
娜 nà|elegant (a character for girls' names)
奈 nài|how (literary; used for its sound)
南 nán|south
内 nèi|inside
妮 nī|girl
尼 ní|Buddhist nun (used for its sound)
宁 níng|peaceful
纽 niǔ|button; knot
农 nóng|farming
努 nǔ|to strive
诺 nuò|promise
欧 ōu|Europe (used for its sound)
帕 pà|handkerchief
派 pài|group, school; to send
潘 pān|(used for its sound; also a surname)
庞 páng|huge
佩 pèi|to admire; to wear
彭 péng|(used for its sound; also a surname)
皮 pí|skin, leather
平 píng|flat, peaceful
珀 pò|amber
普 pǔ|universal, general
奇 qí|wondrous, strange
齐 qí|even, neat
切 qiē|to cut
钦 qīn|to admire, to respect
乔 qiáo|tall
琴 qín|zither (a string instrument)
琼 qióng|fine jade
丘 qiū|hill
秋 qiū|autumn
裘 qiú|fur coat
瑞 ruì|auspicious
撒 sā|to let go, to cast
萨 sà|(used for its sound) as in 菩萨, Bodhisattva
塞 sài|frontier fortress
赛 sài|to compete; a contest
桑 sāng|mulberry
瑟 sè|a large zither (se)
森 sēn|dense forest
沙 shā|sand
莎 shā|(used in girls' names) sedge grass
珊 shān|coral
山 shān|mountain
尚 shàng|to esteem; still
申 shēn|to state, to express
什 shí|assorted; ten (used for its sound)
史 shǐ|history
舒 shū|to relax, to stretch
斯 sī|this (literary; used for its sound)
思 sī|to think; thought
丝 sī|silk
松 sōng|pine tree
苏 sū|to revive
索 suǒ|rope; to search
塔 tǎ|tower, pagoda
泰 tài|peaceful; grand
坦 tǎn|flat; open, candid
汤 tāng|soup
唐 táng|(used for its sound) the Tang dynasty
陶 táo|pottery
特 tè|special
滕 téng|(used for its sound; also a surname)
汀 tīng|sandbar, shoal
廷 tíng|royal court
通 tōng|to go through
图 tú|picture, map
托 tuō|to hold up, to support
娃 wá|baby, doll
瓦 wǎ|tile
万 wàn|ten thousand
旺 wàng|prosperous
威 wēi|might, power
薇 wēi|a fern (as in 蔷薇, rambler rose)
韦 wéi|soft leather
维 wéi|to maintain, to hold together
卫 wèi|to guard, to defend
温 wēn|warm
文 wén|writing, culture
沃 wò|fertile
乌 wū|crow; black
伍 wǔ|five (formal); army squad
武 wǔ|martial
西 xī|west
希 xī|hope
夏 xià|summer
肖 xiào|to resemble
歇 xiē|to rest
谢 xiè|to thank
辛 xīn|toilsome; pungent
欣 xīn|happy, glad
休 xiū|to rest
修 xiū|to repair; to cultivate
逊 xùn|modest, yielding
雪 xuě|snow
亚 yà|Asia; second
娅 yà|(used in girls' names)
雅 yǎ|elegant
扬 yáng|to raise, to spread
耶 yē|(used for its sound) as in 耶稣, Jesus
叶 yè|leaf
伊 yī|he, she (literary; used for its sound)
易 yì|easy; to change
因 yīn|because; cause
英 yīng|hero; flower
尤 yóu|especially
雨 yǔ|rain
约 yuē|to make an appointment; about
赞 zàn|to praise
扎 zhā|to prick, to pierce
詹 zhān|(used for its sound; also a surname)
珍 zhēn|precious, treasure
治 zhì|to govern; to cure
朱 zhū|vermilion
宗 zōng|ancestor; school, sect
兹 zī|this (literary)
祖 zǔ|ancestor
佐 zuǒ|to assist
泽 zé|pool, marsh; favour
"""

SOUND_CHARS: dict[str, tuple[str, str]] = {}
for _line in _SOUND_CHARS.strip().splitlines():
    _head, _meaning = _line.split("|")
    _char, _pinyin = _head.split()
    SOUND_CHARS[_char] = (_pinyin, _meaning)

# The characters that make a transliteration read as a woman's name, each with the plain character for
# the same sound (Xinhua writes men's and neutral names with the plain ones). 莎 珊 琼 珍 萝 娃 have no
# plain counterpart in common use and stay as they are.
FEMININE_TO_NEUTRAL: dict[str, str] = {
    "莉": "利",
    "丽": "利",
    "娜": "纳",
    "娅": "亚",
    "妮": "尼",
    "琳": "林",
    "玛": "马",
    "黛": "戴",
    "薇": "维",
    "蕾": "雷",
    "芙": "夫",
    "露": "卢",
    "丝": "斯",
    "芭": "巴",
}
FEMININE_CHARS = frozenset(FEMININE_TO_NEUTRAL)
# What each feminine character brings, for "莉 (jasmine) makes it feminine".
FEMININE_GLOSS: dict[str, str] = {
    "莉": "jasmine",
    "丽": "beautiful",
    "娜": "elegant",
    "娅": "a girls'-name character",
    "妮": "girl",
    "琳": "fine jade",
    "玛": "agate",
    "黛": "eyebrow paint",
    "薇": "a fern, as in 蔷薇 rambler rose",
    "蕾": "flower bud",
    "芙": "lotus",
    "露": "dew",
    "丝": "silk",
    "芭": "a fragrant plant",
    "莎": "a girls'-name character",
}
# Sounded-out names with a feminine feel: the plain character -> the feminine one (the reverse map, with
# 利 written 莉 and 里 written 丽, as in 玛格丽特).
NEUTRAL_TO_FEMININE: dict[str, str] = {
    "利": "莉",
    "里": "丽",
    "纳": "娜",
    "亚": "娅",
    "尼": "妮",
    "林": "琳",
    "马": "玛",
    "戴": "黛",
    "维": "薇",
    "雷": "蕾",
    "卢": "露",
    "巴": "芭",
    "沙": "莎",
}

# name (lowercase ASCII): forms separated by "/", the usual one first. Women's names in their feminine
# form; see NEUTRAL_OVERRIDES for the plain forms that the mapping above would get wrong.
_NAMES = """
aaron 亚伦|abby 艾比|abigail 阿比盖尔|abraham 亚伯拉罕|ada 艾达|adam 亚当|adele 阿黛尔|adrian 阿德里安
agnes 阿格尼丝|aiden 艾登|alan 艾伦/阿兰|albert 阿尔伯特|alex 亚历克斯|alexander 亚历山大
alexandra 亚历山德拉|alfred 阿尔弗雷德|ali 阿里|alice 爱丽丝|alicia 艾丽西娅|alison 艾莉森|allen 艾伦
allison 艾莉森|alma 阿尔玛|alvin 阿尔文|amanda 阿曼达|amber 安伯|amelia 阿米莉亚|amos 阿莫斯|amy 艾米
anastasia 阿纳斯塔西娅|andre 安德烈|andrew 安德鲁|andy 安迪|angela 安吉拉|angelina 安吉丽娜|angie 安吉
angus 安格斯|ann 安|anna 安娜|annabel 安娜贝尔|anne 安妮|annie 安妮|anthony 安东尼|anton 安东
archie 阿奇|arnold 阿诺德|arthur 亚瑟/阿瑟|ashley 阿什莉|audrey 奥黛丽|austin 奥斯汀|barbara 芭芭拉
barney 巴尼|barry 巴里|beatrice 比阿特丽斯|bella 贝拉|ben 本|benedict 本尼迪克特|benjamin 本杰明
bernard 伯纳德|bernie 伯尼|bertha 伯莎|beth 贝丝|betty 贝蒂|bianca 比安卡|bill 比尔|billy 比利
blake 布莱克|bob 鲍勃|bobby 鲍比|bonnie 邦妮|boris 鲍里斯|brad 布拉德|bradley 布拉德利|brandon 布兰登
brenda 布伦达|brian 布莱恩|bridget 布里奇特|bruce 布鲁斯|bruno 布鲁诺|byron 拜伦|calvin 卡尔文
camila 卡米拉|cameron 卡梅伦|carl 卡尔|carla 卡拉|carmen 卡门|carol 卡罗尔|caroline 卡罗琳|carter 卡特
casey 凯西|cassandra 卡桑德拉|catherine 凯瑟琳|cathy 凯西|cecilia 塞西莉亚|cedric 塞德里克|celia 西莉亚
chad 查德|charles 查尔斯|charlie 查理|charlotte 夏洛特|chelsea 切尔西|chloe 克洛伊|chris 克里斯
christian 克里斯蒂安|christina 克里斯蒂娜|christine 克里斯汀|christopher 克里斯托弗|cindy 辛迪|clara 克拉拉
clarence 克拉伦斯|clark 克拉克|claire 克莱尔|claude 克劳德|claudia 克劳迪娅|clint 克林特|clyde 克莱德
colin 科林|connor 康纳|conrad 康拉德|cora 科拉|craig 克雷格|curtis 柯蒂斯|cynthia 辛西娅|cyril 西里尔
daisy 黛西|dale 戴尔|damian 达米安|dana 达娜|daniel 丹尼尔|danny 丹尼|daphne 达芙妮|darren 达伦
dave 戴夫|david 大卫/戴维|dean 迪恩|deborah 黛博拉|denise 丹尼丝|dennis 丹尼斯|derek 德里克
desmond 德斯蒙德|diana 戴安娜|diane 黛安|dolly 多莉|dominic 多米尼克|don 唐|donald 唐纳德|donna 唐娜
doris 多丽丝|dorothy 多萝西|douglas 道格拉斯|duncan 邓肯|dylan 迪伦|eddie 埃迪|edgar 埃德加|edith 伊迪丝
edmund 埃德蒙|edward 爱德华|edwin 埃德温|elaine 伊莱恩|eleanor 埃莉诺|eliza 伊丽莎|elizabeth 伊丽莎白
ella 艾拉|ellen 埃伦|ellie 艾莉|elliot 埃利奥特|elsa 艾莎|elvis 埃尔维斯|emily 艾米莉|emma 艾玛
emmanuel 伊曼纽尔|eric 埃里克/艾瑞克|erica 埃丽卡|erin 艾琳|ernest 欧内斯特|ethan 伊森|eugene 尤金
eva 伊娃|evan 埃文|eve 伊芙|evelyn 伊芙琳|ezra 埃兹拉|felicity 费利西蒂|felix 费利克斯|fiona 菲奥娜
florence 弗洛伦斯|floyd 弗洛伊德|frances 弗朗西丝|francis 弗朗西斯|frank 弗兰克|fred 弗雷德
frederick 弗雷德里克|freya 弗蕾娅|gabriel 加布里埃尔|gary 加里|gavin 加文|gemma 杰玛|gene 吉恩
george 乔治|georgia 乔治娅|gerald 杰拉尔德|gilbert 吉尔伯特|gina 吉娜|glen 格伦|gloria 格洛丽亚
gordon 戈登|grace 格蕾丝|grant 格兰特|gregory 格雷戈里|gwen 格温|hank 汉克|hannah 汉娜|harold 哈罗德
harper 哈珀|harriet 哈丽雅特|harrison 哈里森|harry 哈利/哈里|harvey 哈维|heather 希瑟|hector 赫克托
heidi 海蒂|helen 海伦|helena 海伦娜|henry 亨利|herbert 赫伯特|hilda 希尔达|holly 霍莉|horace 霍勒斯
howard 霍华德|hugh 休|hugo 雨果|hunter 亨特|ian 伊恩|ingrid 英格丽|irene 艾琳|isaac 艾萨克
isabel 伊莎贝尔|isabella 伊莎贝拉|ivan 伊万|ivy 艾薇|jack 杰克|jacob 雅各布|jacqueline 杰奎琳|jake 杰克
james 詹姆斯|jamie 杰米|jane 简|janet 珍妮特|jared 贾里德|jason 杰森|jasper 贾斯珀|jay 杰伊|jeff 杰夫
jeffrey 杰弗里|jenna 詹娜|jennifer 詹妮弗|jenny 珍妮|jeremy 杰里米|jerome 杰罗姆|jerry 杰里/杰瑞
jesse 杰西|jessica 杰西卡|jessie 杰西|jill 吉尔|jim 吉姆|jimmy 吉米|joan 琼|joanna 乔安娜|joe 乔
joel 乔尔|john 约翰|johnny 约翰尼|jonathan 乔纳森|jordan 乔丹|joseph 约瑟夫|josephine 约瑟芬
joshua 乔舒亚|joy 乔伊|joyce 乔伊斯|jude 裘德|judy 朱迪|julia 朱莉娅|julian 朱利安|julie 朱莉
juliet 朱丽叶|julius 朱利叶斯|justin 贾斯汀|kane 凯恩|karen 卡伦/凯伦|karl 卡尔|kate 凯特
katherine 凯瑟琳|kathy 凯西|katie 凯蒂|kayla 凯拉|keith 基思|kelly 凯莉|ken 肯|kenneth 肯尼斯|kevin 凯文
kim 金|kimberly 金伯莉|kurt 库尔特|kyle 凯尔|lana 拉娜|lance 兰斯|larry 拉里|laura 劳拉|lauren 劳伦
lawrence 劳伦斯|layla 莱拉|leah 莉娅|lenny 伦尼|leo 利奥/里奥|leon 莱昂|leonard 伦纳德|leonardo 莱昂纳多
lewis 刘易斯|liam 利亚姆|lillian 莉莲|lily 莉莉|linda 琳达|lionel 莱昂内尔|lisa 丽莎|liz 莉兹
lloyd 劳埃德|logan 洛根|lois 洛伊丝|lola 洛拉|louis 路易斯|louise 路易丝|lucas 卢卡斯|lucia 露西娅
lucy 露西|luke 卢克|luna 露娜|lydia 莉迪亚|madeline 马德琳|madison 麦迪逊|maggie 玛吉|malcolm 马尔科姆
mandy 曼迪|marco 马可|marcus 马库斯|margaret 玛格丽特|maria 玛丽亚|marian 玛丽安|marie 玛丽|mario 马里奥
marilyn 玛丽莲|mark 马克|martha 玛莎|martin 马丁|marvin 马文|mary 玛丽|mason 梅森|matilda 玛蒂尔达
matt 马特|matthew 马修|maurice 莫里斯|max 马克斯|maxwell 麦克斯韦|maya 玛雅|megan 梅根|melanie 梅拉妮
melissa 梅丽莎|melody 梅洛迪|mia 米娅|michael 迈克尔|michelle 米歇尔|mike 迈克|mila 米拉|miles 迈尔斯
miranda 米兰达|mitchell 米切尔|molly 莫莉|monica 莫妮卡|morgan 摩根|nadia 娜迪亚|nancy 南希|naomi 娜奥米
natalie 娜塔莉|natasha 娜塔莎|nathan 内森|nathaniel 纳撒尼尔|neil 尼尔|nelson 纳尔逊|neville 内维尔
nicholas 尼古拉斯|nick 尼克|nicole 妮可|nigel 奈杰尔|nina 妮娜|noah 诺亚|noel 诺埃尔|nora 诺拉
norma 诺玛|norman 诺曼|olga 奥尔加|olive 奥利芙|oliver 奥利弗|olivia 奥莉维亚|oscar 奥斯卡|otto 奥托
owen 欧文|paige 佩奇|pamela 帕梅拉|patricia 帕特里夏|patrick 帕特里克|paul 保罗|paula 保拉|pearl 珀尔
peggy 佩吉|penny 彭妮|percy 珀西|perry 佩里|peter 彼得|phil 菲尔|philip 菲利普|phillip 菲利普
phoebe 菲比|phyllis 菲莉丝|pierre 皮埃尔|polly 波莉|quentin 昆廷|rachel 雷切尔/瑞秋|ralph 拉尔夫
randy 兰迪|raphael 拉斐尔|ray 雷|raymond 雷蒙德|rebecca 丽贝卡|rex 雷克斯|richard 理查德|rick 里克
ricky 里基|riley 赖利|rita 丽塔|robert 罗伯特|robin 罗宾|rodney 罗德尼|roger 罗杰|roland 罗兰
roman 罗曼|romeo 罗密欧|ron 罗恩|ronald 罗纳德|rosa 罗莎|rosalind 罗莎琳德|rose 罗丝/露丝|ross 罗斯
roxanne 罗克珊|roy 罗伊|ruby 露比|rudolph 鲁道夫|rupert 鲁珀特|russell 拉塞尔|ryan 瑞安/赖安
sabrina 萨布丽娜|sally 萨莉|sam 萨姆|samantha 萨曼莎|samuel 塞缪尔|sandra 桑德拉|sara 莎拉|sarah 莎拉
scarlett 斯嘉丽|scott 斯科特|sean 肖恩|sebastian 塞巴斯蒂安|selena 赛琳娜|serena 塞雷娜|seth 塞思
sharon 莎伦|shirley 雪莉|sidney 西德尼|simon 西蒙|sofia 索菲娅|sonia 索尼娅|sophia 索菲娅|sophie 索菲
spencer 斯潘塞|stacy 斯泰西|stan 斯坦|stanley 斯坦利|stella 斯特拉|stephanie 斯蒂芬妮|stephen 斯蒂芬
steve 史蒂夫|steven 史蒂文|stuart 斯图尔特|susan 苏珊|susie 苏西|sylvia 西尔维娅|tammy 塔米
taylor 泰勒|ted 特德|teresa 特蕾莎|terry 特里|theo 西奥|theodore 西奥多|thomas 托马斯|tiffany 蒂芙尼
tim 蒂姆|timothy 蒂莫西|tina 蒂娜|toby 托比|todd 托德|tom 汤姆|tony 托尼|tracy 特蕾西|travis 特拉维斯
trevor 特雷弗|troy 特洛伊|tyler 泰勒|tyson 泰森|valerie 瓦莱丽|vera 薇拉|vernon 弗农|veronica 维罗妮卡
victor 维克多|victoria 维多利亚|vincent 文森特|viola 维奥拉|violet 维奥莱特|virginia 弗吉尼亚
vivian 薇薇安|walter 沃尔特|wanda 旺达|warren 沃伦|wayne 韦恩|wendy 温迪|wesley 韦斯利|william 威廉
wilma 威尔玛|wilson 威尔逊|winnie 温妮|winston 温斯顿|wyatt 怀亚特|xavier 泽维尔|yolanda 约兰达
yvonne 伊冯娜|zach 扎克|zachary 扎卡里|zoe 佐伊|zoey 佐伊
antonio 安东尼奥|ava 艾娃|beverly 贝弗利|bryan 布莱恩|carlos 卡洛斯|carolyn 卡罗琳|cheryl 谢丽尔
debra 黛布拉|diego 迭戈|jose 何塞|juan 胡安|judith 朱迪思|kathleen 凯瑟琳|kathryn 凯瑟琳|luis 路易斯
miguel 米格尔|pedro 佩德罗|theresa 特蕾莎|willie 威利
"""

ENGLISH_NAMES: dict[str, tuple[str, ...]] = {}
for _line in _NAMES.strip().splitlines():
    for _item in _line.split("|"):
        _name, _forms = _item.split()
        ENGLISH_NAMES[_name] = tuple(_forms.split("/"))

# Plain forms where the character-by-character mapping would read badly; the standard plain forms.
NEUTRAL_OVERRIDES: dict[str, str] = {
    "莎拉": "萨拉",  # 沙拉 is "salad"
    "妮可": "尼科尔",
    "露比": "鲁比",  # 卢比 is "rupee"
    "贝丝": "贝思",  # 贝斯 is "bass (guitar)"
}

# The English surnames we can match to a Chinese surname by sound (Smith 史, from 史密斯) or by meaning
# (King 王 "king"), and how: (surname character, "sound" or "meaning"). Cantonese and Hokkien
# spellings only where they name one surname (Chan 陈, Cheung 张); ambiguous ones (Wong, Ng, Tan, Lu,
# Xu, Jiang, Shi) are left to the first-sound rule.
ENGLISH_SURNAMES: dict[str, tuple[str, str]] = {
    "smith": ("史", "sound"),
    "lee": ("李", "sound"),
    "li": ("李", "sound"),
    "leigh": ("李", "sound"),
    "shaw": ("邵", "sound"),
    "moore": ("莫", "sound"),
    "young": ("杨", "sound"),
    "bell": ("贝", "sound"),
    "wang": ("王", "sound"),
    "zhang": ("张", "sound"),
    "cheung": ("张", "sound"),
    "liu": ("刘", "sound"),
    "lau": ("刘", "sound"),
    "chen": ("陈", "sound"),
    "chan": ("陈", "sound"),
    "yang": ("杨", "sound"),
    "yeung": ("杨", "sound"),
    "huang": ("黄", "sound"),
    "zhao": ("赵", "sound"),
    "zhou": ("周", "sound"),
    "chow": ("周", "sound"),
    "sun": ("孙", "sound"),
    "ma": ("马", "sound"),
    "zhu": ("朱", "sound"),
    "hu": ("胡", "sound"),
    "guo": ("郭", "sound"),
    "kwok": ("郭", "sound"),
    "he": ("何", "sound"),
    "ho": ("何", "sound"),
    "gao": ("高", "sound"),
    "lin": ("林", "sound"),
    "lam": ("林", "sound"),
    "luo": ("罗", "sound"),
    "zheng": ("郑", "sound"),
    "liang": ("梁", "sound"),
    "leung": ("梁", "sound"),
    "xie": ("谢", "sound"),
    "song": ("宋", "sound"),
    "tang": ("唐", "sound"),
    "han": ("韩", "sound"),
    "feng": ("冯", "sound"),
    "deng": ("邓", "sound"),
    "cao": ("曹", "sound"),
    "peng": ("彭", "sound"),
    "zeng": ("曾", "sound"),
    "tian": ("田", "sound"),
    "dong": ("董", "sound"),
    "pan": ("潘", "sound"),
    "ye": ("叶", "sound"),
    "su": ("苏", "sound"),
    "shen": ("沈", "sound"),
    "yao": ("姚", "sound"),
    "fang": ("方", "sound"),
    "fong": ("方", "sound"),
    "bai": ("白", "sound"),
    "jin": ("金", "sound"),
    "kong": ("孔", "sound"),
    "qin": ("秦", "sound"),
    "yuan": ("袁", "sound"),
    "meng": ("孟", "sound"),
    "gu": ("顾", "sound"),
    "ding": ("丁", "sound"),
    "du": ("杜", "sound"),
    "fan": ("范", "sound"),
    "kang": ("康", "sound"),
    "xia": ("夏", "sound"),
    "long": ("龙", "sound"),
    "king": ("王", "meaning"),
    "stone": ("石", "meaning"),
    "wood": ("林", "meaning"),
    "woods": ("林", "meaning"),
    "forest": ("林", "meaning"),
    "forrest": ("林", "meaning"),
    "river": ("江", "meaning"),
    "rivers": ("江", "meaning"),
    "field": ("田", "meaning"),
    "fields": ("田", "meaning"),
    "gold": ("金", "meaning"),
    "golden": ("金", "meaning"),
    "white": ("白", "meaning"),
    "summer": ("夏", "meaning"),
    "summers": ("夏", "meaning"),
}

# Sounding out names that are not in the table: one character per English syllable, from the Xinhua table
# of transliteration characters. Rows are onsets ("" for none); columns are vowel sounds: a (as in
# Anna), e (Eric), i (Lily), o (Oscar), u (Ruth), ei (Kate, Ray), ai (Mike, Kyle) and er (the unstressed
# ending of Peter, Oliver, Tyler).
_SYLLABLES = """
onset a  e  i  o  u  ei ai er
-     阿 埃 伊 奥 乌 埃 艾 -
b     巴 贝 比 博 布 贝 拜 伯
p     帕 佩 皮 波 普 佩 派 珀
m     马 梅 米 莫 穆 梅 迈 默
f     法 费 菲 福 富 费 - 弗
d     达 德 迪 多 杜 戴 戴 德
t     塔 特 蒂 托 图 泰 泰 特
n     纳 内 尼 诺 努 内 奈 纳
l     拉 莱 利 洛 卢 莱 莱 勒
g     加 格 吉 戈 古 盖 盖 格
k     卡 凯 基 科 库 凯 凯 克
h     哈 赫 希 霍 胡 海 海 赫
j     贾 杰 吉 乔 朱 杰 - 杰
ch    查 切 奇 乔 丘 切 - 奇
sh    沙 谢 希 肖 舒 谢 - 什
s     萨 塞 西 索 苏 塞 赛 瑟
z     扎 泽 齐 佐 祖 泽 - 泽
r     拉 雷 里 罗 鲁 雷 赖 勒
w     瓦 韦 威 沃 伍 韦 怀 沃
v     瓦 维 维 沃 武 维 - 弗
y     亚 耶 伊 约 尤 耶 - -
th    萨 塞 西 索 苏 塞 赛 瑟
"""


def _grid(text: str) -> dict[str, dict[str, str]]:
    lines = text.strip().splitlines()
    columns = lines[0].split()[1:]
    grid: dict[str, dict[str, str]] = {}
    for line in lines[1:]:
        onset, *cells = line.split()
        grid["" if onset == "-" else onset] = {
            column: cell for column, cell in zip(columns, cells, strict=True) if cell != "-"
        }
    return grid


SYLLABLE_CHARS: dict[str, dict[str, str]] = _grid(_SYLLABLES)

# A vowel closed by n (Dan, Ben, Lin, Don): one character for the whole syllable. "en" also serves for
# an unstressed -an/-on/-en ending (Logan 洛根, Mason 梅森, Gordon 戈登).
_NASALS = """
onset an en in on
-     安 恩 因 昂
b     班 本 宾 邦
p     潘 彭 平 庞
m     曼 门 明 蒙
f     凡 芬 芬 丰
d     丹 登 丁 东
t     坦 顿 廷 通
n     南 - 宁 农
l     兰 伦 林 隆
g     甘 根 金 贡
k     坎 肯 金 孔
h     汉 亨 欣 洪
j     詹 - 金 琼
s     桑 森 辛 松
z     赞 - 津 宗
r     兰 伦 林 龙
w     万 温 温 旺
v     万 文 文 -
"""
NASAL_CHARS: dict[str, dict[str, str]] = _grid(_NASALS)

# A consonant with no vowel of its own (the d of Fred, the s of James, the l of Albert).
BARE_CONSONANTS: dict[str, str] = {
    "b": "布",
    "p": "普",
    "m": "姆",
    "f": "夫",
    "v": "夫",
    "d": "德",
    "t": "特",
    "n": "恩",
    "l": "尔",
    "r": "尔",
    "g": "格",
    "k": "克",
    "h": "赫",
    "j": "奇",
    "ch": "奇",
    "sh": "什",
    "s": "斯",
    "z": "兹",
    "th": "思",
    "w": "乌",
    "y": "伊",
}
