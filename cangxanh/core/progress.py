"""Progress bars for management commands (tqdm through the command's own stderr)."""

from collections.abc import Iterable

from tqdm import tqdm


class Stream:
    """tqdm writes through a command's OutputWrapper, unstyled and without added newlines."""

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, style_func=lambda s: s, ending="")

    def flush(self) -> None:
        self.wrapper.flush()

    def isatty(self) -> bool:
        return self.wrapper.isatty()


def bar(command, *, desc: str, unit: str, disable: bool = False):
    """A `progress(iterable, total)` callable that shows a bar on the command's stderr
    when that is a terminal (cron and CI logs get the command's summary only)."""
    stream = Stream(command.stderr)

    def progress(items: Iterable, total: int) -> Iterable:
        return tqdm(
            items,
            total=total,
            desc=desc,
            unit=unit,
            file=stream,
            disable=disable or not stream.isatty(),
            mininterval=0.2,
        )

    return progress
