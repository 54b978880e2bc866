module example.com/blindg

go 1.22
