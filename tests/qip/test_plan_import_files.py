"""Bad files get a clear message and change nothing; exports never carry live formulas."""

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from findings.models import Finding
from qip.plan_import import export
from qip.plan_import.columns import HEADERS
from qip.plan_import.engine import check_file, import_file
from qip.plan_import.readers import MAX_ROWS
from qip.plan_import.report import Options
from rootcauses.models import RootCause

from .plan_files import csv_bytes, row, xlsx_bytes

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 200
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + b"0" * 200


def attempt(programme, pmo, name, content):
    report = import_file(
        programme=programme, name=name, stream=io.BytesIO(content), options=Options(), by=pmo
    )
    assert not report.ok
    assert not RootCause.objects.exists() and not Finding.objects.exists()
    assert not programme.isgs.exists()
    return [str(p) for p in report.problems]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("plan.xlsx", PNG, "'plan.xlsx' is not an Excel workbook: it looks like a PNG image"),
        ("plan.xlsx", PDF, "'plan.xlsx' is not an Excel workbook: it looks like a PDF document"),
        ("plan.csv", PDF, "'plan.csv' is not a CSV file: it looks like a PDF document"),
        ("plan.csv", PNG, "'plan.csv' is not a CSV file: it looks like a PNG image"),
        ("plan.pdf", PDF, "'plan.pdf' is not a spreadsheet the import reads"),
        ("plan.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "'plan.xls' is a .xls file"),
        ("plan.xlsx", b"PK\x03\x04 not really a zip", "is not an Excel workbook"),
    ],
)
def test_not_a_spreadsheet(programme, pmo, name, content, expected):
    (message,) = attempt(programme, pmo, name, content)
    assert expected in message


def test_a_zip_that_is_not_a_workbook(programme, pmo):
    out = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hello")
    (message,) = attempt(programme, pmo, "plan.xlsx", out.getvalue())
    assert "could not be opened as an Excel workbook" in message


@pytest.mark.parametrize(
    "content", [b"", b"   \n", b"\xef\xbb\xbf\r\n\r\n", csv_bytes([], headers=[""] * 3)]
)
def test_an_empty_file(programme, pmo, content):
    (message,) = attempt(programme, pmo, "plan.csv", content)
    assert message == "The file is empty: fill in the template and upload it again."


def test_column_names_without_rows(programme, pmo):
    (message,) = attempt(programme, pmo, "plan.csv", csv_bytes([]))
    assert "no rows of plan under them" in message
    (message,) = attempt(programme, pmo, "plan.xlsx", export.template("xlsx"))
    assert "no rows of plan under them" in message


def test_missing_columns_are_named(programme, pmo):
    headers = list(HEADERS)
    headers[headers.index("Owner email")] = "Owner e-mail address"
    headers.remove("Baseline due date")
    content = csv_bytes([], headers=headers) + b"a,b,c\n"
    (message,) = attempt(programme, pmo, "plan.csv", content)
    assert message.startswith(
        "These columns are missing: 'Owner email' (is 'Owner e-mail address' meant to be it?), 'Baseline due date'."
    )


def test_a_different_spreadsheet_is_refused(programme, pmo):
    content = b"Name,Ward,Shift\nAmara,Delivery suite,Night\n"
    (message,) = attempt(programme, pmo, "rota.csv", content)
    assert message.startswith("No row of column names was found at the top of the file.")


def test_duplicate_columns_are_named(programme, pmo):
    content = csv_bytes([], headers=[*HEADERS, "Status"]) + b"x\n"
    (message,) = attempt(programme, pmo, "plan.csv", content)
    assert "These columns appear more than once: 'Status'." in message


def test_extra_columns_are_ignored_and_reported(programme, pmo):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*HEADERS, "Notes"])
    writer.writerow([row()[key] for key in row()] + ["anything"])
    report = import_file(
        programme=programme,
        name="plan.csv",
        stream=io.BytesIO(buffer.getvalue().encode()),
        options=Options(),
        by=pmo,
    )
    assert report.ok and report.ignored_columns == ["Notes"]


def test_the_header_may_sit_under_a_title(programme, pmo):
    content = b"Quality improvement plan,,\n\n" + csv_bytes([row()])
    report = import_file(
        programme=programme, name="plan.csv", stream=io.BytesIO(content), options=Options(), by=pmo
    )
    assert report.ok
    assert report.rows[0].row == 4  # the spreadsheet's own row number


def test_fifty_thousand_rows_are_refused_without_reading_them_all(programme, pmo):
    # The row limit is checked before any cell is: short rows keep the file under 10 MB.
    line = "Women's and Children's,WC-MD-01,Must Do\n"
    content = (",".join(HEADERS) + "\n" + line * 50_000).encode()
    assert len(content) < 10 * 1024 * 1024
    (message,) = attempt(programme, pmo, "plan.csv", content)
    assert message.startswith(f"The file has more than {MAX_ROWS:,} rows of plan")


def test_fifty_thousand_rows_in_a_workbook_are_refused(programme, pmo):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Plan")
    sheet.append(HEADERS)
    for n in range(50_000):
        sheet.append(["Women's and Children's", f"F-{n}"])
    out = io.BytesIO()
    workbook.save(out)
    (message,) = attempt(programme, pmo, "plan.xlsx", out.getvalue())
    assert "more than 5,000 rows" in message


def test_a_file_over_the_size_limit(programme, pmo):
    content = b"x" * (10 * 1024 * 1024 + 1)
    (message,) = attempt(programme, pmo, "plan.csv", content)
    assert "larger than 10 MB" in message


def test_a_formula_is_refused_naming_the_cell(programme, pmo):
    content = xlsx_bytes([row(), row(root_cause_reference="RC-2")], raw_cells={"Q3": "=A1&B1"})
    (message,) = attempt(programme, pmo, "plan.xlsx", content)
    assert message.startswith("Cell Q3 holds a formula (=A1&B1).")


def test_unknown_isg_spellings_change_nothing(programme, pmo, isg):
    report = check_file(
        programme=programme,
        name="plan.csv",
        stream=io.BytesIO(csv_bytes([row(isg="Woman and Child")])),
        options=Options(),
        by=pmo,
    )
    assert "'Woman and Child' matches none of this programme's ISGs" in str(report.problems[0])
    assert programme.isgs.count() == 1


class TestExportNeverWritesLiveFormulas:
    @pytest.fixture
    def plan(self, programme, pmo):
        rows = [
            row(finding_text='=HYPERLINK("http://example.com","click")'),
            row(
                root_cause_reference="RC-2",
                finding_text="",
                root_cause_description="- a bullet point",
            ),
            row(root_cause_reference="RC-3", finding_text="", root_cause_description="+44 line"),
            row(root_cause_reference="RC-4", finding_text="", root_cause_description="@team"),
        ]
        report = import_file(
            programme=programme,
            name="plan.xlsx",
            stream=io.BytesIO(xlsx_bytes(rows)),
            options=Options(),
            by=pmo,
        )
        assert report.ok
        return programme

    def test_xlsx(self, plan):
        sheet = load_workbook(io.BytesIO(export.export_plan(plan, "xlsx")))["Plan"]
        cells = [cell for line in sheet.iter_rows() for cell in line]
        assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
        assert sheet["D2"].value == '=HYPERLINK("http://example.com","click")'

    def test_csv(self, plan):
        text = export.export_plan(plan, "csv").decode("utf-8-sig")
        cells = [cell for line in csv.reader(io.StringIO(text)) for cell in line]
        assert '\'=HYPERLINK("http://example.com","click")' in cells
        assert "'- a bullet point" in cells and "'+44 line" in cells and "'@team" in cells
        assert not [c for c in cells if c[:1] in ("=", "+", "@") or c.startswith("- ")]

    def test_both_import_back_as_the_same_text(self, plan, pmo):
        for fmt in ("xlsx", "csv"):
            report = import_file(
                programme=plan,
                name=f"again.{fmt}",
                stream=io.BytesIO(export.export_plan(plan, fmt)),
                options=Options(),
                by=pmo,
            )
            assert report.ok and report.totals()["root_causes_unchanged"] == 4


def test_the_template_documents_every_column(programme):
    workbook = load_workbook(io.BytesIO(export.template("xlsx")))
    assert [c.value for c in workbook["Plan"][1]] == HEADERS
    guide = [[c.value for c in line] for line in workbook["Columns"].iter_rows(min_row=2)]
    assert [line[0] for line in guide] == HEADERS
    assert all(line[2] for line in guide)
    assert export.template("csv").decode("utf-8-sig").strip() == ",".join(HEADERS)
