module memory-unbounded-cache

go 1.26
