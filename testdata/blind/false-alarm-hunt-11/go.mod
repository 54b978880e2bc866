module example.com/fah11

go 1.22
