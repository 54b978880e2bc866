module example.com/fah13

go 1.24
