"""The frozen CIFAR-10 classifier: `python results/train_classifier.py --task cifar10` under its first name, which the
committed record (results/cifar10/classifier.json) names. Same options; see results/train_classifier.py."""
import sys
from train_classifier import main

if __name__ == '__main__': main(sys.argv[1:], task='cifar10')
