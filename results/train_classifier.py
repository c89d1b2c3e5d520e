"""A frozen classifier trained once, on its own, on clean training images; then its accuracy on validation, on the test
images and under each corruption of the paper's rows (the Noisy column). Every bundle of its task and data is built
around it (`cde_nb.images.SHIPPED_CLASSIFIERS`).

- CIFAR-10: ResNet-9 (width 32), 20 epochs on the 45,000 training images with random crops and flips, label smoothing;
  also the first 1,000 test images lossless against the same 1,000 as JPEG.
- MNIST's training digits (`--task mnist --data full`): the bundles' `SmallCNN` (width 32), 10 epochs on the training
  digits less 5,000 for validation (50,000 here, 55,000 from the public files); the test images are all 10,000.

    python results/train_classifier.py --task cifar10 [--epochs 20] [--threads 1]   # trains (resumable), then evaluates
    python results/train_classifier.py --task mnist --data full                     # MNIST's classifier
    python results/train_classifier.py --task cifar10 --eval-only                   # evaluates the saved classifier
    python results/train_classifier.py --task cifar10 --table                       # prints the committed record as a table

Writes cde_nb/checkpoints/<task>_classifier.pt (half-precision weights and the config) and results/<task>/classifier.json,
<task> being cifar10 or mnist_full. An interrupted training continues from results/<task>/classifier.state.pt.
"""
import argparse, json, time, sys
from pathlib import Path
import torch
from cde_nb.classifiers import train_classifier, augment_crop_flip, freeze
from cde_nb.checkpoint import save_checkpoint, load_checkpoint
from cde_nb.images import image_corruption, bundle_config, load_images, task_key, CLASSIFIERS, SHIPPED_CLASSIFIERS
from cde_nb.tasks import PAPER_TABLE1
from cde_nb.bench import wilson, git_commit

ROOT = Path(__file__).resolve().parent.parent
CORRUPTIONS = (('pixels_meanstd', 0.15), ('pixels_meanstd', 0.3), ('blur', 2.0))   # the paper's rows
RECIPES = dict(   # how each frozen classifier is trained beyond its task config's learning rate and batch: the command's defaults
    cifar10=dict(epochs=20, wd=0.05, label_smoothing=0.1, augment='crop4+flip'),
    mnist_full=dict(epochs=10, wd=1e-4, label_smoothing=0., augment='none'))

def paths(key:str):
    "(checkpoint, record, resumable state) of the classifier of `key` (a `task_key`)."
    return SHIPPED_CLASSIFIERS[key], ROOT/f'results/{key}/classifier.json', ROOT/f'results/{key}/classifier.state.pt'

def source(task:str, data:str)->str:
    "Where the training images came from, in words a record keeps."
    if task == 'cifar10':
        from cde_nb.data import cifar10_source
        return cifar10_source()
    from cde_nb.data import _mnist_train_folder
    return 'data folder' if _mnist_train_folder(None) is not None else 'torchvision download'

def table(rec:dict)->str:
    "The record as a markdown table: clean accuracy on each set, then under each corruption beside the paper's Noisy column."
    c, task = rec['config'], rec['config'].get('task', 'cifar10')
    paper = {f'{k} {l:g}': r.get('noisy', '') for (k, l), r in PAPER_TABLE1[task].items()}
    n_train, n_valid, n_test = rec.get('n_train', 45000), rec.get('n_valid', 5000), rec.get('n_test', 10000)
    jpeg = ', JPEG' if task == 'cifar10' else ''
    labels = dict(valid=f'validation ({n_valid:,}{jpeg})', test=f'test ({n_test:,}{jpeg})', test1000_lossless='first 1,000 test images, lossless',
                  test1000_jpeg='the same 1,000, JPEG')
    aug = ' with crops and flips' if c.get('augment', 'crop4+flip') != 'none' else ''
    rows = [f"{c['arch']} (width {c['width']}), {c['epochs']} epochs on the {n_train:,} clean training images ({c['data']}){aug}, {rec['precision']}, "
            f"{rec['seconds']/60:.0f} min on {rec.get('threads', 1)} CPU thread(s); seed {c['seed']}", '',
            '| images | accuracy % | 95% interval | the paper (Noisy) |', '|---|---|---|---|']
    for k, r in rec['results'].items():
        base, _, cond = k.partition(' ')   # 'test_jpeg pixels_meanstd 0.3': the test images under a corruption
        label = labels['test' if base in ('test', 'test_jpeg') else base] + (f', {cond}' if cond else '')
        rows.append(f"| {label} | {100*r['value']:.1f} | {100*r['ci95'][0]:.1f}-{100*r['ci95'][1]:.1f} | {paper.get(cond, '')} |")
    return '\n'.join(rows)

def main(argv=None, task:str|None=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--task', choices=['cifar10', 'mnist'], default=task or 'cifar10')
    p.add_argument('--data', choices=['mnist10k', 'full'], default='mnist10k', help="mnist: 'full' (its training digits); the only MNIST classifier trained on its own")
    p.add_argument('--epochs', type=int); p.add_argument('--lr', type=float); p.add_argument('--wd', type=float)
    p.add_argument('--bs', type=int); p.add_argument('--label-smoothing', type=float)
    p.add_argument('--precision', default='auto'); p.add_argument('--threads', type=int, default=None)
    p.add_argument('--seed', type=int, default=0); p.add_argument('--eval-only', action='store_true')
    p.add_argument('--table', action='store_true', help='print the committed record as a table (no training)')
    a = p.parse_args(argv)
    key = task_key(a.task, a.data)
    if key not in RECIPES: p.error(f"no frozen classifier is trained on its own for --task {a.task} --data {a.data}: give --task cifar10, or --task mnist --data full")
    ckpt, out, state_path = paths(key)
    if a.table: print(table(json.loads(out.read_text()))); return
    if a.threads: torch.set_num_threads(a.threads)
    bc = bundle_config(a.task, data=a.data); arch = CLASSIFIERS[bc.classifier]
    r = dict(epochs=None, lr=bc.lr_cls, wd=None, bs=bc.bs_cls) | RECIPES[key] | {k: v for k in ('epochs', 'lr', 'wd', 'bs', 'label_smoothing') if (v := getattr(a, k)) is not None}
    cfg = dict(kind=f'{key}_classifier', task=a.task, arch=arch.__name__, width=bc.cls_width, **r, seed=a.seed, data=source(a.task, a.data))
    f = arch(10, bc.channels, bc.size, bc.cls_width, seed=a.seed)
    X, y = load_images(a.task, 'train', bc.split_seed, a.data)
    if a.eval_only:
        state, stored, extra = load_checkpoint(ckpt)
        f.load_state_dict({k: v.float() for k, v in state.items()}); cfg, seconds, precision = stored, extra.get('seconds'), extra.get('precision')
    else:
        t0 = time.time()
        train_classifier(f, X, y, epochs=r['epochs'], augment=augment_crop_flip if r['augment'] != 'none' else None, seed=a.seed,
                         lr=r['lr'], wd=r['wd'], bs=r['bs'], label_smoothing=r['label_smoothing'], precision=a.precision,
                         state_path=state_path, desc=f'{key} classifier')
        from cde_nb.training import resolve_precision
        seconds, precision = round(time.time() - t0), resolve_precision(a.precision)
        save_checkpoint(ckpt, {k: v.half() if v.is_floating_point() else v for k, v in f.state_dict().items()}, cfg,
                        seconds=seconds, precision=precision, threads=torch.get_num_threads())
        f.load_state_dict({k: v.half().float() if v.is_floating_point() else v for k, v in f.state_dict().items()})  # score what is shipped
    freeze(f)
    def acc(Xe, ye):
        k = int((torch.cat([f(Xe[i:i+500]).argmax(-1) for i in range(0, len(Xe), 500)]) == ye).sum())
        lo, hi = wilson(k, len(ye))
        return dict(value=k/len(ye), k=k, n=len(ye), ci95=[round(lo, 4), round(hi, 4)])
    with torch.inference_mode():
        Xv, yv = load_images(a.task, 'valid', bc.split_seed, a.data); Xt, yt = load_images(a.task, 'test', bc.split_seed, a.data)
        if a.task == 'cifar10' and len(yt) != 10000: sys.exit(f"the CIFAR-10 test set has {len(yt)} images here, not 10,000: point CDE_NB_DATA at the data folder")
        test = 'test_jpeg' if a.task == 'cifar10' else 'test'   # CIFAR-10's test images here are JPEG files
        res = {'valid': acc(Xv, yv), test: acc(Xt, yt)}
        if a.task == 'cifar10':
            from cde_nb.data import cifar10_lossless_test
            Xl, yl, rows = cifar10_lossless_test()
            res['test1000_lossless'], res['test1000_jpeg'] = acc(Xl*2 - 1, yl), acc(Xt[rows], yt[rows])
        for kind, level in CORRUPTIONS:
            res[f'{test} {kind} {level:g}'] = acc(image_corruption(kind, level, a.task)(Xt, torch.Generator().manual_seed(0)), yt)
    rec = dict(config=cfg, seconds=seconds, precision=precision, threads=torch.get_num_threads(), commit=git_commit(),
               n_train=len(y), n_valid=len(yv), n_test=len(yt), results=res,
               command='python results/train_classifier.py ' + ' '.join(argv if argv is not None else sys.argv[1:]))
    out.parent.mkdir(parents=True, exist_ok=True); out.write_text(json.dumps(rec, indent=1) + '\n')
    print(table(rec))
    if not a.eval_only: state_path.unlink(missing_ok=True)

if __name__ == '__main__': main()
