"""Build-time check of the sandbox image: every public submodule of the bundled libraries imports.

Guards the size trimming in the Dockerfile (deleted test suites) and Debian packaging changes. Exits non-zero
with the list of failures. Also builds matplotlib's font cache in MPLCONFIGDIR as a side effect.
"""

import importlib
import io
import pkgutil
import sys

PACKAGES = ('numpy', 'pandas', 'scipy', 'sklearn', 'matplotlib', 'seaborn')
# Optional GUI toolkits or test helpers that the sandbox never uses.
SKIPPED = ('tests', 'conftest', 'testing', 'backends', 'sphinxext')


def main() -> int:
    failures = []
    imported = 0
    for name in PACKAGES:
        package = importlib.import_module(name)
        for module in pkgutil.iter_modules(package.__path__, name + '.'):
            leaf = module.name.rsplit('.', 1)[-1]
            if leaf.startswith('_') or leaf in SKIPPED:
                continue
            try:
                importlib.import_module(module.name)
                imported += 1
            except Exception as error:  # noqa: BLE001 - report every failing module, not just the first
                failures.append(f'{module.name}: {type(error).__name__}: {error}')
    importlib.import_module('numpy.testing')
    importlib.import_module('pandas.testing')

    import matplotlib.pyplot as plt

    plt.plot([1, 2])
    plt.savefig(io.BytesIO(), format='png')
    print(f'check_image: {imported} modules imported, {len(failures)} failed')
    for failure in failures:
        print('  ' + failure)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
