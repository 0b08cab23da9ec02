Cost 10
