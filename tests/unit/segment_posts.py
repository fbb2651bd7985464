"""Real-style posts and comments (Xiaohongshu, Weibo, Douyin, Bilibili), each cut by hand.

Written for these tests in the style of the platforms, not copied from them. `｜` (U+FF5C, which no post
uses) marks each cut; the post is the line without the marks. The cuts are the ones a Chinese reader
makes, at the grain of a dictionary: a word the dictionary lists as one (吃饭, 打卡, 不好意思, 有没有) is
one token, when its sense there is the dictionary's (明天见 "see you tomorrow", 才不 "as if!", 三次
"thrice"); otherwise particles (的 了 吗 呢 吧 啊), numbers and their measure words (三 个, 两 块), and 不
before a word (不 知道) stand alone; a person's name is one token; a curated entry (yyds, 种草, i人, [doge], 🐶)
is one token however it is written (YYDS, ｙｙｄｓ, hhhhhh for hhh, 2333333 for 233). Whitespace runs,
runs of one punctuation mark (！！！, ……) and each emoji (skin tone and ZWJ sequences included) are one
token each. Hashtags, @mentions, URLs and e-mail addresses are one token each at this level.

Traditional posts are cut exactly as their simplified form would be.
"""

CUT = "｜"

POSTS = [
    # Xiaohongshu: food, shopping, beauty
    "救命｜！｜这｜家｜店｜的｜蛋糕｜也｜太｜好吃｜了｜吧｜😭｜😭｜ ｜yyds｜！！",
    "姐妹们｜冲｜！｜这个｜口红｜真的｜绝绝子｜，｜黄皮｜也｜能｜涂｜💄",
    "今天｜520｜，｜男朋友｜给｜我｜发｜了｜个｜红包｜。",
    "哈哈哈哈哈哈｜笑不活了｜[笑哭R]",
    "i人｜社恐｜发作｜了｜，｜谁懂啊｜🥲",
    "E人｜和｜I人｜一起｜出去｜玩｜是｜什么｜体验",
    "YYDS｜！｜周杰伦｜的｜新｜歌｜循环｜了｜一｜整天",
    "666666｜ ｜这｜操作｜太｜秀｜了",
    "88｜～｜明天见",
    "在｜吗｜？｜@小红薯｜ ｜帮｜我｜看看｜这个｜链接｜ ｜http://xhslink.com/a/AbCd123｜，｜打开｜小红书｜App｜查看",
    "#穿搭[话题]#｜ ｜#ootd[话题]#｜ ｜今日｜份｜通勤｜穿搭｜分享｜～",
    "#打工人的日常#｜ ｜周一｜综合症｜又｜犯｜了",
    "u1s1｜，｜这｜家｜火锅｜性价比｜很｜高｜，｜人均｜80",
    "芭比Q了｜，｜忘｜带｜钥匙｜了",
    "栓Q｜，｜又｜被｜老板｜PUA｜了｜🙂",
    "给｜哥哥｜打call｜！｜C位｜出道｜必须｜的｜👏｜👏",
    "这｜波｜操作｜我｜给｜满分｜💯",
    "我｜真的｜会｜谢｜，｜排队｜排｜了｜3｜个｜小时",
    "工资｜3w+｜，｜但是｜996｜，｜值得｜吗｜？",
    "涨粉｜10k｜啦｜！｜感谢｜宝子｜们｜的｜支持｜❤️",
    "全场｜5｜折｜，｜满｜300｜减｜50｜，｜冲｜冲｜冲",
    # the classic ambiguities
    "研究｜生命科学｜的｜人｜都｜很｜厉害",
    "结婚｜的｜和｜尚未｜结婚｜的｜都｜来｜看看",
    # traditional characters
    "今天｜學習｜了｜三｜個｜小時｜，｜好｜累｜啊",
    "這個｜真的｜太｜可愛｜了｜吧｜！",
    "台北｜的｜夜市｜超｜好吃｜，｜推薦｜大家｜去",
    # emoji: repeated, skin tones, ZWJ sequences, flags, keycaps
    "一起｜去｜吃｜火锅｜吗｜？｜🙋‍♀️",
    "👍🏻｜👍🏻｜ ｜博主｜讲｜得｜好｜清楚",
    "👨‍👩‍👧｜ ｜周末｜一家人｜去｜露营",
    "🇨🇳｜加油｜！",
    "1️⃣｜ ｜早睡早起｜ ｜2️⃣｜ ｜多喝热水",
    "蹲｜一｜个｜后续｜[蹲后续H]",
    "前排｜吃瓜｜🍉｜，｜等｜一｜个｜反转",
    "家人们｜谁懂啊｜，｜今天｜又｜加班｜到｜十一｜点",
    "躺平｜了｜，｜摆烂｜了｜，｜随便｜吧",
    "这个｜博主｜的｜视频｜好｜治愈｜啊｜✨",
    "求链接｜！！！｜同款｜在｜哪里｜买",
    "已经｜种草｜了｜，｜钱包｜又｜要｜瘦｜了｜💸",
    "避雷｜这｜家｜店｜！｜服务｜态度｜差｜，｜菜｜也｜不新鲜｜[皱眉]",
    "这｜也｜太｜凡尔赛｜了｜吧｜[doge]",
    "520｜1314｜💕",
    "下个月｜去｜日本｜玩｜，｜有没有｜攻略｜推荐｜？",
    "iPhone｜ ｜15｜ ｜Pro｜ ｜到手｜啦｜，｜续航｜真的｜顶",
    "我｜的｜MBTI｜是｜INFP｜，｜有没有｜同类｜😂",
    "周末｜在家｜躺｜了｜一｜天｜，｜好｜快乐｜☕️",
    "给｜大家｜分享｜一｜个｜超级｜好用｜的｜APP｜👇",
    "不是｜吧｜不是｜吧｜，｜真的｜有人｜不｜知道｜吗｜？",
    "这｜届｜年轻人｜太｜难｜了｜🤯",
    # numbers: prices, decimals, Chinese numerals, full width, units
    "价格｜是｜¥｜12.5｜，｜比｜上次｜便宜｜了｜两｜块｜钱",
    "三千五百｜块｜买｜的｜，｜太｜贵｜了",
    "第一次｜来｜上海｜，｜人｜好多｜啊",
    "ｙｙｄｓ｜！｜真的｜好看",
    "上海｜今天｜最高｜气温｜38｜℃｜，｜热｜死｜了",
    "老铁｜666｜，｜这｜波｜稳｜了",
    "买｜了｜１２｜支｜口红｜，｜花｜了｜2,000｜多",
    "距离｜考试｜还有｜15｜天｜，｜每天｜学习｜8｜小时",
    # Weibo: mentions, hashtags, URLs, e-mail
    "@张三｜ ｜@李四｜ ｜快｜来｜看｜！",
    "#年度最佳#｜ ｜这｜部｜电影｜我｜哭｜了｜三次｜😭",
    "有事｜发｜邮件｜到｜ ｜huanying@example.com｜ ｜哦",
    "我｜在｜微博｜看到｜的｜，｜链接｜：｜https://weibo.com/1234567890/AbCdEf?from=page｜ ｜快｜去｜看",
    "原文｜戳｜ ｜t.cn/A6xYz12｜ ｜👈",
    # slang written in letters, mixed with Chinese and English
    "emo｜了｜，｜今晚｜不｜想｜说话",
    "awsl｜，｜这｜只｜猫｜也｜太｜可爱｜了｜🐱",
    "xswl｜ ｜hhhhhh｜ ｜你｜是｜懂｜幽默｜的",
    "No｜ ｜zuo｜ ｜no｜ ｜die｜，｜我｜劝｜你｜善良",
    "今天｜的｜KPI｜完成｜了｜✅｜ ｜下班｜！",
    "小姐姐｜的｜妆容｜好｜精致｜，｜求｜教程｜[合十]",
    "人｜在｜广州｜，｜刚｜下｜高铁｜，｜有没有｜本地人｜推荐｜一下｜美食｜？",
    "这｜是｜我｜见｜过｜最｜离谱｜的｜操作｜了｜，｜无语｜😓",
    "他｜说｜：｜“｜我｜才不｜信｜呢｜……｜”",
    "卧槽｜！！｜这｜也｜行｜？？",
    "dbq｜我｜来｜晚｜了｜，｜已经｜卖｜完了｜🥺",
    "晒｜一下｜今天｜的｜早餐｜🥐｜🥛｜\n｜营养｜满分｜！",
    "磕CP｜磕｜到｜了｜，｜这｜对｜好｜甜",
    "UP主｜更新｜了｜！｜赶紧｜去｜看",
    "AA制｜还是｜请客｜？｜在线｜等｜，｜挺｜急｜的",
    "我｜的｜日常｜vlog｜ ｜|｜ ｜day｜ ｜3",
]

# Cuts the segmenter does not make yet, each for a reason the test names: words CC-CEDICT lacks (names,
# new coinages) and ambiguities a dictionary alone cannot settle.
HARD = [
    ("打工人｜打工｜魂｜，｜打工｜都｜是｜人上人｜💪", "人上人 'people above the rest' is not in CC-CEDICT"),
    ("2333333｜ ｜这个｜弹幕｜太｜有才｜了", "有才 'talented' is not in CC-CEDICT"),
    (
        "这｜款｜面霜｜保湿｜效果｜好｜，｜99%｜的｜人｜都｜说｜好",
        "说好 is CC-CEDICT's 'to agree'; here it is 说 + 好 'say it is good'",
    ),
    (
        "香港｜的｜茶餐廳｜很｜好吃｜，｜奶茶｜一定｜要｜點｜！",
        "茶餐廳 is not in CC-CEDICT; 要點 'key point' wins over 要 + 點 'must order'",
    ),
    (
        "老板｜又｜画饼｜了｜，｜看来｜我｜明年｜就｜能｜买房｜了｜🐶",
        "画饼 'to make empty promises' is not in CC-CEDICT",
    ),
    ("第一｜站｜：｜西湖｜\n\n｜第二｜站｜：｜灵隐寺｜🙏", "灵隐寺, a temple's name, is not in CC-CEDICT"),
]


def cuts(post: str) -> list[str]:
    """The hand-made cut of `post` as a list of token texts."""
    return post.split(CUT)


def text(post: str) -> str:
    """The post as a learner pastes it."""
    return post.replace(CUT, "")
