"""The reader's forms. They carry the CSRF token and the learner's input; the service checks its meaning
(length, control characters, HTML, Chinese in it) and its errors are shown beside the same fields."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField

from learnapp.reader.texts import TextFields


class ReadForm(FlaskForm):
    text = TextAreaField(
        "Post, comment or caption",
        render_kw={"rows": 8, "lang": "zh-CN", "spellcheck": "false", "autocapitalize": "off"},
    )
    title = StringField("Title (optional)", render_kw={"autocomplete": "off"})
    source_url = StringField(
        "Link to the post (optional)",
        render_kw={"inputmode": "url", "autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"},
    )

    def fields(self) -> TextFields:
        return TextFields(
            body=self.text.data or "", title=self.title.data or "", source_url=self.source_url.data or ""
        )


class WordForm(FlaskForm):
    """Add to my words: where the word is in the text, and the learner's English for its sentence."""

    at = HiddenField()
    n = HiddenField()
    english = StringField(
        "The sentence in English (optional)", render_kw={"autocomplete": "off", "maxlength": 300}
    )


class PublishForm(FlaskForm):
    class_id = SelectField("Publish to a class", coerce=str, validate_choice=False)
