"""The navigation bar: which entries a person sees follows from the permission rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from aioffice.accounts.choices import Role
from aioffice.core.permissions import can_read_audit_trail, is_office_staff

# Whether a signed-in person who is not Office staff takes part in drafting (a chair, a
# working-group member, a signatory): the drafting app registers its check here when it is
# ready, so the foundation does not import it.
DRAFTING_PARTICIPATION: list[Callable[[Any], bool]] = []


def takes_part_in_drafting(user: Any) -> bool:
    return any(check(user) for check in DRAFTING_PARTICIPATION)


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    key: str


def navigation_for(request: HttpRequest) -> list[NavItem]:
    items = [
        NavItem(_("Home"), reverse("portal:home"), "home"),
        NavItem(_("Register of models"), reverse("registry:systemic_risk_models"), "register"),
    ]
    if not request.user.is_authenticated:
        # the public portal; signed-in people reach these pages from the footer
        items.append(NavItem(_("Compliance checker"), reverse("portal:checker"), "checker"))
        items.append(NavItem(_("Guidance"), reverse("portal:guidance_list"), "guidance"))
        items.append(NavItem(_("News"), reverse("portal:news_list"), "news"))
        items.append(NavItem(_("EU database"), reverse("cooperation:database_search"), "database"))
        items.append(NavItem(_("Consultations"), reverse("drafting:public_home"), "drafting"))
        items.append(NavItem(_("Jobs"), reverse("portal:call_list"), "jobs"))
        items.append(NavItem(_("Contact"), reverse("portal:contact"), "contact"))
        return items
    if is_office_staff(request):
        items.append(NavItem(_("Office dashboard"), reverse("core:dashboard"), "dashboard"))
        items.append(
            NavItem(_("Notifications"), reverse("registry:notification_queue"), "notifications")
        )
        items.append(NavItem(_("Models"), reverse("registry:model_list"), "models"))
        items.append(NavItem(_("Deadlines"), reverse("supervision:dashboard"), "deadlines"))
        items.append(
            NavItem(_("Compliance"), reverse("monitoring:office_compliance"), "compliance")
        )
        items.append(NavItem(_("Evaluations"), reverse("evaluations:run_list"), "evaluations"))
        items.append(NavItem(_("Reports"), reverse("supervision:intake_queue"), "reports"))
        items.append(NavItem(_("Cases"), reverse("supervision:case_list"), "cases"))
        items.append(NavItem(_("Cooperation"), reverse("cooperation:staff_home"), "cooperation"))
        items.append(NavItem(_("Drafting"), reverse("drafting:staff_home"), "drafting"))
        items.append(NavItem(_("Portal"), reverse("portal:staff_home"), "portal"))
    elif request.user.has_role(Role.ORGANISATION_MEMBER):
        items.append(NavItem(_("My models"), reverse("registry:model_list"), "models"))
        items.append(
            NavItem(_("Compliance"), reverse("monitoring:provider_compliance"), "compliance")
        )
        items.append(NavItem(_("Deadlines"), reverse("supervision:my_deadlines"), "deadlines"))
        items.append(NavItem(_("My cases"), reverse("supervision:my_cases"), "my_cases"))
        items.append(NavItem(_("My reports"), reverse("supervision:intake_mine"), "reports"))
        items.append(NavItem(_("EU database"), reverse("cooperation:database_mine"), "database"))
    elif request.user.has_role(Role.SCIENTIFIC_PANEL_MEMBER):
        items.append(NavItem(_("My reports"), reverse("supervision:intake_mine"), "reports"))
    elif request.user.has_role(Role.NATIONAL_AUTHORITY_MEMBER):
        items.append(NavItem(_("Shared cases"), reverse("supervision:shared_cases"), "cases"))
        items.append(
            NavItem(_("Cooperation"), reverse("cooperation:authority_home"), "cooperation")
        )
    if not is_office_staff(request) and takes_part_in_drafting(request.user):
        items.append(NavItem(_("Codes and consultations"), reverse("drafting:my_home"), "drafting"))
    if can_read_audit_trail(request):
        items.append(NavItem(_("Audit trail"), reverse("core:audit_list"), "audit"))
    items.append(NavItem(_("My account"), reverse("accounts:account"), "account"))
    return items
