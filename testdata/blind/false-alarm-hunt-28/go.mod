module example.com/fah28

go 1.22
