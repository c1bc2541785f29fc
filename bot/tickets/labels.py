"""The Chinese names staff and citizens see for the codes tickets carry: statuses, risk levels, tiers,
13710 stages, facts, channels, history entries and staff roles.

One table per kind, kept here so the store, routing, deadlines, the console and the API all say the same
thing; plain Python (no framework) so the core can import it. ``FACT_LABELS`` are the console's: the
citizen's confirmation and the staff summary use the intake's own labels (``bot/intake/facts.yml``).
"""

from __future__ import annotations

STATUS_NAMES = {
    "received": "已受理",
    "awaiting_staff": "待人工处理",
    "routed": "已分流",
    "accepted": "已签收",
    "in_mediation": "调解中",
    "resolved": "已化解",
    "referred": "已转办",
    "closed": "已办结",
}
RISK_NAMES = {"urgent": "紧急", "elevated": "较高", "none": "一般"}
TIER_NAMES = {"simple": "简易", "general": "一般", "complex": "复杂"}
STAGE_NAMES = {"sign": "签收", "contact": "联系当事人", "report": "反馈", "close": "办结"}
# How the console labels the contract facts of a ticket (other facts show their key).
FACT_LABELS = {
    "applicant_name": "申请人",
    "phone": "联系电话",
    "id_number": "身份证号",
    "amount_yuan": "涉及金额（元）",
    "headcount": "涉及人数",
    "counterparty": "对方",
    "location": "地点",
    "period": "时间",
    "evidence": "证据",
    "demand": "诉求",
    "tried_before": "此前处理",
}
CHANNEL_NAMES = {
    "web": "网页",
    "hotline": "热线短信",
    "wechat": "微信公众号",
    "kiosk": "自助终端",
    "rest": "接口",
    "center": "窗口登记",
    "grid": "网格员代填",
    "walk_in": "窗口代填",
}
# Entries of a ticket's history, by kind.
KIND_NAMES = {
    "created": "登记",
    "updated": "补充信息",
    "status": "状态变更",
    "claim": "签收",
    "note": "备注",
    "follow_up": "回访",
    "transfer": "转办",
    "session": "调解",
    "outcome": "调解结果",
    "confirmation": "司法确认",
    "referral": "诉调对接转办",
    "payment": "履约登记",
    "reminder": "履约提醒",
    "rating": "群众评价",
    "revisit_task": "差评待回访",
    "performance": "履约预警",
    "supervision": "督办",
    "duty_alert": "紧急再提醒",
}
ROLE_NAMES = {
    "admin": "中心管理员",
    "window_staff": "窗口人员",
    "mediator": "调解员",
    "grid_worker": "网格员",
}
# How a citizen agreed to staff filing for them (代填): the console's choices, kept on the ticket.
CONSENT_NAMES = {
    "oral": "当面口头同意",
    "signed": "书面签字",
    "phone": "电话中同意",
    "guardian": "监护人或近亲属代为同意",
}
