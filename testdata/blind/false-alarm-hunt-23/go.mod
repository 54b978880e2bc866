module example.com/fah23

go 1.22
