Route #1: 0 1
Route #2: 2
Cost 10
