"""Build-or-Buy Advisor."""
