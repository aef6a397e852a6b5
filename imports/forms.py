from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from core import spreadsheets as sheets

from .base import Importer


class UploadForm(forms.Form):
    """The file of one import; refused at once when it is not a usable spreadsheet."""

    file = forms.FileField(widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv"}))

    def __init__(self, *args: Any, importer: Importer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["file"]
        field.label = importer.upload_label
        field.help_text = importer.upload_help
        field.widget.attrs["class"] = "form-control"

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        try:
            sheets.check_upload(upload, name=upload.name or "")
        except sheets.SpreadsheetError as exc:
            raise forms.ValidationError(str(exc), code="unreadable") from exc
        upload.seek(0)
        return upload
