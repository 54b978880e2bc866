module example.com/closewrite

go 1.22
