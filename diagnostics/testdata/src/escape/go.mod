module example.com/buf

go 1.26
