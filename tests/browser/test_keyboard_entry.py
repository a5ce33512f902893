"""A focal point who uses no mouse: signs in, reaches the period's data-entry page, fills values,
saves them as drafts and submits them with the keyboard alone (Tab, typing, Space, Enter).

At every Tab stop the focused element must show a focus indicator and be in view, with nothing
drawn over it (WCAG 2.1.1 Keyboard, 2.4.7 Focus Visible, 2.4.11 Focus Not Obscured)."""

import re

import pytest
from playwright.sync_api import expect

from monitoring.models import Status, Value
from tests.browser.conftest import es, es_count
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CAMPAIGNS = "SEN-1.1.1-a"  # a count
WORKSHOPS = "SEN-2.1.1-a"  # a count
MOST_TAB_STOPS = 300

# Where the focus is, and whether a person can see it there.
FOCUS = """() => {
  const el = document.activeElement;
  const box = el.getBoundingClientRect();
  const x = Math.min(Math.max(box.left + box.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(box.top + box.height / 2, 0), innerHeight - 1);
  const hit = document.elementFromPoint(x, y);
  const style = getComputedStyle(el);
  return {
    what: `${el.tagName.toLowerCase()} ${el.name || el.textContent.trim().slice(0, 40)}`,
    inView: box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth,
    uncovered: !!hit
      && (hit === el || el.contains(hit) || (hit.tagName === "LABEL" && hit.contains(el))),
    ring: el.matches(":focus-visible") && style.outlineStyle !== "none"
      && parseFloat(style.outlineWidth) >= 2,
  };
}"""


def tab_to(page, target) -> None:
    """Presses Tab until `target` has the focus, checking each stop on the way."""
    for _ in range(MOST_TAB_STOPS):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS)
        if focus["what"].startswith("body"):
            continue  # past the last stop, the browser's own controls: the next Tab wraps
        assert focus["inView"] and focus["uncovered"] and focus["ring"], focus
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{target} not reached in {MOST_TAB_STOPS} Tab stops")


def value_box(page, code):
    row = page.get_by_role("group", name=re.compile(rf"^{re.escape(code)}\b"))
    return row.get_by_role("textbox", name=es("Value"), exact=True)


def test_a_focal_point_fills_saves_and_submits_a_period_with_the_keyboard_alone(
    open_page, django_user_model
):
    make_user("focal-gt", django_user_model.Role.FOCAL_POINT, "GT")
    page = open_page("/es/")

    # The first stop is the link that skips to the content, visible once focused.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name=es("Skip to content"))
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))

    # Sign in.
    tab_to(page, page.get_by_role("link", name=es("Sign in"), exact=True))
    page.keyboard.press("Enter")
    username = page.get_by_label(es("Username"))
    expect(username).to_be_visible()
    tab_to(page, username)
    page.keyboard.type("focal-gt")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name=es("Sign out"))).to_be_visible()

    # The period's page, from the main navigation.
    menu = page.get_by_role("navigation", name=es("Main"))
    tab_to(page, menu.get_by_role("link", name=es("Report values")))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/es/monitoring/entry/GT/2026/$"))

    # Two figures typed, then the "Save as draft" button after the last row, reached by Tab.
    tab_to(page, value_box(page, CAMPAIGNS))
    page.keyboard.type("7")
    tab_to(page, value_box(page, WORKSHOPS))
    page.keyboard.type("2")
    tab_to(page, page.get_by_role("button", name=es("Save as draft")).last)
    page.keyboard.press("Enter")
    saved = es_count("Saved as draft: %(count)s value.", "Saved as draft: %(count)s values.", 2)
    expect(page.get_by_role("status")).to_contain_text(saved)
    page.wait_for_load_state()
    assert statuses() == {CAMPAIGNS: Status.DRAFT, WORKSHOPS: Status.DRAFT}

    # Submitted with Space on the button at the top of the page.
    tab_to(page, page.get_by_role("button", name=es("Save and submit to the secretariat")).first)
    page.keyboard.press("Space")
    submitted = es_count(
        "%(count)s value submitted to the secretariat.",
        "%(count)s values submitted to the secretariat.",
        2,
    )
    expect(page.get_by_role("status")).to_contain_text(submitted)
    assert statuses() == {CAMPAIGNS: Status.SUBMITTED, WORKSHOPS: Status.SUBMITTED}


def statuses() -> dict:
    values = Value.objects.filter(country__code="GT", period__code="2026")
    return dict(values.values_list("indicator__code", "status"))
