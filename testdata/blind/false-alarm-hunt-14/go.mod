module example.com/fah14

go 1.23
