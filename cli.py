"""Run the ``guide`` command from a checkout: ``python cli.py --help``."""

from generator.cli import run

if __name__ == "__main__":
    run()
