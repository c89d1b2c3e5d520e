"""Draw who steps when in the three schedules of `cde_nb.coupling` (Parallel, Alternating, Nested), and what each
network evaluation conditions on, with `cde_nb.coupling.plot_timeline` (from the sampler's own event log, on stand-in
networks: nothing is trained or loaded). The picture of RESULTS.md, remade by `python results/make_tables.py`.

Usage: python results/timeline.py --fig nbs/images/timeline.png [--steps 10]
"""
import argparse

WHAT = dict(null='nothing (the null condition)', x_cor='the corrupted input', x_hat0="the signal chain's clean estimate",
            y_hat0="the logit chain's clean estimate")   # how the legend names each condition of `COND_COLORS`
KNOBS = dict(parallel=dict(warmup=.5), alternating=dict(rounds=3), nested=dict(refreshes=2))   # few rounds and refreshes, to keep the picture small

def draw(steps:int=10):
    "The figure: one row of `plot_timeline` per schedule, a legend of the conditions above them."
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator
    from cde_nb.coupling import plot_timeline, COND_COLORS
    fig, axs = plt.subplots(3, 1, figsize=(7, 4.2), constrained_layout=True)
    for ax, (s, kw) in zip(axs, KNOBS.items()):
        plot_timeline(s, steps, ax, **kw); ax.xaxis.set_major_locator(MaxNLocator(integer=True))   # evaluations are counted
    axs[0].legend(handles=[Patch(color=c, label=f'conditions on {WHAT[k]}') for k, c in COND_COLORS.items()],
                  fontsize=7, ncol=2, loc='lower right', bbox_to_anchor=(1, 1.25))
    return fig

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--fig', default='timeline.png', help='where to save the picture')
    p.add_argument('--steps', type=int, default=10, help='reverse steps per chain (default 10)')
    a = p.parse_args(argv)
    import matplotlib; matplotlib.use('Agg')
    draw(a.steps).savefig(a.fig, dpi=110, bbox_inches='tight')
    print(f"wrote {a.fig}")

if __name__ == '__main__': main()
