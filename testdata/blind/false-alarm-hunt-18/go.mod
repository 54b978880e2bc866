module example.com/fah18

go 1.22
