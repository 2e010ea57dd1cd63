"""The batch page's forms: uploading a trend export with its mapping, and choosing tags and a time range."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, TextAreaField
from wtforms.validators import Length, Optional

from app.platform.errors import ValidationFailed
from app.services.batch.trend_files import Mapping, TagName


class ProcessDataForm(FlaskForm):
    file = FileField(_l("Trend export (CSV or XLSX)"), validators=[FileRequired()])
    time_column = StringField(_l("Time column"), validators=[Optional(), Length(max=100)])
    time_format = StringField(_l("Time format (empty: recognised)"), validators=[Optional(), Length(max=50)])
    timezone = StringField(
        _l("Time zone of the file"), validators=[Optional(), Length(max=50)], default="Asia/Shanghai"
    )
    tags = TextAreaField(
        _l("Tags, one a line: column | name | unit (empty: the vessel's saved mapping)"),
        validators=[Optional(), Length(max=5000)],
    )

    def fill_from(self, mapping: Mapping) -> None:
        """Show a saved mapping in the fields."""
        self.time_column.data, self.time_format.data = mapping.time_column, mapping.time_format or ""
        self.timezone.data = mapping.timezone
        self.tags.data = "\n".join(f"{column} | {t.name} | {t.unit}" for column, t in mapping.tags.items())

    def typed_mapping(self) -> Mapping | None:
        """The mapping typed in, or None when the tag lines are empty (the vessel's saved mapping applies)."""
        lines = [line for line in (self.tags.data or "").splitlines() if line.strip()]
        if not lines:
            return None
        tags = {}
        for number, line in enumerate(lines, start=1):
            parts = [part.strip() for part in line.split("|")]
            if len(parts) not in (2, 3) or not parts[0] or not parts[1]:
                message = f"位号第 {number} 行应为“列 | 名称 | 单位”"
                raise ValidationFailed(message, {"tags": message})
            tags[parts[0]] = TagName(parts[1], parts[2] if len(parts) == 3 else "")
        if not (self.time_column.data or "").strip():
            raise ValidationFailed("请填写时间列", {"time_column": "必填"})
        mapping = Mapping(
            self.time_column.data.strip(),
            tags,
            (self.time_format.data or "").strip() or None,
            (self.timezone.data or "").strip() or "Asia/Shanghai",
        )
        mapping.check()
        return mapping
