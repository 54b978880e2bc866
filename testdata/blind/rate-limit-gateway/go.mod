module example.com/ratelimitgw

go 1.21
