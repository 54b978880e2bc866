module example.com/deferblocking

go 1.22
