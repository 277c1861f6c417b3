"""The ``legalgraph`` command line.

Each area has its own module that defines click commands; this module gathers them into one
group and turns expected errors into a one-line message and an exit status, never a traceback:
2 for unusable input (a file that does not parse, a malformed query or date), 1 for other
refusals.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from legalgraph.errors import InputError, LegalgraphError


class _Group(click.Group):
    """A click group that reports our errors plainly."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(2)
        except LegalgraphError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(1)
        except OSError as error:  # a file or a socket the system refused
            click.echo(f"error: {error}", err=True)
            sys.exit(1)


@click.group(cls=_Group)
@click.version_option(package_name="legalgraph")
def main() -> None:
    """legalgraph: the legal status of psychoactive medicines, as a sourced knowledge graph."""


def _register() -> None:
    from legalgraph.cli import compare, diff, graph, load, serve, todo, validate

    for module in (graph, load, serve, validate, compare, diff, todo):
        for command in module.COMMANDS:
            main.add_command(command)


_register()

__all__ = ["main"]
