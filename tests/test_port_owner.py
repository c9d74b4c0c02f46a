"""Which program holds a port: each tool's output as the tool prints it (Windows' from a
Chinese Windows 10, which cannot run here), and the real lookup on this machine."""

from __future__ import annotations

import os
import shutil
import socket

import pytest

from seller_support.port_owner import (
    parse_lsof,
    parse_netstat,
    parse_ss,
    parse_tasklist,
    who_listens,
)

SS = (
    "LISTEN 0      128        127.0.0.1:8765      0.0.0.0:*    "
    'users:(("python3",pid=4242,fd=6),("python3",pid=4242,fd=7))\n'
)
LSOF = "p4242\ncPython\nf6\np4243\ncother\n"
NETSTAT = """
活动连接

  协议  本地地址          外部地址        状态           PID
  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       1016
  TCP    127.0.0.1:18765        0.0.0.0:0              LISTENING       7000
  TCP    127.0.0.1:8765         127.0.0.1:51234        ESTABLISHED     9999
  TCP    127.0.0.1:8765         0.0.0.0:0              LISTENING       5312
  TCP    [::1]:8765             [::]:0                 LISTENING       5312
  UDP    0.0.0.0:8765           *:*                                    1234
"""
TASKLIST = '"python.exe","5312","Console","1","25,084 K"\n'


def test_each_tools_output_is_read():
    assert parse_ss(SS) == ("python3", 4242)
    assert parse_ss("LISTEN 0 128 127.0.0.1:8765 0.0.0.0:*\n") is None  # not ours to see
    assert parse_lsof(LSOF) == ("Python", 4242)
    assert parse_lsof("") is None
    assert parse_netstat(NETSTAT, 8765) == 5312  # not the connection, not the other port
    assert parse_netstat(NETSTAT, 8766) is None
    assert parse_tasklist(TASKLIST) == "python.exe"
    assert parse_tasklist("INFO: No tasks are running which match the criteria.\n") is None


@pytest.mark.skipif(
    not (shutil.which("ss") or shutil.which("lsof")), reason="neither ss nor lsof is installed"
)
def test_this_process_is_found_on_its_port():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        found = who_listens(listener.getsockname()[1])
    assert found is not None and found.endswith(f"(pid {os.getpid()})")
