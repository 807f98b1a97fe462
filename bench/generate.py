"""The benchmark data set: N enterprises over four counties, three users, reused while N and the seed stay the same.

Layout (shares of N): 来安县 30 % (the benchmark county of the county-office and department users),
长丰县 40 %, 肥东县 20 %, 肥西县 10 %. The export benchmark (a province-level office) filters on one
county each for 10 %, 20 % and 40 % of N: 10k/20k/40k rows at the default N = 100k. Each county has
16 towns of 16 villages (one grid each), a mid-sized real county; 5 % of enterprises sit at town level
without a grid. About 15 % of enterprises have an other industry (the through table the department
scope also searches).
"""

from __future__ import annotations

import random
import time
from bisect import bisect
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from anlan.core import demo, rules
from anlan.core.models import (
    Department,
    Enterprise,
    Grid,
    Industry,
    Licence,
    Membership,
    Person,
    Region,
    Role,
    User,
)
from bench import bulk
from bench.bulk import META_TABLE

GENERATOR_VERSION = 4  # 3: each enterprise's principal is a Person; 4: the names' pinyin initials
BATCH = 10_000
TOWNS_PER_COUNTY = 16
VILLAGES_PER_TOWN = 16
TOWN_LEVEL_SHARE = 0.05
PROVINCE = "340000000000"
# (county code, share of N, centre lon, lat)
COUNTIES = [
    ("341122000000", 0.30, 118.43, 32.45),  # 来安县
    ("340121000000", 0.40, 117.17, 32.48),  # 长丰县
    ("340122000000", 0.20, 117.47, 31.89),  # 肥东县
    ("340123000000", 0.10, 117.16, 31.71),  # 肥西县
]
BENCH_COUNTY = "341122000000"
# (label, region code, share of N) of the export sizes.
EXPORTS = [("10%", "340123000000", 0.10), ("20%", "340122000000", 0.20), ("40%", "340121000000", 0.40)]
DEPARTMENT_NAME = "来安县住房和城乡建设局"
DEPARTMENT_INDUSTRIES = ("construction", "urban-construction", "urban-gas")
USERS = {
    "county": ("bench-county", Role.COMMITTEE_OFFICE),
    "dept": ("bench-dept", Role.DEPARTMENT),
    "province": ("bench-province", Role.COMMITTEE_OFFICE),
}
__all__ = ["META_TABLE", "Dataset", "ensure_dataset", "generate_enterprises", "planner_statistics", "wipe"]


@dataclass
class Dataset:
    n: int
    seed: int
    users: dict[str, User]  # "county", "dept", "province"
    generated_in: float | None  # seconds, None when reused


# ---------------------------------------------------------------- marker


def _read_marker() -> dict | None:
    return bulk.read_marker("dataset")


def _write_marker(value: dict) -> None:
    bulk.write_marker("dataset", value)


def wanted(n: int, seed: int, layout: str = "four-counties") -> dict:
    """The marker of an enterprise data set; the province layout (bench/province.py) is another data set."""
    marker = {"n": n, "seed": seed, "version": GENERATOR_VERSION}
    return marker if layout == "four-counties" else marker | {"layout": layout}


def ensure_dataset(n: int, seed: int, *, regenerate: bool = False, log=print) -> Dataset:
    """Reuse the data set if the database holds exactly this one; otherwise wipe the bench rows and generate."""
    call_command("migrate", interactive=False, verbosity=0)
    bulk.restore_all()
    marker = wanted(n, seed)
    if not regenerate and _read_marker() == marker and Enterprise.objects.count() == n:
        log(f"Reusing the benchmark data set: {n} enterprises (seed {seed}).")
        return Dataset(n, seed, _users(), None)
    started = time.perf_counter()
    log(f"Generating {n} enterprises (seed {seed}) …")
    _write_marker({})  # an interrupted generation is never mistaken for a complete one
    from bench import bench_emergency, bench_hazards, bench_inspections

    bench_emergency.wipe()  # its duty shifts hold the bench users
    bench_hazards.wipe()  # records of the enterprises about to go (the province data set has them)
    bench_inspections.wipe()
    wipe()
    generate_enterprises(n, seed, log=log)
    _write_marker(marker)
    elapsed = time.perf_counter() - started
    log(f"Generated in {elapsed:.1f} s.")
    return Dataset(n, seed, _users(), elapsed)


def wipe() -> None:
    """Delete the rows the generator makes (in foreign-key order); reference regions and industries stay. The
    sections whose rows hold the bench users (duty shifts, warnings with their recipients and receipt tasks) are
    emptied first: the users' foreign keys there protect them."""
    from bench import bench_emergency, bench_warnings

    bench_emergency.wipe()
    bench_warnings.wipe_warnings()
    tables = [
        Enterprise.other_industries.through._meta.db_table,
        Membership._meta.db_table,
        Licence._meta.db_table,
        Enterprise._meta.db_table,
        Person._meta.db_table,
        Grid._meta.db_table,
        Department.industries.through._meta.db_table,
        Department._meta.db_table,
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")
        cursor.execute(f"DELETE FROM {Region._meta.db_table} WHERE level = %s", [Region.Level.VILLAGE])
        cursor.execute(f"DELETE FROM {Region._meta.db_table} WHERE level = %s", [Region.Level.TOWN])
        User.objects.filter(username__startswith="bench-").delete()


def planner_statistics(analyze: bool) -> str:
    """Put the planner statistics in the state to measure; returns a description for the report.

    PostgreSQL: autovacuum analyses a freshly loaded table soon anyway, so the benchmark always runs ANALYZE.
    SQLite: nothing in Anlan runs ANALYZE or `PRAGMA optimize`, so by default the statistics are removed to
    measure the plans a production SQLite file really gets; --analyze measures them with statistics.
    """
    with connection.cursor() as cursor:
        if connection.vendor != "sqlite":
            cursor.execute("ANALYZE")
            return "ANALYZE"
        if analyze:
            cursor.execute("ANALYZE")
            state = "ANALYZE (sqlite_stat1)"
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE %s", ["sqlite_stat%"]
            )
            for (table,) in cursor.fetchall():
                cursor.execute(f"DELETE FROM {table}")
            state = "none (as Anlan leaves a SQLite file)"
    connection.close()  # SQLite reads the statistics when a connection opens
    return state


# ---------------------------------------------------------------- generation


def _org_body(index: int, seed: int) -> str:
    """A unique 8-character organisation-code body for each index: an affine bijection on 31**6 serials."""
    space = 31**6
    value = (index * 7919 + seed * 104729) % space  # 7919 is prime to 31, so no two indexes collide
    chars = []
    for _ in range(6):
        value, digit = divmod(value, 31)
        chars.append(rules.USCC_CHARSET[digit])
    return "MA" + "".join(reversed(chars))


def _regions(rng: random.Random, layout) -> dict[str, list[tuple[Region, Grid | None]]]:
    """Towns and villages (one grid each) per county; returns the places enterprises can be put in."""
    counties = Region.objects.in_bulk([code for code, *_ in layout])
    towns, villages, used = [], [], set()
    for code, *_rest in layout:
        county = counties[code]
        for t in range(TOWNS_PER_COUNTY):
            town = Region(
                code=code[:6] + f"{400 + t:03d}000",
                name=_place_name(rng, used, "镇"),
                level=Region.Level.TOWN,
                parent=county,
                kind="镇",
            )
            towns.append(town)
            for v in range(VILLAGES_PER_TOWN):
                villages.append(
                    Region(
                        code=town.code[:9] + f"{201 + v:03d}",
                        name=_place_name(rng, used, "村"),
                        level=Region.Level.VILLAGE,
                        parent=town,
                        kind="村",
                        urban_rural_code="220",
                    )
                )
    Region.objects.bulk_create(towns, batch_size=BATCH)
    Region.objects.bulk_create(villages, batch_size=BATCH)
    grids = Grid.objects.bulk_create(
        [Grid(region=village, code="G01", name=f"{village.name}第1网格") for village in villages],
        batch_size=BATCH,
    )
    places: dict[str, list[tuple[Region, Grid | None]]] = {code: [] for code, *_ in layout}
    for village, grid in zip(villages, grids, strict=True):
        places[village.code[:6] + "000000"].append((village, grid))
    for town in towns:
        places[town.code[:6] + "000000"].append((town, None))
    return places


def _place_name(rng: random.Random, used: set[str], suffix: str) -> str:
    for _attempt in range(5):
        name = rng.choice(demo.VILLAGE_HEADS) + rng.choice(demo.VILLAGE_TAILS) + suffix
        if name not in used:
            used.add(name)
            return name
    return name  # duplicates of place names in different counties are real


def _users(create: bool = False) -> dict[str, User]:
    if create:
        department = Department.objects.create(
            name=DEPARTMENT_NAME, short_name="住建局", region_id=BENCH_COUNTY, kind=Department.Kind.INDUSTRY
        )
        department.industries.set(Industry.objects.filter(code__in=DEPARTMENT_INDUSTRIES))
        password = make_password(None)  # unusable: the benchmark logs in with force_login
        anchors = {
            "county": {"region_id": BENCH_COUNTY},
            "dept": {"department": department},
            "province": {"region_id": PROVINCE},
        }
        for key, (username, role) in USERS.items():
            user = User.objects.create(username=username, password=password, real_name=username)
            Membership.objects.create(user=user, role=role, title="bench", **anchors[key])
    by_name = {user.username: user for user in User.objects.filter(username__startswith="bench-")}
    return {key: by_name[username] for key, (username, _role) in USERS.items()}


def generate_enterprises(n: int, seed: int = 1, *, layout=COUNTIES, log=print) -> bulk.Load:
    """Insert n enterprises (with regions, grids, users) in batches of 10k; the database must hold no bench rows.

    `layout`: (county code, share of n, centre longitude, latitude) per county. Regions, grids and users go
    through bulk_create; the people, enterprises and their other industries go through bulk.Table (executemany
    of one INSERT with explicit ids on SQLite, about three times faster than bulk_create, whose per-field
    value preparation dominates at this size; COPY on PostgreSQL).
    """
    rng = random.Random(f"bench:{seed}")
    with transaction.atomic():
        places = _regions(rng, layout)
        _users(create=True)
    industries = dict(Industry.objects.values_list("code", "pk"))
    industry_codes = list(demo.INDUSTRY_COUNTS)
    industry_cum = list(accumulate(demo.INDUSTRY_COUNTS.values()))
    county_cum = list(accumulate(share for _c, share, *_ in layout))
    status_values = [str(value) for value in demo.STATUS_WEIGHTS]
    status_cum = list(accumulate(demo.STATUS_WEIGHTS.values()))
    names_by_code = dict(Region.objects.filter(level__lte=Region.Level.COUNTY).values_list("code", "name"))
    scales = (
        [str(Enterprise.Scale.SMALL)] * 4
        + [str(Enterprise.Scale.MICRO)] * 3
        + [str(Enterprise.Scale.MEDIUM)] * 2
        + [str(Enterprise.Scale.INDIVIDUAL)]
    )
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())

    enterprise_table, person_table = bulk.Table(Enterprise), bulk.Table(Person)
    through = Enterprise.other_industries.through
    through_table = bulk.Table(through, exclude=("id",))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {Enterprise._meta.db_table}")
        first_id = (cursor.fetchone()[0] or 0) + 1
        cursor.execute(f"SELECT MAX(id) FROM {Person._meta.db_table}")
        first_person_id = (cursor.fetchone()[0] or 0) + 1
    started = time.perf_counter()
    for start in range(0, n, BATCH):
        rows, extras, people = [], [], []
        for index in range(start, min(start + BATCH, n)):
            county_at = min(bisect(county_cum, rng.random() * county_cum[-1]), len(layout) - 1)
            county_code, _share, lon, lat = layout[county_at]
            region_places = places[county_code]
            if rng.random() < TOWN_LEVEL_SHARE:
                region, grid = rng.choice(region_places[-TOWNS_PER_COUNTY:])
            else:
                region, grid = rng.choice(region_places[:-TOWNS_PER_COUNTY])
            code = industry_codes[bisect(industry_cum, rng.random() * industry_cum[-1])]
            template = rng.choice(demo.NAME_TEMPLATES[code])
            stem = region.name[:-1]
            scale = rng.choice(scales)
            principal = demo.person_name(rng)
            pk = first_id + index
            name = template.format(brand=rng.choice(demo.BRANDS), town=region.name, stem=stem, village=stem)
            values = {
                "id": pk,
                "uscc": rules.make_uscc("9", "1", county_code[:6], _org_body(index, seed)),
                "name": name,
                "name_initials": rules.name_initials(name),  # the INSERT bypasses Enterprise.save()
                "region_id": region.code,
                "grid_id": grid.pk if grid else None,
                "address": f"{names_by_code[county_code]}{region.name}{rng.randint(1, 399)}号",
                "longitude": ops.adapt_decimalfield_value(
                    Decimal(f"{lon + rng.uniform(-0.2, 0.2):.6f}"), 9, 6
                ),
                "latitude": ops.adapt_decimalfield_value(
                    Decimal(f"{lat + rng.uniform(-0.2, 0.2):.6f}"), 8, 6
                ),
                "industry_id": industries[code],
                "scale": scale,
                "employees": rng.randint(1, 8)
                if scale == Enterprise.Scale.INDIVIDUAL
                else rng.randint(5, 600),
                "legal_representative": principal,
                "principal_id": first_person_id + index,
                "principal_phone": demo.phone_number(rng),
                "safety_manager": demo.person_name(rng),
                "safety_manager_phone": demo.phone_number(rng),
                "status": status_values[bisect(status_cum, rng.random() * status_cum[-1])],
                "has_major_hazard_source": code.startswith("hazchem") and rng.random() < 0.4,
                "is_crowded_place": code in ("fire-key", "culture-tourism", "campus") or rng.random() < 0.03,
                "created_at": now,
                "updated_at": now,
            }
            rows.append(enterprise_table.row(values))
            person = {
                "id": first_person_id + index,
                "id_number": demo.id_number(seed, index, county_code[:6]),
                "name": principal,
                "phone": values["principal_phone"],
                "created_at": now,
            }
            people.append(person_table.row(person))
            probability, candidates = demo.OTHER_INDUSTRIES.get(
                code, (0.05, ("special-equipment", "fire-key"))
            )
            if rng.random() < probability:
                extras.append((pk, industries[rng.choice(candidates)]))
        with transaction.atomic(), connection.cursor() as cursor:
            person_table.write(cursor, people)
            enterprise_table.write(cursor, rows)
            through_table.write(cursor, extras)
        done = min(start + BATCH, n)
        if done % 50_000 == 0 or done == n:
            rate = done / (time.perf_counter() - started)
            log(f"  {done:>7} enterprises ({rate:,.0f}/s)")
    with connection.cursor() as cursor:  # PostgreSQL: move the id sequences past the explicit ids
        for statement in ops.sequence_reset_sql(no_style(), [Person, Enterprise, through]):
            cursor.execute(statement)
    return bulk.Load(Enterprise._meta.db_table, n, time.perf_counter() - started)


def enterprise_keys() -> list[tuple[int, str, int, int | None]]:
    """(id, region code, industry id, grid id) of every enterprise: what a record about an enterprise copies.

    500k tuples at the province scale (≈ 100 MiB); the region codes are interned, one string per place.
    """
    intern: dict[str, str] = {}
    return [
        (pk, intern.setdefault(region_id, region_id), industry_id, grid_id)
        for pk, region_id, industry_id, grid_id in Enterprise.objects.values_list(
            "pk", "region_id", "industry_id", "grid_id"
        ).iterator(chunk_size=BATCH)
    ]


def supervisors(enterprises) -> dict[tuple[str, int], int | None]:
    """(county code prefix, industry id) → id of the supervising department (三管三必须) there, or None."""
    from anlan.core.recipients import supervising_department

    departments = {}
    for county, industry_id in {
        (region_id[:6], industry_id) for _pk, region_id, industry_id, _g in enterprises
    }:
        department = supervising_department(county + "000000", industry_id)
        departments[(county, industry_id)] = department.pk if department else None
    return departments
