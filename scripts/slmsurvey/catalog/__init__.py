"""The catalog: read it (load), check it (schemarules, validate), and the model it becomes, with what
is derived from it (keys, results, topics).
"""
