module init-panic-config

go 1.26
