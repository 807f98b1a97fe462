"""Core registry: regions, grids, industries, departments, enterprises, people and their memberships, and the
kernel registries the modules share: units, people, the working-day calendar, receipt-confirmed tasks, record tags."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import rules
from .errors import ErrorCode
from .scope import ScopedQuerySet, ScopeSpec


class Role(models.TextChoices):
    """Roles of design.md §1. What each may see is in scope.py, what each may do in permissions.py."""

    COMMITTEE_OFFICE = "committee_office", _("安委办/应急管理局")
    DEPARTMENT = "department", _("行业监管部门")
    TOWN = "town", _("乡镇(街道)")
    GRID_WORKER = "grid_worker", _("网格员")
    ENTERPRISE = "enterprise", _("企业")
    EXPERT = "expert", _("专家")
    LEADER = "leader", _("领导")


class User(AbstractUser):
    """A person who logs in. What they may see and do comes from their memberships."""

    real_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.real_name or self.username

    @property
    def display_name(self) -> str:
        return self.real_name or self.username


class Region(models.Model):
    """行政区划. The primary key is the 12-digit statistical code, so a subtree is a range of keys."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("省级")
        CITY = 2, _("地市级")
        COUNTY = 3, _("县级")
        TOWN = 4, _("乡镇(街道)")
        VILLAGE = 5, _("村(社区)")

    code = models.CharField(
        _("区划代码"),
        max_length=12,
        primary_key=True,
        validators=[RegexValidator(r"^[0-9]{12}$", _("区划代码应为12位数字。"))],
    )
    name = models.CharField(_("名称"), max_length=60)
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    kind = models.CharField(
        _("类型"), max_length=20, blank=True, help_text=_("如 市辖区、县、镇、街道、村、社区")
    )
    urban_rural_code = models.CharField(
        _("城乡分类代码"),
        max_length=3,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{3}$", _("城乡分类代码为3位数字。"))],
    )
    vintage = models.PositiveSmallIntegerField(_("代码年份"), default=2024)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        return rules.region_prefix(self.code, self.level)

    @property
    def subtree_bounds(self) -> tuple[str, str]:
        return rules.subtree_bounds(self.code, self.level)

    def contains(self, code: str) -> bool:
        low, high = self.subtree_bounds
        return low <= code <= high

    def ancestors(self) -> list[Region]:
        """Parents from the top down (at most four queries; the tree is five levels deep)."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    @property
    def region(self) -> Region:
        return self


class Grid(models.Model):
    """网格: a patrol unit under a village or community, with its grid workers (memberships)."""

    region = models.ForeignKey(
        Region, verbose_name=_("所属村(社区)"), on_delete=models.PROTECT, related_name="grids"
    )
    code = models.CharField(_("网格编号"), max_length=30)
    name = models.CharField(_("网格名称"), max_length=60)
    description = models.TextField(_("范围说明"), blank=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="region", grid="pk")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("网格")
        verbose_name_plural = _("网格")
        ordering = ["region_id", "code"]
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="grid_code_unique_in_region")]

    def __str__(self) -> str:
        return self.name


class IndustryQuerySet(models.QuerySet):
    """Industries' bulk paths keep `section` derived from `gb4754`, as `Industry.save` does."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.section = obj.derived_section()
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs, fields = list(objs), list(fields)
        if "gb4754" in fields:
            for obj in objs:
                obj.section = obj.derived_section()
            fields = [*fields, "section"] if "section" not in fields else fields
        return super().bulk_update(objs, fields, *args, **kwargs)

    def update(self, **kwargs):
        if isinstance(kwargs.get("gb4754"), str):
            kwargs["section"] = Industry(gb4754=kwargs["gb4754"]).derived_section()
        elif "gb4754" in kwargs and "section" not in kwargs:  # bulk_update passes both as expressions
            raise TypeError("update gb4754 with a string, or set section with it")
        return super().update(**kwargs)


class Industry(models.Model):
    """行业领域, a tree, mapped to GB/T 4754-2017 codes where one applies; `section` (门类) is derived from them."""

    SECTION_CHOICES = [(letter, rules.section_label(letter)) for letter in rules.SECTION_NAMES]

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级行业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    gb4754 = models.CharField(
        _("国民经济行业分类代码"),
        max_length=200,
        blank=True,
        help_text=_("GB/T 4754-2017 门类或大类，多个以逗号分隔"),
    )
    section = models.CharField(
        _("国民经济行业门类"),
        max_length=1,
        choices=SECTION_CHOICES,
        blank=True,
        db_index=True,
        editable=False,
        help_text=_(
            "由国民经济行业分类代码得出；代码跨门类时取第一个代码的门类，无代码时为空（统计为“未归类”）"
        ),
    )
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = IndustryQuerySet.as_manager()

    class Meta:
        verbose_name = _("行业领域")
        verbose_name_plural = _("行业领域")
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.section = self.derived_section()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "gb4754" in update_fields and "section" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "section"]
        super().save(*args, **kwargs)

    def derived_section(self) -> str:
        """The 门类 of `gb4754` (rules.industry_section_of); a code that is not GB/T 4754-2017 is refused."""
        try:
            return rules.industry_section_of(self.gb4754)
        except ValueError:
            message = _(
                "国民经济行业分类代码“%(v)s”不是 GB/T 4754-2017 的门类、大类或小类代码，多个代码以逗号分隔。"
            )
            raise ValidationError(
                {"gb4754": ValidationError(message % {"v": self.gb4754}, code=ErrorCode.INDUSTRY_CODE)}
            ) from None

    def clean(self):
        super().clean()
        self.section = self.derived_section()


class Department(models.Model):
    """安委会成员单位 at one level of government, with the industries it supervises (三管三必须)."""

    class Kind(models.TextChoices):
        COMPREHENSIVE = "comprehensive", _("综合监管（安委办/应急管理局）")
        INDUSTRY = "industry", _("行业监管部门")
        MEMBER = "member", _("其他成员单位")

    name = models.CharField(_("单位名称"), max_length=80)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="departments"
    )
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices, default=Kind.INDUSTRY)
    industries = models.ManyToManyField(
        Industry, verbose_name=_("监管行业领域"), blank=True, related_name="departments"
    )
    phone = models.CharField(_("值班电话"), max_length=30, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="region", department="pk")
    history = HistoricalRecords(m2m_fields=[industries])

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["region_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="department_name_unique_in_region")
        ]

    def __str__(self) -> str:
        return self.name


class EnterpriseQuerySet(ScopedQuerySet):
    """Keeps `name_initials` in step with `name` on the bulk paths that bypass `Enterprise.save()`."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.name_initials = rules.name_initials(obj.name)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        if "name" in fields:
            for obj in objs:
                obj.name_initials = rules.name_initials(obj.name)
            fields = [*fields, "name_initials"]
        return super().bulk_update(objs, fields, *args, **kwargs)

    def update(self, **kwargs):
        if "name" in kwargs and "name_initials" not in kwargs:  # bulk_update passes both
            if not isinstance(kwargs["name"], str):  # an expression: the initials cannot follow it in SQL
                raise TypeError("Enterprise names are updated with a value, so that their initials follow.")
            kwargs["name_initials"] = rules.name_initials(kwargs["name"])
        return super().update(**kwargs)


class Enterprise(models.Model):
    """生产经营单位, keyed by its 统一社会信用代码 (GB 32100)."""

    class Scale(models.TextChoices):
        """The national size classes (国家统计局《统计上大中小微型企业划分办法》), and 个体工商户."""

        LARGE = "large", _("大型")
        MEDIUM = "medium", _("中型")
        SMALL = "small", _("小型")
        MICRO = "micro", _("微型")
        INDIVIDUAL = "individual", _("个体工商户")

    class Status(models.TextChoices):
        OPERATING = "operating", _("正常生产经营")
        SUSPENDED = "suspended", _("停产停业")
        CLOSED = "closed", _("关闭")
        DEREGISTERED = "deregistered", _("注销")

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("单位名称"), max_length=120, db_index=True)
    # Derived from the name on every save and bulk path (EnterpriseQuerySet); the pickers search it.
    name_initials = models.CharField(
        _("名称拼音首字母"), max_length=rules.NAME_INITIALS_LENGTH, blank=True, editable=False
    )
    region = models.ForeignKey(
        Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="enterprises"
    )
    grid = models.ForeignKey(
        Grid,
        verbose_name=_("所属网格"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enterprises",
    )
    address = models.CharField(_("生产经营地址"), max_length=200, blank=True)
    longitude = models.DecimalField(
        _("经度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(73), MaxValueValidator(136)],
    )
    latitude = models.DecimalField(
        _("纬度"),
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(3), MaxValueValidator(54)],
    )
    industry = models.ForeignKey(
        Industry, verbose_name=_("主行业领域"), on_delete=models.PROTECT, related_name="main_enterprises"
    )
    other_industries = models.ManyToManyField(
        Industry, verbose_name=_("其他行业领域"), blank=True, related_name="secondary_enterprises"
    )
    scale = models.CharField(_("规模"), max_length=20, choices=Scale.choices, default=Scale.SMALL)
    # Set on rows whose class was guessed when the old 规模以上/小微 pair became the national classes (规模以上
    # → 中型); cleared when a supervisor saves the registry form, which shows the class for checking.
    scale_to_verify = models.BooleanField(
        _("规模待核定"), default=False, help_text=_("由原“规模以上”迁移为“中型”，请按国家统计局划分办法核定")
    )
    employees = models.PositiveIntegerField(_("从业人员数"), default=0)
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    # A Person of the registry, resolved by 居民身份证号码 (`services.create_enterprise` / `update_enterprise`).
    # Empty only for legacy rows; rows back-filled from the old free text have a Person without a number.
    principal = models.ForeignKey(
        "Person",
        verbose_name=_("主要负责人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="principal_of",
    )
    principal_phone = models.CharField(_("主要负责人电话"), max_length=20, blank=True)
    safety_manager = models.CharField(_("安全管理人员"), max_length=50, blank=True)
    safety_manager_phone = models.CharField(_("安全管理人员电话"), max_length=20, blank=True)
    status = models.CharField(_("经营状态"), max_length=20, choices=Status.choices, default=Status.OPERATING)
    has_major_hazard_source = models.BooleanField(_("重大危险源"), default=False)
    is_crowded_place = models.BooleanField(_("人员密集场所"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    objects = EnterpriseQuerySet.as_manager()
    scope = ScopeSpec(
        region="region",
        industry="industry",
        extra_industries="other_industries",
        grid="grid",
        enterprise="pk",
    )
    history = HistoricalRecords(
        m2m_fields=[other_industries], excluded_fields=["updated_at", "name_initials"]
    )

    class Meta:
        verbose_name = _("生产经营单位")
        verbose_name_plural = _("生产经营单位")
        ordering = ["region_id", "name"]
        indexes = [
            # The list: a region range in list order. The trailing industry makes a department's
            # count (region range + its industries) an index-only scan.
            models.Index(fields=["region", "name", "industry"], name="enterprise_region_name"),
            # Status alone is nearly constant (most units operate): only useful with the region
            # range and the list order after it, which this index serves without a sort.
            models.Index(
                fields=["status", "region", "name", "industry"], name="enterprise_status_region_name"
            ),
            models.Index(fields=["industry", "region"], name="enterprise_industry_region"),
            models.Index(fields=["grid"], name="enterprise_grid"),
            # The pickers' initials and credit-code prefixes (core.selectors.enterprise_choices): a range walked
            # in order, the scope (region range, a department's industries) checked inside the index.
            models.Index(fields=["name_initials", "region", "industry"], name="enterprise_initials_region"),
            models.Index(fields=["uscc", "region", "industry"], name="enterprise_uscc_region"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_initials = rules.name_initials(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_initials"}
        super().save(*args, **kwargs)

    @property
    def status_style(self) -> str:
        """The Bootstrap colour of the status badge (operating green, suspended amber, otherwise grey)."""
        return {self.Status.OPERATING: "success", self.Status.SUSPENDED: "warning"}.get(
            self.status, "secondary"
        )

    def clean(self):
        from django.core.exceptions import ValidationError

        # Empty means the form already refused the code (or the field check reports it as required).
        if self.uscc:
            try:
                self.uscc = rules.validate_uscc(self.uscc)
            except rules.RuleViolation as exc:
                raise ValidationError({"uscc": exc.message}, code=str(exc.code)) from exc
        if self.region_id and self.region.level < Region.Level.TOWN:
            raise ValidationError({"region": _("所属区划应选择到乡镇(街道)或村(社区)一级。")})
        if (
            self.grid_id
            and self.region_id
            and not (self.region.contains(self.grid.region_id) or self.grid.region.contains(self.region_id))
        ):
            raise ValidationError({"grid": _("所选网格不在该单位所属区划内。")})


class Licence(models.Model):
    """A licence or permit an enterprise holds (安全生产许可证, 危险化学品经营许可证 …), with its expiry."""

    class Kind(models.TextChoices):
        SAFETY_PRODUCTION = "safety_production", _("安全生产许可证")
        HAZCHEM_OPERATION = "hazchem_operation", _("危险化学品经营许可证")
        HAZCHEM_USE = "hazchem_use", _("危险化学品安全使用许可证")
        FIREWORKS_OPERATION = "fireworks_operation", _("烟花爆竹经营许可证")
        MINING = "mining", _("采矿许可证")
        ROAD_TRANSPORT = "road_transport", _("道路运输经营许可证")
        GAS_OPERATION = "gas_operation", _("燃气经营许可证")
        CONSTRUCTION_SAFETY = "construction_safety", _("建筑施工企业安全生产许可证")
        OTHER = "other", _("其他")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("生产经营单位"), on_delete=models.CASCADE, related_name="licences"
    )
    kind = models.CharField(_("证照类型"), max_length=30, choices=Kind.choices)
    number = models.CharField(_("证照编号"), max_length=60)
    issued_by = models.CharField(_("发证机关"), max_length=80, blank=True)
    valid_from = models.DateField(_("有效期起"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"))
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(
        region="enterprise__region",
        industry="enterprise__industry",
        extra_industries="enterprise__other_industries",
        grid="enterprise__grid",
        enterprise="enterprise",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("证照")
        verbose_name_plural = _("证照")
        ordering = ["valid_until"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def region(self) -> Region:
        return self.enterprise.region


class LicenceChange(models.Model):
    """An enterprise's proposal to add, change or remove one of its licences. Licences are registry facts kept
    by the issuing or supervising body: the confirmed licence stays as it is (and expiry warnings read it)
    until a supervisor in scope accepts the proposal, which applies it, or refuses it with a reason."""

    class Action(models.TextChoices):
        ADD = "add", _("新增证照")
        CHANGE = "change", _("变更证照")
        REMOVE = "remove", _("注销证照")

    class Status(models.TextChoices):
        PENDING = "pending", _("待确认")
        ACCEPTED = "accepted", _("已采纳")
        REFUSED = "refused", _("未采纳")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("生产经营单位"), on_delete=models.CASCADE, related_name="licence_changes"
    )
    licence = models.ForeignKey(
        Licence,
        verbose_name=_("证照"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="changes",
    )
    action = models.CharField(_("申请事项"), max_length=20, choices=Action.choices)
    kind = models.CharField(_("证照类型"), max_length=30, choices=Licence.Kind.choices, blank=True)
    number = models.CharField(_("证照编号"), max_length=60, blank=True)
    issued_by = models.CharField(_("发证机关"), max_length=80, blank=True)
    valid_from = models.DateField(_("有效期起"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    reason = models.TextField(_("申请理由"))
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    proposed_by = models.ForeignKey(
        User, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        User, verbose_name=_("确认人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    decision_reason = models.TextField(_("确认意见"), blank=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec.through_enterprise(extra_industries=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("证照变更申请")
        verbose_name_plural = _("证照变更申请")
        ordering = ["-proposed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.number or self.licence or ''}".strip()


class Membership(models.Model):
    """One role a user holds, anchored where the role applies (region, department, enterprise or grid)."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("生产经营单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    grid = models.ForeignKey(
        Grid,
        verbose_name=_("网格"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    title = models.CharField(_("职务"), max_length=50, blank=True)
    # 单位负责人: told when the unit leaves a receipt-confirmed task (a warning) unconfirmed (recipients.unit_heads).
    is_head = models.BooleanField(_("单位负责人"), default=False)
    is_active = models.BooleanField(_("有效"), default=True)
    history = HistoricalRecords()

    # Which anchor each role needs.
    ANCHOR = {
        Role.COMMITTEE_OFFICE: "region",
        Role.TOWN: "region",
        Role.LEADER: "region",
        Role.DEPARTMENT: "department",
        Role.ENTERPRISE: "enterprise",
        Role.GRID_WORKER: "grid",
        Role.EXPERT: None,
    }

    class Meta:
        verbose_name = _("角色任职")
        verbose_name_plural = _("角色任职")

    def __str__(self) -> str:
        anchor = self.anchor
        return f"{self.get_role_display()} · {anchor}" if anchor else self.get_role_display()

    @property
    def anchor(self):
        name = self.ANCHOR.get(self.role)
        return getattr(self, name) if name else None

    @property
    def anchor_region(self) -> Region | None:
        """The region the role applies to, for the header and for defaults in forms."""
        anchor = self.anchor
        if anchor is None:
            return None
        return anchor if isinstance(anchor, Region) else anchor.region

    def clean(self):
        from django.core.exceptions import ValidationError

        name = self.ANCHOR.get(self.role)
        if name and getattr(self, f"{name}_id") is None:
            raise ValidationError(
                {name: _("该角色必须指定%(field)s。") % {"field": self._meta.get_field(name).verbose_name}}
            )
        if self.role == Role.TOWN and self.region_id and self.region.level != Region.Level.TOWN:
            raise ValidationError({"region": _("乡镇(街道)角色的区划必须是乡镇(街道)一级。")})
        if (
            self.role == Role.DEPARTMENT
            and self.department_id
            and self.department.kind == Department.Kind.COMPREHENSIVE
        ):
            raise ValidationError({"role": _("安委办/应急管理局人员请选择“安委办/应急管理局”角色。")})


# ---------------------------------------------------------------- units (the bodies that act)


class Unit(models.Model):
    """单位: one registry of the bodies that act, send and receive — departments, towns/streets, park committees,
    enterprises, outside bodies and the 安委办 of a region. Departments, enterprises and towns get theirs from
    `units.unit_for`; park committees and outside bodies are managed by the 安委办 (`units` services)."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("部门")
        TOWN = "town", _("乡镇(街道)")
        PARK_COMMITTEE = "park_committee", _("园区管委会")
        ENTERPRISE = "enterprise", _("生产经营单位")
        OUTSIDE_BODY = "outside_body", _("外部单位")
        COMMITTEE_OFFICE = "committee_office", _("安委办")

    kind = models.CharField(_("单位类别"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("单位名称"), max_length=120)
    region = models.ForeignKey(
        Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="units"
    )
    department = models.OneToOneField(
        Department,
        verbose_name=_("部门"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="unit",
    )
    enterprise = models.OneToOneField(
        Enterprise,
        verbose_name=_("生产经营单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="unit",
    )
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="region", department="department", enterprise="enterprise")
    history = HistoricalRecords()

    # Kinds with a record of their own as anchor; a town and a 安委办 are anchored by their region alone.
    ANCHOR = {Kind.DEPARTMENT: "department", Kind.ENTERPRISE: "enterprise"}
    REGION_ANCHORED = (Kind.TOWN, Kind.COMMITTEE_OFFICE)
    # Kinds the 安委办 creates, renames and deactivates by hand (the others follow their anchor).
    MANAGED = (Kind.PARK_COMMITTEE, Kind.OUTSIDE_BODY)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["region_id", "kind", "name"]
        indexes = [models.Index(fields=["region", "kind", "name"], name="unit_region_kind_name")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="department") & Q(department__isnull=False))
                | (~Q(kind="department") & Q(department__isnull=True)),
                name="unit_department_anchor",
            ),
            models.CheckConstraint(
                condition=(Q(kind="enterprise") & Q(enterprise__isnull=False))
                | (~Q(kind="enterprise") & Q(enterprise__isnull=True)),
                name="unit_enterprise_anchor",
            ),
            models.UniqueConstraint(
                fields=["region"], condition=Q(kind="town"), name="unit_one_town_per_region"
            ),
            models.UniqueConstraint(
                fields=["region"], condition=Q(kind="committee_office"), name="unit_one_office_per_region"
            ),
            models.UniqueConstraint(
                fields=["region", "kind", "name"],
                condition=Q(kind__in=["park_committee", "outside_body"]),
                name="unit_managed_name_unique_in_region",
            ),
        ]

    def __str__(self) -> str:
        return self.name


# ---------------------------------------------------------------- people


class Person(models.Model):
    """人员: a natural person keyed by 居民身份证号码 (principals, safety managers, certificate holders, people held
    accountable), linked to a user account where one exists. Rows imported from free text may lack the number."""

    id_number = models.CharField(_("居民身份证号码"), max_length=18, blank=True)
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    user = models.OneToOneField(
        User,
        verbose_name=_("用户账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    employer = models.ForeignKey(
        Unit,
        verbose_name=_("工作单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(
        region="employer__region", department="employer__department", enterprise="employer__enterprise"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"], condition=~Q(id_number=""), name="person_id_number_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.id_number:
            try:
                self.id_number = rules.validate_id_number(self.id_number)
            except rules.RuleViolation as exc:
                raise ValidationError({"id_number": exc.message}, code=str(exc.code)) from exc


class PrincipalBar(models.Model):
    """从业禁止: a person may not be the 主要负责人 of any 生产经营单位 from `starts_on` to `ends_on` (both
    included), e.g. for five years after the enterprise they led was closed (安全生产法 第一百一十三条,
    `rules.principal_bar_ends`). Recorded by the module that decided it, which the source names; the core
    services that set an enterprise's 主要负责人 refuse a barred person."""

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="principal_bars"
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("原任主要负责人的单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="principal_bars",
    )
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("截止日期"))
    basis = models.CharField(_("法律依据"), max_length=200)
    reason = models.TextField(_("原因"))
    source_type = models.ForeignKey(
        ContentType, verbose_name=_("来源记录类型"), null=True, blank=True, on_delete=models.PROTECT
    )
    source_id = models.CharField(_("来源记录"), max_length=40, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    source_text = models.CharField(_("来源说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("登记人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    # Supervisors of the enterprise's region and industry see it; the enterprise's own users do not.
    scope = ScopeSpec(region="enterprise__region", industry="enterprise__industry")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("主要负责人任职禁止")
        verbose_name_plural = _("主要负责人任职禁止")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["person", "ends_on"], name="principal_bar_person_ends")]

    def __str__(self) -> str:
        return f"{self.person} · {self.starts_on}—{self.ends_on}"

    def in_force(self, day) -> bool:
        return rules.bar_in_force(self.starts_on, self.ends_on, day)


# ---------------------------------------------------------------- working-day calendar


class CalendarYear(models.Model):
    """一年的节假日安排: the holidays and make-up working days of one year, from that year's 国务院办公厅 notice.
    A year without a row is an error for every working-day computation that reaches it, never a guess."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    source = models.TextField(_("依据"), help_text=_("通知名称、发布日期及出处"))
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """One day the notice changes: a holiday (放假) or a make-up working day (调休上班) on a weekend."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("放假")
        MAKEUP_WORKDAY = "makeup_workday", _("调休上班")

    calendar_year = models.ForeignKey(
        CalendarYear, verbose_name=_("年度"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=30, blank=True, help_text=_("如 国庆节、春节调休上班"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.kind == self.Kind.MAKEUP_WORKDAY and self.date and self.date.weekday() < 5:
            raise ValidationError({"date": _("调休上班日应是周六或周日。")})


# ---------------------------------------------------------------- receipt-confirmed tasks

# workflow → permissions → models.Role: imported here, once Role and the models permissions needs exist.
from .workflow import Refusal, Transition  # noqa: E402

# Enterprise operating status (经营状态): declared here, after the workflow import, as a class attribute. Every
# change between two different states is allowed (a supervisor also corrects a wrongly recorded state), always
# with a reason; `core.services.change_enterprise_status` picks the transition leading to the chosen state,
# other modules (停产整顿, 复产验收, 关闭) call `core.services.apply_enterprise_transition` by name.
_ES = Enterprise.Status
Enterprise.TRANSITIONS = (
    Transition(
        "suspend",
        frozenset({_ES.OPERATING, _ES.CLOSED, _ES.DEREGISTERED}),
        _ES.SUSPENDED,
        "core.change_enterprise_status",
        _("停产停业"),
        reason_required=True,
        style="warning",
    ),
    Transition(
        "resume",
        frozenset({_ES.SUSPENDED}),
        _ES.OPERATING,
        "core.change_enterprise_status",
        _("恢复生产经营"),
        reason_required=True,
    ),
    Transition(
        "close",
        frozenset({_ES.OPERATING, _ES.SUSPENDED, _ES.DEREGISTERED}),
        _ES.CLOSED,
        "core.change_enterprise_status",
        _("关闭"),
        reason_required=True,
        style="danger",
    ),
    Transition(
        "deregister",
        frozenset({_ES.OPERATING, _ES.SUSPENDED, _ES.CLOSED}),
        _ES.DEREGISTERED,
        "core.change_enterprise_status",
        _("注销"),
        reason_required=True,
        style="danger",
    ),
    Transition(
        "reopen",
        frozenset({_ES.CLOSED, _ES.DEREGISTERED}),
        _ES.OPERATING,
        "core.change_enterprise_status",
        _("恢复正常生产经营"),
        reason_required=True,
    ),
)
del _ES

# An enterprise's licence proposal is decided by a supervisor in scope (core.manage_licence): accepting applies
# it to the licence (core.services.decide_licence_change), refusing keeps the licence as it was.
_LS = LicenceChange.Status
LicenceChange.TRANSITIONS = (
    Transition(
        "accept",
        frozenset({_LS.PENDING}),
        _LS.ACCEPTED,
        "core.manage_licence",
        _("采纳并更新证照"),
        confirm=_("采纳后将按申请内容更新证照信息。确定采纳吗？"),
    ),
    Transition(
        "refuse",
        frozenset({_LS.PENDING}),
        _LS.REFUSED,
        "core.manage_licence",
        _("不予采纳"),
        reason_required=True,
        style="danger",
    ),
)
del _LS


def _receipt_only_recipient(task, user) -> Refusal | None:
    """Guard of `confirm`: the recipient user or a member of the recipient unit."""
    from .receipts import may_confirm

    if may_confirm(user, task):
        return None
    return Refusal(ErrorCode.RECEIPT_NOT_RECIPIENT, _("只有接收单位的人员或接收人本人可以确认。"))


def _receipt_only_sender(task, user) -> Refusal | None:
    """Guard of `cancel`: the sender (or a superuser)."""
    if task.sender_id == getattr(user, "pk", None) or getattr(user, "is_superuser", False):
        return None
    return Refusal(ErrorCode.RECEIPT_NOT_SENDER, _("只有发送人可以撤销。"))


class ReceiptTask(models.Model):
    """接收确认任务: something sent to a unit or a person (a warning, a joint measure, a 督查 problem …) that the
    recipient must confirm by `confirm_by`; the sweep escalates it one level at a time while it stays open."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        ESCALATED = "escalated", _("已升级")
        CANCELLED = "cancelled", _("已撤销")

    class ConfirmedVia(models.TextChoices):
        IN_APP = "in_app", _("系统内确认")
        LINK = "link", _("短信链接确认")

    OPEN = (Status.PENDING, Status.ESCALATED)

    content_type = models.ForeignKey(ContentType, verbose_name=_("事项类型"), on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField(_("事项"))
    subject = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("任务类别"), max_length=40, help_text=_("由发送模块确定的简短代码"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    sender = models.ForeignKey(
        User, verbose_name=_("发送人"), on_delete=models.PROTECT, related_name="receipts_sent"
    )
    sender_unit = models.ForeignKey(
        Unit,
        verbose_name=_("发送单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="receipts_sent",
    )
    recipient_unit = models.ForeignKey(
        Unit,
        verbose_name=_("接收单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="receipt_tasks",
    )
    recipient_user = models.ForeignKey(
        User,
        verbose_name=_("接收人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="receipt_tasks",
    )
    # A contact without an account (a crowded place's warning receiver, a 群测群防员): confirms by a link.
    recipient_name = models.CharField(_("接收人姓名"), max_length=50, blank=True)
    recipient_phone = models.CharField(_("接收人电话"), max_length=20, blank=True)
    # A confirmation link (receipts.link_token, signed, no login) works until then unless revoked.
    token_expires_at = models.DateTimeField(_("确认链接有效期至"), null=True, blank=True)
    token_revoked_at = models.DateTimeField(_("确认链接撤销时间"), null=True, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("发送时间"))
    confirm_by = models.DateTimeField(_("确认时限"))
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        User, verbose_name=_("确认人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_via = models.CharField(_("确认方式"), max_length=10, choices=ConfirmedVia.choices, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("升级次数"), default=0)
    escalated_at = models.DateTimeField(_("最近升级时间"), null=True, blank=True)
    next_escalation_at = models.DateTimeField(_("下次升级时间"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    objects = ScopedQuerySet.as_manager()
    # Territorial roles see the tasks of their region; a department only those addressed to it; the recipient
    # unit's members, the addressed user and the sender see theirs wherever they are.
    scope = ScopeSpec(
        region="region",
        department="recipient_unit__department",
        enterprise="recipient_unit__enterprise",
        owner_unit="recipient_unit",
        addressee="recipient_user",
        participant="sender",
        refine=lambda membership, q: (
            Q(recipient_unit__department_id=membership.department_id)
            if membership.role == Role.DEPARTMENT
            else q
        ),
    )
    history = HistoricalRecords()

    TRANSITIONS = (
        Transition(
            "confirm",
            frozenset(OPEN),
            Status.CONFIRMED,
            "core.confirm_receipt",
            _("确认收到"),
            guards=(_receipt_only_recipient,),
        ),
        Transition(
            "confirm_by_link",
            frozenset(OPEN),
            Status.CONFIRMED,
            "core.confirm_receipt_by_link",
            _("通过确认链接确认收到"),
        ),
        Transition(
            "escalate", frozenset(OPEN), Status.ESCALATED, "core.escalate_receipt", _("逾期未确认，升级")
        ),
        Transition(
            "cancel",
            frozenset(OPEN),
            Status.CANCELLED,
            "core.cancel_receipt",
            _("撤销"),
            reason_required=True,
            guards=(_receipt_only_sender,),
        ),
    )

    class Meta:
        verbose_name = _("接收确认任务")
        verbose_name_plural = _("接收确认任务")
        ordering = ["-sent_at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="receipt_subject"),
            models.Index(fields=["status", "next_escalation_at"], name="receipt_sweep"),
            models.Index(fields=["recipient_unit", "status"], name="receipt_recipient_unit"),
            models.Index(fields=["recipient_user", "status"], name="receipt_recipient_user"),
            models.Index(fields=["region", "status"], name="receipt_region_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient_unit__isnull=False)
                | Q(recipient_user__isnull=False)
                | ~Q(recipient_phone=""),
                name="receipt_has_a_recipient",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


# ---------------------------------------------------------------- record tags


class RecordTag(models.Model):
    """记录标签: a label modules put on records of other apps (a campaign tags the hazards and inspections it
    covers). With an owner unit, only that unit's members may put it on or take it off."""

    code = models.SlugField(_("代码"), max_length=60, unique=True)
    label = models.CharField(_("名称"), max_length=80)
    owner_unit = models.ForeignKey(
        Unit,
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="record_tags",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("记录标签")
        verbose_name_plural = _("记录标签")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.label


class TaggedRecord(models.Model):
    """One tag on one record (a model declared taggable with `c.taggable_model`)."""

    tag = models.ForeignKey(
        RecordTag, verbose_name=_("标签"), on_delete=models.CASCADE, related_name="records"
    )
    content_type = models.ForeignKey(ContentType, verbose_name=_("记录类型"), on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(_("记录"))
    record = GenericForeignKey("content_type", "object_id")
    tagged_by = models.ForeignKey(User, verbose_name=_("标记人"), on_delete=models.PROTECT, related_name="+")
    tagged_at = models.DateTimeField(_("标记时间"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("已标记记录")
        verbose_name_plural = _("已标记记录")
        indexes = [models.Index(fields=["content_type", "object_id"], name="tagged_record_target")]
        constraints = [
            models.UniqueConstraint(fields=["tag", "content_type", "object_id"], name="tagged_record_unique")
        ]

    def __str__(self) -> str:
        return f"{self.tag} · {self.content_type_id}:{self.object_id}"


# ---------------------------------------------------------------- background jobs


class Job(models.Model):
    """后台任务: one piece of background work (an export, an import, a scheduled sweep, a backup) run by a worker
    through Django's tasks API. The row is the truth about the work; the task queue only carries it. A worker
    claims a queued job with a conditional UPDATE (so a job runs once however often it was enqueued) and
    finishes it only while its attempt is still current (so a run the reaper gave up on cannot finish it)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        SUCCEEDED = "succeeded", _("已完成")
        FAILED = "failed", _("失败")

    FINISHED = (Status.SUCCEEDED, Status.FAILED)

    kind = models.CharField(_("任务类型"), max_length=60)
    label = models.CharField(_("任务名称"), max_length=200)
    owner = models.ForeignKey(
        User,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="jobs",
        help_text=_("定时任务没有发起人"),
    )
    params = models.JSONField(_("参数"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveBigIntegerField(_("已处理"), default=0)
    progress_total = models.PositiveBigIntegerField(_("总数"), null=True, blank=True)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    result_file = models.CharField(_("结果文件"), max_length=300, blank=True)
    result_name = models.CharField(_("下载文件名"), max_length=200, blank=True)
    result_size = models.PositiveBigIntegerField(_("文件大小"), null=True, blank=True)
    error = models.TextField(_("错误信息"), blank=True)
    attempt = models.PositiveSmallIntegerField(_("执行次数"), default=0)
    task_id = models.CharField(_("队列任务编号"), max_length=64, blank=True)
    worker_id = models.CharField(_("执行进程"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("创建时间"))
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("结果失效时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="job_owner_recent"),
            models.Index(fields=["status", "worker_id"], name="job_status_worker"),
            models.Index(fields=["expires_at"], name="job_expiry"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int | None:
        if not self.progress_total:
            return 100 if self.status == self.Status.SUCCEEDED else None
        return min(100, self.progress_done * 100 // self.progress_total)


class ScheduleSlot(models.Model):
    """One claimed run of a schedule: (schedule, slot start) is unique, so of several schedulers running at
    once only the one whose INSERT succeeds enqueues that slot's job."""

    schedule = models.CharField(_("计划"), max_length=60)
    slot = models.DateTimeField(_("时段开始"))
    claimed_at = models.DateTimeField(_("认领时间"))
    claimed_by = models.CharField(_("认领进程"), max_length=64)
    job = models.ForeignKey(
        Job, verbose_name=_("任务"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("计划时段")
        verbose_name_plural = _("计划时段")
        ordering = ["-slot"]
        constraints = [models.UniqueConstraint(fields=["schedule", "slot"], name="schedule_slot_once")]

    def __str__(self) -> str:
        return f"{self.schedule} @ {self.slot:%Y-%m-%d %H:%M}"


class WorkerBeat(models.Model):
    """A worker's heartbeat, written every few seconds while it lives; the reaper treats a worker silent for
    ANLAN_WORKER_DEAD_SECONDS as dead and re-queues its jobs."""

    worker_id = models.CharField(_("进程编号"), max_length=64, primary_key=True)
    host = models.CharField(_("主机"), max_length=200)
    pid = models.PositiveIntegerField(_("进程号"))
    started_at = models.DateTimeField(_("启动时间"))
    beat_at = models.DateTimeField(_("最近心跳"), db_index=True)

    class Meta:
        verbose_name = _("后台进程")
        verbose_name_plural = _("后台进程")
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"


class RateCounter(models.Model):
    """Hits of one key (e.g. an address on the warning-link page) in one window: the shared store of
    `anlan.core.ratelimit`, counted by an atomic UPDATE so several web processes agree."""

    key = models.CharField(_("键"), max_length=200)
    window = models.DateTimeField(_("时段起点"), db_index=True)
    hits = models.PositiveIntegerField(_("次数"), default=0)

    class Meta:
        verbose_name = _("访问计数")
        verbose_name_plural = _("访问计数")
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="rate_counter_once_per_window")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window:%Y-%m-%d %H:%M}: {self.hits}"
