"""Pure rule functions and rule tables (by state and effective date). No Django imports."""
