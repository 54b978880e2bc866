module example.com/fah25

go 1.22
