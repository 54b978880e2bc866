module example.com/fah26

go 1.22
