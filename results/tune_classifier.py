"""How long to train the frozen classifier, chosen on validation; and how robust it is to every corruption.

Trains the MNIST classifier of the bundles for one corruption (`bundle_config`: clean images only, the config's
learning rate, batch and seed) for each number of epochs given, and measures it on all MNIST validation digits: clean,
and under each corruption of the paper's rows and of ours (each corrupted once, seed 0). One JSON per length in
results/tune_classifier/, a table on stdout; lengths already measured are read back.
Usage: python results/tune_classifier.py EPOCHS...    e.g. 8 24 48
"""
import sys, json, time, torch
from pathlib import Path
from cde_nb.images import ImageModels, bundle_config, load_images, image_corruption
from cde_nb.classifiers import train_classifier, predict_logits

CORRUPTIONS = [('pixels_meanstd', 0.15), ('pixels_meanstd', 0.3), ('blur', 2.), ('pixels', 0.3), ('pixels', 0.5), ('gaussian', 0.5)]
out = Path(__file__).parent/'tune_classifier'; out.mkdir(exist_ok=True)
cfg = bundle_config('mnist', 'pixels_meanstd', 0.3)   # every bundle for one corruption trains the same classifier
rows = []
for epochs in map(int, sys.argv[1:]):
    f = out/f'mnist_classifier_{epochs}.json'
    if not f.exists():
        torch.manual_seed(cfg.seed)   # the initial weights, as `train_models` seeds them
        net, t0 = ImageModels(cfg).nets['classifier'], time.time()
        X, y = load_images('mnist', 'train', cfg.split_seed)
        Xv, yv = load_images('mnist', 'valid', cfg.split_seed)
        net.requires_grad_(True); net.train()
        train_classifier(net, X, y, epochs=epochs, seed=cfg.seed, progress=False, **cfg.cls_kw()); net.eval()
        def acc(x): return round(100*(predict_logits(net, x).argmax(-1) == yv).float().mean().item(), 2)
        rec = dict(epochs=epochs, n_valid=len(yv), train_seconds=round(time.time()-t0), seed=cfg.seed,
                   command='python results/tune_classifier.py ' + ' '.join(sys.argv[1:]), clean=acc(Xv),
                   **{f'{k} {l:g}': acc(image_corruption(k, l, 'mnist')(Xv, torch.Generator().manual_seed(0))) for k, l in CORRUPTIONS})
        f.write_text(json.dumps(rec, indent=1))
    rows.append(json.loads(f.read_text()))
keys = ['clean'] + [f'{k} {l:g}' for k, l in CORRUPTIONS]
print('| classifier epochs | ' + ' | '.join(keys) + ' | training seconds (one core) |')
print('|---' * (len(keys) + 2) + '|')
for r in rows: print(f"| {r['epochs']} | " + ' | '.join(f'{r[k]:.1f}' for k in keys) + f" | {r['train_seconds']} s |")
