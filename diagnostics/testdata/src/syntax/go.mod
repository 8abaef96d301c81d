module example.com/syn

go 1.26
