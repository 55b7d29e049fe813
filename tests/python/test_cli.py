"""The `shoal` binary: `shoal run script.py`, `shoal --version`, `shoal node --help`, and the
one-line "shoal: ..." errors (exit code 2) for bad options, values and config files."""

import os
import re
import subprocess
import textwrap

import pytest

HERE = os.path.abspath(__file__)
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
BUILD = os.environ.get("SHOAL_BUILD_DIR", os.path.join(ROOT, "build"))
SHOAL = os.path.join(BUILD, "shoal")
EXAMPLES = os.path.join(ROOT, "examples")


def shoal(*args, cwd=None, timeout=60):
    return subprocess.run([SHOAL, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=timeout)


def info(proc):
    return "rc=%s\n--- stdout ---\n%s\n--- stderr ---\n%s" % (proc.returncode, proc.stdout, proc.stderr)


def script(tmp_path, text, name="script.py"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def assert_one_line_error(proc, *names):
    """Exit code 2, nothing on stdout, exactly one stderr line starting 'shoal: ' naming names."""
    assert proc.returncode == 2, info(proc)
    assert proc.stdout == "", info(proc)
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and proc.stderr.endswith("\n"), info(proc)
    assert lines[0].startswith("shoal: "), info(proc)
    for name in names:
        assert name in lines[0], (name, info(proc))
    return lines[0]


# ---------------------------------------------------------------- shoal run


def test_run_hello_example():
    proc = shoal("run", os.path.join(EXAMPLES, "hello.py"))
    assert proc.returncode == 0, info(proc)
    assert proc.stdout == "hello, shoal\nsum of squares: %d\n" % sum(i * i for i in range(1000)), info(proc)
    assert proc.stderr == "", info(proc)


def test_run_passes_script_arguments_in_sys_argv(tmp_path):
    path = script(tmp_path, """
        import sys
        print(repr(sys.argv))
    """)
    args = ["a", "two words", "--workers", "3", "-x", "", "ünï"]
    proc = shoal("run", path, *args)
    assert proc.returncode == 0, info(proc)
    assert proc.stdout.strip() == repr([str(path)] + args), info(proc)


def test_run_options_before_the_script_and_double_dash(tmp_path):
    path = script(tmp_path, """
        import sys
        import shoal
        with shoal.connect() as c:
            print(c.workers, sys.argv[1:])
    """)
    proc = shoal("run", "--workers", "1", "--", path, "--workers", "5")
    assert proc.returncode == 0, info(proc)
    assert proc.stdout == "1 ['--workers', '5']\n", info(proc)
    proc = shoal("run", "--workers=2", path)
    assert proc.returncode == 0, info(proc)
    assert proc.stdout == "2 []\n", info(proc)


def test_run_takes_settings_from_a_config_file(tmp_path):
    ini = tmp_path / "run.ini"
    ini.write_text("workers = 3   # three threads\nrecursion-limit = 60\n")
    path = script(tmp_path, """
        import shoal

        def down(n):
            if n == 0:
                return 0
            return down(n - 1) + 1

        with shoal.connect() as c:
            print(c.workers, c.submit(down, 30).result())
            try:
                c.submit(down, 200).result()
            except RecursionError:
                print("RecursionError")
    """)
    proc = shoal("run", "--config", ini, path)
    assert proc.returncode == 0, info(proc)
    assert proc.stdout == "3 30\nRecursionError\n", info(proc)
    proc = shoal("run", "--config", ini, "--workers", "1", path)  # the command line wins
    assert proc.stdout.startswith("1 30\n"), info(proc)


def test_run_script_can_import_modules_beside_it(tmp_path):
    (tmp_path / "helpers.py").write_text("def triple(x):\n    return x * 3\n")
    path = script(tmp_path, """
        import shoal
        from helpers import triple

        def work(x):
            return triple(x) + 1

        if __name__ == "__main__":
            with shoal.connect() as c:
                print(c.submit(work, 4).result())
    """)
    proc = shoal("run", path, cwd="/")
    assert proc.returncode == 0, info(proc)
    assert proc.stdout == "13\n", info(proc)


def test_run_script_raising_exits_nonzero_with_a_traceback(tmp_path):
    path = script(tmp_path, """
        def main():
            raise ValueError("plain failure")

        main()
    """)
    proc = shoal("run", path)
    assert proc.returncode == 1, info(proc)
    assert "Traceback (most recent call last):" in proc.stderr, info(proc)
    assert 'File "%s", line 3, in main' % path in proc.stderr, info(proc)
    assert proc.stderr.rstrip().endswith("ValueError: plain failure"), info(proc)


def test_run_remote_exception_traceback_names_the_script_lines(tmp_path):
    path = script(tmp_path, """
        import shoal

        def inner(x):
            raise KeyError("no such key " + str(x))

        def outer(x):
            return inner(x * 2)

        with shoal.connect() as c:
            c.submit(outer, 21).result()
    """)
    proc = shoal("run", path)
    assert proc.returncode == 1, info(proc)
    err = proc.stderr
    assert "Traceback (most recent call last):" in err, info(proc)
    assert 'File "%s", line 8, in outer' % path in err, info(proc)
    assert 'File "%s", line 5, in inner' % path in err, info(proc)
    assert err.index("in outer") < err.index("in inner"), info(proc)
    assert err.rstrip().endswith("KeyError: 'no such key 42'"), info(proc)


def test_run_exit_code_of_sys_exit(tmp_path):
    path = script(tmp_path, "import sys\nprint('bye')\nsys.exit(3)\n")
    proc = shoal("run", path)
    assert proc.returncode == 3, info(proc)
    assert proc.stdout == "bye\n"


def test_run_syntax_error(tmp_path):
    path = script(tmp_path, "def f(x):\n    return x +\n")
    proc = shoal("run", path)
    assert proc.returncode == 1, info(proc)
    assert "SyntaxError" in proc.stderr, info(proc)


def test_run_missing_script(tmp_path):
    proc = shoal("run", tmp_path / "nowhere.py")
    assert proc.returncode != 0, info(proc)
    assert "nowhere.py" in proc.stderr, info(proc)


def test_run_without_a_script():
    assert_one_line_error(shoal("run"), "script")


def test_run_dump_ast_goes_to_stderr(tmp_path):
    path = script(tmp_path, """
        import shoal

        def plus_one(x):
            return x + 1

        with shoal.connect() as c:
            print(c.submit(plus_one, 41).result())
    """)
    proc = shoal("run", "--dump", "ast", path)
    assert proc.returncode == 0, info(proc)
    assert proc.stdout == "42\n", info(proc)  # dumps never go to stdout
    assert "--- shoal ast ---" in proc.stderr, info(proc)
    assert "plus_one" in proc.stderr, info(proc)
    assert "--- shoal ir ---" not in proc.stderr and "--- shoal llvm ---" not in proc.stderr, info(proc)
    proc = shoal("run", "--dump", "ir,llvm", path)
    assert proc.returncode == 0, info(proc)
    assert "--- shoal ir ---" in proc.stderr and "--- shoal llvm ---" in proc.stderr, info(proc)
    assert "--- shoal ast ---" not in proc.stderr, info(proc)
    proc = shoal("run", path)
    assert proc.stderr == "", info(proc)


def test_run_bad_dump_stage(tmp_path):
    path = script(tmp_path, "print(1)\n")
    assert_one_line_error(shoal("run", "--dump", "ast,bytecode", path), "--dump", "bytecode")


# ---------------------------------------------------------------- version and help


def test_version():
    proc = shoal("--version")
    assert proc.returncode == 0, info(proc)
    assert re.fullmatch(r"shoal \d+\.\d+\.\d+\n", proc.stdout), info(proc)
    import shoal as package  # tests/conftest.py puts the built package on sys.path
    assert proc.stdout == "shoal %s\n" % package.__version__


def test_node_help_lists_the_options():
    proc = shoal("node", "--help")
    assert proc.returncode == 0, info(proc)
    assert proc.stdout.startswith("Usage: shoal node"), info(proc)
    for option in ("--config", "--host", "--port", "--workers", "--memory-limit", "--data-dir",
                   "--log-level", "--seed", "--recursion-limit", "--dump", "--help"):
        assert re.search(r"^\s+(?:-\w \[ )?%s\b" % re.escape(option), proc.stdout, re.M), (option, info(proc))
    assert proc.stderr == ""


def test_run_help_lists_its_options():
    proc = shoal("run", "--help")
    assert proc.returncode == 0, info(proc)
    assert proc.stdout.startswith("Usage: shoal run"), info(proc)
    for option in ("--config", "--workers", "--memory-limit", "--recursion-limit", "--dump"):
        assert re.search(r"^\s+(?:-\w \[ )?%s\b" % re.escape(option), proc.stdout, re.M), (option, info(proc))
    assert not re.search(r"^\s+--port\b", proc.stdout, re.M), info(proc)  # node-only


def test_no_command_prints_usage_and_exits_2():
    proc = shoal()
    assert proc.returncode == 2, info(proc)
    assert "usage: shoal run" in proc.stderr, info(proc)


def test_unknown_command():
    proc = shoal("frobnicate")
    assert proc.returncode == 2, info(proc)
    assert proc.stderr.startswith("shoal: unknown command 'frobnicate'"), info(proc)


# ---------------------------------------------------------------- bad options


@pytest.mark.parametrize("command", ["node", "run"])
def test_unknown_option(command, tmp_path):
    line = assert_one_line_error(shoal(command, "--frobnicate", "1", tmp_path / "x.py"), "--frobnicate")
    assert "unknown option" in line


def test_unknown_option_suggests_the_near_one():
    line = assert_one_line_error(shoal("node", "--worker", "2"), "--worker")
    assert "--workers" in line


@pytest.mark.parametrize("command", ["node", "run"])
@pytest.mark.parametrize("args, option", [
    (["--workers", "abc"], "--workers"),
    (["--workers=abc"], "--workers"),
    (["--workers", "-1"], "--workers"),
    (["--memory-limit", "4Q"], "--memory-limit"),
    (["--recursion-limit", "0"], "--recursion-limit"),
    (["--log-level", "loud"], "--log-level"),
], ids=lambda v: " ".join(v) if isinstance(v, list) else v)
def test_bad_value(command, args, option, tmp_path):
    line = assert_one_line_error(shoal(command, *args, tmp_path / "x.py") if command == "run"
                                 else shoal(command, *args), option)
    assert "invalid value" in line


@pytest.mark.parametrize("args, option", [
    (["--port", "99999"], "--port"),
    (["--port", "http"], "--port"),
    (["--seed", "nohost"], "--seed"),
    (["--host", ""], "--host"),
], ids=lambda v: " ".join(v) if isinstance(v, list) else v)
def test_bad_node_value(args, option):
    assert_one_line_error(shoal("node", *args), option)


def test_node_only_option_is_unknown_to_run(tmp_path):
    assert_one_line_error(shoal("run", "--port", "1", tmp_path / "x.py"), "--port")


def test_option_missing_its_value():
    assert_one_line_error(shoal("node", "--workers"), "workers")


def test_stray_argument_to_node():
    assert_one_line_error(shoal("node", "extra"), "extra")


@pytest.mark.parametrize("command", ["node", "run"])
def test_missing_config_file(command, tmp_path):
    missing = tmp_path / "absent.ini"
    args = [command, "--config", missing] + ([tmp_path / "x.py"] if command == "run" else [])
    line = assert_one_line_error(shoal(*args), str(missing))
    assert "cannot read config file" in line


def test_config_file_is_a_directory(tmp_path):
    assert_one_line_error(shoal("node", "--config", tmp_path), str(tmp_path))


@pytest.mark.parametrize("command", ["node", "run"])
def test_unknown_key_in_config_file(command, tmp_path):
    ini = tmp_path / "node.ini"
    ini.write_text("# fine so far\nworkers = 1\nworkerz = 2\n")
    args = [command, "--config", ini] + ([tmp_path / "x.py"] if command == "run" else [])
    line = assert_one_line_error(shoal(*args), "%s:3" % ini, "workerz")
    assert "unknown option" in line and "workers" in line  # suggests the near one


def test_bad_value_in_config_file(tmp_path):
    ini = tmp_path / "node.ini"
    ini.write_text("workers = abc\n")
    assert_one_line_error(shoal("node", "--config", ini), "%s:1" % ini, "workers", "abc")


def test_malformed_line_in_config_file(tmp_path):
    ini = tmp_path / "node.ini"
    ini.write_text("workers = 1\njust some words\n")
    assert_one_line_error(shoal("node", "--config", ini), "%s:2" % ini)


def test_config_cannot_be_set_in_a_config_file(tmp_path):
    ini = tmp_path / "node.ini"
    ini.write_text("config = other.ini\n")
    assert_one_line_error(shoal("node", "--config", ini), "%s:1" % ini, "config")


def test_control_characters_stay_on_one_line(tmp_path):
    assert_one_line_error(shoal("node", "--workers", "1\n2"), "--workers")
