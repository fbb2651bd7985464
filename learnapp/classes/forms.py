"""The class form: shape only (required, length, range); the service checks the rest."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from learnapp.classes.service import DEFAULT_CAPACITY, MAX_CAPACITY, ClassFields
from learnapp.forms import TOO_LONG


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
