"""The lookup for callers (``access.caller_dossiers``): a 1022 operator finds any dossier,
other staff only those they may see, a switched-off operator and the public nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from motcua.dossiers.access import caller_dossiers, dossier_for_user
from motcua.org.models import Membership

pytestmark = pytest.mark.django_db


def test_an_operator_finds_any_dossier_but_does_not_open_it(operator_ha, received):
    dossier = received()
    assert list(caller_dossiers(operator_ha).filter(pk=dossier.pk)) == [dossier]
    with pytest.raises(Http404):
        dossier_for_user(operator_ha, dossier.code)


def test_other_staff_find_only_the_dossiers_they_may_see(received, clerk_binh, police_officer):
    dossier = received()  # Justice's, received at the centre by Bình
    assert caller_dossiers(clerk_binh).filter(pk=dossier.pk).exists()
    assert not caller_dossiers(police_officer).filter(pk=dossier.pk).exists()


def test_a_switched_off_operator_and_the_public_find_nothing(operator_ha, received):
    received()
    Membership.objects.filter(user=operator_ha).update(active=False)
    assert not caller_dossiers(operator_ha).exists()
    assert not caller_dossiers(AnonymousUser()).exists()
