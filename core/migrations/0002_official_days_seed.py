"""Seed the working calendar's table with the years chinesecalendar knows, so the table is the one
place an administrator reads and corrects; later years are entered from the State Council notice."""

from django.db import migrations

# chinesecalendar names the holidays in English; the bureau's notices use these names.
HOLIDAY_NAMES = {
    "new_years_day": "元旦",
    "spring_festival": "春节",
    "tomb_sweeping_day": "清明节",
    "labour_day": "劳动节",
    "dragon_boat_festival": "端午节",
    "national_day": "国庆节",
    "mid_autumn_festival": "中秋节",
    "anti_fascist_70th_day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def seed(apps, schema_editor):
    import chinese_calendar
    from chinese_calendar.constants import Holiday, holidays, workdays

    OfficialDay = apps.get_model("core", "OfficialDay")
    source = f"chinesecalendar {getattr(chinese_calendar, '__version__', '')}".strip()
    rows = []
    for kind, days in (("holiday", holidays), ("workday", workdays)):
        for day, holiday in days.items():
            # The package lists whole holiday periods, weekends included; the table needs only
            # the days that differ from the plain week, which keeps it short to read and edit.
            if (kind == "holiday") == (day.weekday() >= 5):
                continue
            # The package's values are Holiday members or their English values.
            member = holiday if isinstance(holiday, Holiday) else Holiday(holiday)
            name = HOLIDAY_NAMES.get(member.name, member.value)
            rows.append(
                OfficialDay(date=day, kind=kind, year=day.year, name=name, source=source)
            )
    OfficialDay.objects.bulk_create(rows, batch_size=500)


def unseed(apps, schema_editor):
    apps.get_model("core", "OfficialDay").objects.filter(
        entered_by__isnull=True, source__startswith="chinesecalendar"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
