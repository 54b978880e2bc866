module example.com/fah21

go 1.23
