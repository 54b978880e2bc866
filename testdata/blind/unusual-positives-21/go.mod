module example.com/up21

go 1.22
