"""Teaching forms. They check shape (required, length, choices); the services check meaning (pinyin,
duplicates, permissions) and their errors are shown beside the same fields."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from learnapp.content.deckfile import CATEGORIES
from learnapp.teach.classes import DEFAULT_CAPACITY, MAX_CAPACITY, ClassFields
from learnapp.teach.editor import (
    CARD_KIND_LABELS,
    EDITOR_CARD_KINDS,
    MAX_TEXT,
    VISIBILITY_LABELS,
    DeckFields,
    EntryFields,
)

TOO_LONG = "Too long: at most %(max)d characters."


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DeckForm(FlaskForm):
    title = StringField(
        "Title", validators=[InputRequired("Give the deck a title."), Length(max=120, message=TOO_LONG)]
    )
    description = TextAreaField(
        "Description", validators=[Optional(), Length(max=MAX_TEXT, message=TOO_LONG)], render_kw={"rows": 3}
    )
    category = SelectField("Category", choices=[SelectChoice(c, c) for c in CATEGORIES], default="mandarin")
    level = SelectField(
        "Level", choices=[SelectChoice(str(n), str(n)) for n in range(1, 10)], coerce=int, default=1
    )
    visibility = RadioField(
        "Who can see it",
        choices=[SelectChoice(v, label) for v, label in VISIBILITY_LABELS.items()],
        default="private",
    )
    card_kinds = MultiCheckboxField(
        "Cards each entry makes",
        choices=[SelectChoice(k, label) for k, label in CARD_KIND_LABELS.items()],
        default=["recognize", "recall"],
        validators=[InputRequired("Pick at least one kind of card.")],
    )

    def fields(self) -> DeckFields:
        return DeckFields(
            title=self.title.data or "",
            description=self.description.data or "",
            category=self.category.data or "",
            level=self.level.data or 0,
            visibility=self.visibility.data or "",
            card_kinds=tuple(k for k in self.card_kinds.data or [] if k in EDITOR_CARD_KINDS),
        )


class EntryForm(FlaskForm):
    """One entry. Rendered with a prefix ("new", or "e-<key>" when editing) so several can share a page."""

    headword = StringField(
        "Word or phrase",
        validators=[InputRequired("Enter the word or phrase."), Length(max=120, message=TOO_LONG)],
        render_kw={"autocomplete": "off", "lang": "zh-CN"},
    )
    pinyin = StringField(
        "Pinyin",
        validators=[Optional(), Length(max=255, message=TOO_LONG)],
        render_kw={"autocomplete": "off", "lang": "zh-Latn-pinyin", "spellcheck": "false"},
    )
    # The pinyin the preview last filled in: while the field still holds it, a new headword replaces it.
    pinyin_auto = HiddenField()
    meaning = StringField(
        "Meaning",
        validators=[InputRequired("Enter what it means in English."), Length(max=MAX_TEXT, message=TOO_LONG)],
        render_kw={"autocomplete": "off"},
    )
    literal = StringField(
        "Literally",
        validators=[Optional(), Length(max=MAX_TEXT, message=TOO_LONG)],
        render_kw={"autocomplete": "off"},
    )
    notes = TextAreaField(
        "Usage note", validators=[Optional(), Length(max=MAX_TEXT, message=TOO_LONG)], render_kw={"rows": 2}
    )
    example_zh = StringField(
        "Example (Chinese)",
        validators=[Optional(), Length(max=MAX_TEXT, message=TOO_LONG)],
        render_kw={"autocomplete": "off", "lang": "zh-CN"},
    )
    example_pinyin = StringField(
        "Example (pinyin)",
        validators=[Optional(), Length(max=MAX_TEXT, message=TOO_LONG)],
        render_kw={"autocomplete": "off", "lang": "zh-Latn-pinyin", "spellcheck": "false"},
    )
    example_en = StringField(
        "Example (English)",
        validators=[Optional(), Length(max=MAX_TEXT, message=TOO_LONG)],
        render_kw={"autocomplete": "off"},
    )
    tags = StringField(
        "Tags",
        validators=[Optional(), Length(max=MAX_TEXT, message=TOO_LONG)],
        render_kw={"autocomplete": "off"},
    )

    def fields(self) -> EntryFields:
        return EntryFields(
            headword=self.headword.data or "",
            meaning=self.meaning.data or "",
            pinyin=self.pinyin.data or "",
            literal=self.literal.data or "",
            notes=self.notes.data or "",
            example_zh=self.example_zh.data or "",
            example_pinyin=self.example_pinyin.data or "",
            example_en=self.example_en.data or "",
            tags=self.tags.data or "",
        )


class ClassForm(FlaskForm):
    name = StringField(
        "Class name", validators=[InputRequired("Give the class a name."), Length(max=80, message=TOO_LONG)]
    )
    description = TextAreaField(
        "Description", validators=[Optional(), Length(max=2000, message=TOO_LONG)], render_kw={"rows": 3}
    )
    capacity = IntegerField(
        "Places",
        default=DEFAULT_CAPACITY,
        validators=[
            InputRequired("How many learners can join?"),
            NumberRange(1, MAX_CAPACITY, f"Room for 1 to {MAX_CAPACITY} learners."),
        ],
    )

    def fields(self) -> ClassFields:
        return ClassFields(
            name=self.name.data or "",
            description=self.description.data or "",
            capacity=self.capacity.data or 0,
        )


class CodeForm(FlaskForm):
    """A join code or a teacher invite code."""

    code = StringField(
        "Code",
        validators=[InputRequired("Enter the code."), Length(max=40, message="That code is too long.")],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )


class ImportForm(FlaskForm):
    file = FileField("File", validators=[FileRequired("Choose a file to import.")])
