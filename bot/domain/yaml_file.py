"""Reading a team's YAML file (the triage chart, the saved replies) so that every problem
names the file, the line and the reason.

Example::

    >>> node = compose_yaml("a: 1\\n", source="x.yml", error=YamlFileError)
    >>> node.tag.endswith(":map")
    True
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class FileProblem:
    line: int
    reason: str


class YamlFileError(ValueError):
    """The file cannot be used; ``problems`` name each line and reason."""

    def __init__(self, source: str, problems: list[FileProblem]) -> None:
        self.source = source
        self.problems = tuple(problems)
        super().__init__("; ".join(f"{source}, line {p.line}: {p.reason}"
                                   for p in self.problems))


def read_yaml_text(path: str | Path, *, max_bytes: int, error: type[YamlFileError]) -> str:
    """The file's text, or ``error`` when it cannot be read, is too large or is not UTF-8."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise error(str(path), [FileProblem(0, f"cannot be read ({exc.strerror})")]) from None
    if len(raw) > max_bytes:
        raise error(str(path), [FileProblem(0, f"is {len(raw):,} bytes; at most {max_bytes:,}")])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise error(str(path), [FileProblem(0, "is not UTF-8 text")]) from None


def compose_yaml(text: str, *, source: str, error: type[YamlFileError]) -> yaml.Node | None:
    """The YAML node tree of ``text`` (line marks kept), or ``error`` naming the line."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = " ".join(filter(None, (exc.context, exc.problem))) or "is not valid YAML"
        raise error(source, [FileProblem(mark.line + 1 if mark else 0,
                                         f"not valid YAML: {reason}")]) from None
    except yaml.YAMLError as exc:
        raise error(source, [FileProblem(0, f"not valid YAML: {exc}")]) from None


def node_line(node: yaml.Node) -> int:
    """The 1-based line a YAML node starts on."""
    return node.start_mark.line + 1


def scalar_value(node: yaml.Node | None, key: str, problems: list[FileProblem], *,
                 expected: str) -> str | None:
    """The text of a scalar ``node`` (None when absent); anything else is a problem
    "``key`` must be ``expected``" at its line."""
    if node is None:
        return None
    if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
        problems.append(FileProblem(node_line(node), f"{key} must be {expected}"))
        return None
    return node.value


def mapping_values(node: yaml.MappingNode, keys: tuple[str, ...], problems: list[FileProblem],
                   *, what: str | None = None) -> dict[str, yaml.Node]:
    """The value nodes of a mapping by key; an unknown or repeated key is a problem at its
    line (``what`` names the mapping in the message, where a file holds several kinds)."""
    where = f" in {what}" if what else ""
    values: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key not in keys:
            problems.append(FileProblem(node_line(key_node), f"unknown key {str(key)[:40]!r}"
                                        f"{where}; the keys are {', '.join(keys)}"))
        elif key in values:
            problems.append(FileProblem(node_line(key_node), f"{key} is given twice"))
        else:
            values[key] = value_node
    return values
