module example.com/unusualpos4

go 1.24
