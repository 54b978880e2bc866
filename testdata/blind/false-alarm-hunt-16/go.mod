module example.com/fah16

go 1.25
