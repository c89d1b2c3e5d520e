"""Print the Reliability table of RESULTS.md: every pinned case of the catalogue of bad inputs (tests/bad_inputs.py,
the cases with a `text`), run in-process the way tests/test_reliability.py runs them, and the message it really gets.
A case that no longer gets its pinned message shows 'NOT AS PINNED' (and fails the test).

    python tools/reliability_table.py    # the markdown table on stdout
"""
import os, sys, tempfile, contextlib, warnings
from pathlib import Path
os.environ.setdefault('OMP_NUM_THREADS', '1'); os.environ.setdefault('MKL_NUM_THREADS', '1')
sys.path.insert(0, str(Path(__file__).resolve().parent.parent/'tests'))
warnings.simplefilter('ignore')
import bad_inputs as B

def main():
    tmp, ns = Path(tempfile.mkdtemp(prefix='cde_nb_reliability_')), None
    try:
        with contextlib.redirect_stdout(sys.stderr): ns = B.setup(tmp)   # stdout is the table alone
        rows = ['| where | bad input | what you get |', '|---|---|---|']
        for c in (c for c in B.CASES if c.pinned):
            outcome, msg = B.run_case(c, ns)
            msg = B.plain(msg, tmp).replace('|', '/')   # the same table every run, on any machine
            if outcome != 'CLEAR' or c.text not in msg: msg = f"NOT AS PINNED ({outcome}, expected {c.text!r}): {msg}"
            rows.append(f"| {B.table_area(c)} | {c.name} | {msg} |")
    finally: B.teardown(tmp, ns)
    print('\n'.join(rows))

if __name__ == '__main__':
    main()
