"""Print the Reliability table of RESULTS.md: every class of bad input of tests/reliability_cases.py and the message it really gets."""
import sys, tempfile
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent.parent/'tests'))
import warnings; warnings.simplefilter('ignore')
from reliability_cases import CASES
ROOT = Path(__file__).resolve().parent.parent

print('| where | bad input | what you get |\n|---|---|---|')
with tempfile.TemporaryDirectory() as d:
    for area, what, call, exc, text in CASES:
        try: call(Path(d)); msg = 'NO ERROR (a bug)'
        except BaseException as e:   # the same table every run, on any machine: no temporary folder or clone path in it
            msg = str(e).replace(d, '$TMP').replace(str(ROOT) + '/', '').replace('|', '/').replace('\n', ' ')
        print(f"| {area} | {what} | {exc.__name__}: {msg} |")
