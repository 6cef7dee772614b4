"""Change report (guide diff) and ownership (guide owners): department updates as pull requests."""
