"""Exceptions raised by shoal, and re-raising a remote exception as the same Python type with a
traceback that names the user's file, function and line."""

import builtins
import types


class UnsupportedError(Exception):
    """A construct shoal cannot compile yet; the message names the file, line and construct."""


def _frame_traceback(frames, tb_next=None):
    """A traceback whose entries are the remote frames (file, function, line), outermost first."""
    tb = tb_next
    for file, function, line in reversed(frames):
        if line <= 0:
            continue
        # a frame whose code object carries the user's file and function name, stopped at line
        code = compile("\n" * (line - 1) + "raise __shoal_marker__", file or "<shoal>", "exec")
        code = code.replace(co_name=function or "<module>")
        try:
            exec(code, {"__shoal_marker__": _Marker()})
        except _Marker as m:
            raised = m.__traceback__.tb_next or m.__traceback__
            # tb_lasti of the real raise, so that traceback.extract_tb finds the line too
            tb = types.TracebackType(tb, raised.tb_frame, raised.tb_lasti, line)
    return tb


class ImmutabilityError(Exception):
    """A value shared with a parallel piece or another node (a frozen value) was mutated; the
    message names where it was shared."""


class _Marker(Exception):
    pass


def _plain_args(args):
    """args, unless one of them could not travel (a (REF, name) placeholder)."""
    from ._bridge import REF

    for a in args:
        if type(a) is tuple and ((len(a) == 2 and a[0] is REF) or _plain_args(a) is None):
            return None
    return args


def remote_exception(type_name, message, frames, args=None, classes=()):
    """The exception to raise in the caller for a remote error: the same class (a built-in one, or
    one of the call's own exception classes), built from the same arguments when they could
    travel, else from the message."""
    user = [c for c in classes if c is not None and c.__name__ == type_name and issubclass(c, BaseException)]
    if type_name == "UnsupportedError":
        exc = UnsupportedError(message)
    elif type_name == "ImmutabilityError":
        exc = ImmutabilityError(message)
    elif user:
        args = _plain_args(args) if args is not None else None
        if args is None:
            args = (message,)
        exc = user[0].__new__(user[0], *args)  # __init__ already ran on the node
        exc.args = tuple(args)
    else:
        cls = getattr(builtins, type_name, None)
        if not (isinstance(cls, type) and issubclass(cls, BaseException)):
            cls = RuntimeError
            message = "%s: %s" % (type_name, message)
            args = None
        args = _plain_args(args) if args is not None else None
        if args is not None:
            exc = cls(*args)
        elif message == "":
            exc = cls()
        else:
            exc = cls(message)
    tb = _frame_traceback(frames)
    if tb is not None:
        exc = exc.with_traceback(tb)
    return exc
