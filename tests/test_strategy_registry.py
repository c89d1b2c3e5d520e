"A strategy of your own is one `register_strategy` call: it then appears in the CLI's help, a bench record, `cde-nb table`, a frontier's legend and the explorer's menu, in its own colour."
import json, pytest, torch
import fastcore.test as fct
from cde_nb.cli import main, read_records
from cde_nb.coupling import Strategy, STRATEGIES, register_strategy, logit_chain, coupled_strategies
from cde_nb.bench import plot_frontier, METHOD_COLORS

def greedy(r):   # the logit chain under another name: enough to follow a new entry through the package
    return logit_chain(r)

@pytest.fixture
def mine():
    register_strategy('greedy', Strategy(greedy, 'Greedy', 'parallel', 'the logit chain, renamed', '#123456', coupled=True))
    yield 'greedy'
    del STRATEGIES['greedy']

def test_your_strategy_everywhere(mine, tmp_path, capsys):
    with pytest.raises(SystemExit): main(['bench', '--help'])
    assert 'greedy (Greedy)' in ' '.join(capsys.readouterr().out.split())                      # the CLI's help
    out = tmp_path/'g.json'
    main(['bench', '--task', 'toy', '--methods', 'noisy,enhanced,greedy', '--sweep-steps', '1,3', '--n-test', '50', '--quiet', '--out', str(out)])
    files = sorted(tmp_path.glob('g_steps*.json'))
    fct.test_eq(len(files), 2)
    assert 'greedy' in json.loads(files[0].read_text())['results']                               # a bench record
    capsys.readouterr(); main(['table', *map(str, files)])
    assert '| greedy |' in capsys.readouterr().out                                               # cde-nb table
    ax = plot_frontier(read_records(files))
    colours = {l.get_label(): l.get_color() for l in ax.get_lines()}
    fct.test_eq(colours['Greedy'], '#123456')                                                    # the frontier's legend, its colour
    fct.test_eq(METHOD_COLORS['greedy'], '#123456')
    assert 'greedy' in coupled_strategies()
    from cde_nb.explorer import Explorer, ImageView
    from cde_nb.images import ImageModels, ImageConfig
    ex = Explorer({'tiny': ImageView('digits', models=ImageModels(ImageConfig(base=8, hidden=32, width=8, cls_width=8)))}, steps=2, draw=False)
    assert ('Greedy', 'greedy') in list(ex.strategy.options)                                    # the explorer's menu
    ex.strategy.value = 'greedy'                                                                  # and it runs there
