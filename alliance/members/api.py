"""API for programs, classrooms and memberships (to be completed)."""
