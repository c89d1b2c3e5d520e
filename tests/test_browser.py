"""The explorer in a real browser.

`cde_nb.explorer_server.explore` (what `cde-nb explore` runs) serves the explorer with Voila on 127.0.0.1; Debian's Chromium,
headless and driven by Playwright, opens the page once (a module fixture) and the tests below drive it in turn: wait
for the widgets to render, move the test-sample slider with the keyboard and check that the result shown changed;
pick another sampler for the logit chain in its menu; choose the speech task and check its transcript, pictures and
audio players, and scrub its chains. Screenshots are saved (to $CDE_NB_ARTIFACTS if set, else pytest's temporary
folder). Needs: apt `chromium`, pip `voila playwright ipykernel`, and a kernelspec for this Python
(`python -m ipykernel install --sys-prefix`). Skipped, saying which is missing, without them.
"""
import os, re, socket, time, importlib.util, pytest
from pathlib import Path

CHROMIUM = os.environ.get('CDE_NB_CHROMIUM', '/usr/bin/chromium')
ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run']
TIMEOUT = float(os.environ.get('CDE_NB_BROWSER_TIMEOUT', 300))   # seconds per wait; only a busy machine needs them
DIGITS = r'(?:[0-9](?: [0-9])*|\(no digits\))'                   # a transcript as the explorer shows it

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

def summary_js(*texts):
    "A page function: the summary line shows every one of `texts`."
    return (f"() => {{ const e = document.querySelector('.cde-summary'); "
            f"return e && {list(texts)!r}.every(t => e.innerText.includes(t)); }}")

def pictures_js(): return "() => [...document.querySelectorAll('.widget-output img')].map(i => i.src)"

def redrawn_js():
    "A page function of the old picture sources: every picture was replaced."
    return ("old => { const now = [...document.querySelectorAll('.widget-output img')].map(i => i.src);"
            " return now.length >= old.length && old.every((s, k) => now[k] !== s); }")

@pytest.fixture(scope='module')
def artifacts(tmp_path_factory):
    out = Path(os.environ.get('CDE_NB_ARTIFACTS') or tmp_path_factory.mktemp('browser')); out.mkdir(parents=True, exist_ok=True)
    return out

@pytest.fixture(scope='module')
def page(tmp_path_factory):
    "The explorer served by Voila (as `cde-nb explore` serves it), open in headless Chromium; stopped after the module."
    from cde_nb.explorer_server import explore, stop, free_port
    from playwright.sync_api import sync_playwright
    port, log = free_port(), tmp_path_factory.mktemp('voila')/'voila.log'
    p = explore(port, wait=False, log=log)
    try:
        wait_port(port, p, log, TIMEOUT)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            try:
                pg = browser.new_page(viewport=dict(width=1150, height=1300))
                pg.set_default_timeout(TIMEOUT*1000)
                # Voila runs the notebook (kernel start, imports, model load, first run) while serving the page
                pg.goto(f'http://127.0.0.1:{port}/', wait_until='commit')
                yield pg
            finally: browser.close()
    finally:
        stop(p)
    assert p.poll() is not None

def test_explorer_in_chromium(page, artifacts):
    # the widgets rendered and the first run finished: the summary names the sample and the truth
    page.wait_for_function(summary_js('truth:'))
    summary = page.locator('.cde-summary')
    before = summary.inner_text()
    assert 'test sample 0,' in before, before
    # the pictures came through the Output widgets
    page.wait_for_function("() => document.querySelectorAll('.widget-output img').length >= 2")
    pictures = page.evaluate(pictures_js())
    # move the test-sample slider one step with the keyboard
    handle = page.locator('.cde-sample .noUi-handle')
    handle.focus(); page.keyboard.press('ArrowRight')
    page.wait_for_function(summary_js('test sample 1,'))
    after = summary.inner_text()
    assert after != before and 'truth:' in after, (before, after)
    # ... and both pictures (restored-signal trajectory, beliefs) were redrawn for the new sample
    page.wait_for_function(redrawn_js(), arg=pictures)
    assert page.locator('.cde-sample .widget-readout').inner_text().strip() == '1'
    # the knob sliders come from coupling's registry: Parallel (the first strategy shown) shows its warm-up only
    assert page.locator('.cde-knob-warmup').is_visible() and not page.locator('.cde-knob-rounds').is_visible()
    shot = artifacts/'explorer.png'
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    print(f'screenshot: {shot}')

def test_sampler_menus_in_chromium(page):
    "A menu per chain, starting at posterior_mean; picking ddpm for the logit chain reruns and the view says so."
    page.wait_for_function(summary_js('truth:'))
    for chain in ('signal', 'logit'):
        menu = page.locator(f'.cde-sampler-{chain} select')
        assert menu.locator('option').all_inner_texts() == ['ddpm', 'ddim', 'posterior_mean']
        assert menu.evaluate('s => s.options[s.selectedIndex].text') == 'posterior_mean'
    assert 'sampler signal=posterior_mean, logit=posterior_mean' in page.locator('.cde-summary').inner_text()
    pictures = page.evaluate(pictures_js())
    page.locator('.cde-sampler-logit select').select_option(label='ddpm')
    page.wait_for_function(summary_js('sampler signal=posterior_mean, logit=ddpm'))
    page.wait_for_function(redrawn_js(), arg=pictures)

def test_speech_in_chromium(page, artifacts):
    "Choose the speech task: transcripts of digits, spectrograms and beliefs, four audio players; scrub to the start."
    from cde_nb.explorer import available_tasks
    if 'fsdd' not in available_tasks(): pytest.skip('speech task not available here (checkpoint, FSDD recordings or torchaudio missing)')
    page.wait_for_function(summary_js('truth:'))
    menu = page.locator('.cde-task select')
    assert 'fsdd' in menu.locator('option').all_inner_texts()
    pictures = page.evaluate(pictures_js())
    menu.select_option(label='fsdd')
    page.wait_for_function(summary_js('fsdd', 'truth:', 'white 5 dB'))
    text = page.locator('.cde-summary').inner_text()
    assert re.search(rf'truth: {DIGITS} · prediction: {DIGITS}', text), text
    assert 'sampler signal=posterior_mean, logit=ddpm' in text, text        # the menus keep their choice across tasks
    page.wait_for_function(redrawn_js(), arg=pictures)                      # spectrograms and beliefs replace the digits
    assert page.locator('.cde-level .widget-label').inner_text().strip() == 'level (dB)'
    # the players: clean, noisy, the current restoration, the clean log-mels resynthesised; each holds a WAV
    page.wait_for_function("() => document.querySelectorAll('.cde-media audio').length == 4")
    srcs = page.eval_on_selector_all('.cde-media audio', 'as => as.map(a => a.src)')
    assert all(s.startswith(('blob:', 'data:')) for s in srcs), srcs
    for name in ('clean', 'noisy', 'restored', 'clean-resynthesised'): assert page.locator(f'audio.cde-audio-{name}').count() == 1
    # scrub back to the first evaluation: the logit chain's first step, no restoration yet (three players)
    handle = page.locator('.cde-scrubber .noUi-handle')
    handle.focus(); page.keyboard.press('Home')
    page.wait_for_function("() => document.querySelector('.cde-frame-info').innerText.startsWith('evaluation 1/')")
    info = page.locator('.cde-frame-info').inner_text()
    assert 'logit chain (ddpm)' in info and re.search(rf'transcript so far: {DIGITS}$', info), info
    page.wait_for_function("() => document.querySelectorAll('.cde-media audio').length == 3")
    shot = artifacts/'explorer_speech.png'
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    print(f'screenshot: {shot}')
