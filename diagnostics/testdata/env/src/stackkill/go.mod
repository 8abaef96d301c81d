module leaks-worker-ctx

go 1.26
