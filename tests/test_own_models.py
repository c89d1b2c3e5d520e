"Your own trained models, usable everywhere: train to a file, then bench that file and load it from Python, with the config it stores."
import json, pytest
import fastcore.test as fct
from cde_nb.cli import main
from cde_nb.images import load_models

def test_train_then_bench_your_own(tmp_path):
    out, rec = tmp_path/'my.pt', tmp_path/'r.json'
    main(['train', '--task', 'digits', '--epochs', '1', '--epochs-cls', '1', '--quiet', '--out', str(out)])
    main(['bench', '--task', 'digits', '--models', str(out), '--n-test', '20', '--steps', '2', '--methods', 'noisy,enhanced,parallel',
          '--quiet', '--out', str(rec)])
    r = json.loads(rec.read_text())
    fct.test_eq((r['models'], r['n_test'], list(r['results'])), ('my.pt', 20, ['noisy', 'enhanced', 'parallel']))
    M = load_models('digits', path=out)                      # from Python too, with the stored config (epochs=1)
    fct.test_eq((M.cfg.epochs, M.cfg.epochs_cls), (1, 1))
    with pytest.raises(ValueError, match="holds a 'digits' bundle, not a 'mnist' one"): load_models('mnist', path=out)
    with pytest.raises(SystemExit, match='no such file'): main(['bench', '--task', 'digits', '--models', str(tmp_path/'none.pt'), '--quiet'])
    with pytest.raises(SystemExit, match="holds a 'digits' bundle"): main(['bench', '--task', 'mnist', '--models', str(out), '--quiet'])
    main(['demo', '--task', 'digits', '--models', str(out), '--n-test', '10', '--steps', '2', '--fig', str(tmp_path/'d.png'), '--quiet'])   # the demo on it
    assert (tmp_path/'d.png').is_file()
    from cde_nb.explorer_tasks import view_for_file
    v = view_for_file(out)                                   # and the explorer (`cde-nb explore --models my.pt` serves this view)
    fct.test_eq((v.task, v.models.cfg.epochs), ('digits', 1))
    with pytest.raises(SystemExit, match='no such file'): main(['explore', '--models', str(tmp_path/'none.pt')])
    with pytest.raises(SystemExit, match='leave out --retrain'): main(['demo', '--task', 'digits', '--models', str(out), '--retrain', '--quiet'])
