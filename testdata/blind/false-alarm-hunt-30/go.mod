module example.com/fah30

go 1.22
