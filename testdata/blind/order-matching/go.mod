module example.com/matching

go 1.24
