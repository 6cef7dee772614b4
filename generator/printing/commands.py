"""``guide print`` (placeholder until print lands)."""

commands: list = []
