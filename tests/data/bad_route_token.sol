Route #1: 1 x 3
Route #2: 2
Cost 10
