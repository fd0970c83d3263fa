from django import forms

from .plan_import.readers import MAX_ROWS, MAX_UPLOAD_BYTES


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label="Plan file",
        help_text=f"An Excel workbook (.xlsx) or a CSV file laid out like the template, at most "
        f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB and {MAX_ROWS:,} rows. Nothing changes until "
        "you have seen the check and pressed Import.",
        error_messages={
            "required": "Choose the plan file to upload",
            "empty": "The file is empty: fill in the template and upload it again",
        },
    )
    create_isgs = forms.BooleanField(
        label="Create new ISGs",
        required=False,
        help_text="Tick to add any ISG the file names that the programme does not have yet. "
        "Leave it clear to be told about misspelt ISG names instead.",
    )
    original_baseline = forms.BooleanField(
        label="This is the original baseline",
        required=False,
        help_text="Tick only if this file is the plan as first agreed and corrects baseline due "
        "dates. After set-up, dates move only through change control.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is "
                f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB"
            )
        return upload
