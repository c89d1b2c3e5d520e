"""The frozen CIFAR-10 classifier: ResNet-9 (width 32) trained on the 45,000 clean training images with random crops and
flips, in bf16 where the CPU has it; then its accuracy on validation, on the 10,000 JPEG test images, on the 1,000
lossless test images against the same 1,000 as JPEG, and under each corruption of the paper (the Noisy column).

    python results/train_cifar_classifier.py [--epochs 20] [--threads 1]     # trains (resumable), then evaluates
    python results/train_cifar_classifier.py --eval-only                     # evaluates the saved classifier
    python results/train_cifar_classifier.py --table                         # prints the committed record as a table

Writes cde_nb/checkpoints/cifar10_classifier.pt (half-precision weights and the config) and
results/cifar10/classifier.json. An interrupted training continues from results/cifar10/classifier.state.pt.
"""
import argparse, json, time, sys
from pathlib import Path
import torch
from cde_nb.data import load_cifar10, cifar10_lossless_test, cifar10_source
from cde_nb.classifiers import ResNet9, train_classifier, augment_crop_flip, accuracy, freeze
from cde_nb.checkpoint import save_checkpoint, load_checkpoint
from cde_nb.images import image_corruption
from cde_nb.bench import wilson, git_commit

ROOT = Path(__file__).resolve().parent.parent
CKPT, OUT, STATE = ROOT/'cde_nb/checkpoints/cifar10_classifier.pt', ROOT/'results/cifar10/classifier.json', ROOT/'results/cifar10/classifier.state.pt'
CORRUPTIONS = (('pixels_meanstd', 0.15), ('pixels_meanstd', 0.3), ('blur', 2.0))
PAPER_NOISY = {'pixels_meanstd 0.15': 16.6, 'pixels_meanstd 0.3': 10.9, 'blur 2': 34.8}   # the paper's Table 1, CIFAR-10, Noisy column
LABELS = dict(valid='validation (5,000, JPEG)', test_jpeg='test (10,000, JPEG)', test1000_lossless='first 1,000 test images, lossless',
              test1000_jpeg='the same 1,000, JPEG')

def table(rec:dict)->str:
    "The record as a markdown table: clean accuracy on each set, then under each corruption beside the paper's Noisy column."
    c = rec['config']
    rows = [f"ResNet-9 (width {c['width']}), {c['epochs']} epochs on the 45,000 clean training images ({c['data']}), {rec['precision']}, "
            f"{rec['seconds']/60:.0f} min on {rec.get('threads', 1)} CPU thread(s); seed {c['seed']}", '',
            '| images | accuracy % | 95% interval | the paper (Noisy) |', '|---|---|---|---|']
    for k, r in rec['results'].items():
        cond = k[len('test_jpeg '):] if k.startswith('test_jpeg ') else None
        rows.append(f"| {LABELS.get(k, 'test (10,000, JPEG), ' + (cond or k))} | {100*r['value']:.1f} | {100*r['ci95'][0]:.1f}-{100*r['ci95'][1]:.1f} | {PAPER_NOISY.get(cond, '')} |")
    return '\n'.join(rows)

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--epochs', type=int, default=20); p.add_argument('--width', type=int, default=32)
    p.add_argument('--lr', type=float, default=3e-3); p.add_argument('--wd', type=float, default=0.05)
    p.add_argument('--bs', type=int, default=256); p.add_argument('--label-smoothing', type=float, default=0.1)
    p.add_argument('--precision', default='auto'); p.add_argument('--threads', type=int, default=None)
    p.add_argument('--seed', type=int, default=0); p.add_argument('--eval-only', action='store_true')
    p.add_argument('--table', action='store_true', help='print the committed record as a table (no training)')
    a = p.parse_args(argv)
    if a.table: print(table(json.loads(OUT.read_text()))); return
    if a.threads: torch.set_num_threads(a.threads)
    cfg = dict(kind='cifar10_classifier', arch='ResNet9', width=a.width, epochs=a.epochs, lr=a.lr, wd=a.wd, bs=a.bs,
               label_smoothing=a.label_smoothing, seed=a.seed, augment='crop4+flip', data=cifar10_source())
    f = ResNet9(width=a.width, seed=a.seed)
    if a.eval_only:
        state, stored, extra = load_checkpoint(CKPT)
        f.load_state_dict({k: v.float() for k, v in state.items()}); cfg, seconds, precision = stored, extra.get('seconds'), extra.get('precision')
    else:
        X, y = load_cifar10('train', seed=a.seed)
        t0 = time.time()
        train_classifier(f, X*2 - 1, y, epochs=a.epochs, augment=augment_crop_flip, seed=a.seed, lr=a.lr, wd=a.wd, bs=a.bs,
                         label_smoothing=a.label_smoothing, precision=a.precision, state_path=STATE, desc='cifar10 classifier')
        seconds, precision = round(time.time() - t0), a.precision
        from cde_nb.training import resolve_precision
        precision = resolve_precision(a.precision)
        save_checkpoint(CKPT, {k: v.half() if v.is_floating_point() else v for k, v in f.state_dict().items()}, cfg,
                        seconds=seconds, precision=precision, threads=torch.get_num_threads())
        f.load_state_dict({k: v.half().float() if v.is_floating_point() else v for k, v in f.state_dict().items()})  # score what is shipped
    freeze(f)
    def acc(Xe, ye):
        k = int((torch.cat([f(Xe[i:i+500]*2 - 1).argmax(-1) for i in range(0, len(Xe), 500)]) == ye).sum())
        lo, hi = wilson(k, len(ye))
        return dict(value=k/len(ye), k=k, n=len(ye), ci95=[round(lo, 4), round(hi, 4)])
    with torch.inference_mode():
        Xv, yv = load_cifar10('valid', seed=a.seed); Xt, yt = load_cifar10('test')
        res = dict(valid=acc(Xv, yv), test_jpeg=acc(Xt, yt))
        Xl, yl, rows = cifar10_lossless_test()
        res['test1000_lossless'], res['test1000_jpeg'] = acc(Xl, yl), acc(Xt[rows], yt[rows])
        for kind, level in CORRUPTIONS:
            xc = (image_corruption(kind, level, 'cifar10')(Xt*2 - 1, torch.Generator().manual_seed(0)) + 1)/2
            res[f'test_jpeg {kind} {level:g}'] = acc(xc, yt)
    rec = dict(config=cfg, seconds=seconds, precision=precision, threads=torch.get_num_threads(), commit=git_commit(), results=res,
               command='python results/train_cifar_classifier.py ' + ' '.join(argv if argv is not None else sys.argv[1:]))
    OUT.parent.mkdir(parents=True, exist_ok=True); OUT.write_text(json.dumps(rec, indent=1) + '\n')
    print(table(rec))
    if not a.eval_only: STATE.unlink(missing_ok=True)

if __name__ == '__main__': main()
