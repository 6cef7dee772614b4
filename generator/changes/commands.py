"""``guide diff`` (placeholder until the change report lands)."""

commands: list = []
