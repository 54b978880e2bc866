module example.com/legacy118

go 1.18
