module example.com/fah10

go 1.23
