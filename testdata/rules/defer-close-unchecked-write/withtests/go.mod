module example.com/closewritetests

go 1.22
