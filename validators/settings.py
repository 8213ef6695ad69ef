"""The settings of a validation run that reach beyond the rules: how many threads, and the two
process-wide settings it changes for its duration (applied and restored here, nowhere else).

>>> import gc
>>> from libya_conflict.validators.settings import process_settings
>>> with process_settings():
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

# Threads, for reading the package and for running the rules: the machines this runs on in CI have two
# cores.
WORKERS = 2


@contextmanager
def process_settings() -> Iterator[None]:
    """For the duration of the ``with`` block: no cyclic garbage collection, and Arrow allocating from a
    pool that keeps freed memory. Both are restored on leaving, whatever happens inside.

    - The rules make few reference cycles but many objects: the cycle collector would only rescan them.
    - Validation allocates and frees gigabytes of column buffers, table after table. pyarrow's default
      allocator, mimalloc, gives freed pages back to the kernel at once, so every table is read into fresh
      pages that the kernel must map and zero again: at a million events, 3 to 4 CPU seconds in the
      kernel. jemalloc (or, in a pyarrow built without it, the C library's malloc) keeps freed pages for
      reuse. Buffers remember their allocator, so switching back while some are alive is safe.

    Both settings are the whole process's: a program validating on one thread while it works on another
    sees them too, until the validation returns.
    """
    import gc

    import pyarrow as pa

    collecting = gc.isenabled()
    allocator = pa.default_memory_pool()
    gc.disable()
    try:
        try:
            pa.set_memory_pool(pa.jemalloc_memory_pool())
        except NotImplementedError:  # a pyarrow built without jemalloc
            pa.set_memory_pool(pa.system_memory_pool())
        yield
    finally:
        pa.set_memory_pool(allocator)
        if collecting:
            gc.enable()
