module example.com/fah19

go 1.22
