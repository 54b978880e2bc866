module example.com/fah15

go 1.23
