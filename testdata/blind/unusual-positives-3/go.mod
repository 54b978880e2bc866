module example.com/unusualpos3

go 1.22
