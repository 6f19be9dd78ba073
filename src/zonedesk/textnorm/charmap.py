"""Length-preserving character normalisation.

Every mapping here is one character to one character, so an offset computed on the
normalised text is also an offset into the original: extractors search the normalised
string and cut evidence out of the original with the same indices.
"""

from __future__ import annotations

import re

# Traditional → simplified, for the vocabulary of zone reports, ledgers and place names.
# Written as pairs "繁简" separated by spaces so a reviewer can check them by eye.
# Only characters whose traditional form maps to exactly one simplified form in this
# domain are listed; ambiguous ones (乾, 著, 藉, 徵 as a surname …) are left alone.
_TRAD_SIMP_PAIRS = """
億亿 萬万 畝亩 圓圆 區区 開开 發发 園园 項项 產产 業业 電电 廠厂 實实 體体 設设 備备 資资 額额 與与
號号 書书 務务 總总 約约 佔占 積积 幣币 華华 東东 門门 們们 國国 際际 經经 濟济 術术 學学 長长 張张
為为 這这 來来 時时 進进 運运 營营 達达 過过 還还 邊边 遠远 選选 連连 週周 對对 導导 專专 將将 尋寻
層层 屬属 歲岁 歷历 曆历 麗丽 聯联 聖圣 職职 聽听 聲声 肅肃 脫脱 腦脑 臨临 興兴 舉举 舊旧 艱艰 藝艺
節节 範范 築筑 簽签 簡简 類类 糧粮 紀纪 紅红 級级 純纯 紙纸 紡纺 組组 細细 織织 終终 結结 絡络 給给
統统 絲丝 綠绿 網网 維维 綜综 綫线 線线 編编 練练 緣缘 縣县 績绩 續续 纖纤 羅罗 義义 習习 車车 軌轨
軍军 軟软 較较 載载 輕轻 輸输 轉转 農农 鄉乡 鄰邻 鄭郑 醫医 釀酿 釋释 針针 鋁铝 鋼钢 錢钱 鍵键 鎮镇
鐵铁 鑄铸 銷销 鋰锂 銀银 銅铜 鋅锌 鎂镁 鎳镍 錫锡 閉闭 間间 閘闸 關关 閱阅 陽阳 陰阴 陳陈 陸陆 隊队
隨随 險险 隱隐 雙双 雜杂 雞鸡 離离 難难 雲云 霧雾 靈灵 順顺 預预 領领 頻频 題题 顏颜 顯显 風风 飛飞
飯饭 飲饮 養养 館馆 馬马 駐驻 騎骑 驗验 驅驱 魚鱼 鳥鸟 鹽盐 麥麦 黃黄 點点 黨党 齊齐 齒齿 龍龙 龜龟
個个 倉仓 偉伟 側侧 債债 傳传 傷伤 價价 儀仪 優优 儲储 兒儿 內内 兩两 凍冻 劃划 劇剧 創创 劑剂 劉刘
勞劳 勢势 勵励 動动 勝胜 協协 參参 員员 問问 啟启 喬乔 單单 嚴严 團团 圍围 圖图 場场 塊块 塗涂 壓压
壞坏 壩坝 壯壮 處处 復复 夠够 奧奥 奪夺 奮奋 婦妇 寧宁 寫写 審审 寶宝 嶺岭 島岛 帶带 幫帮 師师 帳帐
幹干 廣广 庫库 廢废 廳厅 彈弹 強强 後后 徑径 從从 徹彻 應应 態态 懷怀 戰战 戶户 擴扩 據据 擁拥 擇择
擊击 擔担 擬拟 擾扰 攜携 換换 揮挥 損损 搶抢 撥拨 撐撑 數数 斷断 晉晋 暢畅 曉晓 暫暂 會会 條条 極极
構构 標标 樣样 樹树 橋桥 機机 檢检 檔档 櫃柜 權权 欄栏 歐欧 歡欢 歸归 殘残 氣气 決决 況况 沒没 滬沪
測测 湧涌 準准 溝沟 滅灭 漢汉 潔洁 潤润 澤泽 濕湿 灣湾 灘滩 無无 熱热 燈灯 爐炉 爭争 牆墙 獎奖 獨独
獲获 現现 環环 畫画 畢毕 當当 疊叠 療疗 盡尽 監监 盤盘 確确 碼码 磚砖 礎础 礦矿 禮礼 種种 稱称 穩稳
窮穷 競竞 筆笔 籌筹 罰罚 脹胀 膽胆 臺台 艦舰 莊庄 葉叶 蓋盖 蘇苏 藥药 薦荐 薑姜 虧亏 衛卫 衝冲 補补
裝装 製制 複复 見见 規规 視视 覺觉 覽览 觀观 計计 訂订 討讨 訓训 記记 訪访 許许 訴诉 診诊 證证 評评
詢询 試试 話话 該该 詳详 認认 語语 說说 誠诚 誤误 課课 調调 談谈 請请 論论 諾诺 謀谋 講讲 識识 譜谱
議议 護护 讀读 變变 讓让 豐丰 貝贝 負负 財财 責责 貨货 販贩 貧贫 貫贯 貴贵 貿贸 費费 賀贺 賣卖 賓宾
質质 購购 賽赛 贊赞 趙赵 趕赶 跡迹 踐践 躍跃 輪轮 辦办 違违 遞递 適适 遷迁 遺遗 郵邮 鍋锅 隻只 靜静
韓韩 頂顶 須须 頓顿 頭头 願愿 顧顾 飽饱 驚惊 鬆松 鬥斗 魯鲁 鮮鲜 麼么 稅税 徵征 噸吨 頃顷 釐厘 裡里
裏里 餘余 貳贰 鐘钟 錶表 匯汇 滙汇 係系 繫系 併并 並并 佈布 眾众 衆众 厲厉 壽寿 屆届 嶄崭 嘗尝 囑嘱
獻献 絕绝 羣群 腳脚 蟲虫 觸触 譽誉 貸贷 賬账 賃赁 贏赢 軸轴 輔辅 轄辖 辭辞 邏逻 銜衔 錄录 鏈链 煉炼
閒闲 閣阁 隸隶 韌韧 響响 頁页 頒颁 頗颇 顆颗 驟骤 鬧闹 鹼碱 齡龄 氫氢 膠胶 纜缆 錳锰 鎢钨 鈷钴 鉬钼
釩钒 鈣钙 鉀钾 鈉钠 鈦钛 矽硅 燒烧 遊游 諮咨 紮扎 穫获 禦御 彙汇 償偿 執执 陝陕 遼辽 閩闽 贛赣 瓊琼
廈厦 濰潍 揚扬 紹绍 溫温 滄沧 灤滦 濱滨 撫抚 錦锦 慶庆 綏绥 鶴鹤 瀘泸 貢贡 閬阆 劍剑 讚赞 烏乌 淩凌
蘭兰 瀋沈 楊杨 吳吴 鄧邓 蔣蒋 馮冯 蕭萧 鄒邹 譚谭 閻阎 閆闫 賈贾 謝谢 盧卢 龔龚 鎊镑 棟栋 輛辆 飼饲
壇坛 紛纷 驛驿 孫孙 侖仑 倫伦 輝辉 淨净 臉脸 龐庞 廟庙 彎弯 憑凭 懸悬 攤摊 棄弃 樓楼 濃浓 瀏浏 爺爷
獅狮 瑤瑶 癢痒 盞盏 矯矫 硃朱 禎祯 穎颖 簾帘 糾纠 紋纹 紐纽 綁绑 綱纲 緊紧 縮缩 繪绘 繳缴 罷罢 聞闻
聳耸 膚肤 艙舱 蔥葱 蘆芦 蝕蚀 襲袭 訊讯 詐诈 譯译 豎竖 賠赔 賦赋 賴赖 贈赠 趨趋 軒轩 輯辑 迴回 遜逊
醬酱 鈔钞 鉛铅 銳锐 鋪铺 錯错 鍍镀 鎖锁 鏡镜 鐳镭 闊阔 陣阵 隴陇 雖虽 靚靓 頌颂 頸颈 顫颤 飄飘 餅饼
騰腾 驕骄 髒脏 鬱郁 鳳凤 鴻鸿 鵬鹏 黴霉 齋斋
橫横 粵粤 駿骏 於于 賢贤 蹤踪 釘钉 鈞钧 鋒锋 鍛锻 闡阐 颱台 饒饶 萊莱 莖茎 蕪芜 薩萨 藍蓝 蝦虾
蠶蚕 託托 詞词 誌志 誼谊 諸诸 輻辐 辯辩 遙遥 邁迈 銘铭 鍊炼 鍾钟 鏟铲 閃闪 鞏巩 頤颐 馳驰 駕驾 鯨鲸
鳴鸣 鷹鹰 鹵卤 儉俭 兌兑 冊册 凱凯 剛刚 勁劲 勻匀 厰厂 噴喷 堅坚 報报 塵尘 墊垫 墾垦 夢梦 夾夹 寬宽
屢屡 岡冈 崗岗 嶼屿 巖岩 幾几 廬庐 恆恒 惡恶 愛爱 慣惯 慮虑 憲宪 憶忆 戲戏 捨舍 掃扫 掛挂 採采 搖摇
擠挤 攝摄 斬斩 暉晖 柵栅 桿杆 楓枫 榮荣 樂乐 汙污 沖冲 涼凉 淺浅 滯滞 滲渗 漁渔 漲涨 潛潜 濁浊 灑洒
煙烟 燦灿 狀状 狹狭 獄狱 瑪玛 異异 疇畴 盜盗 碩硕 禍祸 穀谷 窯窑 紗纱 絨绒 綢绸 緒绪 締缔 緩缓 緯纬
緻致 縫缝 繩绳 羥羟 聰聪 臥卧 茲兹 蓮莲 薈荟 蘋苹 蠟蜡 襯衬 親亲 詩诗 誘诱 諧谐 謹谨 豬猪 貪贪 貶贬
賜赐 賭赌 賺赚 贖赎 軀躯 輩辈 輿舆 轟轰 郟郏 醞酝 鉻铬 銑铣 銲焊 鋸锯 錨锚 鏽锈 鑑鉴 鑒鉴 鑽钻 閑闲
閥阀 闖闯 陞升 隕陨 隣邻 雛雏 韋韦 韻韵 頹颓 飢饥 餃饺 駁驳 駛驶 鯉鲤 鰻鳗 鱗鳞 鴨鸭 鵝鹅 麵面
"""


def _build_trad_table() -> dict[int, int]:
    table: dict[int, int] = {}
    for pair in _TRAD_SIMP_PAIRS.split():
        if len(pair) != 2:
            raise ValueError(f"bad traditional/simplified pair {pair!r}")
        trad, simp = pair
        if trad != simp:
            table[ord(trad)] = ord(simp)
    return table


TRAD_TO_SIMP: dict[int, int] = _build_trad_table()


def _build_width_table() -> dict[int, int]:
    # The full-width ASCII block U+FF01–U+FF5E sits at a fixed offset from ASCII.
    table = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
    table[0x3000] = 0x20  # ideographic space
    table[0xFE6A] = ord("%")  # small percent sign ﹪
    table[0x2236] = ord(":")  # ratio sign ∶ that OCR puts in times
    return table


FULL_TO_HALF: dict[int, int] = _build_width_table()

# One table, one str.translate call: the fastest way to map a text where many characters change.
_TABLE: dict[int, int] = {**TRAD_TO_SIMP, **FULL_TO_HALF}
# Most texts have none or few of the characters that change, and finding them is many times faster
# than translating every character (the search index normalises every project's texts).
_CHANGED = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_TABLE)) + "]")
_MAPPED = {chr(k): chr(v) for k, v in _TABLE.items()}


def normalize(text: str) -> str:
    """Map full-width to half-width and traditional to simplified, char for char.

    The result always has the same length as the input, so offsets survive.

    >>> normalize("總投資２２．２２億元，佔地１５００畝")
    '总投资22.22亿元,占地1500亩'
    >>> len(normalize("項目（一期）")) == len("項目（一期）")
    True

    The ideographic full stop 。 is kept: it ends sentences, and the number scanner
    decides separately when "12。5億" is a decimal written with the wrong key.
    """
    found = len(_CHANGED.findall(text))
    if not found:
        return text
    if found * 8 > len(text):
        return text.translate(_TABLE)
    return _CHANGED.sub(lambda m: _MAPPED[m.group()], text)
