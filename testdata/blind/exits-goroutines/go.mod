module example.com/blindd

go 1.22
