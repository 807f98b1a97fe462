import pytest


@pytest.fixture(autouse=True)
def _next_years_calendar(request):
    """Deadlines counted from today reach next year in December: give the tests a weekends-only next year."""
    if "db" not in request.fixturenames and "cast" not in request.fixturenames:
        return
    from anlan.emergency.tests.factories_plans import calendar_through_next_year

    request.getfixturevalue("db")
    calendar_through_next_year()
