"""Reading a fermenter control system's trend export (CSV or XLSX, wide or long) into time series per tag.

Wide: a time column and one column per tag. Long: a time column, a tag column and a value column. Files from
Chinese Windows machines are common: GBK or UTF-8 with or without BOM, ';' or tab separators, decimal commas,
blank cells and a units row under the header. A cell that cannot be read raises `ValidationFailed` naming its
line and column; nothing is returned half-read.
"""

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

from app.platform.errors import ValidationFailed
from app.platform.tables import numbered_rows

TIME_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%Y年%m月%d日 %H:%M:%S")
Cell = str | float | int | datetime | None
Progress = Callable[[float], None]


@dataclass(frozen=True)
class TagName:
    name: str
    unit: str = ""


@dataclass(frozen=True)
class Mapping:
    """Which column holds the time (its format and zone) and which columns are which tags."""

    time_column: str
    tags: dict[str, TagName]
    time_format: str | None = None
    timezone: str = "Asia/Shanghai"
    tag_column: str | None = None  # set for a long file: tags are the values found in this column
    value_column: str | None = None

    def as_json(self) -> dict:
        data = {
            "time_column": self.time_column,
            "timezone": self.timezone,
            "tags": {column: {"name": t.name, "unit": t.unit} for column, t in self.tags.items()},
        }
        optional = {"time_format": self.time_format, "tag_column": self.tag_column, "value_column": self.value_column}
        return data | {key: value for key, value in optional.items() if value}

    @classmethod
    def from_json(cls, data: dict) -> "Mapping":
        """A mapping from its JSON form (as the API takes it); a malformed one raises ValidationFailed."""
        try:
            tags = {
                str(column): TagName(str(t["name"]).strip(), str(t.get("unit") or "").strip())
                for column, t in data["tags"].items()
            }
            mapping = cls(
                str(data["time_column"]),
                tags,
                data.get("time_format") or None,
                data.get("timezone") or "Asia/Shanghai",
                data.get("tag_column") or None,
                data.get("value_column") or None,
            )
        except (KeyError, TypeError, AttributeError):
            raise ValidationFailed(
                "映射格式有误：需要 time_column 和 tags（列 → name、unit）",
                {"mapping": "expected {time_column, tags: {column: {name, unit}}}"},
            ) from None
        mapping.check()
        return mapping

    def check(self) -> None:
        problems = {}
        if not self.tags or any(not t.name for t in self.tags.values()):
            problems["tags"] = "至少映射一个位号，每个位号都要有名称"
        elif len({t.name for t in self.tags.values()}) < len(self.tags):
            problems["tags"] = "位号名称不能重复"
        if bool(self.tag_column) != bool(self.value_column):
            problems["tag_column"] = "长表需要同时给出位号列和数值列"
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            problems["timezone"] = f"未知时区 {self.timezone}"
        if problems:
            raise ValidationFailed("映射有误", problems)


@dataclass
class Series:
    name: str
    unit: str
    times: np.ndarray  # int64 milliseconds since the epoch (UTC), ascending, unique
    values: np.ndarray  # float64


@dataclass
class Trends:
    series: list[Series]
    rows: int
    duplicates: int = 0

    @property
    def start_ms(self) -> int:
        return min(int(s.times[0]) for s in self.series)

    @property
    def end_ms(self) -> int:
        return max(int(s.times[-1]) for s in self.series)


def unreadable(line: int, column: str, problem: str) -> ValidationFailed:
    message = f"第 {line} 行，“{column}”列：{problem}"
    return ValidationFailed(f"文件无法读取（未保存任何数据）：{message}", {"file": message})


def read_table(data: bytes) -> tuple[list[str], Iterator[tuple[int, list[Cell]]]]:
    """The header and the numbered rows (1-based file lines) of an XLSX or a CSV file."""
    numbered = numbered_rows(data)
    first = next(numbered, None)
    if first is None or not any(str(cell or "").strip() for cell in first[1]):
        raise ValidationFailed("文件是空的", {"file": "第 1 行：没有表头"})
    return ["" if cell is None else str(cell).strip() for cell in first[1]], numbered


def number(cell: Cell) -> float | None:
    """A cell as a number (None when blank); decimal commas and thousands separators are understood."""
    if cell is None or isinstance(cell, (int, float)):
        return None if cell is None else float(cell)
    if isinstance(cell, datetime):
        raise ValueError("a date where a number belongs")
    text = cell.strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    if "," in text:
        decimal = "," if "." not in text or text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        text = text.replace(thousands, "").replace(decimal, ".")
    return float(text)


class TimeReader:
    """Reads one file's time cells: the given format, or the first that fits (ISO 8601 and common ones)."""

    def __init__(self, time_format: str | None, zone: str):
        self.format, self.zone, self.guessed = time_format, ZoneInfo(zone), time_format is None

    def millis(self, cell: Cell) -> int:
        moment = cell if isinstance(cell, datetime) else self._parse(str(cell or "").strip())
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.zone)
        return int(moment.astimezone(UTC).timestamp() * 1000)

    def _parse(self, text: str) -> datetime:
        if not text:
            raise ValueError("blank")
        if self.format is not None:
            return datetime.fromisoformat(text) if self.format == "iso" else datetime.strptime(text, self.format)
        for candidate in ("iso", *TIME_FORMATS):
            try:
                moment = datetime.fromisoformat(text) if candidate == "iso" else datetime.strptime(text, candidate)
            except ValueError:
                continue
            self.format = candidate
            return moment
        raise ValueError(text)


def read_trends(
    data: bytes, mapping: Mapping, progress: Progress = lambda fraction: None, limit: int | None = None
) -> Trends:
    """Every mapped tag's points from the file (or its first `limit` rows); the first unreadable cell raises
    ValidationFailed."""
    header, rows = read_table(data)
    if limit is not None:
        rows = itertools.islice(rows, limit)
    wanted = (
        [mapping.time_column, mapping.tag_column, mapping.value_column]
        if mapping.tag_column
        else [mapping.time_column, *mapping.tags]
    )
    missing = [column for column in wanted if column not in header]
    if missing:
        listed = "、".join(f"“{c}”" for c in missing)
        raise ValidationFailed(
            f"文件中没有映射的列 {listed}：请检查映射，或这个文件是否来自另一台设备",
            {"mapping": f"missing columns: {', '.join(missing)}"},
        )
    columns = {name: header.index(name) for name in wanted}
    reader = _LongReader(mapping, columns) if mapping.tag_column else _WideReader(mapping, columns)
    times = TimeReader(mapping.time_format, mapping.timezone)
    count = 0
    for count, (line, row) in enumerate(rows, start=1):
        cells = {name: (row[index] if index < len(row) else None) for name, index in columns.items()}
        if count == 1 and reader.is_units_row(cells, times):
            reader.units = {name: str(cell or "").strip() for name, cell in cells.items()}
            continue
        try:
            moment = times.millis(cells[mapping.time_column])
        except ValueError:
            raise unreadable(
                line,
                mapping.time_column,
                f"无法识别的时间 “{cells[mapping.time_column] or ''}”"
                + (f"（格式 {times.format}）" if times.format else ""),
            ) from None
        reader.add(line, moment, cells)
        if count % 20000 == 0:
            progress(0.5 * min(count / 200000, 1))
    return reader.trends(count)


class _WideReader:
    def __init__(self, mapping: Mapping, columns: dict[str, int]):
        self.mapping, self.units = mapping, {}
        self.times: list[int] = []
        self.values: dict[str, list[float]] = {column: [] for column in mapping.tags}

    def is_units_row(self, cells: dict[str, Cell], times: TimeReader) -> bool:
        """A row under the header whose time cell is no time and whose tag cells are text, not numbers."""
        try:
            times.millis(cells[self.mapping.time_column])
            return False
        except ValueError:
            return all(_not_a_number(cells[column]) for column in self.mapping.tags)

    def add(self, line: int, moment: int, cells: dict[str, Cell]) -> None:
        self.times.append(moment)
        for column, values in self.values.items():
            values.append(_value(line, column, cells[column]))

    def trends(self, rows: int) -> Trends:
        times = np.asarray(self.times, dtype=np.int64)
        found = [
            (
                TagName(tag.name, tag.unit or self.units.get(column, "")),
                times,
                np.asarray(self.values[column], dtype=np.float64),
            )
            for column, tag in self.mapping.tags.items()
        ]
        return _collect(found, rows - bool(self.units))


class _LongReader:
    def __init__(self, mapping: Mapping, columns: dict[str, int]):
        self.mapping, self.units = mapping, {}
        self.points: dict[str, tuple[list[int], list[float]]] = {column: ([], []) for column in mapping.tags}

    def is_units_row(self, cells: dict[str, Cell], times: TimeReader) -> bool:
        return False

    def add(self, line: int, moment: int, cells: dict[str, Cell]) -> None:
        points = self.points.get(str(cells[self.mapping.tag_column] or "").strip())
        if points is not None:
            points[0].append(moment)
            points[1].append(_value(line, self.mapping.value_column, cells[self.mapping.value_column]))

    def trends(self, rows: int) -> Trends:
        found = [
            (
                tag,
                np.asarray(self.points[column][0], dtype=np.int64),
                np.asarray(self.points[column][1], dtype=np.float64),
            )
            for column, tag in self.mapping.tags.items()
        ]
        return _collect(found, rows)


def _not_a_number(cell: Cell) -> bool:
    try:
        return number(cell) is None and cell not in (None, "")
    except ValueError:
        return True


def _value(line: int, column: str, cell: Cell) -> float:
    try:
        value = number(cell)
    except ValueError:
        raise unreadable(line, column, f"无法识别的数值 “{cell}”") from None
    return np.nan if value is None else value


def _collect(found: list[tuple[TagName, np.ndarray, np.ndarray]], rows: int) -> Trends:
    """Blank cells dropped, points in time order, a repeated time keeping the file's last value."""
    series, duplicates = [], 0
    for tag, times, values in found:
        kept = ~np.isnan(values)
        times, values = times[kept], values[kept]
        order = np.argsort(times, kind="stable")
        times, values = times[order], values[order]
        last_of_each = np.append(times[1:] != times[:-1], True)[: len(times)]
        duplicates += int(len(times) - last_of_each.sum())
        series.append(Series(tag.name, tag.unit, times[last_of_each], values[last_of_each]))
    series = [s for s in series if len(s.times)]
    if not series:
        raise ValidationFailed("文件中没有映射位号的数据（未保存任何数据）", {"file": "no values for the mapped tags"})
    return Trends(series, rows, duplicates)
