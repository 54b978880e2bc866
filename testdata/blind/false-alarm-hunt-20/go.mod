module example.com/fah20

go 1.22
