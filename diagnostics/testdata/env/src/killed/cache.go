package cache

// Size returns how many entries fit.
func Size() int { return 64 }
