"""Text rules every stage shares: title casing, LaTeX, people's names, the characters a catalog may
hold, and the escapers of each target language.
"""
