"""Every exception rsqm raises on purpose shares one base that carries its exit code (docs/design.md, "Command-line contract")."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import rsqm
from rsqm.base.errors import InputRefused, RsqmError, UsageError
from rsqm.cli import main


def _rsqm_exceptions() -> list[type[BaseException]]:
    found = []
    for info in pkgutil.walk_packages(rsqm.__path__, "rsqm."):
        if info.name.startswith("rsqm.ui"):
            continue  # the Streamlit pages import streamlit at import time
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, BaseException) and cls.__module__ == info.name:
                found.append(cls)
    return found


def test_every_exception_class_in_rsqm_derives_from_the_one_base():
    classes = _rsqm_exceptions()
    assert len(classes) >= 20
    assert [c.__qualname__ for c in classes if not issubclass(c, RsqmError)] == []


def test_a_usage_error_means_exit_2_and_refused_input_exit_1():
    assert UsageError("x").exit_code == 2
    assert InputRefused("x").exit_code == 1


def test_a_library_refusal_reaches_the_user_as_an_error_with_exit_1(tmp_path, capsys):
    assert main(["init", str(tmp_path / "ws")]) == 0
    capsys.readouterr()
    code = main(["audit", "new", "NOPE-1", "-w", str(tmp_path / "ws"), "--auditor", "P07"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("rsqm audit: error: ")
    assert "Traceback" not in err


@pytest.mark.parametrize("argv", [["gaps", "--framework", "nope"], ["validate"]])
def test_misuse_reaches_the_user_as_a_usage_note_with_exit_2(tmp_path, capsys, argv):
    ws = tmp_path / "ws"
    if argv[0] == "gaps":
        assert main(["init", str(ws)]) == 0
    else:
        ws.mkdir()  # not a workspace
    capsys.readouterr()
    code = main([*argv, "-w", str(ws)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"rsqm {argv[0]}: ") and "error:" not in err.split(":", 2)[1]
