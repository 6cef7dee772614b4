"""``guide build`` and ``guide serve`` (placeholder until the site lands)."""

import click


@click.command()
def build() -> None:
    """构建网站和印刷品(尚未实现)。"""
    raise click.ClickException("guide build 尚未实现")


commands = [build]
