"""A generated news archive for the search benchmark: articles in five languages.

Deterministic (one seeded random generator): the same run makes the same
archive. Words are written for this benchmark in the style of the portal's
news: delegations, ports, investment, culture, with the city's name in most
articles (the hardest case for ranking: a word in most documents).
"""

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")

VOCABULARY = {
    "vi": {
        "city": ["Hải Phòng", "thành phố Hải Phòng", "thành phố Cảng"],
        "partner": [
            "Incheon",
            "Busan",
            "Kitakyushu",
            "Đà Nẵng",
            "Cần Thơ",
            "Vladivostok",
            "Rotterdam",
            "Thiên Tân",
            "Côn Minh",
            "Ulsan",
        ],
        "topic": [
            "cảng biển",
            "logistics",
            "giáo dục nghề nghiệp",
            "y tế",
            "bảo vệ môi trường",
            "du lịch biển",
            "vận tải biển",
            "năng lượng tái tạo",
            "nông nghiệp công nghệ cao",
            "giao lưu văn hóa",
        ],
        "place": [
            "cảng Lạch Huyện",
            "khu kinh tế Đình Vũ – Cát Hải",
            "quần đảo Cát Bà",
            "sân bay quốc tế Cát Bi",
            "khu du lịch Đồ Sơn",
        ],
        "title": [
            "{partner} và {city} thúc đẩy hợp tác {topic}",
            "Đoàn đại biểu {partner} thăm {place}",
            "Hội nghị xúc tiến đầu tư về {topic} tại {partner}",
            "{city} đón {number} đoàn khách quốc tế trong tháng {month}",
            "Ký kết biên bản ghi nhớ về {topic} giữa {city} và {partner}",
        ],
        "sentence": [
            "Đoàn công tác của {partner} đã có buổi làm việc với lãnh đạo {city}.",
            "Hai bên trao đổi về khả năng mở rộng hợp tác trong lĩnh vực {topic}.",
            "Trong năm qua, {city} đã thu hút {number} dự án đầu tư nước ngoài.",
            "Đoàn đến thăm {place} và tìm hiểu hoạt động của doanh nghiệp.",
            "Lãnh đạo thành phố cảm ơn sự hỗ trợ của {partner} trong nhiều năm.",
            "Các chuyên gia đề xuất chương trình đào tạo nhân lực cho ngành {topic}.",
            "Phóng viên ghi nhận nhiều hoạt động giao lưu giữa người dân hai địa phương.",
            "Sở Ngoại vụ cho biết kế hoạch sẽ được triển khai từ tháng {month}.",
            "Hàng hải và vận tải biển là thế mạnh của thành phố trong giai đoạn mới.",
            "Sản lượng hàng hóa qua cảng tăng {number} phần trăm so với cùng kỳ.",
        ],
    },
    "en": {
        "city": ["Hai Phong", "Hai Phong City", "the port city"],
        "partner": [
            "Incheon",
            "Busan",
            "Kitakyushu",
            "Da Nang",
            "Can Tho",
            "Vladivostok",
            "Rotterdam",
            "Tianjin",
            "Kunming",
            "Ulsan",
        ],
        "topic": [
            "seaports",
            "logistics",
            "vocational training",
            "health care",
            "environmental protection",
            "coastal tourism",
            "maritime transport",
            "renewable energy",
            "high-tech farming",
            "cultural exchange",
        ],
        "place": [
            "Lach Huyen port",
            "the Dinh Vu - Cat Hai economic zone",
            "the Cat Ba archipelago",
            "Cat Bi international airport",
            "Do Son beach",
        ],
        "title": [
            "{partner} and {city} step up cooperation on {topic}",
            "Delegation from {partner} visits {place}",
            "Investment conference on {topic} held in {partner}",
            "{city} welcomes {number} international delegations in month {month}",
            "{city} and {partner} sign memorandum on {topic}",
        ],
        "sentence": [
            "A delegation from {partner} held talks with the leaders of {city}.",
            "Both sides discussed wider cooperation in {topic}.",
            "Last year {city} attracted {number} foreign investment projects.",
            "The delegation visited {place} and met local companies.",
            "City leaders thanked {partner} for many years of support.",
            "Experts proposed a training programme for workers in {topic}.",
            "Reporters saw many exchanges between residents of the two cities.",
            "The Department of Foreign Affairs said the plan starts in month {month}.",
            "Shipping and maritime services remain the strengths of the city.",
            "Cargo through the ports grew by {number} percent year on year.",
        ],
    },
    "ko": {
        "city": ["하이퐁", "하이퐁시", "항구 도시 하이퐁"],
        "partner": [
            "인천",
            "부산",
            "기타큐슈",
            "다낭",
            "껀터",
            "블라디보스토크",
            "로테르담",
            "톈진",
            "쿤밍",
            "울산",
        ],
        "topic": [
            "항만",
            "물류",
            "직업 교육",
            "보건 의료",
            "환경 보호",
            "해양 관광",
            "해상 운송",
            "재생 에너지",
            "첨단 농업",
            "문화 교류",
        ],
        "place": ["락후옌 항", "딘부-깟하이 경제구역", "깟바 군도", "깟비 국제공항", "도선 해변"],
        "title": [
            "{partner}시와 {city}, {topic} 협력 강화",
            "{partner} 대표단, {place} 방문",
            "{partner}에서 {topic} 투자 설명회 개최",
            "{city}, {month}월 외국 대표단 {number}곳 맞이해",
            "{city}와 {partner}, {topic} 양해각서 체결",
        ],
        "sentence": [
            "{partner} 대표단은 {city} 지도부와 회담을 가졌다.",
            "양측은 {topic} 분야의 협력 확대 방안을 논의했다.",
            "지난해 {city}는 외국인 투자 사업 {number}건을 유치했다.",
            "대표단은 {place}를 방문하고 현지 기업을 만났다.",
            "시 지도부는 오랜 기간 지원해 준 {partner}에 감사를 표했다.",
            "전문가들은 {topic} 인력 양성 프로그램을 제안했다.",
            "기자들은 두 도시 주민들의 다양한 교류 활동을 취재했다.",
            "외무국은 계획이 {month}월부터 시행된다고 밝혔다.",
            "해운과 해양 서비스는 하이퐁시의 강점으로 꼽힌다.",
            "항만 물동량은 전년 대비 {number}퍼센트 증가했다.",
        ],
    },
    "ja": {
        "city": ["ハイフォン", "ハイフォン市", "港湾都市ハイフォン"],
        "partner": [
            "仁川",
            "釜山",
            "北九州",
            "ダナン",
            "カントー",
            "ウラジオストク",
            "ロッテルダム",
            "天津",
            "昆明",
            "蔚山",
        ],
        "topic": [
            "港湾",
            "物流",
            "職業訓練",
            "医療",
            "環境保護",
            "海洋観光",
            "海上輸送",
            "再生可能エネルギー",
            "スマート農業",
            "文化交流",
        ],
        "place": [
            "ラックフェン港",
            "ディンヴー・カットハイ経済区",
            "カットバ諸島",
            "カットビ国際空港",
            "ドーソン海岸",
        ],
        "title": [
            "{partner}と{city}、{topic}分野の協力を強化",
            "{partner}の代表団が{place}を訪問",
            "{partner}で{topic}の投資セミナーを開催",
            "{city}、{month}月に海外代表団{number}団体を迎える",
            "{city}と{partner}が{topic}に関する覚書に署名",
        ],
        "sentence": [
            "{partner}の代表団は{city}の指導者と会談した。",
            "双方は{topic}分野での協力拡大について意見を交わした。",
            "昨年、{city}は外国投資案件を{number}件誘致した。",
            "代表団は{place}を訪れ、地元企業と面会した。",
            "市の指導者は長年の支援に対して{partner}に感謝した。",
            "専門家は{topic}の人材育成プログラムを提案した。",
            "記者は両市の住民による多くの交流を取材した。",
            "外務局によると、計画は{month}月から実施される。",
            "海運と海事サービスは市の強みである。",
            "港の貨物取扱量は前年比{number}パーセント増加した。",
        ],
    },
    "zh-hans": {
        "city": ["海防", "海防市", "港口城市海防"],
        "partner": [
            "仁川",
            "釜山",
            "北九州",
            "岘港",
            "芹苴",
            "符拉迪沃斯托克",
            "鹿特丹",
            "天津",
            "昆明",
            "蔚山",
        ],
        "topic": [
            "港口",
            "物流",
            "职业培训",
            "医疗卫生",
            "环境保护",
            "海洋旅游",
            "海上运输",
            "可再生能源",
            "高科技农业",
            "文化交流",
        ],
        "place": ["沥县港", "亭武—吉海经济区", "吉婆群岛", "吉碑国际机场", "涂山海滩"],
        "title": [
            "{partner}与{city}加强{topic}合作",
            "{partner}代表团访问{place}",
            "{topic}投资推介会在{partner}举行",
            "{city}{month}月接待{number}个外国代表团",
            "{city}与{partner}签署{topic}合作备忘录",
        ],
        "sentence": [
            "{partner}代表团与{city}领导举行会谈。",
            "双方就扩大{topic}领域合作交换了意见。",
            "去年，{city}吸引了{number}个外国投资项目。",
            "代表团参观了{place}并会见了当地企业。",
            "市领导感谢{partner}多年来的支持。",
            "专家建议为{topic}行业制定人才培训计划。",
            "记者报道了两地居民之间的多项交流活动。",
            "外务厅表示，该计划将从{month}月开始实施。",
            "航运和海事服务是该市的优势。",
            "港口货物吞吐量同比增长{number}%。",
        ],
    },
}
LANGUAGES = list(VOCABULARY)


def _fill(template: str, words: dict, rng: random.Random) -> str:
    return template.format(
        city=rng.choice(words["city"]) if rng.random() < 0.6 else rng.choice(words["partner"]),
        partner=rng.choice(words["partner"]),
        topic=rng.choice(words["topic"]),
        place=rng.choice(words["place"]),
        number=rng.randint(2, 480),
        month=rng.randint(1, 12),
    )


def translation_text(lang: str, rng: random.Random) -> tuple[str, str, str]:
    """(title, lead, body HTML) of one generated translation."""
    words = VOCABULARY[lang]
    title = _fill(rng.choice(words["title"]), words, rng)
    lead = " ".join(_fill(rng.choice(words["sentence"]), words, rng) for _ in range(2))
    paragraphs = []
    for _ in range(rng.randint(3, 5)):
        sentences = " ".join(
            _fill(rng.choice(words["sentence"]), words, rng) for _ in range(rng.randint(2, 4))
        )
        paragraphs.append(f"<p>{sentences}</p>")
    return title, lead, "".join(paragraphs)


def published_at(rng: random.Random, now: datetime) -> datetime:
    """Spread over ten years; about 1 % is scheduled in the coming weeks."""
    if rng.random() < 0.01:
        return now + timedelta(hours=rng.randint(1, 24 * 30))
    return now - timedelta(minutes=rng.randint(60, 60 * 24 * 365 * 10))


def status(rng: random.Random) -> str:
    """About 3 % drafts and 1 % archived: never found, present all the same."""
    roll = rng.random()
    if roll < 0.03:
        return "draft"
    if roll < 0.04:
        return "archived"
    return "published"


def local(when: datetime) -> datetime:
    return when.astimezone(LOCAL)
