"""The derivatives page's notebook downloaded from a real server in Chromium, after x₀ moved in the page's
fragment: the file is the notebook for the settings the page shows, and run in a kernel it prints the page's
numbers."""

from __future__ import annotations

import urllib.parse

import nbformat
import pytest

from calc_core import notebooks
from tests.browser.conftest import CHROMIUM_ARGS, _require_browser, metric, open_app, press_slider, wait_idle
from tests.notebooks.kernel import execute
from tests.notebooks.test_execute import close, derivative_page_numbers


@pytest.fixture(scope="module")
def chromium():
    path = _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def test_downloaded_notebook_follows_the_page(server_url, chromium, tmp_path):
    query = {"deriv_f": "sin(x)", "deriv_x0": "0.5", "deriv_dx": "0.01", "deriv_scheme": "central"}
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    try:
        tab = context.new_page()
        open_app(tab, f"{server_url}/derivatives?{urllib.parse.urlencode(query)}")
        press_slider(tab, "Point x₀", 4)  # 0.5 + 4 × 0.05 = 0.7: a fragment rerun, not a page rerun
        wait_idle(tab)
        assert metric(tab, "f(x₀)") == "0.644218"  # sin(0.7), as the page shows it
        with tab.expect_download(timeout=60_000) as download:
            tab.get_by_role("button", name="Notebook (.ipynb)").click()
        assert download.value.suggested_filename == "derivatives.ipynb"
        path = tmp_path / "derivatives.ipynb"
        download.value.save_as(path)
    finally:
        context.close()
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    source = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "code")
    assert "f_text = 'sin(x)'" in source and "x0 = 0.7" in source and "scheme = 'central'" in source
    printed, text = execute(nb)
    link = {"f": "sin(x)", "x_range": (-1.0, 2.5), "x0": 0.7, "dx": 0.01, "scheme": "central"}
    for name, value in derivative_page_numbers(link).items():
        assert close(printed[name], value, 1e-12), (name, printed[name], value, text)
    assert notebooks.printed_numbers(text)["f(x0)"] == printed["f(x0)"]
