"""Fixture tickets of every category for the mediation outcome tests, with the outcome payloads."""

from __future__ import annotations

from typing import Any

from bot.storage.store import IntakeRecord, TicketStore

# category → (applicant, applicant's ID number, counterparty, counterparty's ID number, amount, place, summary)
CASES: dict[str, tuple[str, str, str, str, int, str, str]] = {
    "wage_arrears": (
        "王建国",
        "14010519800101001X",
        "刘德福",
        "140105197502023456",
        35000,
        "太原市小店区坞城街道",
        "包工头刘德福拖欠王建国等人工资35000元。",
    ),
    "labor": (
        "赵春梅",
        "140105199203150028",
        "晋阳商贸有限公司",
        "",
        12000,
        "小店区平阳路",
        "公司未支付赵春梅解除劳动合同的经济补偿12000元。",
    ),
    "family": (
        "覃满秀",
        "430723197009091225",
        "彭光明",
        "430723196808081117",
        168000,
        "石门坎村",
        "覃满秀之子订婚后女方不愿结婚，要求返还彩礼168000元。",
    ),
    "property": (
        "孙丽华",
        "140105198512120046",
        "锦华物业公司",
        "",
        4800,
        "小店区锦华小区",
        "楼上漏水损坏孙丽华家吊顶，物业未处理，损失4800元。",
    ),
    "neighbor": (
        "马建军",
        "140105197711110031",
        "高永平",
        "140105197906060052",
        3000,
        "小店区北格镇张花村",
        "马建军与邻居高永平因院墙排水发生争执，院墙受损约3000元。",
    ),
    "debt": (
        "李秀兰",
        "140105196604040027",
        "郭长生",
        "140105197012120019",
        50000,
        "小店区亲贤街",
        "郭长生向李秀兰借款50000元，到期未还。",
    ),
    "traffic": (
        "陈志刚",
        "140105199001010015",
        "吴海涛",
        "140105198807070033",
        26000,
        "小店区龙城大街",
        "吴海涛驾车追尾陈志刚的车辆，维修和误工损失26000元。",
    ),
    "land": (
        "孙德旺",
        "140105196202020013",
        "孙德厚",
        "140105196503030035",
        8000,
        "小店区刘家堡乡",
        "兄弟二人因承包地边界发生纠纷，涉及青苗补偿8000元。",
    ),
    "other": (
        "杜小燕",
        "140105199505050022",
        "快捷家电维修部",
        "",
        1500,
        "小店区坞城路",
        "维修部收费1500元后未修好洗衣机，拒不退款。",
    ),
}


def file_case(store: TicketStore, category: str, sender: str, *, risk: str = "none") -> dict[str, Any]:
    name, id_number, counterparty, _cid, amount, place, summary = CASES[category]
    facts = {
        "applicant_name": name,
        "phone": "13912345678",
        "id_number": id_number,
        "counterparty": counterparty,
        "amount_yuan": amount,
        "location": place,
        "demand": "要求对方支付款项",
    }
    return store.file_ticket(IntakeRecord(sender, "web", category, risk, facts, summary))


def agreement_payload(category: str) -> dict[str, Any]:
    _name, _id, counterparty, cid, amount, _place, _summary = CASES[category]
    half = amount // 2
    return {
        "result": "agreement",
        "terms": {
            "text": f"{counterparty}同意分两期向申请人支付{amount}元，申请人放弃其他请求。",
            "amount_yuan": amount,
            "payments": [
                {"due": "2027-01-15", "amount_yuan": half},
                {"due": "2027-02-15", "amount_yuan": amount - half},
            ],
            "obligations": "双方互不追究其他责任。",
            "payer": counterparty,
            "payer_reminders": True,
        },
        "counterparty": {"name": counterparty, "id_number": cid},
    }


def failed_payload(to: str = "litigation") -> dict[str, Any]:
    return {"result": "failed", "referral": {"to": to, "note": "双方对金额分歧较大，引导当事人依法起诉"}}


SESSION = {
    "held_on": "2027-01-05",
    "place": "中心一楼调解室",
    "method": "in_person",
    "participants": "申请人、被申请人",
    "mediator": "张建国",
}
