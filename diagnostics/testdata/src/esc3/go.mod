module example.com/esc3

go 1.26
