module leaks-response-body

go 1.26
