module example.com/daemons

go 1.22
