"""Remake every table and figure of README.md and RESULTS.md (and of nbs/index.ipynb and nbs/results.ipynb, their
sources) from the committed JSON records.

A table in those notebooks sits between two markers that name the command that prints it (`cde-nb table FILES`, or
`python tools/reliability_table.py` for the Reliability table, `python tools/speed.py --table FILES` for the speed table,
`python results/tune_classifier.py EPOCHS...` for the classifier's table, which reads its committed records back;
`python results/compare_precision.py FILES` for float32 against bf16; `python results/train_classifier.py --task TASK [--data full] --table`
for the CIFAR-10 classifier's record; `python results/paired_tests.py FILE` for the paired tests of a record; `python results/seed_spread.py FILES` for the
spread of bundles trained from several seeds;
`python results/make_tables.py --paper FILES` for the paper's rows of one task
beside ours, see `paper_table`):

    <!-- table: cde-nb table results/mnist_pixels_0.3.json results/mnist_blur_2.json -->
    | method | ... |
    <!-- /table -->

A figure sits between `<!-- figure: COMMAND -->` and `<!-- /figure -->`, where COMMAND is one of
`cde-nb frontier FILES --fig PATH` (accuracy against cost), `cde-nb demo ... --fig PATH` (restorations, with each
prediction) or `python results/timeline.py --fig PATH` (the three schedules): the command is run (it redraws PATH) and
the image with the command under it is put between the markers.

This script runs each command, puts its output between the markers, then rewrites README.md and RESULTS.md from the
notebooks (`python tests/test_readme.py`).
Usage: python results/make_tables.py                       (from the project root)
       python results/make_tables.py --paper FILES         (print the paper's rows beside the records FILES of one task)
"""
import json, os, re, shlex, subprocess, sys, glob
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ('index.ipynb', 'results.ipynb')   # the notebooks in nbs/ that README.md and RESULTS.md are made from
MARK = re.compile(r'(<!-- table: (.+?) -->\n)(.*?)(<!-- /table -->)', re.S)
FIG = re.compile(r'(<!-- figure: (.+?) -->\n)(.*?)(<!-- /figure -->)', re.S)

PAPER_ROWS = ('noisy', 'enhanced', 'urie', 'card', 'parallel', 'alternating', 'nested', 'retrained', 'clean')   # the paper's methods, then two of ours it has no row for
NAMES = dict(noisy='Noisy (no restoration)', enhanced='Enhanced (restore, then classify)', urie='URIE (the paper\'s universal restorer)',
             card='CARD', parallel='Parallel', alternating='Alternating', nested='Nested', retrained='Retrained classifier',
             clean='Clean input (no corruption)')
UNITS = dict(mnist='held-out test digits', cifar10='test images (stratified)')

def _setting(corruption, level):
    "A column's name: '30% replaced' for pixels_meanstd 0.3, 'blur σ=2' for blur 2."
    return f"{100*level:g}% replaced" if corruption == 'pixels_meanstd' else f"{corruption} σ={level:g}"

def paper_table(files)->str:
    "The paper's rows beside ours: for each record of FILES (one task, one corruption each, in the paper's Table 1), a paper column and an ours column."
    from cde_nb.tasks import get_task
    recs = [json.loads(Path(f).read_text()) for f in files]
    tasks = {r['task'] for r in recs}
    if len(tasks) != 1: sys.exit(f"--paper takes the records of one task, got {', '.join(sorted(tasks))}")
    task = get_task(tasks.pop()); paper = task.paper
    if not paper: sys.exit(f"the paper's Table 1 has no rows for task {task.name!r}")
    for f, r in zip(files, recs):
        if (r['corruption'], r['level']) not in paper: sys.exit(f"{f}: {r['corruption']} {r['level']} is not a row of the paper's Table 1 ({', '.join(_setting(*k) for k in paper)})")
    recs.sort(key=lambda r: list(paper).index((r['corruption'], r['level'])))
    n, full = sorted({r['n_test'] for r in recs}), {str(r.get('models', '')).endswith('_full.pt') for r in recs}
    if len(full) > 1: sys.exit("--paper takes the records of one training set: bundles trained with --data full, or none")
    unit = "test digits, every network trained on MNIST's training digits" if full == {True} else UNITS.get(task.name, 'test items')
    head = ['method'] + [f"{_setting(r['corruption'], r['level'])}: {who}" for r in recs for who in ('paper', 'ours')]
    lines = [f"{task.help.split(',')[0]}, accuracy % (ours: {' and '.join(map(str, n))} {unit}, each corruption with a bundle "
             f"trained for it alone, {recs[0]['steps']} steps, seed {recs[0]['seed']}; the paper: its Table 1)", '',
             '| ' + ' | '.join(head) + ' |', '|---' * len(head) + '|']
    for m in PAPER_ROWS:
        cells = [c for r in recs for c in (f"{paper[(r['corruption'], r['level'])][m]:.1f}" if m in paper[(r['corruption'], r['level'])] else '',
                                           f"{100*r['results'][m]['value']:.1f}" if m in r['results'] else '')]
        if any(cells): lines.append('| ' + ' | '.join([NAMES[m], *cells]) + ' |')
    return '\n'.join(lines) + '\n'

FIGURES = {('cde-nb', 'frontier'): 'accuracy against cost', ('cde-nb', 'demo'): 'restorations of each method, with its prediction',
           ('python', 'results/timeline.py'): 'the three schedules'}   # the commands a figure marker may run, and the picture's alt text

def _files(args): return [f for a in args for f in (sorted(glob.glob(str(ROOT/a))) if '*' in a else [a])]

def figure(cmd):
    "Run a figure command (see FIGURES); the markdown of the image it drew, with the command under it."
    args = shlex.split(cmd)
    if tuple(args[:2]) not in FIGURES or '--fig' not in args:
        sys.exit(f"only `cde-nb frontier FILES --fig PATH`, `cde-nb demo ... --fig PATH` and `python results/timeline.py --fig PATH` are allowed in figure markers, got {cmd!r}")
    argv = (['-c', 'from cde_nb.cli import main; main()', args[1], *_files(args[2:])] if args[0] == 'cde-nb' else [str(ROOT/args[1]), *args[2:]])
    out = subprocess.run([sys.executable, *argv], capture_output=True, text=True, cwd=ROOT, env={**os.environ, 'MPLBACKEND': 'Agg'})
    if out.returncode: sys.exit(f"{cmd} failed:\n{out.stderr}")
    path = args[args.index('--fig') + 1]
    link = path[len('nbs/'):] if path.startswith('nbs/') else path   # relative to the notebooks in nbs/ (README's and RESULTS' links get nbs/ back)
    return f"![{FIGURES[tuple(args[:2])]}]({link})\n\n*Made by* `{cmd}`\n"

def _printed(cmd, argv):
    "What `argv` (run from the project root) prints; stop with its error if it fails."
    out = subprocess.run([sys.executable, *argv], capture_output=True, text=True, cwd=ROOT)
    if out.returncode: sys.exit(f"{cmd} failed:\n{out.stderr}")
    return out.stdout.strip() + '\n'

def run(cmd):
    "What the table command `cmd` of a marker prints."
    args = shlex.split(cmd)
    if args in (['python', 'tools/reliability_table.py'], ['python', 'tools/checkpoints_table.py']) or args[:3] == ['python', 'tools/speed.py', '--table']:
        return _printed(cmd, [str(ROOT/args[1]), *args[2:3], *[f for a in args[3:] for f in sorted(glob.glob(str(ROOT/a))) or [a]]])
    if args[:2] in (['python', 'results/compare_precision.py'], ['python', 'results/train_classifier.py'], ['python', 'results/precision_speed.py'],
                    ['python', 'results/paired_tests.py'], ['python', 'results/seed_spread.py']):   # they read committed records
        return _printed(cmd, [str(ROOT/args[1]), *[f for a in args[2:] for f in sorted(glob.glob(str(ROOT/a))) or [a]]])
    if args[:2] == ['python', 'results/tune_classifier.py']:   # it reads its records back; a missing one it would train
        missing = [e for e in args[2:] if not (ROOT/'results'/'tune_classifier'/f'mnist_classifier_{e}.json').exists()]
        if missing: sys.exit(f"{cmd}: no record for {missing} epochs; make them first (each trains a classifier)")
        return _printed(cmd, [str(ROOT/args[1]), *args[2:]])
    if args[:3] == ['python', 'results/make_tables.py', '--paper']:
        return paper_table([f for a in args[3:] for f in sorted(glob.glob(str(ROOT/a))) or [str(ROOT/a)]])
    if args[:2] != ['cde-nb', 'table']: sys.exit(f"only `cde-nb table FILES`, `python tools/reliability_table.py`, `python tools/checkpoints_table.py`, `python tools/speed.py --table FILES`, `python results/compare_precision.py FILES`, `python results/train_classifier.py --task TASK [--data full] --table`, `python results/tune_classifier.py EPOCHS...` and `python results/make_tables.py --paper FILES`, `python results/paired_tests.py FILE`, `python results/seed_spread.py FILES` are allowed in markers, got {cmd!r}")
    return _printed(cmd, ['-c', 'from cde_nb.cli import main; main()', 'table', *[f for a in args[2:] for f in sorted(glob.glob(str(ROOT/a))) or [a]]])

def remake(path)->int:
    "Rerun every table and figure command of the notebook at `path`, writing their output between its markers; how many."
    nb = json.loads(path.read_text()); n = 0
    for c in nb['cells']:
        if c['cell_type'] != 'markdown': continue
        src = ''.join(c['source'])
        new, k = MARK.subn(lambda m: m[1] + run(m[2]) + m[4], src)
        new, kf = FIG.subn(lambda m: m[1] + figure(m[2]) + m[4], new)
        if k or kf: c['source'] = new.splitlines(keepends=True); n += k + kf
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')
    return n

def main():
    n = sum(remake(ROOT/'nbs'/p) for p in PAGES)
    subprocess.run([sys.executable, str(ROOT/'tests'/'test_readme.py')], check=True)
    print(f"remade {n} tables and figures")

if __name__ == '__main__':
    if sys.argv[1:2] == ['--paper']: print(paper_table(sys.argv[2:]), end='')
    else: main()
