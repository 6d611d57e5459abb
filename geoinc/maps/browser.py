"""Headless Chromium through Selenium, for map snapshots (``--png``) and browser tests.

Uses Debian's ``chromium`` and ``chromium-driver`` (``make browser`` installs them); nothing is ever
downloaded: the driver path is given explicitly, so Selenium Manager is never asked for one. With
``block_network`` every host name resolves to nothing and the proxy points at a closed port, so a page
that tries to fetch anything fails visibly instead of quietly working online.
"""
from __future__ import annotations

import contextlib
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import GeoIncError

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
DRIVER_CANDIDATES = ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")

BASE_FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio", "--disable-extensions",
    "--disable-default-apps", "--no-default-browser-check", "--allow-file-access-from-files",
    # keep timers and animation frames running in a window nobody looks at (Leaflet's zoom and canvas need them)
    "--disable-renderer-backgrounding", "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
)
BLOCK_NETWORK_FLAGS = ('--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1', "--proxy-server=127.0.0.1:9",
                       "--proxy-bypass-list=<-loopback>")


def find_chromium() -> tuple[str, str] | None:
    """(browser, driver) paths of an installed Chromium and chromedriver, or None."""
    browser = next((p for p in CHROMIUM_CANDIDATES if Path(p).exists()), None) or shutil.which("chromium")
    driver = next((p for p in DRIVER_CANDIDATES if Path(p).exists()), None) or shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


@contextlib.contextmanager
def chromium(*, width: int = 1280, height: int = 800, block_network: bool = True,
             allow_port: int | None = None) -> Iterator[Any]:
    """A Selenium WebDriver on a fresh headless Chromium profile; quit and cleaned up on exit.

    With ``block_network``, ``allow_port`` is the one loopback port the page may still reach (the page
    server of :func:`serve_page`); every other address, loopback included, is refused.
    """
    found = find_chromium()
    if not found:
        raise GeoIncError("headless Chromium is not installed: run `make browser` "
                          "(apt-get install chromium chromium-driver)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError as err:
        raise GeoIncError("map snapshots need selenium: pip install 'geoinc[png]'") from err
    browser, driver_path = found
    profile = tempfile.mkdtemp(prefix="geoinc-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = browser
    flags = BLOCK_NETWORK_FLAGS if block_network else ()
    if block_network and allow_port is not None:
        flags = tuple(f"--proxy-bypass-list=<-loopback>;127.0.0.1:{int(allow_port)}"
                      if f.startswith("--proxy-bypass-list=") else f for f in flags)
    for flag in BASE_FLAGS + flags:
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={profile}")
    opts.add_argument(f"--window-size={width},{height}")
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = None
    try:
        driver = webdriver.Chrome(service=Service(driver_path), options=opts)
        yield driver
    finally:
        if driver is not None:
            driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def wait_ready(driver: Any, timeout: float = 30.0) -> float:
    """Wait until the map script has run (``window.geoincReady``); seconds waited."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if driver.execute_script("return window.geoincReady === true && !window.geoincMap._animatingZoom"):
            return time.perf_counter() - start
        time.sleep(0.05)
    raise GeoIncError(f"the map did not finish loading within {timeout:g} s")


@contextlib.contextmanager
def serve_page(page: str) -> Iterator[str]:
    """Serve one HTML page from memory on 127.0.0.1 (no file written); yields its URL.

    The blocked-network browser still reaches the loopback address, and the page is the only thing served.
    """
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    body = page.encode("utf-8")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:   # noqa: N802 - http.server's spelling
            if self.path.split("?", 1)[0] != "/map.html":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:   # quiet
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/map.html"
    finally:
        server.shutdown()
        server.server_close()


def _port(url: str) -> int:
    from urllib.parse import urlsplit

    return int(urlsplit(url).port or 80)


def screenshot(page: str, *, width: int = 1280, height: int = 800, timeout: float = 30.0) -> bytes:
    """PNG bytes of an HTML page as headless Chromium draws it (served from memory on the loopback)."""
    with serve_page(page) as url, chromium(width=width, height=height, allow_port=_port(url)) as driver:
        driver.set_page_load_timeout(timeout)
        # the window includes (invisible) browser chrome: grow it until the page itself is width x height
        inner = driver.execute_script("return [window.innerWidth, window.innerHeight]")
        if inner != [width, height]:
            driver.set_window_size(2 * width - inner[0], 2 * height - inner[1])
        driver.get(url)
        wait_ready(driver, timeout)
        time.sleep(0.4)  # let the last zoom animation and canvas draws settle
        return driver.get_screenshot_as_png()


__all__ = ["find_chromium", "chromium", "wait_ready", "screenshot", "serve_page", "BASE_FLAGS", "BLOCK_NETWORK_FLAGS"]
