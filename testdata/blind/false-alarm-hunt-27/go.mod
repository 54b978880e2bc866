module example.com/fah27

go 1.23
