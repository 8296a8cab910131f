print("JSON benchmark: not written yet")
