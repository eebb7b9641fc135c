"""The criteria sets every installation starts with: 梦桃式班组 (five aspects), 七有 and 六好.

The data migration creates them; `ensure_default_templates()` puts back any that are missing.
"""

from decimal import Decimal

MENGTAO = [
    ("1", "积极践行“梦桃精神”",
     "传承和弘扬“高标准、严要求、行动快、工作实、抢困难、送方便”和“不让一个伙伴掉队”的“梦桃精神”，"
     "引导职工爱岗敬业、甘于奉献、勇于创新、精益求精。", [], 0),
    ("2", "提升管理创新水平",
     "以提升班组管理水平为核心，加强班组绩效管理，合理设计班组考核制度、考核指标，"
     "以制度措施为杠杆调动职工创新创效活力。", ["adopted_proposals"], 1),
    ("3", "营造技能创新氛围",
     "广泛开展名师带徒活动，建立“师带徒”考核和激励机制；形成“比学赶帮超”的环境与氛围，"
     "经常开展技术攻关、小改小革、合理化建议、专题讨论等群众性创新活动。",
     ["mentor_pairs", "training_hours", "promoted_members", "small_inventions", "small_creations",
      "small_innovations", "small_designs", "small_suggestions"], 1),
    ("4", "加强质量(服务)创新能力",
     "开展QC小组攻关活动，围绕产品(服务)质量，推广运用节能降耗的新技术、新工艺、新设备和新材料，"
     "改进生产(服务)模式、方法，提高产品质量和服务水平。", ["qc_results", "patents"], 1),
    ("5", "勇于担当作为",
     "加强安全管理，改善劳动保护用品、防护设施，确保班组安全生产；勇于攻坚克难，"
     "发现典型、培育典型、推广典型，发挥示范、带动和引领作用。", ["safe_days"], 1),
]  # fmt: skip

SEVEN_HAVES = [
    ("1", "有标识", "以一名在技术、业务方面有专长的劳动模范、高技能人才的名字命名并挂牌。"),
    ("2", "有场所", "有固定工作场所，并根据需要配备书籍、电脑、实验仪器、操作工具等必要设施。"),
    ("3", "有经费", "所在单位设立专项经费，用于活动开展、学习资料购买、设备添置、成果奖励等。"),
    ("4", "有成员", "以劳动模范、高技能人才为带头人，组织职工参与，倡导人员、知识和技能流动。"),
    ("5", "有制度", "建立组织机构、目标任务、活动方式、学习安排、创新计划、成果奖励、内部管理等制度。"),
    ("6", "有台帐", "成员情况建立档案；各项活动、技术创新、服务示范、培训情况有及时准确记录。"),
    ("7", "有成果", "围绕生产实践开展技术攻关，在技术创新、技能培训、服务示范等方面多出成果、多出成效。"),
]

SIX_GOODS = [
    ("1", "思想政治工作好", ""),
    ("2", "完成生产工作任务好", ""),
    ("3", "科学管理好", ""),
    ("4", "劳动竞赛好", ""),
    ("5", "组织建设好", ""),
    ("6", "安全文明生产好", ""),
]

VETO = ("V1", "一票否决：重大安全生产事故",
        "申报期内发生重大及以上安全生产责任事故，或存在弄虚作假的，取消资格。")  # fmt: skip


def ensure_default_templates(CriteriaTemplate=None, CriterionTemplate=None) -> None:
    """Create the default criteria sets that are missing. Migrations pass their historical models."""
    if CriteriaTemplate is None:
        from .models import CriteriaTemplate, CriterionTemplate

    def add(name, category, description, rows):
        template, created = CriteriaTemplate.objects.get_or_create(
            name=name, defaults={"category": category, "description": description, "is_default": True}
        )
        if not created:
            return
        for order, row in enumerate(rows, start=1):
            CriterionTemplate.objects.create(template=template, order=order, **row)
        CriterionTemplate.objects.create(
            template=template,
            order=len(rows) + 1,
            code=VETO[0],
            title=VETO[1],
            description=VETO[2],
            max_score=Decimal("0"),
            weight=Decimal("0"),
            statement_required=False,
            is_veto=True,
        )

    add(
        "梦桃式班组五个方面",
        "mengtao",
        "陕西省总工会创建“梦桃式班组”通知中的五个方面，每项20分。",
        [
            {"code": code, "title": title, "description": text, "max_score": Decimal("20"),
             "indicators": indicators, "min_evidence": evidence}
            for code, title, text, indicators, evidence in MENGTAO
        ],
    )  # fmt: skip
    add(
        "劳模(职工)创新工作室“七有”标准",
        "studio",
        "有标识、有场所、有经费、有成员、有制度、有台帐、有成果。",
        [
            {"code": code, "title": title, "description": text, "max_score": Decimal("15") if code in "67" else Decimal("14"),
             "min_evidence": 1, "indicators": ["patents", "qc_results"] if code == "7" else []}
            for code, title, text in SEVEN_HAVES
        ],
    )  # fmt: skip
    add(
        "模范班组“六好”",
        "model_team",
        "思想政治工作好、完成生产工作任务好、科学管理好、劳动竞赛好、组织建设好、安全文明生产好。",
        [
            {"code": code, "title": title, "description": text, "max_score": Decimal("20") if code in "12" else Decimal("15"),
             "indicators": ["safe_days"] if code == "6" else []}
            for code, title, text in SIX_GOODS
        ],
    )  # fmt: skip
