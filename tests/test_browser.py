"""The explorer in a real browser.

`cde_nb.explorer.explore` (what `cde-nb explore` runs) serves the explorer with Voila on 127.0.0.1; Debian's Chromium,
headless and driven by Playwright, opens the page, waits for the widgets to render, moves the test-sample slider
with the keyboard, and checks that the result shown changed. A screenshot is saved (to $CDE_NB_ARTIFACTS if set,
else pytest's temporary folder). Needs: apt `chromium`, pip `voila playwright ipykernel`, and a kernelspec for this
Python (`python -m ipykernel install --sys-prefix`). Skipped, saying which is missing, without them.
"""
import os, socket, time, importlib.util, pytest
from pathlib import Path

CHROMIUM = os.environ.get('CDE_NB_CHROMIUM', '/usr/bin/chromium')
ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run']
TIMEOUT = float(os.environ.get('CDE_NB_BROWSER_TIMEOUT', 300))   # seconds per wait; only a busy machine needs them

def missing():
    "Why the browser test cannot run here, or None."
    if not Path(CHROMIUM).exists(): return f'no Chromium at {CHROMIUM} (apt-get install -y chromium)'
    for m in ('voila', 'playwright', 'ipykernel'):
        if importlib.util.find_spec(m) is None: return f'python package {m} missing (pip install voila playwright ipykernel)'
    from jupyter_client.kernelspec import KernelSpecManager
    if 'python3' not in KernelSpecManager().find_kernel_specs():
        return 'no python3 kernelspec (python -m ipykernel install --sys-prefix)'
    from cde_nb.explorer import available_tasks
    if not available_tasks(): return 'no explorer task available (the shipped digits checkpoint is missing)'
    return None

WHY = missing()
pytestmark = pytest.mark.skipif(WHY is not None, reason=f'browser test skipped: {WHY}')

def wait_port(port, p, log, timeout):
    "Wait until Voila accepts connections (without requesting a page, which would start a kernel)."
    t0 = time.time()
    while time.time() - t0 < timeout:
        if p.poll() is not None: pytest.fail(f'Voila exited with {p.returncode}:\n{Path(log).read_text()[-3000:]}')
        with socket.socket() as s:
            if s.connect_ex(('127.0.0.1', port)) == 0: return
        time.sleep(.2)
    pytest.fail(f'Voila did not listen on port {port} within {timeout} s:\n{Path(log).read_text()[-3000:]}')

def summary_js(text):
    return f"() => {{ const e = document.querySelector('.cde-summary'); return e && e.innerText.includes({text!r}); }}"

def test_explorer_in_chromium(tmp_path):
    from cde_nb.explorer import explore, stop, free_port
    from playwright.sync_api import sync_playwright
    out = Path(os.environ.get('CDE_NB_ARTIFACTS') or tmp_path); out.mkdir(parents=True, exist_ok=True)
    port, log = free_port(), tmp_path/'voila.log'
    p = explore(port, wait=False, log=log)
    try:
        wait_port(port, p, log, TIMEOUT)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            try:
                page = browser.new_page(viewport=dict(width=1150, height=1300))
                # Voila runs the notebook (kernel start, imports, model load, first run) while serving the page
                page.goto(f'http://127.0.0.1:{port}/', timeout=TIMEOUT*1000, wait_until='commit')
                # the widgets rendered and the first run finished: the summary names the sample and the truth
                page.wait_for_function(summary_js('truth:'), timeout=TIMEOUT*1000)
                summary = page.locator('.cde-summary')
                before = summary.inner_text()
                assert 'test sample 0,' in before, before
                # the pictures came through the Output widgets
                page.wait_for_function("() => document.querySelectorAll('.widget-output img').length >= 2", timeout=TIMEOUT*1000)
                pictures = page.eval_on_selector_all('.widget-output img', 'imgs => imgs.map(i => i.src)')
                # move the test-sample slider one step with the keyboard
                handle = page.locator('.cde-sample .noUi-handle')
                handle.focus(); page.keyboard.press('ArrowRight')
                page.wait_for_function(summary_js('test sample 1,'), timeout=TIMEOUT*1000)
                after = summary.inner_text()
                assert after != before and 'truth:' in after, (before, after)
                # ... and both pictures (restored-signal trajectory, beliefs) were redrawn for the new sample
                page.wait_for_function("old => { const now = [...document.querySelectorAll('.widget-output img')].map(i => i.src);"
                                       " return now.length >= old.length && old.every((s, k) => now[k] !== s); }",
                                       arg=pictures, timeout=TIMEOUT*1000)
                assert page.locator('.cde-sample .widget-readout').inner_text().strip() == '1'
                shot = out/'explorer.png'
                page.screenshot(path=str(shot), full_page=True)
                assert shot.stat().st_size > 10_000
                print(f'screenshot: {shot}')
            finally: browser.close()
    finally:
        stop(p)
    assert p.poll() is not None
