module flaginit

go 1.26
