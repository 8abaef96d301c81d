module leaks-ticker-loop

go 1.26
