"""`python -m codemod` runs the command line."""

from .cli import main

main(prog_name="amp2mp-codemod")
