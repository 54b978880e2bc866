module example.com/fah24

go 1.23
