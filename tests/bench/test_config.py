"""The knobs of `make bench`, the one place naming the seeding commands and users, and the small
readers of the driver (the rows of an exported workbook, the machine's busy time)."""

import pytest
from openpyxl import Workbook

from bench.config import EXPORTS, PAGES, PROFILES, Config
from bench.exports import csv_rows, xlsx_rows
from bench.machine import TICKS, busy_cpu_seconds


def test_the_defaults_load_the_generated_province_at_eight_clients():
    config = Config.from_env({})
    assert config.profile.name == "scale"
    assert config.profile.seed_arguments("province") == ["seed_scale", "--size", "province", "--if-missing"]
    assert config.profile.users == {
        "staff": "scale_sheng_staff",
        "leader": "scale_leader",
        "admin": "scale_admin",
        "expert": "scale_expert",
        "city": "scale_city_staff",
    }
    assert config.sizes == ("small", "province") and config.load_size == "province"
    assert (config.connections, config.threads, config.workers, config.duration) == (8, 2, 3, "10s")
    assert config.database_url("small") == "postgres://postgres@127.0.0.1:5432/mengtao_bench_small"


def test_a_run_can_be_limited_to_some_pages_and_exports():
    assert Config.from_env({}).pages == PAGES and Config.from_env({}).exports == EXPORTS
    config = Config.from_env({"BENCH_ONLY": "team_list, audit registry_csv"})
    assert [page.key for page in config.pages] == ["team_list", "audit"]
    assert [export.key for export in config.exports] == ["registry_csv"]


def test_the_demo_profile_has_databases_of_its_own():
    config = Config.from_env({"BENCH_DATA": "demo", "BENCH_DATABASE_URL": "postgres://u:p@db:5433/perf_"})
    assert config.profile.seed_arguments("province") == ["seed_demo"]
    assert config.profile.users["staff"] == "sheng_staff" and config.profile.users["city"] == "xian_staff"
    assert config.database_name("province") == "perf_demo_province"
    assert config.database_url("province") == "postgres://u:p@db:5433/perf_demo_province"


def test_the_seeding_command_and_the_users_can_be_named():
    config = Config.from_env({"BENCH_SEED_COMMAND": "seed_other --rows {size}", "BENCH_USERS": "leader=he, admin=root"})
    assert config.profile.seed_arguments("small") == ["seed_other", "--rows", "small"]
    assert config.profile.users == {
        "staff": "scale_sheng_staff",
        "leader": "he",
        "admin": "root",
        "expert": "scale_expert",
        "city": "scale_city_staff",
    }


@pytest.mark.parametrize(
    ("environ", "knob"),
    [
        ({"BENCH_DATA": "huge"}, "BENCH_DATA"),
        ({"BENCH_SIZES": ""}, "BENCH_SIZES"),
        ({"BENCH_SIZES": "small small"}, "BENCH_SIZES"),
        ({"BENCH_SIZES": "Small; DROP"}, "BENCH_SIZES"),
        ({"BENCH_DATABASE_URL": "sqlite:///x"}, "BENCH_DATABASE_URL"),
        ({"BENCH_DURATION": "ten"}, "BENCH_DURATION"),
        ({"BENCH_CONNECTIONS": "0"}, "BENCH_CONNECTIONS"),
        ({"BENCH_CONNECTIONS": "1", "BENCH_THREADS": "2"}, "BENCH_THREADS"),
        ({"BENCH_USERS": "boss=alice"}, "BENCH_USERS"),
        ({"BENCH_ONLY": "team_list nowhere"}, "BENCH_ONLY"),
    ],
)
def test_a_knob_that_cannot_be_right_is_named(environ, knob):
    with pytest.raises(ValueError, match=knob):
        Config.from_env(environ)


def test_every_page_is_loaded_as_a_user_the_profiles_name():
    for profile in PROFILES.values():
        assert {page.role for page in PAGES if page.role} <= set(profile.users)
        assert {export.role for export in EXPORTS if export.role} <= set(profile.users)
    assert [page.key for page in PAGES if page.reference] == ["admin_teams", "signed_in_floor"]


def test_the_registry_and_the_public_notices_are_measured_as_the_public_sees_them():
    pages = {page.key: page for page in PAGES}
    assert {
        key: (pages[key].path, pages[key].public) for key in pages if key.startswith(("registry", "publicity"))
    } == {
        "registry": ("/registry/", True),
        "registry_search": ("/registry/?q=zmt", True),  # pinyin initials: 赵梦桃小组
        "registry_team": ("/registry/teams/{named_team}/", True),
        "publicity_list": ("/publicity/", True),
        "publicity_notice": ("/publicity/{public_notice}/", True),
    }
    exports = {export.key: export for export in EXPORTS}
    assert [(e.path, e.public, e.suffix) for e in (exports["registry"], exports["registry_csv"])] == [
        ("/registry/export.xlsx", True, "xlsx"),
        ("/registry/export.csv", True, "csv"),
    ]
    assert all(
        not export.public and export.suffix == "xlsx" for key, export in exports.items() if "registry" not in key
    )
    assert len(pages) == len(PAGES) and len(exports) == len(EXPORTS)  # keys name one page or export each


@pytest.mark.parametrize("chunk_bytes", [7, 1024 * 1024])
def test_the_rows_of_an_exported_workbook_are_counted_without_its_header(tmp_path, chunk_bytes):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["班组名称", "人数"])
    for number in range(1234):
        sheet.append([f"班组{number}", number])
    workbook.save(tmp_path / "export.xlsx")
    assert xlsx_rows(tmp_path / "export.xlsx", chunk_bytes=chunk_bytes) == 1234


def test_the_rows_of_an_exported_csv_are_its_records_without_its_header(tmp_path):
    file = tmp_path / "export.csv"
    lines = ["证书编号,班组名称,简介", 'MT-2026-0001,赵梦桃小组,"第一行\r\n第二行"', "MT-2026-0002,细纱二车间甲班,"]
    file.write_bytes("\ufeff".encode() + "\r\n".join(lines).encode() + b"\r\n")
    assert csv_rows(file) == 2
    (tmp_path / "empty.csv").write_bytes(b"")
    assert csv_rows(tmp_path / "empty.csv") == 0


def test_the_busy_time_leaves_out_idle_and_waiting():
    stat = "cpu  100 20 30 1000 50 5 5 10 7 0\ncpu0 50 10 15 500 25 2 3 5 0 0\n"
    assert busy_cpu_seconds(stat) == pytest.approx((100 + 20 + 30 + 5 + 5 + 10) / TICKS)
