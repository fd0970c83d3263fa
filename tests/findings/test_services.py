import pytest
from django.core.exceptions import ValidationError

from cqc.models import FindingSource, KeyQuestion, Regulation
from findings import services
from findings.models import Finding

pytestmark = pytest.mark.django_db


@pytest.fixture
def source():
    return FindingSource.objects.get(code="INSPECTION_REPORT")


def test_finding_create_is_audited(programme, isg, pmo, source):
    finding = services.finding_create(
        by=pmo,
        programme=programme,
        isg=isg,
        reference=" WC-MD-09 ",
        finding_type="MUST_DO",
        text="The trust must …",
        source=source,
        regulation=Regulation.objects.get(code="RA2014-REG12"),
        key_questions=KeyQuestion.objects.filter(code="SAFE"),
        reason="Imported from plan.xlsx",
    )
    assert finding.reference == "WC-MD-09"
    record = finding.history.earliest()
    assert (record.history_user, record.history_change_reason) == (pmo, "Imported from plan.xlsx")
    assert [kq.code for kq in finding.key_questions.all()] == ["SAFE"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"reference": ""}, "reference"),
        ({"reference": "X" * 41}, "reference"),
        ({"finding_type": "COULD_DO"}, "finding_type"),
        ({"text": " "}, "text"),
        ({"regulation": None}, "regulation"),
    ],
)
def test_finding_create_validates(programme, isg, pmo, source, fields, field):
    kwargs = {
        "by": pmo,
        "programme": programme,
        "isg": isg,
        "reference": "WC-MD-09",
        "finding_type": "MUST_DO",
        "text": "The trust must …",
        "source": source,
        "regulation": Regulation.objects.get(code="RA2014-REG12"),
        **fields,
    }
    with pytest.raises(ValidationError) as error:
        services.finding_create(**kwargs)
    assert field in error.value.message_dict
    assert not Finding.objects.exists()


def test_references_are_unique_regardless_of_case(finding, pmo, source, isg):
    with pytest.raises(ValidationError, match="already has a finding"):
        services.finding_create(
            by=pmo,
            programme=finding.programme,
            isg=isg,
            reference="wc-md-07",
            finding_type="SHOULD_DO",
            text="x",
            source=source,
        )


def test_finding_update_changes_only_what_is_given(finding, pmo, other_isg):
    services.finding_update(by=pmo, finding=finding, finding_type="SHOULD_DO", isg=other_isg)
    finding.refresh_from_db()
    assert (finding.finding_type, finding.isg) == ("SHOULD_DO", other_isg)
    with pytest.raises(TypeError):
        services.finding_update(by=pmo, finding=finding, reference="NEW")
