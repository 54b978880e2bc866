module example.com/flock

go 1.22
