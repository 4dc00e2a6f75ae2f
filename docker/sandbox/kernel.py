"""python_sandbox kernel: a notebook-like Python session driven by newline-delimited JSON on stdin/stdout.

Protocol (one JSON object per line):
  in   {"id": "r1", "code": "1 + 1", "timeout_s": 30}      run code (timeout_s optional: default 30, at most 300)
  in   {"id": "r2", "op": "reset"}                          fresh namespace, figures closed, processes killed
  out  {"ready": true, "python": "3.13.5", ...}              once, when the libraries are imported
  out  {"id", "ok", "stdout", "stderr", "result", "error", "images", "truncated", "duration_ms"}  one per request

The protocol owns the process's original stdin/stdout file descriptors. User code sees an empty stdin, and its
output (Python-level and file-descriptor-level, so subprocesses are captured too) goes to per-call capture files;
each stream is capped at STREAM_CAP_BYTES. Kernel diagnostics go to the original stderr (the container log).

Everything a call starts dies with it: timeouts interrupt the main thread (SIGALRM), child processes left behind
are killed, and the namespace survives so the next call can use it. A cgroup memory limit becomes an address-space
limit so that a memory bomb raises MemoryError instead of getting the kernel OOM-killed (best effort: a kill is
still possible, the host side restarts the kernel then).
"""

from __future__ import annotations

import time

_STARTED = time.perf_counter()

import ast  # noqa: E402
import base64  # noqa: E402
import builtins  # noqa: E402
import codecs  # noqa: E402
import contextlib  # noqa: E402
import faulthandler  # noqa: E402
import gc  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import linecache  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import traceback  # noqa: E402
import types  # noqa: E402
import warnings  # noqa: E402

DEFAULT_TIMEOUT_S = 30.0
MAX_TIMEOUT_S = 300.0
# After a timeout, the interrupt repeats at this interval in case user code swallows it (bare except).
TIMEOUT_REPEAT_S = 0.5
FIGURE_EXPORT_TIMEOUT_S = 20.0
STREAM_CAP_BYTES = 100 * 1024
RESULT_CAP_CHARS = 100 * 1024
MAX_IMAGES = 10
# Kept free under the address-space limit so the kernel can still answer after a MemoryError.
MEMORY_SAFETY_BYTES = 64 * 1024 * 1024
EMERGENCY_RESERVE_BYTES = 8 * 1024 * 1024
PRELOAD_MODULES = ('numpy', 'pandas', 'matplotlib', 'matplotlib.pyplot', 'seaborn')
CO_COROUTINE = 0x0080
KERNEL_FILE = os.path.abspath(__file__)
KERNEL_PID = os.getpid()
# The session namespace replaces this module as __main__; keep the kernel's own module alive.
_KERNEL_MODULE = sys.modules[__name__]
_MAGIC_LINE = re.compile(r'^%(matplotlib|config)\b.*$', re.MULTILINE)


class Timeout(BaseException):
    """Raised in the main thread by SIGALRM when a call runs past its timeout (BaseException: harder to swallow)."""


class _State:
    """Mutable kernel state shared with the signal handlers."""

    armed = False
    namespace: dict = {}
    cell_count = 0
    images: list = []
    images_dropped = 0
    notes: list = []
    reserve: bytearray | None = None


def _log(message: str) -> None:
    """Write a diagnostic line to the container log (the original stderr)."""
    with contextlib.suppress(OSError):
        os.write(_LOG_FD, f'[kernel] {message}\n'.encode('utf-8', 'backslashreplace'))


def _note(message: str) -> None:
    """A kernel remark for this call's stderr, appended after the user's (capped) output."""
    _State.notes.append(f'[{message}]\n')


def _write_all(fd: int, data: bytes | memoryview) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


# --- file descriptors -------------------------------------------------------------------------------------------

def _take_protocol_fds() -> tuple[int, int, int, int]:
    """Keep private, non-inheritable copies of stdin/stdout/stderr; point fds 0 and 1 at /dev/null."""
    proto_in = os.dup(0)
    proto_out = os.dup(1)
    log_fd = os.dup(2)
    devnull = os.open(os.devnull, os.O_RDWR | os.O_CLOEXEC)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    return proto_in, proto_out, log_fd, devnull


_PROTO_IN, _PROTO_OUT, _LOG_FD, _DEVNULL = _take_protocol_fds()
# sys.stdout/sys.stderr between calls: output of threads the user left running is discarded.
_IDLE_STREAM = io.TextIOWrapper(io.FileIO(_DEVNULL, 'w', closefd=False), encoding='utf-8', errors='replace')


def _anonymous_file() -> int:
    """An unnamed append-only file in the temp dir (tmpfs in the container)."""
    directory = tempfile.gettempdir()
    flags = os.O_RDWR | os.O_APPEND | os.O_CLOEXEC
    with contextlib.suppress(AttributeError, OSError):
        return os.open(directory, flags | os.O_TMPFILE, 0o600)
    # No O_TMPFILE support: a named file, unlinked at once (mkstemp's descriptor is already non-inheritable).
    import fcntl

    fd, path = tempfile.mkstemp(dir=directory)
    os.unlink(path)
    fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_APPEND)
    return fd


class _Capture:
    """One captured stream of a call: an anonymous file behind fd 1 or 2, capped when read back."""

    def __init__(self, target_fd: int) -> None:
        self.target_fd = target_fd
        self.fd = _anonymous_file()
        self.dropped = 0

    def begin(self) -> None:
        os.ftruncate(self.fd, 0)
        self.dropped = 0
        os.dup2(self.fd, self.target_fd)

    def room(self) -> int:
        return STREAM_CAP_BYTES - os.fstat(self.fd).st_size

    def read(self) -> tuple[str, bool]:
        """The captured text (first STREAM_CAP_BYTES bytes) and whether it was cut, with a note appended if so."""
        size = os.fstat(self.fd).st_size
        data = os.pread(self.fd, min(size, STREAM_CAP_BYTES), 0)
        # An incremental decoder drops a multi-byte character cut in half at the cap instead of garbling it.
        text = codecs.getincrementaldecoder('utf-8')('replace').decode(data, final=size <= STREAM_CAP_BYTES)
        total = size + self.dropped
        if total <= STREAM_CAP_BYTES:
            return text, False
        note = f'\n[output truncated: {total} bytes written, only the first {STREAM_CAP_BYTES} bytes are shown]\n'
        return text + note, True


class _CappedWriter(io.RawIOBase):
    """Raw writer behind sys.stdout/sys.stderr: writes into a capture file until it is full, then discards."""

    def __init__(self, capture: _Capture) -> None:
        super().__init__()
        self._capture = capture

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self._capture.target_fd

    def write(self, data) -> int:
        view = memoryview(data).cast('B')
        size = len(view)
        room = self._capture.room()
        if room > 0:
            _write_all(self._capture.fd, view[:room])
        if size > room:
            self._capture.dropped += size - max(room, 0)
        return size


def _text_stream(capture: _Capture) -> io.TextIOWrapper:
    raw = _CappedWriter(capture)
    return io.TextIOWrapper(
        io.BufferedWriter(raw, 8192), encoding='utf-8', errors='backslashreplace', line_buffering=True
    )


# --- processes ----------------------------------------------------------------------------------------------------

def _become_subreaper() -> None:
    """Outside a container (not PID 1), adopt orphaned descendants so stray processes can still be found."""
    if os.getpid() == 1:
        return
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        pr_set_child_subreaper = 36
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_child_subreaper, 1, 0, 0, 0)


def _process_table() -> dict[int, tuple[int, str]]:
    """pid -> (ppid, state) for every visible process."""
    table: dict[int, tuple[int, str]] = {}
    for name in os.listdir('/proc'):
        if not name.isdigit():
            continue
        try:
            with open(f'/proc/{name}/stat', 'rb') as handle:
                stat = handle.read().decode('ascii', 'replace')
        except OSError:
            continue
        # The command name is in parentheses and may contain spaces: split after the last ')'.
        fields = stat[stat.rfind(')') + 2 :].split()
        if len(fields) >= 2:
            table[int(name)] = (int(fields[1]), fields[0])
    return table


def _descendants(table: dict[int, tuple[int, str]]) -> list[int]:
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    found: list[int] = []
    stack = [KERNEL_PID]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _kill_strays() -> int:
    """Kill every process a call left behind (fork bombs included); returns how many were found."""
    killed = 0
    for _ in range(200):
        table = _process_table()
        strays = [pid for pid in _descendants(table) if table[pid][1] != 'Z']
        if not strays:
            break
        killed = max(killed, len(strays))
        if KERNEL_PID == 1:
            # In the container's PID namespace kill(-1) reaches every other process in one atomic sweep,
            # so a fork bomb cannot outrun it.
            with contextlib.suppress(OSError):
                os.kill(-1, signal.SIGKILL)
        else:
            for sig in (signal.SIGSTOP, signal.SIGKILL):
                for pid in strays:
                    with contextlib.suppress(OSError):
                        os.kill(pid, sig)
        _reap()
        time.sleep(0.005)
    _reap()
    return killed


def _in_forked_child() -> bool:
    return os.getpid() != KERNEL_PID


def _exit_forked_child(error: BaseException | None) -> None:
    """A child forked by user code finished the cell: end it like a script would, never run kernel code in it."""
    code = 0
    if isinstance(error, SystemExit):
        code = error.code if isinstance(error.code, int) else (0 if error.code is None else 1)
    elif error is not None:
        code = 1
        with contextlib.suppress(Exception):
            sys.stderr.write(''.join(traceback.format_exception(type(error), error, _user_frames(error))))
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


# --- memory -------------------------------------------------------------------------------------------------------

def _cgroup_memory_limit() -> int | None:
    for path in ('/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes'):
        try:
            with open(path, encoding='ascii') as handle:
                text = handle.read().strip()
        except OSError:
            continue
        if text == 'max':
            return None
        value = int(text)
        # cgroup v1 reports "no limit" as a huge page-aligned number.
        return value if value < (1 << 60) else None
    return None


def _vm_bytes(field: str) -> int:
    with open('/proc/self/status', encoding='ascii') as handle:
        for line in handle:
            if line.startswith(field + ':'):
                return int(line.split()[1]) * 1024
    return 0


def _limit_address_space() -> int | None:
    """Turn the cgroup memory limit into RLIMIT_AS so allocations fail with MemoryError before the OOM killer."""
    limit = _cgroup_memory_limit()
    if limit is None:
        return None
    headroom = limit - _vm_bytes('VmRSS') - MEMORY_SAFETY_BYTES
    if headroom <= 0:
        return None
    address_space = _vm_bytes('VmSize') + headroom
    resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
    return headroom


def _refill_reserve() -> None:
    if _State.reserve is None:
        with contextlib.suppress(MemoryError):
            _State.reserve = bytearray(EMERGENCY_RESERVE_BYTES)


# --- matplotlib ---------------------------------------------------------------------------------------------------

def _seed_font_cache() -> None:
    """Copy the font list built into the image into the (tmpfs) MPLCONFIGDIR before matplotlib is imported."""
    source = os.environ.get('SANDBOX_FONT_CACHE')
    target = os.environ.get('MPLCONFIGDIR')
    if not source or not target or not os.path.isdir(source):
        return
    with contextlib.suppress(OSError):
        os.makedirs(target, mode=0o700, exist_ok=True)
        for name in os.listdir(source):
            if name.startswith('fontlist-') and not os.path.exists(os.path.join(target, name)):
                shutil.copyfile(os.path.join(source, name), os.path.join(target, name))


def _open_figures() -> list:
    pyplot = sys.modules.get('matplotlib.pyplot')
    if pyplot is None:
        return []
    return [pyplot.figure(num) for num in pyplot.get_fignums()]


def _collect_figures() -> None:
    """Render every open figure to PNG (base64) into this call's images, then close it (plt.show does the same)."""
    pyplot = sys.modules.get('matplotlib.pyplot')
    if pyplot is None:
        return
    for figure in _open_figures():
        try:
            if len(_State.images) >= MAX_IMAGES:
                _State.images_dropped += 1
                continue
            buffer = io.BytesIO()
            figure.savefig(buffer, format='png', bbox_inches='tight')
            _State.images.append(base64.b64encode(buffer.getvalue()).decode('ascii'))
        except Exception as error:  # noqa: BLE001 - a broken figure must not lose the call's other output
            _note(f'figure could not be rendered: {type(error).__name__}: {error}')
        finally:
            pyplot.close(figure)


def _show(*_args, **_kwargs) -> None:
    """plt.show() for a headless notebook: emit the open figures now, as the inline backend does."""
    _collect_figures()


# --- execution ----------------------------------------------------------------------------------------------------

def _on_alarm(_signum, _frame) -> None:
    if _State.armed:
        raise Timeout()


def _on_interrupt(_signum, _frame) -> None:
    if _State.armed:
        raise KeyboardInterrupt()


def _on_terminate(_signum, _frame) -> None:
    os._exit(0)


def _arm(timeout_s: float) -> None:
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.signal(signal.SIGINT, _on_interrupt)
    _State.armed = True
    signal.setitimer(signal.ITIMER_REAL, timeout_s, TIMEOUT_REPEAT_S)


def _disarm() -> None:
    # A pending alarm may still raise inside this function: retry until the timer is really off.
    while True:
        try:
            _State.armed = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            return
        except Timeout:
            continue


def _display(*objects, **_kwargs) -> None:
    """IPython's display() for plain text: print each object's repr."""
    for obj in objects:
        print(repr(obj))


def _new_namespace() -> dict:
    module = types.ModuleType('__main__', 'The python_sandbox session namespace.')
    module.__dict__['__builtins__'] = builtins
    # Functions defined by the user pickle as __main__.<name> (multiprocessing, joblib), so __main__ is the session.
    sys.modules['__main__'] = module
    return module.__dict__


def _compile_cell(source: str, filename: str) -> tuple[types.CodeType, types.CodeType | None]:
    """Compile a cell; if its last statement is an expression (not ending in ';'), compile that one separately."""
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    tree = ast.parse(source, filename, 'exec')
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr) and not source.rstrip().endswith(';'):
        last = tree.body.pop()
    body = compile(tree, filename, 'exec', flags=flags, dont_inherit=True)
    if last is None:
        return body, None
    return body, compile(ast.Expression(last.value), filename, 'eval', flags=flags, dont_inherit=True)


def _evaluate(code: types.CodeType, namespace: dict):
    value = eval(code, namespace)  # noqa: S307 - running the user's code is this kernel's purpose
    if code.co_flags & CO_COROUTINE:
        import asyncio

        loop = asyncio.new_event_loop()
        try:
            value = loop.run_until_complete(value)
        finally:
            loop.close()
    return value


def _is_kernel_frame(filename: str) -> bool:
    return os.path.abspath(filename) == KERNEL_FILE


def _user_frames(error: BaseException) -> types.TracebackType | None:
    """The traceback from the first frame of user code on (kernel frames above it are dropped)."""
    tb = error.__traceback__
    while tb is not None and _is_kernel_frame(tb.tb_frame.f_code.co_filename):
        tb = tb.tb_next
    if isinstance(error, SyntaxError):
        # Raised while compiling the cell: the frames are the compiler's, the message already points at the line.
        cell_frames = []
        while tb is not None:
            if tb.tb_frame.f_code.co_filename.startswith('<cell-'):
                cell_frames.append(tb)
            tb = tb.tb_next
        return cell_frames[0] if cell_frames else None
    return tb


def _error(kind: str, message: str, tb_text: str) -> dict:
    return {'type': kind, 'message': message, 'traceback': tb_text}


def _describe(error: BaseException, timeout_s: float) -> dict:
    """The error object of a response, with the traceback trimmed to the user's frames."""
    tb = _user_frames(error)
    if isinstance(error, (Timeout, KeyboardInterrupt)):
        kind, message = (
            ('Timeout', f'timed out after {_format_seconds(timeout_s)} s')
            if isinstance(error, Timeout)
            else ('KeyboardInterrupt', 'interrupted')
        )
        # Where the code was interrupted, without the kernel's signal handler at the bottom.
        summary = [frame for frame in traceback.extract_tb(tb) if not _is_kernel_frame(frame.filename)]
        frames = ''.join(traceback.format_list(summary))
        header = 'Traceback (most recent call last):\n' if frames else ''
        return _error(kind, message, f'{header}{frames}{kind}: {message}\n')
    error.__traceback__ = tb
    text = ''.join(traceback.TracebackException.from_exception(error, compact=True).format())
    message = str(error)
    if isinstance(error, MemoryError):
        message = (message + ' ' if message else '') + (
            '(out of memory: the sandbox has a fixed memory limit; delete large variables or reset the session)'
        )
    elif isinstance(error, SyntaxError) and (error.text or '').lstrip()[:1] in ('!', '%'):
        message += ' (IPython magics and shell escapes are not supported; use subprocess, offline)'
    return _error(type(error).__name__, message, text)


def _format_seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f'{value:g}'


def _safe_repr(value) -> tuple[str, bool]:
    text = repr(value)
    if len(text) <= RESULT_CAP_CHARS:
        return text, False
    return text[:RESULT_CAP_CHARS] + f'\n[result truncated: {len(text)} characters, first {RESULT_CAP_CHARS} shown]', True


class _Call:
    """The per-call stdio plumbing: capture files behind fds 1/2, fresh sys.std* objects, then restore."""

    def __init__(self) -> None:
        self.out = _Capture(1)
        self.err = _Capture(2)

    def begin(self) -> None:
        for name in ('out', 'err'):
            capture = getattr(self, name)
            try:
                capture.begin()
            except OSError:
                # User code closed or broke the capture file: start a new one.
                capture = _Capture(capture.target_fd)
                setattr(self, name, capture)
                capture.begin()
        os.dup2(_DEVNULL, 0)
        sys.stdin = io.StringIO('')
        sys.stdout = _text_stream(self.out)
        sys.stderr = _text_stream(self.err)
        _State.images = []
        _State.images_dropped = 0
        _State.notes = []

    def end(self) -> tuple[str, str, bool]:
        for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
            with contextlib.suppress(Exception):
                stream.flush()
        if _State.images_dropped:
            _note(f'{_State.images_dropped} more figure(s) not shown: at most {MAX_IMAGES} per call')
        stdout, cut_out = self.out.read()
        stderr, cut_err = self.err.read()
        stderr += ''.join(_State.notes)
        os.dup2(_DEVNULL, 1)
        os.dup2(_LOG_FD, 2)
        sys.stdout = sys.stderr = _IDLE_STREAM
        return stdout, stderr, cut_out or cut_err


def _run_cell(code: str, timeout_s: float) -> tuple[str | None, bool, BaseException | None]:
    """Run one cell under the timer; returns (repr of the final expression or None, whether it was cut, error)."""
    _State.cell_count += 1
    filename = f'<cell-{_State.cell_count}>'
    source = _MAGIC_LINE.sub('', code)
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = _State.namespace
    try:
        try:
            _arm(timeout_s)
            try:
                body, last = _compile_cell(source, filename)
                _evaluate(body, namespace)
                value = _evaluate(last, namespace) if last is not None else None
                result, result_cut = None, False
                if value is not None:
                    namespace['_'] = value
                    result, result_cut = _safe_repr(value)
            except BaseException as error:
                if _in_forked_child():
                    _exit_forked_child(error)
                raise
            if _in_forked_child():
                _exit_forked_child(None)
        finally:
            _disarm()
    except MemoryError as error:
        _State.reserve = None
        return None, False, error
    except SystemExit as error:
        if error.code in (None, 0):
            _note(f'SystemExit({error.code}) ignored: the session keeps running')
            return None, False, None
        return None, False, error
    except BaseException as error:  # noqa: BLE001 - every failure of user code becomes the call's error
        return None, False, error
    return result, result_cut, None


def _export_figures() -> None:
    try:
        try:
            _arm(FIGURE_EXPORT_TIMEOUT_S)
            _collect_figures()
        finally:
            _disarm()
    except Timeout:
        _note(f'figure export timed out after {FIGURE_EXPORT_TIMEOUT_S:g} s')
        with contextlib.suppress(Exception):
            sys.modules['matplotlib.pyplot'].close('all')


_CALL: _Call | None = None


def _execute(request_id: str, code: str, timeout_s: float) -> dict:
    call = _CALL
    assert call is not None
    call.begin()
    started = time.perf_counter()
    result_text, result_cut, error = _run_cell(code, timeout_s)
    error_info = None
    if error is not None:
        _State.reserve = None
        error_info = _describe(error, timeout_s)
        # Frames of the failed call may hold large locals: free them before building the response.
        traceback.clear_frames(error.__traceback__)
        error = None
    _export_figures()
    duration_ms = round((time.perf_counter() - started) * 1000)
    strays = _kill_strays()
    if strays:
        _note(f'{strays} leftover process(es) killed: processes do not outlive a call')
    stdout, stderr, cut = call.end()
    images = _State.images
    _State.images = []
    _refill_reserve()
    return {
        'id': request_id,
        'ok': error_info is None,
        'stdout': stdout,
        'stderr': stderr,
        'result': result_text,
        'error': error_info,
        'images': images,
        'truncated': cut or result_cut or _State.images_dropped > 0,
        'duration_ms': duration_ms,
    }


def _reset(request_id: str) -> dict:
    started = time.perf_counter()
    pyplot = sys.modules.get('matplotlib.pyplot')
    if pyplot is not None:
        pyplot.close('all')
    _kill_strays()
    _State.namespace = _new_namespace()
    for name in [key for key in linecache.cache if key.startswith('<cell-')]:
        linecache.cache.pop(name, None)
    with contextlib.suppress(OSError):
        os.chdir(os.environ.get('HOME') or '/')
    gc.collect()
    _refill_reserve()
    return _response(request_id, ok=True, duration_ms=round((time.perf_counter() - started) * 1000))


def _response(request_id: str | None, ok: bool, error: dict | None = None, duration_ms: int = 0) -> dict:
    return {
        'id': request_id,
        'ok': ok,
        'stdout': '',
        'stderr': '',
        'result': None,
        'error': error,
        'images': [],
        'truncated': False,
        'duration_ms': duration_ms,
    }


def _protocol_error(request_id: str | None, message: str) -> dict:
    return _response(request_id, ok=False, error=_error('ProtocolError', message, f'ProtocolError: {message}\n'))


def _handle(line: bytes) -> dict:
    try:
        request = json.loads(line)
    except ValueError as error:
        return _protocol_error(None, f'request is not valid JSON: {error}')
    if not isinstance(request, dict):
        return _protocol_error(None, 'request must be a JSON object')
    request_id = request.get('id')
    if not isinstance(request_id, str) or not request_id:
        return _protocol_error(None, '"id" must be a non-empty string')
    op = request.get('op', 'execute')
    if op == 'reset':
        return _reset(request_id)
    if op != 'execute':
        return _protocol_error(request_id, f'unknown op {op!r} (expected "execute" or "reset")')
    code = request.get('code')
    if not isinstance(code, str):
        return _protocol_error(request_id, '"code" must be a string')
    timeout_s = request.get('timeout_s', DEFAULT_TIMEOUT_S)
    if timeout_s is None:
        timeout_s = DEFAULT_TIMEOUT_S
    if isinstance(timeout_s, bool) or not isinstance(timeout_s, (int, float)) or not math.isfinite(timeout_s):
        return _protocol_error(request_id, '"timeout_s" must be a number of seconds')
    if timeout_s <= 0:
        return _protocol_error(request_id, '"timeout_s" must be positive')
    return _execute(request_id, code, min(float(timeout_s), MAX_TIMEOUT_S))


def _send(message: dict) -> None:
    _write_all(_PROTO_OUT, (json.dumps(message, ensure_ascii=True, separators=(',', ':')) + '\n').encode('ascii'))


def _safe_handle(line: bytes) -> dict:
    try:
        return _handle(line)
    except BaseException as error:  # noqa: BLE001 - the kernel answers every request, even if it fails itself
        _State.reserve = None
        _log(''.join(traceback.format_exception(error)))
        request_id = None
        with contextlib.suppress(Exception):
            parsed = json.loads(line)
            request_id = parsed.get('id') if isinstance(parsed.get('id'), str) else None
        message = f'kernel failure: {type(error).__name__}: {error}'
        return _response(request_id, ok=False, error=_error('KernelError', message, message + '\n'))


# --- start --------------------------------------------------------------------------------------------------------

def _preload() -> list[str]:
    loaded = []
    for name in PRELOAD_MODULES:
        try:
            __import__(name)
            loaded.append(name)
        except ImportError as error:
            _log(f'preload of {name} skipped: {error}')
    numpy = sys.modules.get('numpy')
    if numpy is not None:
        # Scalars read as numbers (6, not np.int64(6)), also inside tuples and lists, as numpy 1 showed them.
        numpy.set_printoptions(legacy='1.25')
    pyplot = sys.modules.get('matplotlib.pyplot')
    if pyplot is not None:
        pyplot.show = _show
        # Draw one tiny figure so fonts and the Agg renderer are loaded before the first user plot.
        figure = pyplot.figure(figsize=(1, 1))
        figure.add_subplot().plot([0, 1])
        figure.savefig(io.BytesIO(), format='png')
        pyplot.close('all')
    return loaded


def _start() -> None:
    global _CALL
    signal.signal(signal.SIGTERM, _on_terminate)
    signal.signal(signal.SIGINT, _on_interrupt)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    faulthandler.enable(file=_LOG_FD, all_threads=True)
    _become_subreaper()
    _seed_font_cache()
    warnings.filterwarnings('ignore', message='.*non-interactive.*cannot be shown')
    # Prints of the preloaded libraries are dropped; their warnings go to the container log (stderr).
    sys.stdout = _IDLE_STREAM
    loaded = _preload()
    builtins.display = _display
    sys.stdin = io.StringIO('')
    _State.namespace = _new_namespace()
    _CALL = _Call()
    headroom = _limit_address_space()
    _refill_reserve()
    gc.collect()
    gc.freeze()
    _send(
        {
            'ready': True,
            'python': platform.python_version(),
            'pid': KERNEL_PID,
            'preloaded': loaded,
            'memory_headroom_bytes': headroom,
            'startup_ms': round((time.perf_counter() - _STARTED) * 1000),
        }
    )


def main() -> int:
    _start()
    with os.fdopen(_PROTO_IN, 'rb', buffering=1 << 16) as requests:
        for line in requests:
            if line.strip():
                _send(_safe_handle(line))
    return 0


if __name__ == '__main__':
    sys.exit(main())
