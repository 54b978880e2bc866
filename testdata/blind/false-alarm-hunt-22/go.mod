module example.com/fah22

go 1.22
