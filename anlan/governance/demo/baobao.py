def step(demo):
    pass
