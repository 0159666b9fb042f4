"""The saved-replies file (YAML): a list of replies, each a mapping.

    - title: Delayed bag
      text: "Sorry your bag is late, {name}. Please DM us your bag tag number."
      channel: public            # public | dm | both (default public)
      tags: [bag, luggage, delayed bag]
      faq: https://acme.example/faq#bags

Every problem is reported with the file, the line and the reason, all at once.

Example::

    >>> replies = parse_saved_replies("- title: Hi\\n  text: Hello {name}\\n", source="r.yml")
    >>> replies[0].title
    'Hi'
"""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.domain.saved_replies import Channel, SavedReply, template_problem
from bot.domain.yaml_file import (
    FileProblem,
    YamlFileError,
    compose_yaml,
    mapping_values,
    node_line,
    read_yaml_text,
    scalar_value,
)

KEYS = ("title", "text", "channel", "tags", "faq")
MAX_FILE_BYTES = 2_000_000


class RepliesFileError(YamlFileError):
    """The file cannot be used; ``problems`` name each line and reason."""


def load_saved_replies(path: str | Path) -> list[SavedReply]:
    """Read and parse the file at ``path``; raises RepliesFileError."""
    text = read_yaml_text(path, max_bytes=MAX_FILE_BYTES, error=RepliesFileError)
    return parse_saved_replies(text, source=str(path))


def parse_saved_replies(text: str, *, source: str) -> list[SavedReply]:
    """The replies in ``text`` (the file's content); raises RepliesFileError naming
    ``source``, the line and the reason of every problem found."""
    root = compose_yaml(text, source=source, error=RepliesFileError)
    if root is None:
        return []
    if not isinstance(root, yaml.SequenceNode):
        raise RepliesFileError(source, [FileProblem(
            node_line(root), "the file must be a list of replies (each item starting with '- ')")])
    problems: list[FileProblem] = []
    replies: list[SavedReply] = []
    first_line_of: dict[str, int] = {}
    for item in root.value:
        reply = _reply(item, problems)
        if reply is None:
            continue
        key = reply.title.casefold()
        if key in first_line_of:
            problems.append(FileProblem(node_line(item), f"duplicate title {reply.title!r} "
                                                     f"(first on line {first_line_of[key]})"))
            continue
        first_line_of[key] = node_line(item)
        replies.append(reply)
    if problems:
        raise RepliesFileError(source, problems)
    return replies


def _reply(node: yaml.Node, problems: list[FileProblem]) -> SavedReply | None:
    if not isinstance(node, yaml.MappingNode):
        problems.append(FileProblem(node_line(node), "each reply must be a mapping with title "
                                                 "and text"))
        return None
    before = len(problems)
    values = mapping_values(node, KEYS, problems)
    for required in ("title", "text"):
        if required not in values:
            problems.append(FileProblem(node_line(node), f"missing {required}"))
    title = _scalar(values.get("title"), "title", problems)
    text = _scalar(values.get("text"), "text", problems)
    channel = _channel(values.get("channel"), problems)
    tags = _tags(values.get("tags"), problems)
    faq = _scalar(values.get("faq"), "faq", problems)
    if len(problems) > before:
        return None
    reply = SavedReply(title=title.strip(), text=text.strip(), channel=channel, tags=tags,
                       faq=faq.strip() if faq else None)
    problem = template_problem(reply)
    if problem:
        problems.append(FileProblem(node_line(node), problem))
        return None
    return reply


def _scalar(node: yaml.Node | None, key: str, problems: list[FileProblem]) -> str | None:
    return scalar_value(node, key, problems, expected="a piece of text")


def _channel(node: yaml.Node | None, problems: list[FileProblem]) -> Channel:
    if node is None:
        return Channel.PUBLIC
    value = _scalar(node, "channel", problems)
    try:
        return Channel((value or "").strip().lower())
    except ValueError:
        if value is not None:
            problems.append(FileProblem(node_line(node), f"channel {value[:20]!r} must be public, "
                                                     f"dm or both"))
        return Channel.PUBLIC


def _tags(node: yaml.Node | None, problems: list[FileProblem]) -> tuple[str, ...]:
    if node is None:
        return ()
    if isinstance(node, yaml.ScalarNode):
        items = [node]
    elif isinstance(node, yaml.SequenceNode):
        items = node.value
    else:
        problems.append(FileProblem(node_line(node), "tags must be a list such as [bag, luggage]"))
        return ()
    tags = []
    for item in items:
        tag = _scalar(item, "each tag", problems)
        if tag is not None and tag.strip():
            tags.append(tag.strip())
    return tuple(dict.fromkeys(tags))

