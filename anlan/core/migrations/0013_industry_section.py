"""Industry.section (GB/T 4754-2017 门类), derived from gb4754 by the pure rule for the rows already there
(the reference data of 0002 and any added since). A row whose codes are not GB/T 4754-2017 stays blank
(未归类) rather than stopping the upgrade; saving it again asks for a valid code."""

from django.db import migrations, models


def fill_sections(apps, schema_editor):
    from anlan.core.rules import industry_section_of

    Industry = apps.get_model("core", "Industry")
    changed = []
    for industry in Industry.objects.only("pk", "gb4754", "section"):
        try:
            section = industry_section_of(industry.gb4754)
        except ValueError:
            section = ""
        if industry.section != section:
            industry.section = section
            changed.append(industry)
    Industry.objects.bulk_update(changed, ["section"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0012_principal_bar"),
    ]

    operations = [
        migrations.AddField(
            model_name="industry",
            name="section",
            field=models.CharField(
                blank=True,
                choices=[
                    ("A", "A 农、林、牧、渔业"),
                    ("B", "B 采矿业"),
                    ("C", "C 制造业"),
                    ("D", "D 电力、热力、燃气及水生产和供应业"),
                    ("E", "E 建筑业"),
                    ("F", "F 批发和零售业"),
                    ("G", "G 交通运输、仓储和邮政业"),
                    ("H", "H 住宿和餐饮业"),
                    ("I", "I 信息传输、软件和信息技术服务业"),
                    ("J", "J 金融业"),
                    ("K", "K 房地产业"),
                    ("L", "L 租赁和商务服务业"),
                    ("M", "M 科学研究和技术服务业"),
                    ("N", "N 水利、环境和公共设施管理业"),
                    ("O", "O 居民服务、修理和其他服务业"),
                    ("P", "P 教育"),
                    ("Q", "Q 卫生和社会工作"),
                    ("R", "R 文化、体育和娱乐业"),
                    ("S", "S 公共管理、社会保障和社会组织"),
                    ("T", "T 国际组织"),
                ],
                db_index=True,
                editable=False,
                help_text="由国民经济行业分类代码得出；代码跨门类时取第一个代码的门类，无代码时为空（统计为“未归类”）",
                max_length=1,
                verbose_name="国民经济行业门类",
            ),
        ),
        migrations.RunPython(fill_sections, migrations.RunPython.noop),
    ]
