"""Execute the tutorial notebooks at reader size (IN_TEST unset) and save them with their outputs, so that they show
their figures and tables on GitHub without running. Then run `nbdev_clean` (it keeps outputs) and commit.

Usage: python tools/run_notebooks.py [NAME ...]    (default: every numbered notebook and index; run from the project root)
Prints each notebook's wall time, to keep the reading-path times of README honest. Figures are saved as PNG at 72 dpi
(`mpl_format='png'`) to keep the notebooks small; tests/test_notebooks.py checks the size budget.
"""
import os, sys, time
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell

ROOT = Path(__file__).resolve().parent.parent
NBS = ROOT/'nbs'

def run(path:Path)->float:
    os.environ.pop('IN_TEST', None)
    nb, t0 = read_nb(path), time.time()
    cwd = os.getcwd(); os.chdir(NBS)
    try:
        sh = CaptureShell(path, mpl_format='png')
        sh.run_cell("import matplotlib; matplotlib.rcParams['figure.dpi'] = 72; matplotlib.rcParams['savefig.dpi'] = 72")
        skip = lambda c: c.cell_type != 'code' or '#| eval: false' in c.source
        for c in nb.cells:   # execnb keeps a cell's old outputs when the cell now prints nothing: start from none
            if not skip(c): c.outputs = []
        sh.run_all(nb, exc_stop=True, preproc=skip)
    finally: os.chdir(cwd)
    write_nb(nb, path)
    return time.time() - t0

if __name__ == '__main__':
    names = sys.argv[1:] or sorted(p.stem for p in NBS.glob('*.ipynb') if p.stem[:2].isdigit())
    for n in names:
        dt = run(NBS/f'{n}.ipynb' if not n.endswith('.ipynb') else NBS/n)
        print(f'{n}: {dt:.0f} s', flush=True)
