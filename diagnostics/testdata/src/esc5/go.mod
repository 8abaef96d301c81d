module example.com/esc5

go 1.26
