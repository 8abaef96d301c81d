module races-atomic-balance

go 1.26
