module example.com/matchmaker

go 1.21
