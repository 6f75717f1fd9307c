"""Rule and caveat data, shipped inside the wheel as the `codemod.rules` package."""
