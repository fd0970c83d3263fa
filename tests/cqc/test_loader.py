import copy

import pytest
from django.apps import apps

from cqc.loader import load_reference, read_reference
from cqc.models import AssessmentItem, CoreService, Framework, KeyQuestion, Rating, Regulation

pytestmark = pytest.mark.django_db


def test_reference_data_is_loaded_by_migration():
    assert list(KeyQuestion.objects.values_list("name", flat=True)) == [
        "Safe",
        "Effective",
        "Caring",
        "Responsive",
        "Well-led",
    ]
    assert list(Rating.objects.values_list("code", flat=True)) == [
        "OUTSTANDING",
        "GOOD",
        "REQUIRES_IMPROVEMENT",
        "INADEQUATE",
    ]
    kloes = AssessmentItem.objects.filter(framework__code="KLOE_HC_2017")
    assert kloes.count() == 27
    assert list(kloes.filter(key_question__code="WELL_LED").values_list("code", flat=True)) == [
        f"W{n}" for n in range(1, 9)
    ]
    assert AssessmentItem.objects.filter(framework__code="SAF_2023").count() == 34
    assert Regulation.objects.get(code="RA2014-REG18").title.startswith("Staffing")
    assert CoreService.objects.get(code="MAT_GYN").replaced_by.get().code == "MAT"


def test_the_same_code_means_different_things_in_different_frameworks():
    w3_kloe = AssessmentItem.objects.get(framework__code="KLOE_HC_2017", code="W3")
    assert w3_kloe.question == "Is there a culture of high-quality, sustainable care?"
    assert not AssessmentItem.objects.filter(framework__code="SAF_2023", code="W3").exists()


def test_loading_twice_changes_nothing():
    before = AssessmentItem.objects.count(), Framework.objects.count()
    load_reference(apps.get_model)
    assert (AssessmentItem.objects.count(), Framework.objects.count()) == before


def test_an_item_dropped_from_the_file_is_retired_not_deleted():
    data = copy.deepcopy(read_reference())
    data["kloes"] = [k for k in data["kloes"] if k["code"] != "W8"]
    load_reference(apps.get_model, data)
    w8 = AssessmentItem.objects.get(framework__code="KLOE_HC_2017", code="W8")
    assert w8.retired
    load_reference(apps.get_model)
    w8.refresh_from_db()
    assert not w8.retired
