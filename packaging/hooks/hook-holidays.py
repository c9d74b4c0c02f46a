# The holidays library reads its translations (.mo files) from beside its source, and
# imports each country's module by name when first asked for it (holidays.registry);
# PyInstaller finds those modules only through imports under `if TYPE_CHECKING`. Both are
# carried whole, as pip installs them.
from PyInstaller.utils.hooks import collect_data_files, collect_submodules

datas = collect_data_files("holidays")
hiddenimports = collect_submodules("holidays")
