module example.com/up22

go 1.22
