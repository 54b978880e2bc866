module example.com/up7

go 1.22
