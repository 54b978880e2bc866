module example.com/fah31

go 1.22
