"""A command imports what it uses: ``rsqm --help`` lists every command without importing one, and a command loads
only its own module (docs/benchmarks: start-up is measured there, kept from creeping back here)."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import pytest

import rsqm.cli
from rsqm.cli import COMMANDS, build_full_parser, build_parser

HEAVY = ("pydantic", "streamlit", "pandas", "docx", "openpyxl", "cryptography", "vl_convert", "numpy", "pypdf", "faker", "english_words")


def modules_loaded_by(*argv: str, workspace: str | None = None) -> list[str]:
    """The top-level packages a fresh interpreter has imported after running ``rsqm ARGV``."""
    script = (
        "import json, sys\nfrom rsqm.cli import main\n"
        f"try:\n    main({list(argv)!r})\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted({name.split('.')[0] for name in sys.modules} | "
        "{name for name in sys.modules if name.startswith('rsqm.cli.')})))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=workspace)
    return json.loads(done.stdout.splitlines()[-1])


def commands_of(parser) -> set[str]:
    return set(parser._subparsers._group_actions[0].choices)


def test_every_command_module_is_listed_and_registers_exactly_its_commands() -> None:
    modules = {info.name for info in pkgutil.iter_modules(rsqm.cli.__path__)} - {"common"}
    assert {command.module for command in COMMANDS.values()} == modules
    assert commands_of(build_full_parser()) == set(COMMANDS)
    for name, command in COMMANDS.items():
        alone = commands_of(build_parser([name, "--help"]))
        assert name in alone and all(COMMANDS[other].module == command.module for other in alone), (name, alone)


def test_help_lists_every_command_with_its_summary_and_imports_no_command(cli) -> None:
    result = cli("--help")
    assert result.code == 0
    for name, command in COMMANDS.items():
        assert name in result.out and command.summary.split()[0] in result.out
    loaded = modules_loaded_by("--help")
    assert not [name for name in loaded if name.startswith("rsqm.cli.")], loaded
    assert not set(HEAVY) & set(loaded), loaded


def test_a_command_loads_its_own_module_and_not_the_libraries_it_does_not_use(demo_copy) -> None:
    loaded = modules_loaded_by("validate", "-w", str(demo_copy))
    assert [name for name in loaded if name.startswith("rsqm.cli.")] == ["rsqm.cli.validate"], loaded
    unused = {"streamlit", "pandas", "docx", "openpyxl", "cryptography", "vl_convert", "pypdf", "phonenumbers", "holidays",
              "ruamel", "filelock", "faker", "english_words"}  # reading and checking a workspace needs none of them
    assert not unused & set(loaded), loaded


@pytest.mark.parametrize("name", ["gaps", "export", "submitted"])
def test_a_commands_help_describes_it(cli, name: str) -> None:
    result = cli(name, "--help")
    assert result.code == 0 and COMMANDS[name].summary[:1].upper() + COMMANDS[name].summary[1:] in result.out.replace("\n", " ")
