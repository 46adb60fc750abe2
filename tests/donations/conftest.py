"""Fixtures shared by the giving tests."""

import pytest


@pytest.fixture
def wakaf(prodi_x):
    """An open endowment campaign of prodi X, whose institution's receipts read UUC/KW/<year>/<number>."""
    from .test_giving import make_campaign

    institution = prodi_x.faculty.institution
    institution.short_name = "UUC"
    institution.save()
    return make_campaign(prodi_x)
