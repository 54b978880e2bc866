module example.com/up24

go 1.22
