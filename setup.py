from configparser import ConfigParser
import setuptools, shlex

# settings.ini is the single source of truth (nbdev's convention); no pkg_resources needed
config = ConfigParser(delimiters=['='])
config.read('settings.ini', encoding='utf-8')
cfg = config['DEFAULT']

licenses = {'apache2': ('Apache Software License 2.0', 'OSI Approved :: Apache Software License')}
statuses = ['1 - Planning', '2 - Pre-Alpha', '3 - Alpha', '4 - Beta', '5 - Production/Stable', '6 - Mature', '7 - Inactive']
py_versions = '3.10 3.11 3.12 3.13'.split()

requirements = shlex.split(cfg.get('requirements', ''))
dev_requirements = shlex.split(cfg.get('dev_requirements', ''))
lic = licenses[cfg['license']]
min_python = cfg['min_python']
scripts = [s.strip() for s in cfg.get('console_scripts', '').split('\n') if s.strip()]

setuptools.setup(
    name=cfg['lib_name'], license=lic[0], version=cfg['version'],
    classifiers=['Development Status :: ' + statuses[int(cfg['status'])], 'Intended Audience :: ' + cfg['audience'].title(),
                 'License :: ' + lic[1], 'Natural Language :: ' + cfg['language'].title()] +
                ['Programming Language :: Python :: ' + o for o in py_versions[py_versions.index(min_python):]],
    url=cfg['git_url'], packages=setuptools.find_packages(include=['cde_nb', 'cde_nb.*']), include_package_data=True,
    package_data={'cde_nb': ['checkpoints/*.pt',  # and the small data fixture (see cde_nb/fixture_data/README.md)
                             'fixture_data/*.md', 'fixture_data/*/LICENSE', 'fixture_data/*/SHA256SUMS',
                             'fixture_data/mnist/*.gz', 'fixture_data/fsdd/recordings/*.wav', 'fixture_data/cifar10/*.zip']},
    install_requires=requirements, extras_require={'dev': dev_requirements},
    python_requires='>=' + min_python, long_description=open('README.md', encoding='utf-8').read(),
    long_description_content_type='text/markdown', zip_safe=False,
    entry_points={'console_scripts': scripts, 'nbdev': [f"{cfg['lib_path']}={cfg['lib_path']}._modidx:d"]},
    author=cfg['author'], author_email=cfg['author_email'], description=cfg['description'], keywords=cfg['keywords'])
