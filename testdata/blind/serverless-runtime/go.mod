module example.com/faas

go 1.22
