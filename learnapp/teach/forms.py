"""Teaching forms. They check shape (required, length, choices); the services check meaning (pinyin,
duplicates, permissions) and their errors are shown beside the same fields."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from learnapp.content.entry import CATEGORIES, MAX_LENGTH, MAX_TEXT
from learnapp.forms import TOO_LONG
from learnapp.teach.fields import EDITOR_CARD_KINDS, DeckFields, EntryFields

CARD_KIND_LABELS = {
    "recognize": "Recognize: see the word, recall the meaning",
    "recall": "Recall: see the meaning, produce the word",
    "context": "Context: what does it mean in the example sentence?",
}
VISIBILITY_LABELS = {
    "private": "Private: only you (and admins)",
    "unlisted": "Unlisted: anyone with the link, not in the catalogue",
    "public": "Public: in the catalogue for everyone",
}


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DeckForm(FlaskForm):
    title = StringField(
        "Title",
        validators=[
            InputRequired("Give the deck a title."),
            Length(max=MAX_LENGTH["title"], message=TOO_LONG),
        ],
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
        validators=[
            InputRequired("Enter the word or phrase."),
            Length(max=MAX_LENGTH["headword"], message=TOO_LONG),
        ],
        render_kw={"autocomplete": "off", "lang": "zh-CN"},
    )
    pinyin = StringField(
        "Pinyin",
        validators=[Optional(), Length(max=MAX_LENGTH["pinyin"], message=TOO_LONG)],
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


class ImportForm(FlaskForm):
    file = FileField("File", validators=[FileRequired("Choose a file to import.")])
