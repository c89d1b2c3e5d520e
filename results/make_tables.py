"""Remake every results table of README (and nbs/index.ipynb, its source) from the committed JSON records.

A table in nbs/index.ipynb sits between two markers that name the command that prints it (`cde-nb table FILES`, or
`python tools/reliability_table.py` for the Reliability table, `python tools/speed.py --table FILES` for the speed table,
`python results/tune_classifier.py EPOCHS...` for the classifier's table, which reads its committed records back;
`python results/compare_precision.py FILES` for float32 against bf16; `python results/train_cifar_classifier.py --table`
for the CIFAR-10 classifier's record):

    <!-- table: cde-nb table results/mnist_pixels_0.3.json results/mnist_blur_2.json -->
    | method | ... |
    <!-- /table -->

A figure sits between `<!-- figure: cde-nb frontier FILES --fig PATH -->` and `<!-- /figure -->`: the command is run
(it redraws PATH) and the image with the command under it is put between the markers.

This script runs each command, puts its output between the markers, then rewrites README.md from the notebook.
Usage: python results/make_tables.py   (from the project root)
"""
import json, re, shlex, subprocess, sys, glob
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARK = re.compile(r'(<!-- table: (.+?) -->\n)(.*?)(<!-- /table -->)', re.S)
FIG = re.compile(r'(<!-- figure: (.+?) -->\n)(.*?)(<!-- /figure -->)', re.S)

def figure(cmd):
    "Run `cde-nb frontier FILES --fig PATH`; the markdown of the image it drew, with the command under it."
    args = shlex.split(cmd)
    if args[:2] != ['cde-nb', 'frontier'] or '--fig' not in args: sys.exit(f"only `cde-nb frontier FILES --fig PATH` is allowed in figure markers, got {cmd!r}")
    files = [f for a in args[2:] for f in (sorted(glob.glob(str(ROOT/a))) if '*' in a else [a])]
    out = subprocess.run([sys.executable, '-c', 'from cde_nb.cli import main; main()', 'frontier', *files], capture_output=True, text=True, cwd=ROOT,
                         env={**__import__('os').environ, 'MPLBACKEND': 'Agg'})
    if out.returncode: sys.exit(f"{cmd} failed:\n{out.stderr}")
    path = args[args.index('--fig') + 1]
    link = path[len('nbs/'):] if path.startswith('nbs/') else path   # relative to nbs/index.ipynb (README's links get nbs/ back)
    return f"![accuracy against cost]({link})\n\n*Made by* `{cmd}`\n"

def _printed(cmd, argv):
    "What `argv` (run from the project root) prints; stop with its error if it fails."
    out = subprocess.run([sys.executable, *argv], capture_output=True, text=True, cwd=ROOT)
    if out.returncode: sys.exit(f"{cmd} failed:\n{out.stderr}")
    return out.stdout.strip() + '\n'

def run(cmd):
    args = shlex.split(cmd)
    if args == ['python', 'tools/reliability_table.py'] or args[:3] == ['python', 'tools/speed.py', '--table']:
        return _printed(cmd, [str(ROOT/args[1]), *args[2:3], *[f for a in args[3:] for f in sorted(glob.glob(str(ROOT/a))) or [a]]])
    if args[:2] in (['python', 'results/compare_precision.py'], ['python', 'results/train_cifar_classifier.py'], ['python', 'results/precision_speed.py']):   # they read committed records
        return _printed(cmd, [str(ROOT/args[1]), *[f for a in args[2:] for f in sorted(glob.glob(str(ROOT/a))) or [a]]])
    if args[:2] == ['python', 'results/tune_classifier.py']:   # it reads its records back; a missing one it would train
        missing = [e for e in args[2:] if not (ROOT/'results'/'tune_classifier'/f'mnist_classifier_{e}.json').exists()]
        if missing: sys.exit(f"{cmd}: no record for {missing} epochs; make them first (each trains a classifier)")
        return _printed(cmd, [str(ROOT/args[1]), *args[2:]])
    if args[:2] != ['cde-nb', 'table']: sys.exit(f"only `cde-nb table FILES`, `python tools/reliability_table.py`, `python tools/speed.py --table FILES`, `python results/compare_precision.py FILES`, `python results/train_cifar_classifier.py --table` and `python results/tune_classifier.py EPOCHS...` are allowed in markers, got {cmd!r}")
    return _printed(cmd, ['-c', 'from cde_nb.cli import main; main()', 'table', *[f for a in args[2:] for f in sorted(glob.glob(str(ROOT/a))) or [a]]])

def main():
    path = ROOT/'nbs'/'index.ipynb'
    nb = json.loads(path.read_text()); n = 0
    for c in nb['cells']:
        if c['cell_type'] != 'markdown': continue
        src = ''.join(c['source'])
        new, k = MARK.subn(lambda m: m[1] + run(m[2]) + m[4], src)
        new, kf = FIG.subn(lambda m: m[1] + figure(m[2]) + m[4], new)
        if k or kf: c['source'] = new.splitlines(keepends=True); n += k + kf
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')
    subprocess.run([sys.executable, str(ROOT/'tests'/'test_readme.py')], check=True)
    print(f"remade {n} tables and figures")

if __name__ == '__main__': main()
