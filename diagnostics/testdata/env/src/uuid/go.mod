module races-request-counter

go 1.26
