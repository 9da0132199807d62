"""Reading amounts, days and dates out of what members type, in plain Python (no Duckling)."""
