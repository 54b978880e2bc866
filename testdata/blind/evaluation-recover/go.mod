module example.com/blindb

go 1.22
