"""What the netbox-notices plugin hands its templates, for the scripts that render
reference output with Python Jinja2: model instances and the ical_datetime filter."""
import datetime

UTC = datetime.timezone.utc


class Obj:
    """A model instance: attributes, and str() like the Django model's __str__."""
    def __init__(self, text, **attrs):
        self._text = text
        self.__dict__.update(attrs)

    def __str__(self):
        return self._text


class URL(str):
    """Prints as the URL and can be called, like Model.get_absolute_url."""
    def __call__(self):
        return str(self)


def ical_datetime(value):
    """The plugin's filter: UTC YYYYMMDDTHHMMSSZ, "" for none."""
    return "" if value is None else value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
