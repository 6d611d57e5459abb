"""A report page printed to PDF by headless Chromium (its own print engine, network blocked).

Chromium's ``Page.printToPDF`` (DevTools) is used rather than WebDriver's print: it honours the page's
``@page`` size and margins (A4) and adds a footer with the page number. The page's print stylesheet
does the rest: the static map instead of the live one, repeated table headers, no chart, figure or
table row cut in half.
"""
from __future__ import annotations

import base64
import tempfile
import time
from pathlib import Path

from ..errors import GeoIncError

# the footer Chromium draws on every page; its classes are filled in by Chromium (title from <title>, escaped)
FOOTER = ('<div style="font-size:7pt;color:#666;width:100%;padding:0 12mm;display:flex;justify-content:space-between">'
          '<span class="title"></span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>')


def print_pdf(page: str, *, timeout: float = 60.0) -> bytes:
    """The PDF of an HTML report page (A4); GeoIncError when headless Chromium is missing or fails."""
    from ..maps.browser import chromium

    with tempfile.TemporaryDirectory(prefix="geoinc-pdf-") as tmp:
        path = Path(tmp) / "report.html"
        path.write_text(page, encoding="utf-8")
        with chromium(width=1200, height=900, block_network=True) as driver:
            driver.set_page_load_timeout(timeout)
            driver.get(path.as_uri())
            start = time.perf_counter()
            while not driver.execute_script("return window.geoincReportReady === true"):
                if time.perf_counter() - start > timeout:
                    raise GeoIncError(f"the report page did not finish loading within {timeout:g} s")
                time.sleep(0.05)
            try:
                result = driver.execute_cdp_cmd("Page.printToPDF", {
                    "printBackground": True, "preferCSSPageSize": True, "displayHeaderFooter": True,
                    "headerTemplate": "<div></div>", "footerTemplate": FOOTER,
                })
            except Exception as err:  # noqa: BLE001 - any WebDriver/DevTools failure is one clear error
                raise GeoIncError(f"headless Chromium could not print the report ({err})") from err
    data = base64.b64decode(result["data"])
    if not data.startswith(b"%PDF"):
        raise GeoIncError("headless Chromium returned something that is not a PDF")
    return data


__all__ = ["print_pdf", "FOOTER"]
