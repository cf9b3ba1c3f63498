"""The backpropagation playground in Chromium: live training, live tweaks, pinned runs, a sweep, a phone layout."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import CHART, assert_healthy, metric, open_app, press_slider, wait_idle

pytestmark = pytest.mark.browser

TARGET = 3000  # far more epochs than the test waits for, so training is still running when it looks
COUNTER = re.compile(rf"Epoch (\d+) of {TARGET}")
ADVANCE_TIMEOUT_MS = 20_000


def epoch(page) -> int:
    match = COUNTER.search(page.inner_text('[data-testid="stMainBlockContainer"]'))
    assert match, "the epoch counter is missing"
    return int(match.group(1))


def wait_for_epoch_above(page, value: int) -> int:
    try:
        page.wait_for_function(
            """([pattern, value]) => {
                const m = document.body.innerText.match(new RegExp(pattern));
                return m && Number(m[1]) > value;
            }""",
            arg=[COUNTER.pattern, value],
            timeout=ADVANCE_TIMEOUT_MS,
        )
    except PlaywrightTimeout:
        text = page.inner_text('[data-testid="stMainBlockContainer"]')
        pytest.fail(f"the epoch counter stayed at {value}; the page shows:\n{text[:3000]}")
    return epoch(page)


def test_training_runs_live_while_a_slider_stays_usable_and_pause_stops_it(page, app_url):
    open_app(page, f"{app_url}/backprop?backprop_epochs={TARGET}")
    page.get_by_role("button", name="Train", exact=True).wait_for(timeout=ADVANCE_TIMEOUT_MS)
    assert_healthy(page)
    assert epoch(page) == 0
    page.get_by_role("button", name="Train", exact=True).click()
    first = wait_for_epoch_above(page, 0)
    later = wait_for_epoch_above(page, first)
    assert later > first

    # The training-point slider is not a training setting: moving it must not restart or stop the run.
    slider = page.get_by_role("slider", name="Training point")
    slider.focus()
    for _ in range(3):
        slider.press("ArrowRight")
    page.wait_for_function(
        """() => document.querySelector('input[type="range"][aria-label="Training point"]')?.value === '3'""",
        timeout=ADVANCE_TIMEOUT_MS,
    )
    moved_at = epoch(page)
    assert moved_at >= later, "the run went on from where it was"
    after_move = wait_for_epoch_above(page, moved_at)
    assert after_move > moved_at

    page.get_by_role("button", name="Pause", exact=True).click()
    wait_idle(page)
    paused = epoch(page)
    page.wait_for_timeout(2000)
    assert epoch(page) == paused
    assert page.get_by_role("button", name="Train", exact=True).is_enabled()
    assert_healthy(page)


def test_step_and_a_bad_layer_string(page, app_url):
    open_app(page, f"{app_url}/backprop")
    page.get_by_role("button", name="Step", exact=True).click(timeout=ADVANCE_TIMEOUT_MS)
    page.wait_for_function("() => /Epoch 1 of 150/.test(document.body.innerText)", timeout=ADVANCE_TIMEOUT_MS)
    open_app(page, f"{app_url}/backprop?backprop_layers=4,x")
    assert page.locator('[data-testid="stAlertContentError"]').filter(has_text="not a whole number").count() == 1
    assert_healthy(page)


def test_phone_layout_has_no_sideways_scroll(browser, app_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    tab = context.new_page()
    try:
        open_app(tab, f"{app_url}/backprop")
        tab.get_by_role("button", name="Train", exact=True).wait_for(timeout=ADVANCE_TIMEOUT_MS)
        assert_healthy(tab)
        overflow = tab.evaluate(
            """() => {
                const main = document.querySelector('[data-testid="stMain"]');
                return main.scrollWidth - main.clientWidth;
            }"""
        )
        assert overflow <= 1
    finally:
        context.close()


LIVE_CHARTS = 4  # decision boundary, network, loss, accuracy


def wait_for_charts(page, n: int) -> None:
    page.wait_for_function(f"() => document.querySelectorAll('{CHART}').length === {n}", timeout=ADVANCE_TIMEOUT_MS)


def main_text(page) -> str:
    return page.inner_text('[data-testid="stMainBlockContainer"]')


def test_a_live_learning_rate_change_keeps_the_run_and_marks_the_curves(page, app_url):
    open_app(page, f"{app_url}/backprop")
    for n in (1, 2, 3):
        page.get_by_role("button", name="Step", exact=True).click(timeout=ADVANCE_TIMEOUT_MS)
        page.wait_for_function(f"() => /Epoch {n} of 150/.test(document.body.innerText)", timeout=ADVANCE_TIMEOUT_MS)
    wait_idle(page)  # the epoch's text and its metrics may arrive in separate messages: read them once all are in
    loss = metric(page, "Training loss")
    press_slider(page, "Learning rate", 1, "ArrowLeft")  # 0.05 -> 0.02
    page.wait_for_function("() => /after epoch 3: learning rate 0.05 → 0.02/.test(document.body.innerText)",
                           timeout=ADVANCE_TIMEOUT_MS)
    wait_idle(page)
    assert "Epoch 3 of 150" in main_text(page), "the run went on: no restart at epoch 0"
    assert metric(page, "Training loss") == loss, "the same weights give the same loss"
    assert "backprop_lr=0.02" in page.url
    assert "New run" not in main_text(page)
    page.get_by_role("button", name="Step", exact=True).click()
    page.wait_for_function("() => /Epoch 4 of 150/.test(document.body.innerText)", timeout=ADVANCE_TIMEOUT_MS)
    assert_healthy(page)


def test_pinned_runs_are_compared_then_cleared(page, app_url):
    open_app(page, f"{app_url}/backprop?backprop_samples=200")
    page.get_by_role("button", name="Step", exact=True).click(timeout=ADVANCE_TIMEOUT_MS)
    wait_idle(page)
    page.get_by_role("button", name="Pin this run").click()
    page.get_by_role("button", name=re.compile("^Unpin ")).first.wait_for(timeout=ADVANCE_TIMEOUT_MS)
    page.get_by_role("button", name="Step", exact=True).click()
    wait_idle(page)
    page.get_by_role("button", name="Pin this run").click()
    page.wait_for_function("() => [...document.querySelectorAll('button')].filter("
                           "b => b.innerText.includes('Unpin ')).length === 2", timeout=ADVANCE_TIMEOUT_MS)
    wait_idle(page)
    wait_for_charts(page, LIVE_CHARTS + 2)  # and the overlaid loss and accuracy curves
    assert "pinned" not in page.url
    page.get_by_role("button", name="Clear pinned runs").click()
    page.get_by_role("button", name=re.compile("^Unpin ")).first.wait_for(state="detached", timeout=ADVANCE_TIMEOUT_MS)
    assert_healthy(page)


def test_a_sweep_shows_progress_then_its_charts(page, app_url):
    open_app(page, f"{app_url}/backprop?backprop_samples=200&backprop_epochs=30&backprop_sweep_points=4"
                   "&backprop_sweep_seeds=2")
    page.get_by_role("button", name="Run the sweep").click(timeout=ADVANCE_TIMEOUT_MS)
    page.get_by_text("Points: mean over seeds").wait_for(timeout=60_000)
    wait_idle(page)
    wait_for_charts(page, LIVE_CHARTS + 2)  # and the final loss and accuracy against the learning rate
    assert "ran out of its time budget" not in main_text(page)
    assert_healthy(page)


def test_downloads_are_built_on_the_click_and_describe_the_run(page, app_url):
    open_app(page, f"{app_url}/backprop?backprop_epochs=5")
    page.get_by_role("button", name="Step", exact=True).click()
    wait_idle(page)
    assert_healthy(page)
    with page.expect_download(timeout=ADVANCE_TIMEOUT_MS) as weights:
        page.get_by_role("button", name="Weights (JSON)").click()
    exported = json.loads(Path(weights.value.path()).read_text())
    assert exported["epochs_trained"] == 1 and exported["layer_sizes"][0] == 2
    assert exported["live_changes"] == []
    press_slider(page, "Learning rate", 1, "ArrowLeft")  # a live change at the same epoch: 0.05 → 0.02
    wait_idle(page)
    with page.expect_download(timeout=ADVANCE_TIMEOUT_MS) as weights:
        page.get_by_role("button", name="Weights (JSON)").click()
    exported = json.loads(Path(weights.value.path()).read_text())
    assert exported["live_changes"] == [{"after_epoch": 1, "setting": "learning_rate", "value": 0.02}], exported
    with page.expect_download(timeout=ADVANCE_TIMEOUT_MS) as history:
        page.get_by_role("button", name="History (CSV)").click()
    rows = Path(history.value.path()).read_text().strip().splitlines()
    assert len(rows) == 3, rows  # header, epoch 0, epoch 1
    with page.expect_download(timeout=ADVANCE_TIMEOUT_MS) as script:
        page.get_by_role("button", name="Standalone script (numpy)").click()
    compile(Path(script.value.path()).read_text(), "backprop_run.py", "exec")
