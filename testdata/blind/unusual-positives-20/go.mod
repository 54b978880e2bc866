module example.com/up20

go 1.22
