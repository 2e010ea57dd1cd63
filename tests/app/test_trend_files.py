"""Control-system exports in the shapes real plants produce are read into the right points, or refused with a
message naming the line and the column."""

import io
from datetime import UTC, datetime

import pytest
from openpyxl import Workbook

from app.platform.errors import ValidationFailed
from app.services.batch.trend_files import Mapping, TagName, read_trends

WIDE = Mapping("时间", {"温度": TagName("temperature", "°C"), "pH": TagName("pH", "")})
LONG = Mapping("Time", {"TIC101.PV": TagName("temperature", "°C")}, tag_column="Tag", value_column="Value")


def ms(text: str, offset_h: int = 8) -> int:
    """Milliseconds of a plant-local wall time (UTC+8 unless told)."""
    local = datetime.fromisoformat(text)
    return int((local.replace(tzinfo=UTC).timestamp() - offset_h * 3600) * 1000)


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


T0, T1, T2 = "2026-03-01 08:00:00", "2026-03-01 08:00:10", "2026-03-01 08:00:20"
# (what the file is, its bytes, the mapping, the points expected per tag)
READABLE = [
    (
        "UTF-8 without BOM, commas",
        "时间,温度,pH\n2026-03-01 08:00:00,36.5,7.01\n2026-03-01 08:00:10,36.6,7.02\n".encode(),
        WIDE,
        {"temperature": [(T0, 36.5), (T1, 36.6)], "pH": [(T0, 7.01), (T1, 7.02)]},
    ),
    (
        "UTF-8 with BOM, CRLF",
        "\ufeff时间,温度,pH\r\n2026-03-01 08:00:00,36.5,7.01\r\n".encode(),
        WIDE,
        {"temperature": [(T0, 36.5)], "pH": [(T0, 7.01)]},
    ),
    (
        "GBK from a Chinese Windows machine, semicolons and decimal commas",
        "时间;温度;pH\r\n2026/03/01 08:00:00;36,5;7,01\r\n2026/03/01 08:00:10;36,6;7,02\r\n".encode("gbk"),
        WIDE,
        {"temperature": [(T0, 36.5), (T1, 36.6)], "pH": [(T0, 7.01), (T1, 7.02)]},
    ),
    (
        "tab separated with a units row under the header",
        "时间\t温度\tpH\n\t°C\t-\n2026-03-01 08:00:00\t36.5\t7.01\n".encode(),
        Mapping("时间", {"温度": TagName("temperature"), "pH": TagName("pH")}),
        {"temperature": [(T0, 36.5)], "pH": [(T0, 7.01)]},
    ),
    (
        "blank cells are gaps, not zeros",
        "时间,温度,pH\n2026-03-01 08:00:00,,7.01\n2026-03-01 08:00:10,36.6,\n".encode(),
        WIDE,
        {"temperature": [(T1, 36.6)], "pH": [(T0, 7.01)]},
    ),
    (
        "a repeated time keeps the file's last value, times come out in order",
        (
            "时间,温度,pH\n2026-03-01 08:00:10,36.6,7.02\n2026-03-01 08:00:00,36.5,7.01\n"
            "2026-03-01 08:00:10,36.7,7.03\n"
        ).encode(),
        WIDE,
        {"temperature": [(T0, 36.5), (T1, 36.7)], "pH": [(T0, 7.01), (T1, 7.03)]},
    ),
    (
        "quoted decimal commas in a comma-separated file",
        '时间,温度,pH\n2026-03-01 08:00:00,"36,5","7,01"\n'.encode(),
        WIDE,
        {"temperature": [(T0, 36.5)], "pH": [(T0, 7.01)]},
    ),
    (
        "times with their own offset are not shifted again",
        "时间,温度,pH\n2026-03-01T00:00:00+00:00,36.5,7.01\n".encode(),
        WIDE,
        {"temperature": [(T0, 36.5)], "pH": [(T0, 7.01)]},
    ),
    (
        "long format: time, tag, value; other tags ignored",
        b"Time,Tag,Value\n2026-03-01 08:00:00,TIC101.PV,36.5\n2026-03-01 08:00:00,AIC102.PV,7.0\n"
        b"2026-03-01 08:00:20,TIC101.PV,36.8\n",
        LONG,
        {"temperature": [(T0, 36.5), (T2, 36.8)]},
    ),
    (
        "XLSX with real datetimes and numbers",
        xlsx([["时间", "温度", "pH"], [datetime(2026, 3, 1, 8), 36.5, 7.01]]),
        WIDE,
        {"temperature": [(T0, 36.5)], "pH": [(T0, 7.01)]},
    ),
]


@pytest.mark.parametrize("what, data, mapping, expected", READABLE, ids=[case[0] for case in READABLE])
def test_a_readable_export_gives_each_tag_its_points(what, data, mapping, expected):
    trends = read_trends(data, mapping)
    found = {s.name: list(zip(s.times.tolist(), s.values.tolist(), strict=True)) for s in trends.series}
    assert found == {tag: [(ms(t), pytest.approx(v)) for t, v in points] for tag, points in expected.items()}


def test_a_units_row_gives_the_units_the_mapping_left_blank():
    data = "时间\t温度\tpH\n\t°C\t-\n2026-03-01 08:00:00\t36.5\t7.01\n".encode()
    trends = read_trends(data, Mapping("时间", {"温度": TagName("temperature"), "pH": TagName("pH", "pH")}))
    assert [(s.name, s.unit) for s in trends.series] == [("temperature", "°C"), ("pH", "pH")]
    assert trends.rows == 1


def test_local_times_are_read_in_the_mapping_s_time_zone():
    data = "时间,温度,pH\n2026-03-01 08:00:00,36.5,7.0\n".encode()
    utc = Mapping("时间", WIDE.tags, timezone="UTC")
    assert read_trends(data, utc).series[0].times.tolist() == [ms(T0, offset_h=0)]


def test_a_given_time_format_is_used():
    data = "时间,温度,pH\n01.03.2026 08:00,36.5,7.0\n".encode()
    mapping = Mapping("时间", WIDE.tags, time_format="%d.%m.%Y %H:%M")
    assert read_trends(data, mapping).series[0].times.tolist() == [ms(T0)]


# (what is wrong, the file, the mapping, words the message must contain)
UNREADABLE = [
    (
        "a value that is no number",
        "时间,温度,pH\n2026-03-01 08:00:00,36.5,7.0\n2026-03-01 08:00:10,abc,7.0\n",
        WIDE,
        ["第 3 行", "“温度”列", "abc"],
    ),
    (
        "a time that is no time",
        "时间,温度,pH\n2026-03-01 08:00:00,36.5,7.0\nlater,36.5,7.0\n",
        WIDE,
        ["第 3 行", "“时间”列", "later"],
    ),
    (
        "a file from another vessel: its columns are not the mapped ones",
        "时间,TIC201,AIC202\n2026-03-01 08:00:00,1,2\n",
        WIDE,
        ["温度", "另一台设备"],
    ),
    ("an empty file", "", WIDE, ["空"]),
    ("no values at all for the mapped tags", "时间,温度,pH\n2026-03-01 08:00:00,,\n", WIDE, ["没有"]),
]


@pytest.mark.parametrize("what, text, mapping, words", UNREADABLE, ids=[case[0] for case in UNREADABLE])
def test_an_unreadable_export_is_refused_with_a_message_that_says_where(what, text, mapping, words):
    with pytest.raises(ValidationFailed) as refused:
        read_trends(text.encode(), mapping)
    for word in words:
        assert word in refused.value.message


def test_bytes_that_are_neither_text_nor_a_workbook_are_refused():
    with pytest.raises(ValidationFailed, match="XLSX"):
        read_trends(b"PK\x03\x04 not really a zip", WIDE)


@pytest.mark.parametrize(
    "mapping, field",
    [
        ({"time_column": "t"}, "mapping"),
        ({"time_column": "t", "tags": {}}, "tags"),
        ({"time_column": "t", "tags": {"a": {"name": "x"}, "b": {"name": "x"}}}, "tags"),
        ({"time_column": "t", "tags": {"a": {"name": "x"}}, "timezone": "Mars/Olympus"}, "timezone"),
        ({"time_column": "t", "tags": {"a": {"name": "x"}}, "tag_column": "tag"}, "tag_column"),
    ],
)
def test_a_malformed_mapping_is_refused_naming_the_field(mapping, field):
    with pytest.raises(ValidationFailed) as refused:
        Mapping.from_json(mapping)
    assert field in refused.value.fields


def test_a_mapping_survives_its_json_form():
    assert Mapping.from_json(LONG.as_json()) == LONG
