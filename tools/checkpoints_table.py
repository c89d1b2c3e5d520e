"""The checkpoints shipped in the package, as a markdown table read from the files themselves: size, what each serves,
the data its networks learned from, and the command that makes it again.

    python tools/checkpoints_table.py
"""
from cde_nb.checkpoint import load_checkpoint
from cde_nb.images import CKPT_DIR

def learned_from(cfg:dict)->str:
    "The training data of a checkpoint, from its stored config."
    task = cfg.get('task') or ('fsdd' if 'n_mels' in cfg or 'rnn' in cfg else None)
    if task == 'mnist': return "MNIST's training digits (all but 5,000 kept for validation)" if cfg.get('data') == 'full' or cfg.get('kind') == 'mnist_full_classifier' else "7,000 of MNIST's 10,000 test digits"
    if (cfg.get('kind') or '').startswith('cifar10') or task == 'cifar10': return "CIFAR-10's 45,000 training images (JPEG)"
    return {'digits': "scikit-learn's 8x8 digits (training split)", 'fsdd': 'FSDD recordings (training split)'}.get(task, 'unknown')

def serves(cfg:dict)->str:
    "What a checkpoint is for, from its stored config."
    if (kind := cfg.get('kind', '')).endswith('_classifier'): return f"the frozen classifier ({cfg['arch']}) of every bundle of its data"
    mix = cfg.get('train_mix') or []
    if len(mix) == 1: return f"every method, {mix[0][0]} {mix[0][1]:g}"
    return f"every method, a mix of {len(mix)} corruptions (the task's default)"

def remake(cfg:dict, extra:dict)->str:
    "The command that makes the file again."
    if cfg.get('kind', '').endswith('_classifier'):
        return f"python results/train_classifier.py --task {cfg.get('task', 'cifar10')}" + (' --data full' if cfg.get('kind') == 'mnist_full_classifier' else '')
    if extra.get('command'): return extra['command'].replace(' --quiet', '').split(' --out ')[0]
    mix = cfg['train_mix']
    return f"cde-nb train --task {cfg['task']}" + (' --data full' if cfg.get('data') == 'full' else '') + (f" --corruption {mix[0][0]} --level {mix[0][1]:g}" if len(mix) == 1 else '')

def table()->str:
    rows = ['| file | MB | serves | learned from | made again by |', '|---|---|---|---|---|']
    for p in sorted(CKPT_DIR.glob('*.pt')):
        _, cfg, extra = load_checkpoint(p)
        rows.append(f"| `{p.name}` | {p.stat().st_size/1e6:.1f} | {serves(cfg)} | {learned_from(cfg)} | `{remake(cfg, extra)}` |")
    total = sum(p.stat().st_size for p in CKPT_DIR.glob('*.pt'))/1e6
    return '\n'.join(rows) + f'\n\n{total:.0f} MB in all.\n'

if __name__ == '__main__': print(table(), end='')
