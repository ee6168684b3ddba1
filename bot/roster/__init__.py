"""The roster: who is assigned to which organization, its cells and their meetings."""
