module example.com/blindh

go 1.22
