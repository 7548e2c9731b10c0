"""Bad input on the pages of the four registry parts (documentation, Code of Practice,
watch-list, monitoring): ids beyond the database's integers, odd dates and pages, NUL
bytes. Every principal gets a 4xx or a redirect, never a 500."""

import pytest

from aioffice.core.testing import ALL_PRINCIPALS, principal

HUGE = "99999999999999999999999"
URLS = [
    f"/documentation/versions/{HUGE}/",
    f"/documentation/versions/{HUGE}/annex_xii/edit/",
    f"/documentation/versions/{HUGE}/annex-xii-request/",
    f"/documentation/submissions/{HUGE}/",
    f"/documentation/attachments/{HUGE}/",
    f"/registers/training-summaries/{HUGE}/",
    f"/registers/training-summaries/files/{HUGE}/",
    f"/documentation/requests/{HUGE}/",
    "/documentation/requests/?page=" + HUGE,
    f"/code-of-practice/signatures/{HUGE}/withdraw/",
    "/code-of-practice/deadlines/?on=99999-01-01&page=x",
    "/code-of-practice/deadlines/?on=0001-01-01",
    "/code-of-practice/deadlines/?on=9999-12-31",
    f"/code-of-practice/versions/{HUGE}/model-reports/submit/",
    f"/code-of-practice/frameworks/{HUGE}/document",
    f"/code-of-practice/model-reports/{HUGE}/document",
    "/registers/code-of-practice-signatories/?chapter=\x00&page=-1",
    f"/office/watchlist/imports/{HUGE}/",
    f"/office/watchlist/imports/{HUGE}/file",
    f"/office/watchlist/?import={HUGE}&page=abc",
    f"/office/watchlist.csv?import={HUGE}",
    f"/registry/versions/{HUGE}/compliance/",
    f"/registry/compliance/?provider={HUGE}",
    f"/office/compliance/?provider={HUGE}",
    f"/office/compliance.csv?provider={HUGE}&systemic_risk=%00",
]


@pytest.mark.django_db
@pytest.mark.parametrize("who", list(ALL_PRINCIPALS))
def test_no_500_on_bad_input(who: str) -> None:
    p = principal(who)
    p.client.raise_request_exception = False
    bad = []
    for url in URLS:
        r = p.client.get(url)
        if r.status_code >= 500:
            bad.append((url, r.status_code))
    for url in [
        f"/office/watchlist/matches/{HUGE}/confirm/",
        f"/office/watchlist/imports/{HUGE}/match/",
        f"/documentation/submissions/{HUGE}/submit/",
    ]:
        r = p.client.post(url, {})
        if r.status_code >= 500:
            bad.append((url, r.status_code))
    assert not bad
