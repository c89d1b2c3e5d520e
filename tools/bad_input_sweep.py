#!/usr/bin/env python
"""The bad-input sweep: every case of the catalogue of bad inputs (tests/bad_inputs.py) against cde_nb's public entry
points, each outcome classified (CLEAR / OK-ACCEPTED / TRACEBACK / SILENT / HANG, defined in that module's docstring)
and written to results/bad_inputs.md. The Python cases run in-process; the 'cli' and 'sh' cases run the real `cde-nb`
in a subprocess, as a user meets it (tests/test_reliability.py runs the same catalogue with the CLI in-process).

    python tools/bad_input_sweep.py              # every case; writes results/bad_inputs.md
    python tools/bad_input_sweep.py --only table # the cases whose area or name contains 'table' (no results file)
    python tools/bad_input_sweep.py --no-cli     # the in-process Python cases alone (no results file)

Everything is written under one temporary folder, removed at the end; the CLI runs with that folder as its working
directory. OMP_NUM_THREADS=1.
"""
from __future__ import annotations
import os
os.environ.setdefault('OMP_NUM_THREADS', '1'); os.environ.setdefault('MKL_NUM_THREADS', '1')
os.environ.setdefault('MPLBACKEND', 'Agg')
import sys, time, argparse, tempfile, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT/'results'/'bad_inputs.md'
sys.path.insert(0, str(ROOT/'tests'))
from bad_inputs import (CASES, KNOWN, CLI_TIMEOUT, PY_TIMEOUT, setup, teardown, run_python, run_process, needs_immutable,
                        snapshot, left_behind, one_line, plain)

# ---------------------------------------------------------------------------------------------------------------- main
def md_table(rows):
    esc = lambda s: str(s).replace('|', '\\|')
    lines = ['| area | case | outcome | message |', '|---|---|---|---|']
    lines += [f"| {esc(r['area'])} | {esc(r['case'])} | {r['outcome']} | {esc(one_line(r['message']))} |" for r in rows]
    return '\n'.join(lines)

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--only', default=None, help='run only the cases whose area or name contains this (no results file)')
    ap.add_argument('--no-cli', action='store_true', help='skip the cde-nb cases (no results file)')
    ap.add_argument('--no-python', action='store_true', help='skip the in-process cases (no results file)')
    a = ap.parse_args()
    cases = [c for c in CASES if not a.only or a.only.lower() in f"{c.area} {c.name}".lower()]
    if a.no_cli: cases = [c for c in cases if c.kind == 'py']
    if a.no_python: cases = [c for c in cases if c.kind != 'py']
    full = len(cases) == len(CASES)
    t_start, before = time.time(), snapshot()
    tmp = Path(tempfile.mkdtemp(prefix='cde_nb_bad_inputs_'))
    rows, ns = [], None
    try:
        print(f"# setting up in {tmp} ...", file=sys.stderr, flush=True)
        ns = setup(tmp)
        print(f"# setup done in {time.time()-t_start:.0f} s; {len(cases)} cases", file=sys.stderr, flush=True)
        for i, c in enumerate(cases, 1):
            t0 = time.time()
            if needs_immutable(c) and not ns.get('_immutable'):
                print(f"[{i}/{len(cases)}] skipped {c.name}: no immutable folder (it would train)", file=sys.stderr); continue
            if c.kind == 'py': outcome, msg = run_python(c, ns)
            else: outcome, msg, _ = run_process(c, tmp)
            msg = plain(msg, tmp)
            call = c.call if c.kind == 'py' else (f"cde-nb {c.call}" if c.kind == 'cli' else c.call)
            if c.text and c.text not in msg and outcome == 'CLEAR':   # a pinned message lost: as bad as no message
                outcome, msg = 'TRACEBACK', f"(message lacks the pinned {c.text!r}) {msg}"
            rows.append(dict(area=c.area, case=c.name, outcome=outcome, message=msg, call=call, fix=c.fix, kind=c.kind,
                             seconds=round(time.time() - t0, 1), known=KNOWN.get((c.area, c.name), '')))
            print(f"[{i}/{len(cases)}] {outcome:11s} {c.area} | {c.name} ({time.time()-t0:.1f} s): {one_line(msg, 160)}",
                  file=sys.stderr, flush=True)
    finally:
        teardown(tmp, ns)
        for stray in ('/sys/cde_nb_bad_input.json',):   # never made (it cannot be), checked anyway
            if Path(stray).exists(): print(f"WARNING: {stray} exists", file=sys.stderr)
    left = left_behind(before, snapshot())
    order = ['CLEAR', 'OK-ACCEPTED', 'TRACEBACK', 'SILENT', 'HANG']
    counts = {o: sum(r['outcome'] == o for r in rows) for o in order}
    wall = time.time() - t_start
    import torch, cde_nb
    head = [f"# Bad-input sweep of cde_nb's public entry points",
            '',
            f"Made by `python tools/bad_input_sweep.py` on {datetime.datetime.now().isoformat(timespec='seconds')} "
            f"(cde_nb {cde_nb.__version__}, torch {torch.__version__}, {'CUDA' if torch.cuda.is_available() else 'CPU only'}, "
            f"uid {os.getuid()}, OMP_NUM_THREADS=1): {len(rows)} cases in {wall/60:.1f} min. "
            f"CLI cases run `cde-nb` in a subprocess (limit {CLI_TIMEOUT} s), Python cases in-process (limit {PY_TIMEOUT} s). "
            f"The cases are the catalogue tests/bad_inputs.py ({sum(c.pinned for c in CASES)} of them pinned: the Reliability "
            f"table of RESULTS.md); the outcomes are defined in its docstring.",
            '',
            '**Counts:** ' + ', '.join(f"{o} {n}" for o, n in counts.items()),
            '']
    if not ns or not ns.get('_immutable'): head += ["Note: chattr was unavailable; the 'unwritable folder' cases used chmod 555 (root ignores it).", '']
    if left: head += [f"**Left behind in the checkout:** {left}", '']
    bad = [r for r in rows if r['outcome'] not in ('CLEAR', 'OK-ACCEPTED')]
    details = ['', '## Cases to fix (not CLEAR / OK-ACCEPTED)', '']
    for r in bad:
        details += [f"- **{r['outcome']}** {r['area']} / {r['case']}", f"  - call: `{r['call']}`",
                    f"  - got: {one_line(r['message'], 400)}", f"  - expected fix: {r['fix'] or 'refuse with a clear ValueError/TypeError'}"]
    if not bad: details.append('(none)')
    refused = [r for r in rows if r['outcome'] == 'CLEAR' and r['message'].startswith('(refused, though expected')]
    if refused:
        details += ['', '## Refused, though expected to be accepted (counted as CLEAR)', '']
        details += [f"- {r['area']} / {r['case']}: {one_line(r['message'], 300)}" + (f" (known: {r['known']})" if r['known'] else '')
                    for r in refused]
    allc = ['', '## Every case and its call', '', '| area | case | call |', '|---|---|---|']
    allc += [f"| {r['area']} | {r['case']} | `{r['call'].replace('|', chr(92) + '|')}` |" for r in rows]
    report = '\n'.join(head + [md_table(rows)] + details + allc) + '\n'
    print(md_table(rows))
    print()
    print('Counts: ' + ', '.join(f"{o} {n}" for o, n in counts.items()) + f"  ({len(rows)} cases, {wall/60:.1f} min)")
    if left: print(f"LEFT BEHIND in the checkout: {left}")
    if full:
        RESULTS.parent.mkdir(exist_ok=True); RESULTS.write_text(report)
        print(f"wrote {RESULTS.relative_to(ROOT)}")
    else:
        print("(a partial run: results/bad_inputs.md not written)")

if __name__ == '__main__':
    main()
