module example.com/fah29

go 1.23
