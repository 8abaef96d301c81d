module example.com/racemain

go 1.26
